import Fluent

/// What the deadlines need to start from the day the law names (issue 15): the instant a provisional-measures
/// decision was received, the day a state decision's grounds arose, and the reason an on-request case was opened
/// past the request's limitation. One column per statement: SQLite alters a table one column at a time.
struct AddDeadlineStarts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Judgment.schema).field("provisional_received_at", .datetime).update()
        try await database.schema(CaseDecision.schema).field("grounds_on", .string).update()
        try await database.schema(EnforcementCase.schema).field("limitation_reason", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EnforcementCase.schema).deleteField("limitation_reason").update()
        try await database.schema(CaseDecision.schema).deleteField("grounds_on").update()
        try await database.schema(Judgment.schema).deleteField("provisional_received_at").update()
    }
}
