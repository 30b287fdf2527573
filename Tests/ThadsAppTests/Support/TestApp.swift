import Fluent
import Foundation
import NIOCore
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Runs a test against a fresh application: a new SQLite file, or — when TEST_DATABASE_URL is set —
/// a new schema in that PostgreSQL database, so the same suite runs on both.
/// A change to the test settings, e.g. `SettingsOverride { $0.maxRequestBodyBytes = 2048 }`.
struct SettingsOverride {
    let apply: (inout AppSettings) -> Void
}

func withTestApp(_ body: (Application) async throws -> Void) async throws {
    try await withTestApp(SettingsOverride { _ in }, body)
}

func withTestApp(_ override: SettingsOverride, _ body: (Application) async throws -> Void) async throws {
    // Swift Testing runs every test at once; PostgreSQL's default 100 connections would run out.
    await TestSlots.shared.acquire()
    defer { Task { await TestSlots.shared.release() } }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("thads-test-" + UUID().uuidString)
        .path
    var settings = try AppSettings.fromEnvironment([:])
    settings.dataDirectory = directory
    settings.passwordHashRounds = 1_000
    settings.logLevel = .warning
    settings.runsBackgroundJobs = false
    settings.operations.scheduled = false
    // Dozens of tests run at once; keep each one's PostgreSQL pool small.
    settings.databasePoolSize = 1
    let postgresURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    settings.databaseURL = postgresURL
    override.apply(&settings)
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
    let app = try await Application.make(.testing)
    do {
        try await configure(
            app, settings: settings, postgresSearchPath: postgresURL == nil ? nil : [schema], createFirstAdmin: false)
        app.captureSecretMail()
        try await body(app)
    } catch {
        // PostgreSQL errors hide their details unless reflected; show them in the test report.
        Issue.record("\(String(reflecting: error))")
        try? await cleanUp(app, schema: postgresURL == nil ? nil : schema, directory: directory)
        throw error
    }
    try await cleanUp(app, schema: postgresURL == nil ? nil : schema, directory: directory)
}

private func cleanUp(_ app: Application, schema: String?, directory: String) async throws {
    if let schema, let sql = try? app.db.sql {
        try? await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
    }
    try await app.asyncShutdown()
    try? FileManager.default.removeItem(atPath: directory)
}

var isPostgres: Bool { ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].map { !$0.isEmpty } ?? false }

/// A browser stand-in: keeps cookies, follows nothing automatically, and finds CSRF tokens in pages.
final class TestClient: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var headers: HTTPHeaders = [:]
    private var cachedToken: String?
    private var tokenSessionCookie: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, body: nil)
    }

    /// Posts a form with the current CSRF token (fetched from a page when not known yet).
    @discardableResult
    func post(_ path: String, _ form: [(String, String)] = [], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if csrf { fields.append(("_csrf", try await token())) }
        return try await send(.POST, path, body: Self.encode(fields))
    }

    func token() async throws -> String {
        if let cachedToken, tokenSessionCookie == cookies[SessionStore.cookieName] { return cachedToken }
        let page = try await get(cookies[SessionStore.cookieName] == nil ? "/dang-nhap" : "/mat-khau/doi")
        guard let token = Self.csrfToken(in: page.body.string) else {
            Issue.record("no CSRF token on the page")
            return ""
        }
        return token
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else {
            return nil
        }
        let match = String(html[range])
        return match.components(separatedBy: "value=\"").last.map { String($0.dropLast()) }
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return fields.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }

    /// Posts a multipart form with one file, as a browser's file input does.
    @discardableResult
    func upload(_ path: String, file: Data, fileName: String, fields: [(String, String)] = []) async throws
        -> TestingHTTPResponse
    {
        let boundary = "----thads-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields + [("_csrf", try await token())] {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n"
                    .utf8))
        body.append(Data("Content-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        // Upload routes read the token from the URL, before the body (see `CSRF.uploadAction`).
        let action = path.contains("?") ? path : CSRF.uploadAction(path, token: try await token())
        return try await send(
            .POST, action, buffer: ByteBuffer(data: body), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> TestingHTTPResponse {
        try await send(
            method, path, buffer: ByteBuffer(string: body ?? ""),
            contentType: body == nil ? nil : "application/x-www-form-urlencoded")
    }

    func send(_ method: HTTPMethod, _ path: String, buffer: ByteBuffer, contentType: String?) async throws
        -> TestingHTTPResponse
    {
        var requestHeaders = headers
        if !cookies.isEmpty {
            requestHeaders.replaceOrAdd(
                name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let contentType { requestHeaders.replaceOrAdd(name: .contentType, value: contentType) }
        let request = TestingHTTPRequest(
            method: method, url: URI(path: path), headers: requestHeaders, body: buffer)
        let response = try await app.testing().performTest(request: request)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count >= 1 else { continue }
            let value = parts.count == 2 ? parts[1] : ""
            if value.isEmpty || header.lowercased().contains("max-age=0") {
                cookies.removeValue(forKey: parts[0])
            } else {
                cookies[parts[0]] = value
            }
        }
        if let token = Self.csrfToken(in: response.body.string) {
            cachedToken = token
            tokenSessionCookie = cookies[SessionStore.cookieName]
        }
        return response
    }

    /// Signs in with a password and, when given, the TOTP secret; returns the final response.
    @discardableResult
    func login(_ username: String, _ password: String, totpSecret: [UInt8]? = nil, at date: Date = Date()) async throws
        -> TestingHTTPResponse
    {
        var response = try await post("/dang-nhap", [("username", username), ("password", password)])
        if let totpSecret, response.headers.first(name: .location) == "/mfa" {
            response = try await post("/mfa", [("code", TOTP(secret: totpSecret).code(at: date))])
        }
        return response
    }
}

extension TestingHTTPResponse {
    var location: String? { headers.first(name: .location) }
}

/// At most `limit` applications exist at a time across the test run.
actor TestSlots {
    static let shared = TestSlots(limit: 12)
    private let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
