import Fluent
import SQLKit

/// The case's code in the system it was imported from (B9): shown beside the new code so people can match old
/// paper files, and checked on import so that the same old case is never brought in twice.
struct AddLegacyCode: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EnforcementCase.schema).field("legacy_code", .string).update()
        try await (try database.sql).create(index: "idx_cases_unit_legacy").on(EnforcementCase.schema)
            .column("unit_id").column("legacy_code").run()
    }

    func revert(on database: any Database) async throws {
        try await (try database.sql).drop(index: "idx_cases_unit_legacy").run()
        try await database.schema(EnforcementCase.schema).deleteField("legacy_code").update()
    }
}
