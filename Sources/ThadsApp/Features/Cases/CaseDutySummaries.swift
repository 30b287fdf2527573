import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// Each case's open duties, kept with the case: the officer's work list and the heads' homes read them instead of
/// recomputing every case's duties on every request (that cost 69–92 ms for 400 cases).
///
/// One row per case (its id), written in the transaction of every change to the case (`CaseQualityService.refresh`,
/// which reads the records anyway), by imports and the quality scan through the same call, and for every open case
/// by the nightly job (`CaseDutySummaries.job`), because a duty's due date also follows the working calendar and the
/// legal parameters, which change apart from the case. A case without a row (written by a bulk loader before the
/// nightly run) has its duties computed when read, so a missing row is slower, never wrong.
enum CaseDutySummaries {
    static let table = "case_duty_summaries"

    /// What is stored per duty (JSON in `duties`).
    struct StoredDuty: Codable, Sendable {
        var kind: DutyKind
        var due: String
        var detail: String
    }

    static func encode(_ duties: [CaseDuty]) -> String {
        let stored = duties.map { StoredDuty(kind: $0.kind, due: $0.due.iso, detail: $0.detail) }
        let data = (try? JSONEncoder().encode(stored)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [CaseDuty] {
        guard let stored = try? JSONDecoder().decode([StoredDuty].self, from: Data(text.utf8)) else { return [] }
        return stored.compactMap { item in
            LocalDate(iso: item.due).map { CaseDuty(kind: item.kind, due: $0, detail: item.detail) }
        }
    }

    /// Replaces the rows of these cases, in the caller's transaction.
    static func store(
        _ items: [(enforcementCase: EnforcementCase, duties: [CaseDuty])], at now: Date, on db: any Database
    ) async throws {
        guard !items.isEmpty else { return }
        let sql = try db.sql
        for start in stride(from: 0, to: items.count, by: 500) {
            let batch = items[start..<min(items.count, start + 500)]
            try await sql.delete(from: table).where("id", .in, SQLBind.group(batch.map { $0.enforcementCase.id! }))
                .run()
            var insert = sql.insert(into: table).columns(
                "id", "unit_id", "officer_id", "next_due", "duties", "computed_at")
            for item in batch {
                let c = item.enforcementCase
                insert = insert.values(
                    SQLBind(c.id!), SQLBind(c.unitID), SQLBind(c.officerID), SQLBind(item.duties.map(\.due.iso).min()),
                    SQLBind(encode(item.duties)), SQLBind(now))
            }
            try await insert.run()
        }
    }

    /// The stored duties of these cases; a case without a row is absent.
    static func read(_ caseIDs: [UUID], on db: any Database) async throws -> [UUID: [CaseDuty]] {
        struct Row: Decodable {
            let id: UUID
            let duties: String
        }
        var found: [UUID: [CaseDuty]] = [:]
        let sql = try db.sql
        for start in stride(from: 0, to: caseIDs.count, by: 500) {
            let batch = Array(caseIDs[start..<min(caseIDs.count, start + 500)])
            for row in try await sql.select().columns("id", "duties").from(table)
                .where("id", .in, SQLBind.group(batch)).all(decoding: Row.self)
            {
                found[row.id] = decode(row.duties)
            }
        }
        return found
    }

    /// The duties of `cases`: stored ones, and computed now for cases without a row.
    static func duties(of cases: [EnforcementCase], deadlines: CaseDeadlines, on db: any Database) async throws
        -> [UUID: [CaseDuty]]
    {
        var found = try await read(cases.map { $0.id! }, on: db)
        let missing = cases.filter { found[$0.id!] == nil }
        if !missing.isEmpty {
            for (enforcementCase, snapshot) in try await CaseQualityService.snapshots(of: missing, on: db) {
                found[enforcementCase.id!] = CaseDuties.duties(for: snapshot, deadlines: deadlines)
            }
        }
        return found
    }

    /// Recomputes every open case (or the given ones) in batches of one transaction each; returns the cases done.
    @discardableResult
    static func rebuild(_ app: Application, caseIDs: [UUID]? = nil, batchSize: Int = 500) async throws -> Int {
        let deadlines = CaseDeadlines(calendar: app.workingCalendar, parameters: app.legalParameters)
        let closed = CaseStatus.allCases.filter(\.isClosed)
        var done = 0
        func run(_ batch: [EnforcementCase]) async throws {
            let snapshots = try await CaseQualityService.snapshots(of: batch, on: app.db)
            try await app.write(on: app.db) { db in
                try await store(
                    snapshots.map { ($0.enforcementCase, CaseDuties.duties(for: $0.snapshot, deadlines: deadlines)) },
                    at: app.clock.now, on: db)
            }
            done += batch.count
        }
        if let caseIDs {
            for start in stride(from: 0, to: caseIDs.count, by: batchSize) {
                let ids = Array(caseIDs[start..<min(caseIDs.count, start + batchSize)])
                try await run(try await EnforcementCase.query(on: app.db).filter(\.$id ~~ ids).all())
            }
            return done
        }
        var lastCode = ""
        while true {
            let batch = try await EnforcementCase.query(on: app.db).filter(\.$code > lastCode)
                .filter(\.$status !~ closed).sort(\.$code).limit(batchSize).all()
            guard let last = batch.last else { break }
            try await run(batch)
            lastCode = last.code
        }
        return done
    }

    /// Nightly: the calendar and the legal parameters may have changed the due dates since the cases last changed.
    static let job = ScheduledJob(
        name: "cases.duty-summaries", schedule: .daily(hour: 0, minute: 30), workingDaysOnly: false,
        run: { ctx in try await rebuild(ctx.app) })
}

/// The table of `CaseDutySummaries`.
struct CreateCaseDutySummaries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseDutySummaries.table)
            .id()
            .field("unit_id", .uuid, .required)
            .field("officer_id", .uuid)
            .field("next_due", .string)
            .field("duties", .string, .required)
            .field("computed_at", .datetime, .required)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX idx_duty_summaries_officer ON case_duty_summaries (officer_id, next_due)").run()
        try await sql.raw("CREATE INDEX idx_duty_summaries_unit ON case_duty_summaries (unit_id, next_due)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseDutySummaries.table).delete()
    }
}

extension Application {
    /// The deadlines in force now (the working calendar and the legal parameters).
    var caseDeadlines: CaseDeadlines { CaseDeadlines(calendar: workingCalendar, parameters: legalParameters) }
}
