import Crypto
import Foundation
import SwiftASN1
import Vapor
@_spi(CMS) import X509

/// The key and X.509 certificate that sign receipts, and the signature itself: CMS SignedData, detached, over the
/// exact bytes of the receipt's XML (RFC 5652; `openssl cms -verify -binary -content receipt.xml` checks it too).
///
/// The key comes from a PKCS#12 file named in the settings, read once at start with `openssl pkcs12` (no Swift
/// parser for PKCS#12 is available here; the platform's image ships openssl). Without one, a demonstration key and a
/// self-signed certificate are made once under the keys directory, and every receipt signed with them says so.
struct ReceiptSigner: Sendable {
    let certificate: Certificate
    let privateKey: Certificate.PrivateKey
    let isDemo: Bool
    /// Certificates this installation signed with before (a renewed or replaced unit certificate): receipts they
    /// signed stay verifiable, while new receipts are signed with `certificate` only.
    var past: [Certificate] = []

    struct LoadFailed: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ settings: AppSettings, now: Date) throws -> ReceiptSigner {
        let signer =
            if let path = settings.receiptSigningP12 {
                try fromPKCS12(path: path, password: settings.receiptSigningPassword ?? "")
            } else {
                try demo(directory: settings.keysDirectory, now: now)
            }
        return try signer.keepingHistory(in: settings.keysDirectory + "/" + historyDirectory)
    }

    /// Where every certificate the installation has signed with is kept (public certificates only, never a key).
    static let historyDirectory = "receipt-certificates"

    /// Files the current certificate under `directory` (named by its SHA-256) and reads back every earlier one, so a
    /// certificate rotated out by a new PKCS#12 file still verifies the receipts it signed.
    func keepingHistory(in directory: String) throws -> ReceiptSigner {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let path = directory + "/" + SHA256.hex(serializer.serializedBytes) + ".pem"
        if !FileManager.default.fileExists(atPath: path) {
            try FileStore.writePrivate(Data(certificatePEM.utf8), to: path)
        }
        var kept = self
        kept.past = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pem") }
            .sorted()
            .compactMap { name in
                (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8))
                    .flatMap { try? Certificate(pemEncoded: $0) }
            }
            .filter { $0 != certificate }
        return kept
    }

    static func fromPKCS12(path: String, password: String) throws -> ReceiptSigner {
        var output: String?
        // OpenSSL 3 reads older files (RC2, 3DES) only with -legacy.
        for extra in [[], ["-legacy"]] {
            let result = try ExternalProgram.runBlocking(
                "openssl", ["pkcs12", "-in", path, "-nodes", "-passin", "env:THADS_P12_PASSWORD"] + extra,
                environment: ["THADS_P12_PASSWORD": password], inheritEnvironment: false)
            if result.succeeded {
                output = result.text
                break
            }
        }
        guard let output else {
            throw LoadFailed(
                description: "RECEIPT_SIGNING_P12: openssl không đọc được tệp (sai mật khẩu hoặc sai dạng)")
        }
        let keys = pemBlocks(output, label: "PRIVATE KEY")
        guard let keyPEM = keys.first, let key = try? Certificate.PrivateKey(pemEncoded: keyPEM) else {
            throw LoadFailed(description: "RECEIPT_SIGNING_P12: tệp không có khóa riêng dùng được")
        }
        let certificates = pemBlocks(output, label: "CERTIFICATE").compactMap { try? Certificate(pemEncoded: $0) }
        guard let certificate = certificates.first(where: { $0.publicKey == key.publicKey }) else {
            throw LoadFailed(description: "RECEIPT_SIGNING_P12: không có chứng thư số khớp với khóa riêng")
        }
        return ReceiptSigner(certificate: certificate, privateKey: key, isDemo: false)
    }

    /// The demonstration identity, made on first use and kept (mode 0600) so that earlier receipts still verify.
    static func demo(directory: String, now: Date) throws -> ReceiptSigner {
        let keyPath = directory + "/receipt-demo-key.pem"
        let certificatePath = directory + "/receipt-demo-certificate.pem"
        if let keyPEM = try? String(contentsOfFile: keyPath, encoding: .utf8),
            let certificatePEM = try? String(contentsOfFile: certificatePath, encoding: .utf8)
        {
            return ReceiptSigner(
                certificate: try Certificate(pemEncoded: certificatePEM),
                privateKey: try Certificate.PrivateKey(pemEncoded: keyPEM), isDemo: true)
        }
        let signer = try makeSelfSigned(now: now, demo: true)
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileStore.writePrivate(Data(try signer.privateKey.serializeAsPEM().pemString.utf8), to: keyPath)
        try FileStore.writePrivate(Data(try signer.certificate.serializeAsPEM().pemString.utf8), to: certificatePath)
        return signer
    }

    static func makeSelfSigned(now: Date, demo: Bool) throws -> ReceiptSigner {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            CountryName("VN")
            OrganizationName("THADS")
            CommonName(demo ? "THADS - chung thu so thu nghiem (tu cap)" : "THADS")
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-86_400), notValidAfter: now.addingTimeInterval(20 * 365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
            },
            issuerPrivateKey: key)
        return ReceiptSigner(certificate: certificate, privateKey: key, isDemo: demo)
    }

    static func pemBlocks(_ text: String, label: String) -> [String] {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        var blocks: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: begin), let stop = rest.range(of: end, range: start.upperBound..<rest.endIndex)
        {
            blocks.append(String(rest[start.lowerBound..<stop.upperBound]))
            rest = rest[stop.upperBound...]
        }
        return blocks
    }

    /// The detached CMS signature over the document's bytes, with the signing time, base64.
    func sign(_ document: String, at time: Date) throws -> String {
        let signature = try CMS.sign(
            Array(document.utf8), certificate: certificate, privateKey: privateKey, signingTime: time, detached: true)
        return Data(signature).base64EncodedString()
    }

    /// Whether `signature` is this installation's signature over exactly `document`, by the current certificate or
    /// one it used before.
    func verify(_ document: String, signature: String) async -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        for trusted in [certificate] + past {
            let result = await CMS.isValidSignature(
                dataBytes: Array(document.utf8), signatureBytes: Array(bytes), trustRoots: CertificateStore([trusted])
            ) {
                SignerIsTheUnitCertificate()
            }
            if case .success = result { return true }
        }
        return false
    }

    var certificatePEM: String { (try? certificate.serializeAsPEM().pemString) ?? "" }
    var subject: String { String(describing: certificate.subject) }
}

/// The signer must be the configured certificate itself (the trust root); validity dates are not checked because a
/// receipt stays valid after the certificate that signed it expires.
private struct SignerIsTheUnitCertificate: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.keyUsage, .X509ExtensionID.basicConstraints,
    ]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        chain.count == 1 ? .meetsPolicy : .failsToMeetPolicy(reason: "receipts are signed by the unit certificate")
    }
}

extension Application {
    private struct ReceiptSignerKey: StorageKey {
        typealias Value = ReceiptSigner
    }

    /// Loaded at start (`Receipts.start`); a receipt is never signed with a key made on the fly.
    var receiptSigner: ReceiptSigner {
        get {
            guard let signer = storage[ReceiptSignerKey.self] else { fatalError("Receipts.start loads the signer") }
            return signer
        }
        set { storage[ReceiptSignerKey.self] = newValue }
    }
}
