import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 16, item 7: uploads are refused before their body is read, download names are clean, clamd scans.
@Suite struct UploadSafetyTests {
    /// Sends a request head announcing 20 MiB and the first KiB of the body over a real socket, and returns what the
    /// server answers. (Vapor hands a request on when its first body bytes arrive.) The other 20 MiB − 1 KiB are never
    /// sent: a server that waited for the body it was promised would not answer (the receive gives up after 30 s, a
    /// guard against a hang, not a measurement).
    static func answerToHeadOnly(port: Int, _ head: String) throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw CocoaError(.fileReadUnknown) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(head.utf8) + Array("--x\r\n".utf8) + [UInt8](repeating: 0x41, count: 1019)
        _ = send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL))
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while answer.range(of: Data("\r\n\r\n".utf8)) == nil {
            let got = recv(descriptor, &buffer, buffer.count, 0)
            if got <= 0 { break }
            answer.append(contentsOf: buffer[0..<got])
        }
        return String(decoding: answer, as: UTF8.self)
    }

    static func uploadHead(_ path: String, cookie: String? = nil) -> String {
        "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            + "Content-Length: \(20 * 1_048_576)\r\n" + (cookie.map { "Cookie: \($0)\r\n" } ?? "") + "\r\n"
    }

    @Test func a20MiBUploadIsRefusedBeforeItsBodyIsRead() async throws {
        try await withTestApp { app async throws in
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let caseUpload = "/ho-so/\(UUID().uuidString)/tai-lieu"
            for path in ["/nhap-du-lieu", caseUpload] {
                let answer = try Self.answerToHeadOnly(port: port, Self.uploadHead(path))
                #expect(answer.hasPrefix("HTTP/1.1 401"), "anonymous \(path): \(answer.prefix(80))")
            }
            // Signed in with the right permission, but without the form's token in the URL: refused, unread.
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            let cookie = local.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let forged = try Self.answerToHeadOnly(port: port, Self.uploadHead("/nhap-du-lieu", cookie: cookie))
            #expect(forged.hasPrefix("HTTP/1.1 403"), "\(forged.prefix(80))")
            // Signed in without the permission.
            let (officer, _) = try await Fixtures.signedIn(app, "chv", unit: "01", roles: [.enforcementOfficer])
            let officerCookie = officer.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let token = try await officer.token()
            let denied = try Self.answerToHeadOnly(
                port: port, Self.uploadHead(CSRF.uploadAction("/nhap-du-lieu", token: token), cookie: officerCookie))
            #expect(denied.hasPrefix("HTTP/1.1 403"), "\(denied.prefix(80))")
            await app.server.shutdown()
        }
    }

    @Test func downloadNamesAreCleanAndKeepVietnamese() {
        let header = DownloadName.attachment(fileName: "Bản án\r\nSet-Cookie: x\u{202E}fdp.exe\u{200B}\"a\".pdf")
        #expect(!header.contains("\r") && !header.contains("\n"))
        #expect(!header.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(header.hasPrefix("attachment; filename=\"Ban an"))
        #expect(header.contains("filename*=UTF-8''B%E1%BA%A3n%20%C3%A1n"))
        #expect(!header.contains("%E2%80%AE"), "no right-to-left override")
        #expect(!header.contains("%E2%80%8B"), "no zero-width space")
        let fallback = DownloadName.asciiFallback(DownloadName.clean("Quyết định Đình chỉ \"số 1\".pdf"))
        #expect(fallback == "Quyet dinh Dinh chi _so 1_.pdf")
        #expect(DownloadName.clean("\u{0}\u{1F}") == "tai-lieu")
        #expect(DownloadName.clean("../../etc/passwd") == "....etcpasswd")
    }

    @Test func clamdVerdicts() async throws {
        let clamd = try FakeClamd(connections: 3, limit: 100_000)
        let scanner = ClamdScanner(endpoint: .unixSocket(clamd.path), chunkSize: 4096)
        #expect(scanner.scan(minimalPDF) == .clean)
        #expect(scanner.scan(Data("X5O!P%@AP EICAR-TEST-FILE".utf8)) == .infected(signature: "Eicar-Test-Signature"))
        // Over clamd's limit: it hangs up mid-stream, and the file is "not scanned", never clean.
        let over = scanner.scan(Data(count: 300_000))
        #expect(over == .notScanned(reason: "tệp vượt giới hạn của máy quét"))
        #expect(over.record == "notScanned")
        #expect(clamd.streamed.count == 3)
        #expect(clamd.streamed[0] == minimalPDF.count)
        // No daemon there.
        let missing = ClamdScanner(endpoint: .unixSocket("/nonexistent/clamd.sock")).scan(minimalPDF)
        #expect(missing.record == "notScanned")
        #expect(ClamdScanner.verdict(reply: "stream: OK\0", completeStream: false).record == "notScanned")
        #expect(ClamdScanner.verdict(reply: nil, completeStream: true).record == "notScanned")
    }

    /// Against a real clamd when THADS_TEST_CLAMD_SOCKET names its socket; its database must hold a signature for
    /// the EICAR test file and StreamMaxLength must be below 2 MiB (see docs/security.md).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["THADS_TEST_CLAMD_SOCKET"] != nil))
    func realClamd() throws {
        let path = try #require(ProcessInfo.processInfo.environment["THADS_TEST_CLAMD_SOCKET"])
        let scanner = ClamdScanner(endpoint: .unixSocket(path))
        let eicar = Data(#"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"#.utf8)
        guard case .infected = scanner.scan(eicar) else {
            Issue.record("EICAR was not found")
            return
        }
        #expect(scanner.scan(minimalPDF) == .clean)
        #expect(scanner.scan(Data(count: 2 * 1_048_576)).record == "notScanned")
    }

    @Test func clamdSettings() throws {
        #expect(try AppSettings.fromEnvironment([:]).clamd == nil)
        #expect(
            try AppSettings.fromEnvironment(["CLAMD_SOCKET": "/run/clamav/clamd.ctl"]).clamd
                == .unixSocket("/run/clamav/clamd.ctl"))
        #expect(
            try AppSettings.fromEnvironment(["CLAMD_HOST": "127.0.0.1"]).clamd == .tcp(host: "127.0.0.1", port: 3310))
        #expect(throws: AppSettings.Invalid.self) { try AppSettings.fromEnvironment(["CLAMD_SOCKET": "clamd.sock"]) }
    }

    @Test func anInfectedImportIsRefusedAndACleanOneRecordedAsScanned() async throws {
        let clamd = try FakeClamd(connections: 2)
        try await withTestApp(SettingsOverride { $0.clamd = .unixSocket(clamd.path) }) { app async throws in
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            let infected = ImportFiles.csv([ImportFiles.row(1, [.debtorName: "EICAR-TEST"])])
            let refused = try await local.upload("/nhap-du-lieu", file: infected, fileName: "cu.csv")
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.contains("mã độc"))
            let clean = ImportFiles.csv([ImportFiles.row(2)])
            #expect(try await local.upload("/nhap-du-lieu", file: clean, fileName: "cu.csv").status == .ok)
            let checked = try await AuditEvent.query(on: app.db).filter(\.$action == "cases.import-checked").all()
            #expect(checked.count == 1)
            #expect(checked.first?.summary?.contains("Đã quét virus: sạch") == true)
        }
    }

    @Test func withoutClamdAnUploadIsRecordedAsNotScanned() async throws {
        try await withTestApp { app async throws in
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            _ = try await local.upload("/nhap-du-lieu", file: ImportFiles.csv([ImportFiles.row(3)]), fileName: "cu.csv")
            let checked = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "cases.import-checked").first())
            #expect(checked.summary?.contains("Chưa quét virus") == true)
        }
    }
}
