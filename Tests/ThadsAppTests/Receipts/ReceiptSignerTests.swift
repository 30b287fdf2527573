import Foundation
import Testing
import ThadsDomain

@testable import ThadsApp

/// The signing identity from a PKCS#12 file (read with openssl), and signatures other tools accept.
@Suite struct ReceiptSignerTests {
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func aPKCS12FileSignsAndOpenSSLVerifiesTheSignature() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "openssl is installed")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("p12-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(
            try Self.run(
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                    "-days", "30", "-subj", "/C=VN/O=Cuc THADS/CN=Don vi thu",
                ], in: directory) == 0)
        #expect(
            try Self.run(
                [
                    "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "unit.p12", "-passout",
                    "env:P",
                ], in: directory, environment: ["P": "mat-khau"]) == 0)
        let signer = try ReceiptSigner.fromPKCS12(path: directory + "/unit.p12", password: "mat-khau")
        #expect(!signer.isDemo)
        #expect(throws: ReceiptSigner.LoadFailed.self) {
            try ReceiptSigner.fromPKCS12(path: directory + "/unit.p12", password: "sai")
        }

        let document = ReceiptRulesFixture.document.xml
        let signature = try signer.sign(document, at: Date())
        try Data(document.utf8).write(to: URL(fileURLWithPath: directory + "/r.xml"))
        try Data(base64Encoded: signature)!.write(to: URL(fileURLWithPath: directory + "/r.p7s"))
        // openssl checks the detached CMS signature over the XML's bytes, trusting the unit's certificate.
        #expect(
            try Self.run(
                [
                    "cms", "-verify", "-binary", "-inform", "DER", "-in", "r.p7s", "-content", "r.xml", "-CAfile",
                    "cert.pem", "-purpose", "any", "-out", "/dev/null",
                ], in: directory) == 0)
        try Data((document + " ").utf8).write(to: URL(fileURLWithPath: directory + "/r.xml"))
        #expect(
            try Self.run(
                [
                    "cms", "-verify", "-binary", "-inform", "DER", "-in", "r.p7s", "-content", "r.xml", "-CAfile",
                    "cert.pem", "-purpose", "any", "-out", "/dev/null",
                ], in: directory) != 0, "a changed byte fails")
    }

    @Test func theDemoIdentityIsMadeOnceAndKept() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-" + UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try ReceiptSigner.demo(directory: directory, now: Date())
        let again = try ReceiptSigner.demo(directory: directory, now: Date())
        #expect(first.isDemo && first.certificate == again.certificate)
        let xml = ReceiptRulesFixture.document.xml
        let signature = try first.sign(xml, at: Date())
        #expect(await again.verify(xml, signature: signature), "receipts signed before a restart still verify")
        let other = try ReceiptSigner.makeSelfSigned(now: Date(), demo: true)
        #expect(!(await other.verify(xml, signature: signature)), "another certificate's key does not verify")
        #expect(!(await first.verify(xml, signature: "not base64")))
    }

    /// A unit certificate replaced by a new one (a new PKCS#12 file) still verifies the receipts it signed; new
    /// receipts are signed with the new one; a certificate never used here verifies nothing.
    @Test func receiptsSignedWithARotatedOutCertificateStillVerify() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hist-" + UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let xml = ReceiptRulesFixture.document.xml
        let old = try ReceiptSigner.makeSelfSigned(now: Date(), demo: false).keepingHistory(in: directory)
        #expect(old.past.isEmpty)
        let oldSignature = try old.sign(xml, at: Date())
        let new = try ReceiptSigner.makeSelfSigned(now: Date(), demo: false).keepingHistory(in: directory)
        #expect(new.past == [old.certificate])
        #expect(await new.verify(xml, signature: oldSignature), "the rotated-out certificate still verifies")
        #expect(!(await new.verify(xml + " ", signature: oldSignature)), "a changed document still fails")
        let newSignature = try new.sign(xml, at: Date())
        #expect(await new.verify(xml, signature: newSignature))
        #expect(!(await old.verify(xml, signature: newSignature)), "signed with the new key, not the old")
        let stranger = try ReceiptSigner.makeSelfSigned(now: Date(), demo: false)
        #expect(!(await new.verify(xml, signature: try stranger.sign(xml, at: Date()))))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.count == 2)
        for name in files {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            #expect(!text.contains("PRIVATE KEY"), "only certificates are kept")
        }
    }
}

enum ReceiptRulesFixture {
    static let document = ReceiptDocument(
        unitCode: "01", unitName: "Cục THADS thành phố Hà Nội", formSymbol: "01BLP0-001", receiptSymbol: "AA-26E",
        number: 7, lookupCode: "ABCDE-FGHJK", purpose: .fee, issuedOn: LocalDate(iso: "2026-03-05")!,
        collector: "Nguyễn Văn Thu", payer: .init(name: "Trần Thị Nộp", address: "Hà Nội", idNumber: "001080012345"),
        caseCode: "", item: "Phí thi hành án", amount: 15_000, demoSignature: false)
}
