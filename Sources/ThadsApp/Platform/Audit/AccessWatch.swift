import Fluent
import Foundation
import SQLKit

/// Counts sensitive look-ups per account and hour, and writes an abnormal-access event (H3) when an account's count
/// reaches the threshold, and again at ten and a hundred times it. The count changes in one statement
/// (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so parallel requests can neither skip the threshold nor raise it
/// twice. The events are ordinary audit events (`action == AccessWatch.abnormalAction`), read by scope like the rest
/// of the log; the operations alerting reads them with `abnormalEvents(since:on:)`.
enum AccessWatch {
    static let abnormalAction = "security.abnormalAccess"
    static let windowMs: Int64 = 3_600_000

    /// Counts one look-up of `kind` by the actor inside the caller's transaction and returns the count in this hour.
    @discardableResult
    static func count(
        _ kind: String, label: String, threshold: Int, actor: AuditActor, at now: Date, on db: any Database
    ) async throws -> Int {
        struct Count: Decodable { let n: Int }
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded())
        let windowStart = nowMs - nowMs % windowMs
        let who = actor.accountID?.uuidString ?? "ip:" + (actor.ip ?? "?")
        guard
            let count = try await db.sql.raw(
                """
                INSERT INTO access_counters (who, kind, window_start_ms, n)
                VALUES (\(bind: who), \(bind: kind), \(bind: windowStart), 1)
                ON CONFLICT (who, kind, window_start_ms) DO UPDATE SET n = access_counters.n + 1
                RETURNING n
                """
            ).first(decoding: Count.self)
        else { return 0 }
        if [threshold, threshold * 10, threshold * 100].contains(count.n) {
            try await AuditLog.record(
                AuditEntry(
                    action: abnormalAction, objectType: "account", objectID: actor.accountID?.uuidString,
                    summary: "Truy cập bất thường: \(label) \(count.n) lần trong một giờ (ngưỡng \(threshold))",
                    after: AuditEntry.json(
                        [
                            "kind": kind, "count": String(count.n), "threshold": String(threshold),
                            "windowStartMs": String(windowStart),
                        ])),
                actor: actor, at: now, on: db)
        }
        return count.n
    }

    /// The abnormal-access events since an instant, newest first: what the operations alerting reads.
    static func abnormalEvents(since: Date, on db: any Database) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: db)
            .filter(\.$action == abnormalAction)
            .filter(\.$occurredAtMs >= Int64((since.timeIntervalSince1970 * 1000).rounded()))
            .sort(\.$seq, .descending)
            .all()
    }
}

struct CreateAccessCounters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("access_counters")
            .field("who", .string, .required)
            .field("kind", .string, .required)
            .field("window_start_ms", .int64, .required)
            .field("n", .int, .required)
            .unique(on: "who", "kind", "window_start_ms")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("access_counters").delete()
    }
}
