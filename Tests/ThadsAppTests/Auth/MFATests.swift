import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct MFATests {
    @Test func totpCodeIsAcceptedOnlyOnce() async throws {
        try await withTestApp { app async throws in
            let made = try await Fixtures.account(app, "lanhdao", roles: [.head])
            let secret = try #require(made.totpSecret)
            let now = Date()
            let first = TestClient(app)
            #expect(try await first.login("lanhdao", Fixtures.password, totpSecret: secret, at: now).location == "/")
            // The same code again, from another browser: refused (replay).
            let second = TestClient(app)
            _ = try await second.post("/dang-nhap", [("username", "lanhdao"), ("password", Fixtures.password)])
            let replay = try await second.post("/mfa", [("code", TOTP(secret: secret).code(at: now))])
            #expect(replay.status == .unauthorized)
            #expect(try await second.get("/").location == "/mfa")
        }
    }

    @Test func headOfAgencyMustHaveMFA() async throws {
        try await withTestApp { app async throws in
            _ = try await Fixtures.account(app, "lanhdao", roles: [.head], mfa: false)
            let client = TestClient(app)
            _ = try await client.login("lanhdao", Fixtures.password)
            #expect(try await client.get("/").location == "/mfa/dang-ky")
        }
    }

    @Test func recoveryCodeWorksOnceAndEnrolmentIsAudited() async throws {
        try await withTestApp { app async throws in
            _ = try await Fixtures.account(app, "canbo", roles: [.accountant])
            let client = TestClient(app)
            _ = try await client.login("canbo", Fixtures.password)
            _ = try await client.get("/mfa/dang-ky")
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == "canbo").first())
            let cipher = try #require(account.mfaSecretCipher)
            let secret = try #require(Base32.decode(try app.keys.decrypt(cipher, purpose: "mfa")))
            // A wrong code is refused with a message next to the field.
            let wrong = try await client.post("/mfa/dang-ky", [("code", "000000")])
            #expect(wrong.status == .badRequest)
            #expect(wrong.body.string.contains("field-error"))
            let page = try await client.post("/mfa/dang-ky", [("code", TOTP(secret: secret).code(at: Date()))])
            let codes = page.body.string.components(separatedBy: "<li><code>").dropFirst().compactMap {
                $0.components(separatedBy: "</code>").first
            }
            #expect(codes.count == 10)
            let stored = try await RecoveryCode.query(on: app.db).filter(\.$accountID == account.id!).all()
            #expect(stored.count == 10)
            #expect(!stored.contains { codes.contains($0.codeHash) }, "codes are stored hashed")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "mfa.enrolled").count() == 1)

            let other = TestClient(app)
            _ = try await other.post("/dang-nhap", [("username", "canbo"), ("password", Fixtures.password)])
            #expect(try await other.post("/mfa", [("code", codes[0])]).location == "/")
            let again = TestClient(app)
            _ = try await again.post("/dang-nhap", [("username", "canbo"), ("password", Fixtures.password)])
            #expect(try await again.post("/mfa", [("code", codes[0])]).status == .unauthorized)
        }
    }
}
