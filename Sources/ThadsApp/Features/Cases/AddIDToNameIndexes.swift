import Fluent
import SQLKit

/// PostgreSQL's name indexes end with the party's id, so that name search can order people of the same name by it
/// and still read the order from the index (`CaseSearch`). SQLite's indexes end with the rowid already.
struct AddIDToNameIndexes: AsyncMigration {
    static let indexes = [
        ("parties_name", "name_folded"), ("parties_exact", "name_exact"),
        ("parties_unit_folded", "unit_id, name_folded"), ("parties_unit_exact", "unit_id, name_exact"),
    ]

    func prepare(on database: any Database) async throws {
        try await rebuild(on: database, withID: true)
    }

    func revert(on database: any Database) async throws {
        try await rebuild(on: database, withID: false)
    }

    private func rebuild(on database: any Database, withID: Bool) async throws {
        let sql = try database.sql
        guard try sql.kind == .postgres else { return }
        for (name, columns) in Self.indexes {
            try await sql.raw("DROP INDEX IF EXISTS idx_\(unsafeRaw: name)").run()
            try await sql.raw(
                "CREATE INDEX idx_\(unsafeRaw: name) ON case_parties (\(unsafeRaw: columns) COLLATE \"C\"\(unsafeRaw: withID ? ", id" : ""))"
            ).run()
        }
    }
}
