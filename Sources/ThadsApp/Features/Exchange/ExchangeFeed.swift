import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// The change feed (G4). Every change of a followed record is numbered by the one sequence service in the
/// transaction of the change: the counter's row stays locked until that transaction commits, so numbers commit in
/// order and a reader that saw number n has seen every number below it (an autoincrement id would not: on
/// PostgreSQL ids are handed out at insert and commit in any order).
enum ExchangeFeed {
    static let series = Sequences.Key(series: "exchange-feed")

    static func start(_ app: Application) {
        app.changeObservers.observe(.enforcementCase) { caseID, ctx, db in
            guard let unitID = try await EnforcementCase.find(caseID, on: db)?.unitID else { return }
            try await record(resource: "case", id: caseID, unit: unitID, at: ctx.now, on: db)
        }
    }

    /// Numbers one change in the caller's transaction `db`, with its webhook deliveries.
    static func record(resource: String, id: UUID, unit: UUID, at: Date, on db: any Database) async throws {
        let seq = try await Sequences.take(series, on: db)
        let previous =
            try await ExchangeChange.query(on: db).filter(\.$resourceID == id).sort(\.$seq, .descending).first()?
            .version ?? 0
        let change = ExchangeChange()
        change.seq = seq
        change.resource = resource
        change.resourceID = id
        change.unitID = unit
        change.kind = previous == 0 ? "created" : "updated"
        change.at = at
        change.version = previous + 1
        try await change.create(on: db)
        try await ExchangeWebhooks.enqueue([change], at: at, on: db)
    }

    /// Up to `limit` changes after `after` that the agreement's units cover, and the cursor to read on from. The next
    /// cursor passes the changes filtered out too, so a narrow agreement does not read the same rows again.
    static func page(after: Int, limit: Int, units: Set<UUID>, on db: any Database) async throws -> (
        [ExchangeChange], Int
    ) {
        // Read a window of the sequence, then filter: the window's end is the cursor, whatever the filter kept.
        let window = try await ExchangeChange.query(on: db).filter(\.$seq > after).sort(\.$seq).limit(limit).all()
        guard let last = window.last?.seq else { return ([], after) }
        let kept = units.isEmpty ? window : window.filter { units.contains($0.unitID) }
        return (kept, last)
    }

    /// Cases written without the case registry's observer (a bulk import, data older than the feed) enter it once, as
    /// "created", numbered by the same sequence in blocks of one transaction each.
    static func backfill(_ app: Application) async throws -> Int {
        let sql = try app.db.sql
        struct Row: Decodable {
            let id: UUID
            let unitID: UUID
            enum CodingKeys: String, CodingKey {
                case id
                case unitID = "unit_id"
            }
        }
        // One anti-join for all the missing cases (read in id order), then blocks of 5,000: re-running the anti-join per
        // block rescanned the cases already done, which at 2,000,000 cases made the backfill quadratic.
        let missing = try await sql.raw(
            """
            SELECT c.id, c.unit_id FROM enforcement_cases c
            WHERE NOT EXISTS (SELECT 1 FROM exchange_changes x WHERE x.resource_id = c.id) ORDER BY c.id
            """
        ).all(decoding: Row.self)
        var written = 0
        for start in stride(from: 0, to: missing.count, by: 5000) {
            let rows = missing[start..<min(start + 5000, missing.count)]
            let now = app.clock.now
            written += try await app.write(on: app.db) { db in
                // A case the registry wrote meanwhile has its change already.
                let known = Set(
                    try await ExchangeChange.query(on: db).filter(\.$resourceID ~~ rows.map(\.id)).all(\.$resourceID))
                let fresh = rows.filter { !known.contains($0.id) }
                guard !fresh.isEmpty else { return 0 }
                let first = try await Sequences.take(ExchangeFeed.series, count: fresh.count, on: db)
                let changes = fresh.enumerated().map { offset, row in
                    let change = ExchangeChange()
                    change.id = UUID()
                    change.seq = first + offset
                    change.resource = "case"
                    change.resourceID = row.id
                    change.unitID = row.unitID
                    change.kind = "created"
                    change.at = now
                    change.version = 1
                    return change
                }
                var insert = BulkInsert.models(changes)
                try await insert.flush(on: db)
                try await ExchangeWebhooks.enqueue(changes, at: now, on: db)
                return changes.count
            }
        }
        return written
    }

    static let backfillJob = ScheduledJob(
        name: "exchange.feed-backfill", schedule: .daily(hour: 1, minute: 30), workingDaysOnly: false,
        run: { ctx in try await backfill(ctx.app) })
}
