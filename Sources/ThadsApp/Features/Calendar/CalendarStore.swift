import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The Government's decision on days off and make-up days for one year, as central admins record it.
final class CalendarDecisionRecord: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] { [$id, $year, $decisionJSON, $updatedAt] }
    static let schema = "calendar_decisions"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "decision") var decisionJSON: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var decision: YearDecision? { try? JSONDecoder().decode(YearDecision.self, from: Data(decisionJSON.utf8)) }
}

struct CreateCalendarDecisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CalendarDecisionRecord.schema)
            .id()
            .field("year", .int, .required)
            .field("decision", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CalendarDecisionRecord.schema).delete()
    }
}

enum CalendarStore {
    /// Ships the 2026 decision on first start; later years are entered by central admins.
    static func seedIfEmpty(_ app: Application) async throws {
        guard try await CalendarDecisionRecord.query(on: app.db).count() == 0 else { return }
        try await app.write(on: app.db) { db in
            try await save(YearDecision.vietnam2026, on: db)
            try await AuditLog.record(
                AuditEntry(
                    action: "calendar.seeded", objectType: "calendarDecision", objectID: "2026",
                    summary: YearDecision.vietnam2026.source),
                actor: .system, at: app.clock.now, on: db)
        }
    }

    static func save(_ decision: YearDecision, on db: any Database) async throws {
        let record =
            try await CalendarDecisionRecord.query(on: db).filter(\.$year == decision.year).first()
            ?? {
                let record = CalendarDecisionRecord()
                record.id = UUID()
                record.year = decision.year
                return record
            }()
        record.decisionJSON = AuditEntry.json(decision)
        try await record.save(on: db)
    }

    static func decisions(on db: any Database) async throws -> [YearDecision] {
        (try await CalendarDecisionRecord.query(on: db).all()).compactMap { $0.decision }
    }
}

extension Application {
    func reloadWorkingCalendar() async throws {
        workingCalendar = WorkingCalendar(decisions: try await CalendarStore.decisions(on: db))
    }
}
