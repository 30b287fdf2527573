import Fluent
import Vapor

/// Refuses to start with a key file that is not this database's. With another installation's keys (a wrong
/// `THADS_DATA_DIR`, a key file restored from elsewhere) every encrypted ID number would fail to read and every
/// blind-index search would find nothing, and an import would store ID numbers no one could read later; nothing
/// would say why. The database keeps the key store's fingerprint from its first start and each start compares.
enum KeyCheck {
    static let factKey = "key_fingerprint"

    static func verify(_ app: Application) async throws {
        let fingerprint = app.keys.fingerprint
        if let stored = try await InstallationFact.find(factKey, on: app.db) {
            return try compare(stored.value, fingerprint)
        }
        do {
            try await app.write(on: app.db) { db in
                try await InstallationFact(key: factKey, value: fingerprint).create(on: db)
                try await AuditLog.record(
                    AuditEntry(
                        action: "keys.bound", objectType: "keyStore", objectID: app.keys.keys.first?.id,
                        summary: "Cơ sở dữ liệu gắn với khóa \(app.keys.keys.first?.id ?? "")"),
                    actor: .system, at: app.clock.now, on: db)
            }
        } catch {
            // Another instance starting on the same database stored its fingerprint first.
            guard let stored = try await InstallationFact.find(factKey, on: app.db) else { throw error }
            try compare(stored.value, fingerprint)
        }
    }

    private static func compare(_ stored: String, _ fingerprint: String) throws {
        guard stored == fingerprint else {
            throw AppSettings.Invalid(
                variable: "THADS_DATA_DIR",
                message:
                    "khóa mã hóa (tệp keys/master.key hoặc THADS_MASTER_KEY) không phải khóa của cơ sở dữ liệu này; "
                    + "số định danh đã lưu sẽ không đọc được. Dùng đúng thư mục dữ liệu hoặc tệp khóa của bản cài đặt "
                    + "này.")
        }
    }
}
