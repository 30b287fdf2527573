import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct LoginTests {
    @Test func refusalsLookTheSameForUnknownWrongAndLocked() async throws {
        try await withTestApp { app async throws in
            let locked = try await Fixtures.account(app, "bikhoa", roles: [.secretary])
            locked.account.status = .locked
            try await locked.account.save(on: app.db)
            _ = try await Fixtures.account(app, "canbo", roles: [.secretary])
            let client = TestClient(app)
            _ = try await client.get("/dang-nhap")
            let unknown = try await client.post(
                "/dang-nhap", [("username", "khongco"), ("password", "Sai-Mat-Khau1!")])
            let wrong = try await client.post("/dang-nhap", [("username", "canbo"), ("password", "Sai-Mat-Khau1!")])
            let lockedResponse = try await client.post(
                "/dang-nhap", [("username", "bikhoa"), ("password", Fixtures.password)])
            #expect(unknown.status == .unauthorized)
            #expect(wrong.status == unknown.status && lockedResponse.status == unknown.status)
            // Each page carries its own one-time submission token; everything else must be the same.
            func page(_ response: TestingHTTPResponse) -> String {
                response.body.string.replacingOccurrences(
                    of: #"name="_once" value="[^"]*""#, with: "", options: .regularExpression)
            }
            #expect(page(wrong) == page(unknown))
            #expect(page(lockedResponse) == page(unknown))
            #expect(client.cookies[SessionStore.cookieName] == nil)
        }
    }

    @Test func fiveFailuresLockForFifteenMinutesThenDouble() async throws {
        try await withTestApp { app async throws in
            let made = try await Fixtures.account(app, "thuky", roles: [.secretary])
            let client = TestClient(app)
            for _ in 1...5 {
                _ = try await client.post("/dang-nhap", [("username", "thuky"), ("password", "sai-roi-123")])
            }
            var account = try #require(try await Account.find(made.account.id, on: app.db))
            let firstLock = try #require(account.lockedUntil).timeIntervalSinceNow
            #expect(firstLock > 14 * 60 && firstLock <= 15 * 60)
            // The right password is refused while locked, with the same answer.
            #expect(try await client.login("thuky", Fixtures.password).status == .unauthorized)
            // Let the lock run out, fail five more times: 30 minutes.
            account.lockedUntil = Date().addingTimeInterval(-1)
            try await account.save(on: app.db)
            for _ in 1...5 {
                _ = try await client.post("/dang-nhap", [("username", "thuky"), ("password", "sai-roi-123")])
            }
            account = try #require(try await Account.find(made.account.id, on: app.db))
            let secondLock = try #require(account.lockedUntil).timeIntervalSinceNow
            #expect(secondLock > 29 * 60 && secondLock <= 30 * 60)
            let lockouts = try await AuditEvent.query(on: app.db).filter(\.$action == "account.lockout").count()
            #expect(lockouts == 2)
        }
    }

    @Test func lockoutNeverExceedsADay() {
        let policy = LockoutPolicy()
        #expect(policy.lockDuration(previousLocks: 0) == 15 * 60)
        #expect(policy.lockDuration(previousLocks: 1) == 30 * 60)
        #expect(policy.lockDuration(previousLocks: 20) == 24 * 3600)
    }

    @Test func perAddressThrottle() async throws {
        try await withTestApp(SettingsOverride { $0.loginAttemptsPerIPPer15Minutes = 3 }) { app async throws in
            _ = try await Fixtures.account(app, "canbo", roles: [.accountant])
            let client = TestClient(app)
            for name in ["a1", "a2", "a3"] {
                _ = try await client.post("/dang-nhap", [("username", name), ("password", "x-y-z-123")])
            }
            // The address is throttled: even the right password is refused, with the same answer.
            let response = try await client.login("canbo", Fixtures.password)
            #expect(response.status == .unauthorized)
            #expect(client.cookies[SessionStore.cookieName] == nil)
        }
    }

    @Test func loginFailureAndSuccessAreAudited() async throws {
        try await withTestApp { app async throws in
            _ = try await Fixtures.account(app, "canbo", roles: [.accountant])
            let client = TestClient(app)
            _ = try await client.post("/dang-nhap", [("username", "canbo"), ("password", "sai-sai-123")])
            _ = try await client.login("canbo", Fixtures.password)
            _ = try await client.post("/dang-xuat")
            let actions = try await AuditEvent.query(on: app.db).sort(\.$seq).all().map(\.action)
            #expect(actions.contains("login.failure"))
            #expect(actions.contains("login.success"))
            #expect(actions.contains("logout"))
        }
    }

    @Test func pendingGateSendsToPasswordChangeAndBlocksOtherPages() async throws {
        try await withTestApp { app async throws in
            _ = try await Fixtures.account(app, "moi", roles: [.verifier], mustChangePassword: true)
            let client = TestClient(app)
            _ = try await client.login("moi", Fixtures.password)
            #expect(try await client.get("/phien").location == "/mat-khau/doi")
            #expect(try await client.post("/bao-mat/bao-lo").status == .forbidden)
        }
    }

    @Test func externalAccountPastItsEndDateCannotLogIn() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.unit(app, code: "01")
            _ = try await Fixtures.account(
                app, "ngoai", class: .externalUser, roles: [.externalReader],
                externalValidUntil: app.clock.today.adding(days: -1), grants: [unit.id!])
            _ = try await Fixtures.account(
                app, "ngoai2", class: .externalUser, roles: [.externalReader],
                externalValidUntil: app.clock.today.adding(days: 30), grants: [unit.id!])
            #expect(try await TestClient(app).login("ngoai", Fixtures.password).status == .unauthorized)
            #expect(try await TestClient(app).login("ngoai2", Fixtures.password).status == .seeOther)
        }
    }

    @Test func openRedirectAfterLoginIsIgnored() async throws {
        try await withTestApp { app async throws in
            _ = try await Fixtures.account(app, "canbo", roles: [.accountant])
            let client = TestClient(app)
            let response = try await client.post(
                "/dang-nhap", [("username", "canbo"), ("password", Fixtures.password), ("tiep", "//evil.example/x")])
            #expect(response.location == "/")
            // The outside probe's `tiep=/%09/evil.example` arrives as "/<tab>/evil.example": a browser drops the tab.
            let tab = TestClient(app)
            let tabbed = try await tab.post(
                "/dang-nhap", [("username", "canbo"), ("password", Fixtures.password), ("tiep", "/\t/evil.example")])
            #expect(tabbed.location == "/")
        }
    }

    @Test(arguments: [
        "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "/ /evil.example",
        "https://evil.example", "evil.example", "/\u{200B}/evil.example", "/\u{202E}x", "",
    ])
    func aReturnAddressOffTheSiteIsRefused(_ address: String) {
        #expect(AuthController.safeNext(address) == nil, "\(address.debugDescription)")
    }

    @Test func aReturnAddressOnTheSiteIsKept() {
        for address in ["/", "/ho-so?cach-tim=whole&ten=Nguy%E1%BB%85n", "/tai-khoan/abc", "/ho-so/1?tab=lich-su"] {
            #expect(AuthController.safeNext(address) == address)
        }
    }
}
