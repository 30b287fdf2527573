import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// The indexes name search reads (B10), one design on both databases:
///
/// - whole-name and prefix matches: B-tree indexes on the folded name (`name_folded`), nationwide and per unit, and
///   on the name as typed (`name_exact`, lower case with its marks) to list exact-diacritics matches first;
/// - any-order word matches: FTS5 over `name_folded` on SQLite (external content, kept by triggers), a generated
///   `tsvector` with a GIN index on PostgreSQL.
///
/// Folded names are ASCII (letters, digits, spaces), so a byte-order range `[p, p + "\u{7F}")` is a prefix match on
/// both databases; PostgreSQL indexes them with `COLLATE "C"` so the range uses the index whatever the locale.
struct CreateCaseSearch: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        try await sql.raw("ALTER TABLE case_parties ADD COLUMN name_exact TEXT NOT NULL DEFAULT ''").run()
        let collate = try sql.kind.byteOrderCollation
        for (name, columns) in [
            ("parties_name", "name_folded\(collate)"), ("parties_exact", "name_exact\(collate)"),
            ("parties_unit_folded", "unit_id, name_folded\(collate)"),
            ("parties_unit_exact", "unit_id, name_exact\(collate)"),
            ("cases_code", "code\(collate)"), ("judgments_number_key", "number_key"),
            ("cases_opened", "opened_on"),
        ] {
            let table =
                name.hasPrefix("parties") ? "case_parties" : name.hasPrefix("cases") ? "enforcement_cases" : "judgments"
            try await sql.raw("CREATE INDEX idx_\(unsafeRaw: name) ON \(unsafeRaw: table) (\(unsafeRaw: columns))")
                .run()
        }
        try await WordIndex.caseParties.create(on: sql)
    }

    func revert(on database: any Database) async throws {
        try await WordIndex.caseParties.drop(on: database.sql)
    }
}
