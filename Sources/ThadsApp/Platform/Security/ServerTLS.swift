import Foundation
import NIOSSL
import Vapor

/// HTTPS answered by the app itself (H2, in transit), for an installation without a reverse proxy or for mutual TLS
/// with the integration platform: the certificate and key of TLS_CERT_FILE / TLS_KEY_FILE, TLS 1.2 or later, and
/// with TLS_CLIENT_CA_FILE a client certificate issued by one of its CAs required on every connection.
enum ServerTLS {
    /// nil when the settings name no certificate (plain HTTP behind a proxy). A file that is not PEM fails the start
    /// with the variable's name, as the settings' own checks do.
    static func configuration(_ settings: AppSettings) throws -> TLSConfiguration? {
        guard let certificateFile = settings.tlsCertificateFile, let keyFile = settings.tlsKeyFile else { return nil }
        let chain = try certificates(certificateFile, variable: "TLS_CERT_FILE")
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw AppSettings.Invalid(
                variable: "TLS_KEY_FILE", message: "tệp “\(keyFile)” không phải khóa riêng dạng PEM đọc được")
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        if let caFile = settings.tlsClientCAFile {
            tls.trustRoots = .certificates(try certificates(caFile, variable: "TLS_CLIENT_CA_FILE"))
            // A client is not a host name: its certificate's chain is checked, not its name.
            tls.certificateVerification = .noHostnameVerification
        }
        return tls
    }

    private static func certificates(_ file: String, variable: String) throws -> [NIOSSLCertificate] {
        let read = try? NIOSSLCertificate.fromPEMFile(file)
        guard let read, !read.isEmpty else {
            throw AppSettings.Invalid(variable: variable, message: "tệp “\(file)” không chứa chứng thư PEM đọc được")
        }
        return read
    }
}
