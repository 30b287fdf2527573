import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// The login counters under parallel requests, as the outside probe sent them: 20 simultaneous wrong passwords left
/// a count of 2 and no lock; 60 logins from one address were all processed; 30 wrong TOTP codes locked nothing; one
/// recovery code let 6 of 8 sessions in. Each counter now changes in one conditional statement.
@Suite struct ParallelLoginTests {
    /// Clients that already hold a browser cookie and a CSRF token, so that their posts can go out together.
    static func clients(_ app: Application, count: Int) async throws -> [TestClient] {
        var clients: [TestClient] = []
        for _ in 0..<count {
            let client = TestClient(app)
            _ = try await client.token()
            clients.append(client)
        }
        return clients
    }

    static func together(
        _ clients: [TestClient], _ send: @escaping @Sendable (Int, TestClient) async throws -> TestingHTTPResponse
    ) async throws -> [TestingHTTPResponse] {
        try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
            for (index, client) in clients.enumerated() { group.addTask { try await send(index, client) } }
            var responses: [TestingHTTPResponse] = []
            for try await response in group { responses.append(response) }
            return responses
        }
    }

    static func failures(_ app: Application, _ summary: String) async throws -> Int {
        try await AuditEvent.query(on: app.db).filter(\.$action == "login.failure").filter(\.$summary == summary)
            .count()
    }

    @Test func twentyParallelWrongPasswordsLockTheAccount() async throws {
        try await withTestApp { app async throws in
            let made = try await Fixtures.account(app, "canbo", roles: [.secretary])
            let clients = try await Self.clients(app, count: 20)
            let responses = try await Self.together(clients) { _, client in
                try await client.post("/dang-nhap", [("username", "canbo"), ("password", "sai-roi-123")])
            }
            #expect(responses.allSatisfy { $0.status == .unauthorized })
            let account = try #require(try await Account.find(made.account.id, on: app.db))
            #expect(account.lockCount == 1, "locked once, by the fifth failure")
            let lock = try #require(account.lockedUntil).timeIntervalSince(app.clock.now)
            #expect(lock > 14 * 60 && lock <= 15 * 60)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.lockout").count() == 1)
            #expect(try await Self.failures(app, "wrongPassword") == 5, "five counted; the rest met the lock")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "login.failure").count() == 20)
            #expect(try await TestClient(app).login("canbo", Fixtures.password).status == .unauthorized)
        }
    }

    @Test func sixtyParallelLoginsFromOneAddressAreThrottledExactlyAtTheLimit() async throws {
        try await withTestApp { app async throws in
            let limit = app.settings.loginAttemptsPerIPPer15Minutes
            #expect(limit == 30)
            let clients = try await Self.clients(app, count: 60)
            let hashesBefore = app.hashCounter.count
            let responses = try await Self.together(clients) { index, client in
                try await client.post("/dang-nhap", [("username", "khongco\(index)"), ("password", "x-y-z-123")])
            }
            #expect(responses.allSatisfy { $0.status == .unauthorized })
            #expect(try await Self.failures(app, "unknown") == limit)
            #expect(try await Self.failures(app, "throttled") == 60 - limit)
            #expect(app.hashCounter.count - hashesBefore == limit, "only admitted logins hash")
        }
    }

    @Test func aThrottledLoginDoesNoHashing() async throws {
        try await withTestApp(SettingsOverride { $0.loginAttemptsPerIPPer15Minutes = 3 }) { app async throws in
            _ = try await Fixtures.account(app, "canbo", roles: [.accountant])
            let client = TestClient(app)
            var count = app.hashCounter.count
            _ = try await client.post("/dang-nhap", [("username", "a1"), ("password", "x-y-z-123")])
            #expect(app.hashCounter.count == count + 1, "an admitted login hashes once")
            for name in ["a2", "a3"] {
                _ = try await client.post("/dang-nhap", [("username", name), ("password", "x-y-z-123")])
            }
            count = app.hashCounter.count
            let throttled = try await client.login("canbo", Fixtures.password)
            #expect(throttled.status == .unauthorized)
            #expect(app.hashCounter.count == count, "a throttled login hashes nothing")
            #expect(try await Self.failures(app, "throttled") == 1)
        }
    }

    @Test func aSuccessfulLoginGivesItsAttemptBack() async throws {
        try await withTestApp(SettingsOverride { $0.loginAttemptsPerIPPer15Minutes = 2 }) { app async throws in
            _ = try await Fixtures.account(app, "canbo", roles: [.accountant])
            for _ in 0..<4 {
                let client = TestClient(app)
                #expect(try await client.login("canbo", Fixtures.password).status == .seeOther)
            }
        }
    }

    @Test func thirtyParallelWrongTOTPCodesLockTheAccount() async throws {
        try await withTestApp { app async throws in
            let made = try await Fixtures.account(app, "kiemsat", roles: [.secretary], mfa: true)
            let secret = try #require(made.totpSecret)
            let clients = try await Self.clients(app, count: 30)
            for client in clients {
                let response = try await client.post(
                    "/dang-nhap", [("username", "kiemsat"), ("password", Fixtures.password)])
                #expect(response.location == "/mfa")
            }
            let now = app.clock.now
            let valid = Set((-2...2).map { TOTP(secret: secret).code(at: now.addingTimeInterval(Double($0) * 30)) })
            let wrong = (0..<1_000_000).lazy.map { String(format: "%06d", $0) }.first { !valid.contains($0) }!
            let responses = try await Self.together(clients) { _, client in
                try await client.post("/mfa", [("code", wrong)])
            }
            #expect(!responses.contains { $0.location == "/" }, "no wrong code passes")
            let account = try #require(try await Account.find(made.account.id, on: app.db))
            #expect(account.lockCount == 1)
            #expect((account.lockedUntil ?? .distantPast) > app.clock.now)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.lockout").count() == 1)
            #expect(try await Self.failures(app, "wrongSecondFactor") == 5)
            let open = try await UserSession.query(on: app.db).filter(\.$accountID == made.account.id!)
                .filter(\.$endedAt == nil).count()
            #expect(open == 0, "the lock ends every session")
        }
    }

    @Test func eightParallelUsesOfOneRecoveryCodeAdmitOneSession() async throws {
        try await withTestApp { app async throws in
            let made = try await Fixtures.account(app, "kiemsat", roles: [.secretary], mfa: true)
            let code = RecoveryCodes.generate(count: 1)[0]
            let stored = RecoveryCode(
                accountID: made.account.id!,
                codeHash: app.keys.blindIndex(RecoveryCodes.normalize(code), purpose: "recovery"))
            try await stored.create(on: app.db)
            let clients = try await Self.clients(app, count: 8)
            for client in clients {
                let response = try await client.post(
                    "/dang-nhap", [("username", "kiemsat"), ("password", Fixtures.password)])
                #expect(response.location == "/mfa")
            }
            let responses = try await Self.together(clients) { _, client in
                try await client.post("/mfa", [("code", code)])
            }
            #expect(responses.filter { $0.location == "/" }.count == 1, "\(responses.map(\.status))")
            let passed = try await UserSession.query(on: app.db).filter(\.$accountID == made.account.id!)
                .filter(\.$mfaPassed == true).count()
            #expect(passed == 1)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "mfa.recoveryCodeUsed").count() == 1)
            #expect(try await RecoveryCode.find(stored.id, on: app.db)?.usedAt != nil)
        }
    }
}
