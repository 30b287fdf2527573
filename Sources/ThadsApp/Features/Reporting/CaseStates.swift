import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// Each case's status over time, one row per span (`from_on` inclusive to `to_on` exclusive, open-ended for the
/// current one), with what the forms group by: unit, officer, judgment kind, the day it was accepted and the money
/// its obligations order paid. Derived from the case records alone, never typed: rebuilt for a case in the
/// transaction of every change to it (the change observer), and for everything by `thads reports-rebuild` and the
/// nightly job after bulk writes (import, demo data, benchmark) that bypass the observer.
///
/// The spans follow `CaseHistory` exactly: a decision or verification changes the status on its own date (a date
/// before the case was accepted counts from the acceptance day), two changes on one day keep the order they were
/// recorded in, and the last one of the day is the day's status.
enum CaseStates {
    static let table = "report_case_states"

    static func count(on db: any Database) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM report_case_states").first(decoding: Row.self)?.n ?? 0
    }

    /// Rebuilds the spans of `caseIDs`, or of every case when nil, in the caller's transaction.
    static func rebuild(caseIDs: [UUID]? = nil, on db: any Database) async throws {
        // The list is bound five times: chunks keep each statement within SQLite's 32,766 parameters.
        if let caseIDs, caseIDs.count > 5_000 {
            for start in stride(from: 0, to: caseIDs.count, by: 5_000) {
                try await rebuild(caseIDs: Array(caseIDs[start..<min(caseIDs.count, start + 5_000)]), on: db)
            }
            return
        }
        let sql = try db.sql
        if let caseIDs, caseIDs.isEmpty { return }
        func only(_ column: String) -> SQLQueryString {
            guard let caseIDs else { return "" }
            return " AND \(unsafeRaw: column) IN (\(binds: caseIDs))"
        }
        if caseIDs == nil {
            try await sql.raw("DELETE FROM report_case_states").run()
        } else {
            try await sql.raw("DELETE FROM report_case_states WHERE 1 = 1\(only("case_id"))").run()
        }
        let changeDay = { (column: String) -> SQLQueryString in
            "CASE WHEN \(unsafeRaw: column) < c.opened_on THEN c.opened_on ELSE \(unsafeRaw: column) END"
        }
        try await sql.raw(
            """
            INSERT INTO report_case_states
                (case_id, unit_id, officer_id, kind_code, opened_on, ordered, ordered_budget, status, from_on, to_on)
            SELECT w.case_id, c.unit_id, c.officer_id, j.kind_code, c.opened_on, COALESCE(o.ordered, 0),
                COALESCE(o.ordered_budget, 0), w.status, w.day, w.next_day
            FROM (
                SELECT ch.case_id, ch.day, ch.status,
                    LEAD(ch.day) OVER (PARTITION BY ch.case_id ORDER BY ch.day, ch.seq, ch.entered_at) AS next_day
                FROM (
                    SELECT c.id AS case_id, c.opened_on AS day, 'accepted' AS status, 0 AS seq,
                        c.created_at AS entered_at
                    FROM enforcement_cases c WHERE 1 = 1\(only("c.id"))
                    UNION ALL
                    SELECT d.case_id, \(changeDay("d.decided_on")), d.status_after, 1, d.entered_at
                    FROM case_decisions d JOIN enforcement_cases c ON c.id = d.case_id WHERE 1 = 1\(only("d.case_id"))
                    UNION ALL
                    SELECT v.case_id, \(changeDay("v.verified_on")), v.status_after, 1, v.entered_at
                    FROM case_verifications v JOIN enforcement_cases c ON c.id = v.case_id
                    WHERE 1 = 1\(only("v.case_id"))
                ) ch
            ) w
            JOIN enforcement_cases c ON c.id = w.case_id
            JOIN judgments j ON j.id = c.judgment_id
            LEFT JOIN (
                SELECT case_id, SUM(amount) AS ordered,
                    SUM(CASE WHEN beneficiary = 'stateBudget' THEN amount ELSE 0 END) AS ordered_budget
                FROM case_obligations
                WHERE mode = 'money' AND amount IS NOT NULL AND void_note IS NULL\(only("case_id")) GROUP BY case_id
            ) o ON o.case_id = w.case_id
            WHERE w.next_day IS NULL OR w.next_day > w.day
            """
        ).run()
    }
}

struct CreateCaseStates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseStates.table)
            .field("case_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("officer_id", .uuid)
            .field("kind_code", .string, .required)
            .field("opened_on", .string, .required)
            .field("ordered", .int64, .required)
            .field("status", .string, .required)
            .field("from_on", .string, .required)
            .field("to_on", .string)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX report_case_states_case ON report_case_states (case_id)").run()
        try await sql.raw("CREATE INDEX report_case_states_unit ON report_case_states (unit_id, from_on)").run()
        // Covers the national count: the spans standing at a day are read from the index alone.
        try await sql.raw(
            """
            CREATE INDEX report_case_states_standing
            ON report_case_states (from_on, to_on, status, unit_id, kind_code, opened_on, officer_id)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseStates.table).delete()
    }
}

/// Form 03 needs the state budget's part of each case's money. Existing installations get their spans at once (the
/// records are already there); the rebuild runs here, after the last change to the table's shape.
struct AddStateBudgetToCaseStates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseStates.table).field("ordered_budget", .int64, .required, .sql(.default(0)))
            .update()
        try await CaseStates.rebuild(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseStates.table).deleteField("ordered_budget").update()
    }
}

/// Form 02's collections, summed per case up to the period's end, read from the index alone.
struct AddCollectedMoneyIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw(
            """
            CREATE INDEX IF NOT EXISTS idx_money_collected_case ON case_money (case_id, occurred_on, amount)
            WHERE direction = 'collected' AND void_note IS NULL
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX IF EXISTS idx_money_collected_case").run()
    }
}
