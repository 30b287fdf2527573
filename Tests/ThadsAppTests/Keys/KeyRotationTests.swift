import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct KeyRotationTests {
    @Test func rotationReencryptsEverySecretAndKeepsLookupsWorking() async throws {
        try await withTestApp { app async throws in
            let head = try await Fixtures.account(app, "lanhdao", unit: "01", roles: [.head])
            let plainID = try app.keys.decrypt(head.account.nationalIDCipher, purpose: "national-id")
            let oldKeyID = app.keys.keyID
            let indexBefore = app.keys.blindIndex(plainID, purpose: "national-id")

            app.keys = try KeyStore.addKey(directory: app.settings.keysDirectory)
            #expect(app.keys.keyID != oldKeyID)
            #expect(app.keys.keys.count == 2)
            let count = try await KeyRotation.reencryptAll(app, batchSize: 1)
            #expect(count >= 2, "national ID and TOTP secret")

            let account = try #require(try await Account.find(head.account.id, on: app.db))
            #expect(app.keys.isCurrent(account.nationalIDCipher))
            #expect(app.keys.isCurrent(try #require(account.mfaSecretCipher)))
            #expect(try app.keys.decrypt(account.nationalIDCipher, purpose: "national-id") == plainID)
            #expect(app.keys.blindIndex(plainID, purpose: "national-id") == indexBefore, "lookups survive rotation")
            // The second factor still works after rotation.
            #expect(
                try await TestClient(app).login("lanhdao", Fixtures.password, totpSecret: head.totpSecret).location
                    == "/")
            // A rerun finds nothing left to do.
            #expect(try await KeyRotation.reencryptAll(app) == 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "keys.rotated").count() == 2)
        }
    }

    @Test func nationalIDIsNotStoredInClear() async throws {
        try await withTestApp { app async throws in
            let made = try await Fixtures.account(app, "canbo", roles: [.secretary])
            let plain = try app.keys.decrypt(made.account.nationalIDCipher, purpose: "national-id")
            let stored = try #require(try await Account.find(made.account.id, on: app.db))
            #expect(!stored.nationalIDCipher.contains(plain))
            #expect(!stored.nationalIDIndex.contains(plain))
        }
    }

    @Test func keyFileIsPrivate() async throws {
        try await withTestApp { app async throws in
            let attributes = try FileManager.default.attributesOfItem(
                atPath: KeyStore.fileURL(directory: app.settings.keysDirectory))
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }
}
