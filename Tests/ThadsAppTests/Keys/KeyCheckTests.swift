import Crypto
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import ThadsApp

/// A start with another installation's key file stops with a message instead of storing or reading ID numbers
/// under the wrong key.
@Suite struct KeyCheckTests {
    @Test func theDatabaseKeepsItsKeyFingerprintAndRefusesAnotherKey() async throws {
        try await withTestApp { app async throws in
            let own = app.keys
            let stored = try await InstallationFact.find(KeyCheck.factKey, on: app.db)
            #expect(stored?.value == own.fingerprint, "stored at the first start")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "keys.bound").count() == 1)
            try await KeyCheck.verify(app)

            app.keys = KeyStore(master: SymmetricKey(size: .bits256), keyID: "khac")
            #expect(app.keys.fingerprint != own.fingerprint)
            do {
                try await KeyCheck.verify(app)
                Issue.record("another installation's key was accepted")
            } catch let invalid as AppSettings.Invalid {
                #expect(invalid.variable == "THADS_DATA_DIR")
                #expect(invalid.description.contains("không phải khóa của cơ sở dữ liệu này"))
            }

            // A rotation adds a key after the first: the fingerprint, and the check, stay the same.
            app.keys = KeyStore(
                keys: own.keys + [KeyStore.Key(id: "moi", material: SymmetricKey(size: .bits256))])
            #expect(app.keys.fingerprint == own.fingerprint)
            try await KeyCheck.verify(app)
            app.keys = own
        }
    }
}
