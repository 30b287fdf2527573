import Foundation
import Testing
import VaporTesting

@testable import ThadsApp

/// TLS_CERT_FILE / TLS_KEY_FILE make the server answer HTTPS itself; TLS_CLIENT_CA_FILE requires client certificates.
/// Certificates are made by the openssl CLI in the test, requests are made by curl: a real TLS handshake each.
@Suite struct ServerTLSTests {
    struct Files {
        let directory: String
        var cert: String { directory + "/server.pem" }
        var key: String { directory + "/server.key" }
        var ca: String { directory + "/ca.pem" }
        var clientCert: String { directory + "/client.pem" }
        var clientKey: String { directory + "/client.key" }
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A self-signed server certificate for 127.0.0.1, and a CA that issued one client certificate.
    static func makeFiles() throws -> Files {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("thads-tls-" + UUID().uuidString)
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"]
        let steps: [[String]] = [
            ["openssl", "req", "-x509"] + ec + [
                "-keyout", "server.key", "-out", "server.pem", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],
            ["openssl", "req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=THADS test CA"],
            ["openssl", "req"] + ec.dropLast(2) + ["-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=ndxp"],
            [
                "openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client.pem", "-days", "1",
            ],
        ]
        for step in steps {
            let result = try run(step, in: directory)
            #expect(result.status == 0, "\(step.joined(separator: " "))")
        }
        return Files(directory: directory)
    }

    /// curl's HTTP status ("000" when the connection or the handshake failed). curl runs on a dispatch thread: waiting
    /// for it on the cooperative pool would starve the server's own handlers of threads on a small machine.
    static func curl(_ url: String, files: Files, clientCertificate: Bool = false) async throws -> String {
        var arguments = [
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "--cacert", files.cert,
        ]
        if clientCertificate { arguments += ["--cert", files.clientCert, "--key", files.clientKey] }
        let command = arguments + [url]
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(command, in: files.directory).output })
            }
        }
    }

    @Test func theServerAnswersHTTPSWithTheConfiguredCertificate() async throws {
        let files = try Self.makeFiles()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        try await withTestApp(
            SettingsOverride {
                $0.tlsCertificateFile = files.cert
                $0.tlsKeyFile = files.key
            }
        ) { app async throws in
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            #expect(try await Self.curl("https://127.0.0.1:\(port)/readyz", files: files) == "200")
            #expect(try await Self.curl("http://127.0.0.1:\(port)/readyz", files: files) != "200", "no plain HTTP")
            await app.server.shutdown()
        }
    }

    @Test func withAClientCAEveryConnectionNeedsACertificateItIssued() async throws {
        let files = try Self.makeFiles()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        try await withTestApp(
            SettingsOverride {
                $0.tlsCertificateFile = files.cert
                $0.tlsKeyFile = files.key
                $0.tlsClientCAFile = files.ca
            }
        ) { app async throws in
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let url = "https://127.0.0.1:\(port)/readyz"
            #expect(try await Self.curl(url, files: files) == "000", "refused without a client certificate")
            #expect(try await Self.curl(url, files: files, clientCertificate: true) == "200")
            await app.server.shutdown()
        }
    }

    @Test func missingOrUnpairedFilesAreRefusedInVietnameseNamingTheVariable() throws {
        func refusal(_ env: [String: String]) -> AppSettings.Invalid? {
            do {
                _ = try AppSettings.fromEnvironment(env)
                return nil
            } catch {
                return error as? AppSettings.Invalid
            }
        }
        let missing = refusal(["TLS_CERT_FILE": "/khong/co/server.pem", "TLS_KEY_FILE": "/khong/co/server.key"])
        #expect(missing?.variable == "TLS_CERT_FILE")
        #expect(missing?.description.contains("không đọc được tệp “/khong/co/server.pem”") == true)
        let files = try Self.makeFiles()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        #expect(refusal(["TLS_CERT_FILE": files.cert])?.variable == "TLS_KEY_FILE")
        #expect(refusal(["TLS_CLIENT_CA_FILE": files.ca])?.variable == "TLS_CLIENT_CA_FILE")
        #expect(refusal(["TLS_CERT_FILE": files.cert, "TLS_KEY_FILE": files.key]) == nil)
        // Readable but not a key: the start fails with the variable's name.
        var settings = try AppSettings.fromEnvironment(["TLS_CERT_FILE": files.cert, "TLS_KEY_FILE": files.cert])
        #expect(throws: AppSettings.Invalid.self) { try ServerTLS.configuration(settings) }
        settings.tlsKeyFile = files.key
        #expect(try ServerTLS.configuration(settings) != nil)
    }
}
