import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// The smaller account findings of the outside probe: recovery codes regenerated without the password, `%` and `_`
/// acting as wildcards in the accounts filter, cookies without the `__Host-` prefix, party names in the debug log.
@Suite struct AccountHardeningTests {
    @Test func recoveryCodesRegenerateOnlyAfterThePassword() async throws {
        try await withTestApp { app async throws in
            let made = try await Fixtures.account(app, "kiemsat", roles: [.secretary], mfa: true)
            let client = TestClient(app)
            let signedIn = try await client.login(
                "kiemsat", Fixtures.password, totpSecret: made.totpSecret, at: app.clock.now)
            #expect(signedIn.location == "/")
            let page = try await client.get("/bao-mat")
            #expect(page.body.string.contains("name=\"password\""), "the form asks for the password")
            func codes() async throws -> Int {
                try await RecoveryCode.query(on: app.db).filter(\.$accountID == made.account.id!).count()
            }
            let before = try await codes()
            let none = try await client.post("/bao-mat/ma-khoi-phuc")
            #expect(none.status == .badRequest)
            #expect(none.body.string.contains("Mật khẩu hiện tại không đúng."))
            let wrong = try await client.post("/bao-mat/ma-khoi-phuc", [("password", "sai-roi-123")])
            #expect(wrong.status == .badRequest)
            #expect(try await codes() == before, "no codes without the password")
            #expect(try await Account.find(made.account.id, on: app.db)?.failedLogins == 1, "a wrong one counts")
            let right = try await client.post("/bao-mat/ma-khoi-phuc", [("password", Fixtures.password)])
            #expect(right.status == .ok)
            #expect(try await codes() == before + 10)
        }
    }

    @Test func likeWildcardsInTheAccountsFilterMatchLiterally() async throws {
        #expect(LikePattern.escaped(#"50%_a\b"#) == #"50\%\_a\\b"#)
        try await withTestApp { app async throws in
            let (admin, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            try await Fixtures.account(app, "ng_an", roles: [.secretary], fullName: "Ngô An")
            try await Fixtures.account(app, "ngxan", roles: [.secretary], fullName: "Ngô Xuân An")
            let underscore = try await admin.get("/tai-khoan?q=ng_")
            #expect(underscore.status == .ok)
            #expect(underscore.body.string.contains("ng_an"))
            #expect(!underscore.body.string.contains("ngxan"), "_ is a character, not any character")
            let percent = try await admin.get("/tai-khoan?q=%25")
            #expect(!percent.body.string.contains("ng_an") && !percent.body.string.contains("ngxan"))
            let backslash = try await admin.get("/tai-khoan?q=%5C")
            #expect(backslash.status == .ok)
            #expect(!backslash.body.string.contains("ngxan"))
        }
    }

    @Test func cookiesCarryTheHostPrefixUnderHTTPSAndPlainNamesOverHTTP() async throws {
        let https = SettingsOverride { $0.publicURL = URL(string: "https://thads.example.gov.vn")! }
        try await withTestApp(https) { app async throws in
            _ = try await Fixtures.account(app, "canbo", roles: [.accountant])
            let client = TestClient(app)
            let page = try await client.get("/dang-nhap")
            let csrf = try #require(page.headers[.setCookie].first { $0.hasPrefix("__Host-thads_csrf=") })
            #expect(csrf.contains("Secure") && csrf.contains("Path=/") && !csrf.contains("Domain"))
            let login = try await client.login("canbo", Fixtures.password)
            #expect(login.status == .seeOther)
            let session = try #require(login.headers[.setCookie].first { $0.hasPrefix("__Host-thads_session=") })
            #expect(session.contains("Secure") && session.contains("Path=/") && !session.contains("Domain"))
            #expect(try await client.get("/bao-mat").status == .ok, "the prefixed session cookie is read back")
        }
        try await withTestApp { app async throws in
            let client = TestClient(app)
            let page = try await client.get("/dang-nhap")
            #expect(page.headers[.setCookie].contains { $0.hasPrefix("thads_csrf=") })
        }
    }

    @Test func noPartyDataReachesTheLogAtTraceLevel() async throws {
        try await withTestApp { app async throws in
            let lines = LogLines()
            app.logger = Logger(label: "test") { _ in
                PersonalDataSafeLogHandler(wrapping: CapturingLogHandler(lines: lines))
            }
            app.logger.logLevel = .trace
            let name = "Nguyễn Văn Riêng Tư"
            _ = try await Account.query(on: app.db).filter(\.$fullName == name).all()
            try await app.write(on: app.db) { db in
                try await InstallationFact(key: "probe", value: name).create(on: db)
            }
            let logged = lines.all.joined(separator: "\n")
            #expect(logged.contains("Running query"), "the query log ran at trace level")
            #expect(!logged.contains(name), "\(logged.prefix(500))")
        }
    }
}

/// Keeps every rendered record, message and metadata, for a test to search.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

struct CapturingLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        let rendered = "\(level) \(message) \(metadata ?? [:])"
        lines.append(rendered)
    }
}
