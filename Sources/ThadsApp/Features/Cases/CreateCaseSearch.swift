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
        let isPostgres = try sql.kind == .postgres
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
        if isPostgres {
            try await sql.raw(
                """
                ALTER TABLE case_parties ADD COLUMN name_words tsvector
                GENERATED ALWAYS AS (to_tsvector('simple', name_folded)) STORED
                """
            ).run()
            try await sql.raw("CREATE INDEX idx_parties_words ON case_parties USING GIN (name_words)").run()
        } else {
            try await sql.raw(
                """
                CREATE VIRTUAL TABLE case_party_words USING fts5(
                    name_folded, content='case_parties', content_rowid='rowid', tokenize='ascii')
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER case_party_words_ai AFTER INSERT ON case_parties BEGIN
                    INSERT INTO case_party_words(rowid, name_folded) VALUES (new.rowid, new.name_folded);
                END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER case_party_words_ad AFTER DELETE ON case_parties BEGIN
                    INSERT INTO case_party_words(case_party_words, rowid, name_folded)
                    VALUES ('delete', old.rowid, old.name_folded);
                END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER case_party_words_au AFTER UPDATE OF name_folded ON case_parties BEGIN
                    INSERT INTO case_party_words(case_party_words, rowid, name_folded)
                    VALUES ('delete', old.rowid, old.name_folded);
                    INSERT INTO case_party_words(rowid, name_folded) VALUES (new.rowid, new.name_folded);
                END
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        if try sql.kind == .sqlite {
            try await sql.raw("DROP TABLE IF EXISTS case_party_words").run()
        }
    }
}
