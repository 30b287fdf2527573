import Fluent
import Foundation
import SQLKit
import Vapor

/// Re-encrypts every stored secret under the current key, in batches of one transaction each, so a
/// rotation of millions of rows neither holds one long lock nor loses work when interrupted (a rerun
/// skips what is already current).
enum KeyRotation {
    struct Column: Sendable {
        let table: String
        let column: String
        let purpose: String
    }

    static let columns = [
        Column(table: "accounts", column: "national_id_cipher", purpose: "national-id"),
        Column(table: "accounts", column: "mfa_secret_cipher", purpose: "mfa"),
        Column(table: "account_requests", column: "new_national_id_cipher", purpose: "national-id"),
        Column(table: "case_parties", column: "id_number_cipher", purpose: "national-id"),
    ]

    struct Row: Decodable {
        let id: UUID
        let value: String
    }

    /// Returns how many values were re-encrypted; `progress` hears (column, done so far).
    static func reencryptAll(
        _ app: Application, batchSize: Int = 500, progress: @Sendable (String, Int) -> Void = { _, _ in }
    ) async throws -> Int {
        let keys = app.keys
        var total = 0
        for target in columns {
            var done = 0
            while true {
                let rewritten: Int = try await app.write(on: app.db) { db in
                    let sql = try db.sql
                    let rows = try await sql.raw(
                        """
                        SELECT id, \(ident: target.column) AS value FROM \(ident: target.table)
                        WHERE \(ident: target.column) IS NOT NULL AND \(ident: target.column) NOT LIKE \(bind: keys.keyID + ":%")
                        LIMIT \(unsafeRaw: String(batchSize))
                        """
                    ).all(decoding: Row.self)
                    for row in rows {
                        let plain = try keys.decrypt(row.value, purpose: target.purpose)
                        let fresh = try keys.encrypt(plain, purpose: target.purpose)
                        try await sql.raw(
                            "UPDATE \(ident: target.table) SET \(ident: target.column) = \(bind: fresh) WHERE id = \(bind: row.id)"
                        ).run()
                    }
                    return rows.count
                }
                if rewritten == 0 { break }
                done += rewritten
                progress(target.table + "." + target.column, done)
            }
            total += done
        }
        let count = total
        try await app.write(on: app.db) { db in
            try await AuditLog.record(
                AuditEntry(
                    action: "keys.rotated", objectType: "keyStore", objectID: keys.keyID,
                    summary: "Mã hóa lại \(count) giá trị bằng khóa \(keys.keyID)"),
                actor: .system, at: app.clock.now, on: db)
        }
        return total
    }
}

/// `thads keys rotate`: adds a new master key and re-encrypts every stored secret under it.
struct KeysCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "rotate")
        var action: String
    }

    var help: String { "Quản lý khóa mã hóa: `thads keys rotate` tạo khóa mới và mã hóa lại dữ liệu." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "rotate" else {
            context.console.error("Chỉ hỗ trợ: thads keys rotate")
            throw Abort(.badRequest)
        }
        let app = context.application
        if ProcessInfo.processInfo.environment["THADS_MASTER_KEY"]?.isEmpty == false {
            context.console.error(
                "Khóa đang lấy từ THADS_MASTER_KEY: hãy xoay khóa ở hệ thống quản lý bí mật rồi chạy lại.")
            throw Abort(.badRequest)
        }
        app.keys = try KeyStore.addKey(directory: app.settings.keysDirectory)
        context.console.print("Khóa mới: \(app.keys.keyID). Đang mã hóa lại…")
        let console = context.console
        let total = try await KeyRotation.reencryptAll(app) { column, done in
            console.print("  \(column): \(done)")
        }
        context.console.print("Xong: \(total) giá trị đã mã hóa lại. Giữ các khóa cũ trong tệp để đọc bản sao lưu cũ.")
    }
}
