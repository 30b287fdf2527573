import Fluent
import SQLKit

/// Two search indexes that SQLite already has under another name: every write paid for them twice.
///
/// - `idx_parties_unit_folded (unit_id, name_folded)` is the leading part of `idx_parties_unit_name (unit_id,
///   name_folded, birth_year)`, which serves the same unit-scoped equality, range and order;
/// - `idx_cases_code (code)` repeats the unique index on the case code.
///
/// On PostgreSQL both are `COLLATE "C"` indexes beside default-collation ones (prefix ranges need byte order there),
/// so they stay.
struct DropDuplicateSQLiteIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        guard try sql.kind == .sqlite else { return }
        try await sql.raw("DROP INDEX IF EXISTS idx_parties_unit_folded").run()
        try await sql.raw("DROP INDEX IF EXISTS idx_cases_code").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        guard try sql.kind == .sqlite else { return }
        try await sql.raw("CREATE INDEX idx_parties_unit_folded ON case_parties (unit_id, name_folded)").run()
        try await sql.raw("CREATE INDEX idx_cases_code ON enforcement_cases (code)").run()
    }
}
