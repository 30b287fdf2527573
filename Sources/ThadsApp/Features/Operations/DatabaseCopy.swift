import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// A consistent copy of the database taken while the server runs, with the facts the manifest keeps about it —
/// read from the copy itself (SQLite) or from the same MVCC snapshot pg_dump reads (PostgreSQL), so the counts
/// describe exactly what was saved even while writes go on.
enum DatabaseCopy {
    static let sqliteFile = "thads.sqlite"
    static let postgresFile = "database.dump"

    struct Facts: Sendable {
        var file: String
        var migrations: [String]
        var rowCounts: [String: Int]
        var auditLastSeq: Int64
        var schema: String? = nil
    }

    static func take(_ app: Application, into directory: String) async throws -> Facts {
        switch app.databaseKind {
        case .sqlite: try await sqlite(app, into: directory)
        case .postgres: try await postgres(app, into: directory)
        }
    }

    // MARK: SQLite

    private static func sqlite(_ app: Application, into directory: String) async throws -> Facts {
        let path = directory + "/" + sqliteFile
        try? FileManager.default.removeItem(atPath: path)
        // VACUUM INTO reads one snapshot of the WAL database and writes a compact copy; writers go on meanwhile.
        try await app.db.sql.raw("VACUUM INTO \(bind: path)").run()
        FileStore.restrict(path)
        let facts = try await withSQLiteFile(path, app: app) { sql in
            try await Self.facts(sql, tables: sqliteTables(sql), qualifier: nil)
        }
        return Facts(
            file: sqliteFile, migrations: facts.migrations, rowCounts: facts.rowCounts,
            auditLastSeq: facts.auditLastSeq)
    }

    /// Opens a SQLite file of its own (a copy or a restored file) beside the application's pool.
    static func withSQLiteFile<T: Sendable>(
        _ path: String, app: Application, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: app.threadPool, logger: app.logger,
            on: app.eventLoopGroup.any()
        ).get()
        do {
            let result = try await body(connection.sql())
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func sqliteTables(_ sql: any SQLDatabase) async throws -> [String] {
        struct Name: Decodable { let name: String }
        // FTS5 keeps its rows in shadow tables, counted themselves; the virtual table is left out.
        return try await sql.raw(
            """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
            AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name
            """
        ).all(decoding: Name.self).map(\.name)
    }

    // MARK: PostgreSQL

    private static func postgres(_ app: Application, into directory: String) async throws -> Facts {
        guard let url = app.settings.databaseURL else { throw Abort(.internalServerError) }
        let path = directory + "/" + postgresFile
        return try await app.db.transaction { db in
            let sql = try db.sql
            try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            struct Row: Decodable {
                let snapshot: String
                let schema: String
            }
            guard
                let row = try await sql.raw("SELECT pg_export_snapshot() AS snapshot, current_schema() AS schema")
                    .first(decoding: Row.self)
            else { throw Abort(.internalServerError) }
            let facts = try await Self.facts(
                sql, tables: postgresTables(sql, schema: row.schema), qualifier: nil)
            // pg_dump joins this transaction's snapshot, so the dump holds exactly the rows counted above.
            let connection = PostgresConnectionArguments(url: url)
            try await ExternalProgram.check(
                "pg_dump",
                [
                    "--format=custom", "--no-owner", "--no-privileges", "--schema=" + row.schema,
                    "--snapshot=" + row.snapshot,
                    "--file=" + path, connection.dbname,
                ],
                environment: connection.environment)
            FileStore.restrict(path)
            return Facts(
                file: postgresFile, migrations: facts.migrations, rowCounts: facts.rowCounts,
                auditLastSeq: facts.auditLastSeq, schema: row.schema)
        }
    }

    static func postgresTables(_ sql: any SQLDatabase, schema: String) async throws -> [String] {
        struct Name: Decodable { let tableName: String }
        return try await sql.raw(
            """
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = \(bind: schema) AND table_type = 'BASE TABLE' ORDER BY table_name
            """
        ).all(decoding: Name.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)).map(\.tableName)
    }

    // MARK: Facts

    struct TableFacts: Sendable {
        var migrations: [String]
        var rowCounts: [String: Int]
        var auditLastSeq: Int64
    }

    /// Row counts of every table, the applied migrations in order and the audit chain's head. `qualifier` names the
    /// schema to read (a drill's scratch schema) when it is not the connection's own.
    static func facts(_ sql: any SQLDatabase, tables: [String], qualifier: String?) async throws -> TableFacts {
        struct Count: Decodable { let n: Int }
        struct Migration: Decodable { let name: String }
        struct Head: Decodable { let lastSeq: Int64 }
        func table(_ name: String) -> SQLQueryString {
            if let qualifier { return "\(ident: qualifier).\(ident: name)" }
            return "\(ident: name)"
        }
        var counts: [String: Int] = [:]
        for name in tables {
            counts[name] = try await sql.raw("SELECT count(*) AS n FROM " + table(name)).first(decoding: Count.self)?.n
        }
        let migrations = try await sql.raw(
            "SELECT name FROM " + table("_fluent_migrations") + " ORDER BY batch, created_at, name"
        ).all(decoding: Migration.self).map(\.name)
        let head = try await sql.raw("SELECT last_seq FROM " + table("audit_chain") + " WHERE id = 1")
            .first(decoding: Head.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
        return TableFacts(migrations: migrations, rowCounts: counts, auditLastSeq: head?.lastSeq ?? 0)
    }
}

/// pg_dump, pg_restore and psql reach the database of `DATABASE_URL`, with the password in the environment rather
/// than on the command line (where `ps` would show it).
struct PostgresConnectionArguments: Sendable {
    let dbname: String
    let environment: [String: String]

    init(url: String) {
        var components = URLComponents(string: url) ?? URLComponents()
        let password = components.password
        components.password = nil
        if components.scheme == "postgres" { components.scheme = "postgresql" }
        dbname = components.string ?? url
        environment = password.map { ["PGPASSWORD": $0] } ?? [:]
    }
}
