import Fluent
import SQLKit

/// An any-order word match over a folded (ASCII) name column, one design on both databases: a generated
/// `tsvector` with a GIN index on PostgreSQL, an external-content FTS5 table kept by triggers on SQLite. The case
/// search and the public debtor search both read through one.
struct WordIndex: Sendable {
    /// The indexed table and its folded column.
    let table: String
    let column: String
    /// The FTS5 table on SQLite; the GIN index on PostgreSQL, over the generated column `name_words`.
    let ftsTable: String
    let ginIndex: String
    private var generatedColumn: String { "name_words" }

    static let caseParties = WordIndex(
        table: "case_parties", column: "name_folded", ftsTable: "case_party_words", ginIndex: "idx_parties_words")
    static let debtorPublications = WordIndex(
        table: "debtor_publications", column: "name_folded", ftsTable: "debtor_publication_words",
        ginIndex: "idx_debtor_publications_words")

    func create(on sql: any SQLDatabase) async throws {
        if try sql.kind == .postgres {
            try await sql.raw(
                """
                ALTER TABLE \(unsafeRaw: table) ADD COLUMN \(unsafeRaw: generatedColumn) tsvector
                GENERATED ALWAYS AS (to_tsvector('simple', \(unsafeRaw: column))) STORED
                """
            ).run()
            try await sql.raw(
                "CREATE INDEX \(unsafeRaw: ginIndex) ON \(unsafeRaw: table) USING GIN (\(unsafeRaw: generatedColumn))"
            ).run()
            return
        }
        let statements: [SQLQueryString] = [
            """
            CREATE VIRTUAL TABLE \(unsafeRaw: ftsTable) USING fts5(
                \(unsafeRaw: column), content='\(unsafeRaw: table)', content_rowid='rowid', tokenize='ascii')
            """,
            """
            CREATE TRIGGER \(unsafeRaw: ftsTable)_ai AFTER INSERT ON \(unsafeRaw: table) BEGIN
                INSERT INTO \(unsafeRaw: ftsTable)(rowid, \(unsafeRaw: column)) VALUES (new.rowid, new.\(unsafeRaw: column));
            END
            """,
            """
            CREATE TRIGGER \(unsafeRaw: ftsTable)_ad AFTER DELETE ON \(unsafeRaw: table) BEGIN
                INSERT INTO \(unsafeRaw: ftsTable)(\(unsafeRaw: ftsTable), rowid, \(unsafeRaw: column))
                VALUES ('delete', old.rowid, old.\(unsafeRaw: column));
            END
            """,
            """
            CREATE TRIGGER \(unsafeRaw: ftsTable)_au AFTER UPDATE OF \(unsafeRaw: column) ON \(unsafeRaw: table) BEGIN
                INSERT INTO \(unsafeRaw: ftsTable)(\(unsafeRaw: ftsTable), rowid, \(unsafeRaw: column))
                VALUES ('delete', old.rowid, old.\(unsafeRaw: column));
                INSERT INTO \(unsafeRaw: ftsTable)(rowid, \(unsafeRaw: column)) VALUES (new.rowid, new.\(unsafeRaw: column));
            END
            """,
        ]
        for statement in statements { try await sql.raw(statement).run() }
    }

    func drop(on sql: any SQLDatabase) async throws {
        if try sql.kind == .sqlite { try await sql.raw("DROP TABLE IF EXISTS \(unsafeRaw: ftsTable)").run() }
    }

    /// `FROM` clause naming the indexed table as `alias`: through the FTS5 table on SQLite.
    func from(alias: String, kind: DatabaseKind) -> String {
        kind == .postgres
            ? "\(table) \(alias)" : "\(ftsTable) JOIN \(table) \(alias) ON \(alias).rowid = \(ftsTable).rowid"
    }

    /// The condition that every word of `words` (folded, letters and digits only) is in the row's name.
    func matches(_ words: [String], alias: String, kind: DatabaseKind) -> SQLQueryString {
        kind == .postgres
            ? "\(unsafeRaw: alias).\(unsafeRaw: generatedColumn) @@ to_tsquery('simple', \(bind: words.joined(separator: " & ")))"
            : "\(unsafeRaw: ftsTable) MATCH \(bind: words.map { "\"\($0)\"" }.joined(separator: " "))"
    }
}
