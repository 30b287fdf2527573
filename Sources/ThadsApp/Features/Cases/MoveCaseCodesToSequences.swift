import Fluent
import Foundation

/// Case codes are numbered by the shared `Sequences` (series "case-code", scope the unit, period the statistical
/// year) from this migration on: the counters go over as they stand, and their old table goes.
struct MoveCaseCodesToSequences: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for counter in try await CaseCodeCounter.query(on: database).all() {
            try await Sequences.raise(
                CaseQualityService.codeSequence(unitID: counter.unitID, year: counter.year), to: counter.lastSequence,
                on: database)
        }
        try await database.schema(CaseCodeCounter.schema).delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseCodeCounter.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(EnforcementUnit.schema, "id"))
            .field("year", .int, .required)
            .field("last_sequence", .int, .required)
            .unique(on: "unit_id", "year")
            .create()
        for counter in try await SequenceCounter.query(on: database).filter(\.$series == "case-code").all() {
            guard let unitID = UUID(uuidString: counter.scope) else { continue }
            try await CaseCodeCounter(unitID: unitID, year: counter.period, lastSequence: counter.lastValue)
                .create(on: database)
        }
    }
}
