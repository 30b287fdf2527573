import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct PasswordAndSessionTests {
    @Test func noTruncationAfterByte72() throws {
        let hasher = PasswordHasher(rounds: 1_000)
        let prefix = String(repeating: "Đường-dài-", count: 10)  // > 72 bytes of UTF-8
        #expect(prefix.utf8.count > 72)
        let stored = try hasher.hash(prefix + "A")
        #expect(hasher.verify(prefix + "A", against: stored))
        #expect(!hasher.verify(prefix + "B", against: stored))
    }

    @Test func nfcAndNFDVerifyTheSame() throws {
        let hasher = PasswordHasher(rounds: 1_000)
        let stored = try hasher.hash("Mật-khẩu-Đức-2026")
        #expect(hasher.verify("Mật-khẩu-Đức-2026".decomposedStringWithCanonicalMapping, against: stored))
    }

    @Test func productionRoundsMeetOWASP() {
        #expect(PasswordHasher.productionRounds >= 600_000)
    }

    @Test func changeRefusesPolicyViolationsAndReuse() async throws {
        try await withTestApp { app async throws in
            let (client, made) = try await Fixtures.signedIn(app, "canbo", roles: [.accountant])
            let short = try await client.post(
                "/mat-khau/doi", [("current", Fixtures.password), ("new", "abc"), ("confirm", "abc")])
            #expect(short.status == .badRequest)
            #expect(short.body.string.contains("ít nhất 8 ký tự"))
            let reused = try await client.post(
                "/mat-khau/doi",
                [("current", Fixtures.password), ("new", Fixtures.password), ("confirm", Fixtures.password)])
            #expect(reused.body.string.contains("Không được dùng lại"))
            var current = Fixtures.password
            for index in 1...5 {
                let next = "Bau-Troi-Xanh-\(index)x"
                let response = try await client.post(
                    "/mat-khau/doi", [("current", current), ("new", next), ("confirm", next)])
                #expect(response.status == .seeOther, "change \(index)")
                current = next
            }
            // The original is now six changes back: allowed again; the one before last is not.
            let recent = try await client.post(
                "/mat-khau/doi", [("current", current), ("new", "Bau-Troi-Xanh-2x"), ("confirm", "Bau-Troi-Xanh-2x")])
            #expect(recent.status == .badRequest)
            let old = try await client.post(
                "/mat-khau/doi", [("current", current), ("new", Fixtures.password), ("confirm", Fixtures.password)])
            #expect(old.status == .seeOther)
            _ = made
        }
    }

    @Test func passwordChangeEndsOtherSessions() async throws {
        try await withTestApp { app async throws in
            let (first, _) = try await Fixtures.signedIn(app, "canbo", roles: [.accountant])
            let second = TestClient(app)
            _ = try await second.login("canbo", Fixtures.password)
            #expect(try await second.get("/phien").status == .ok)
            _ = try await first.post(
                "/mat-khau/doi",
                [("current", Fixtures.password), ("new", "Hoa-Sen-Trang-9"), ("confirm", "Hoa-Sen-Trang-9")])
            #expect(try await second.get("/phien").location?.hasPrefix("/dang-nhap") == true)
            #expect(try await first.get("/phien").status == .ok, "the changing session continues under a new id")
        }
    }

    @Test func expiredPasswordForcesChange() async throws {
        try await withTestApp { app async throws in
            let made = try await Fixtures.account(app, "canbo", roles: [.accountant])
            made.account.passwordChangedAt = Date().addingTimeInterval(-181 * 86400)
            try await made.account.save(on: app.db)
            let client = TestClient(app)
            _ = try await client.login("canbo", Fixtures.password)
            #expect(try await client.get("/").location == "/mat-khau/doi")
        }
    }

    @Test func expiringSoonShowsABanner() async throws {
        try await withTestApp { app async throws in
            let made = try await Fixtures.account(app, "canbo", roles: [.accountant])
            made.account.passwordChangedAt = Date().addingTimeInterval(-170 * 86400)
            try await made.account.save(on: app.db)
            let client = TestClient(app)
            _ = try await client.login("canbo", Fixtures.password)
            #expect(try await client.get("/").body.string.contains("sẽ hết hạn sau"))
        }
    }

    @Test func idleSessionEnds() async throws {
        try await withTestApp { app async throws in
            let (client, made) = try await Fixtures.signedIn(app, "canbo", roles: [.accountant])
            let session = try #require(
                try await UserSession.query(on: app.db).filter(\.$accountID == made.account.id!).filter(
                    \.$endedAt == nil
                ).first())
            session.lastSeenAt = Date().addingTimeInterval(-31 * 60)
            try await session.save(on: app.db)
            #expect(try await client.get("/phien").location?.hasPrefix("/dang-nhap") == true)
            let ended = try #require(try await UserSession.find(session.id, on: app.db))
            #expect(ended.endReason == "hết thời gian")
        }
    }

    @Test func adminIdleLimitIsFifteenMinutesAndAbsoluteTwelveHours() {
        let policy = SessionPolicy()
        let now = Date()
        #expect(policy.isExpired(createdAt: now, lastSeenAt: now.addingTimeInterval(-16 * 60), now: now, isAdmin: true))
        #expect(
            !policy.isExpired(createdAt: now, lastSeenAt: now.addingTimeInterval(-16 * 60), now: now, isAdmin: false))
        #expect(
            policy.isExpired(
                createdAt: now.addingTimeInterval(-12 * 3600 - 1), lastSeenAt: now, now: now, isAdmin: false))
    }

    @Test func loginIssuesANewSessionIdEachTime() async throws {
        try await withTestApp { app async throws in
            _ = try await Fixtures.account(app, "canbo", roles: [.accountant])
            let client = TestClient(app)
            _ = try await client.login("canbo", Fixtures.password)
            let first = client.cookies[SessionStore.cookieName]
            _ = try await client.login("canbo", Fixtures.password)
            #expect(client.cookies[SessionStore.cookieName] != first)
        }
    }

    @Test func userSeesAndEndsOwnSessions() async throws {
        try await withTestApp { app async throws in
            let (client, made) = try await Fixtures.signedIn(app, "canbo", roles: [.accountant])
            let other = TestClient(app)
            _ = try await other.login("canbo", Fixtures.password)
            let page = try await client.get("/phien")
            #expect(page.body.string.contains("Phiên hiện tại"))
            let otherSession = try #require(
                try await UserSession.query(on: app.db).filter(\.$accountID == made.account.id!).filter(
                    \.$endedAt == nil
                )
                .sort(\.$createdAt, .descending).first())
            #expect(try await client.post("/phien/\(otherSession.id!.uuidString)/ket-thuc").status == .seeOther)
            #expect(try await other.get("/phien").location?.hasPrefix("/dang-nhap") == true)
        }
    }

    @Test func reportingCompromiseLocksAndEndsEverySession() async throws {
        try await withTestApp { app async throws in
            let (client, made) = try await Fixtures.signedIn(app, "canbo", roles: [.accountant])
            let other = TestClient(app)
            _ = try await other.login("canbo", Fixtures.password)
            #expect(try await client.post("/bao-mat/bao-lo").status == .ok)
            #expect(try await other.get("/phien").location?.hasPrefix("/dang-nhap") == true)
            let account = try #require(try await Account.find(made.account.id, on: app.db))
            #expect(account.status == .locked)
            #expect(try await TestClient(app).login("canbo", Fixtures.password).status == .unauthorized)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "account.compromiseReported").count() == 1)
        }
    }
}
