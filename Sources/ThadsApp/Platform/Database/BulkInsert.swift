import Fluent
import Foundation
import NIOCore
import SQLKit
import SQLiteKit

/// Rows of one table written by the batch: COPY on PostgreSQL, multi-row INSERTs on SQLite (as many rows per
/// statement as its bind limit allows). The way generated and imported data goes in by the million (a Fluent
/// `create` per row would be a statement per row).
struct BulkInsert {
    let table: String
    let columns: [String]
    private(set) var rows: [[any Encodable & Sendable]] = []

    init(_ table: String, _ columns: [String]) {
        self.table = table
        self.columns = columns
    }

    var isEmpty: Bool { rows.isEmpty }
    var count: Int { rows.count }

    /// Adds one row; values in `columns` order (nil optionals write NULL).
    mutating func add(_ values: [any Encodable & Sendable]) {
        precondition(values.count == columns.count, "\(table): \(values.count) values for \(columns.count) columns")
        rows.append(values)
    }

    /// Writes every row added so far on `db` (the caller's transaction) and empties the buffer.
    mutating func flush(on db: any Database, rowsPerStatement: Int = .max) async throws {
        try await flush(on: try db.sql, rowsPerStatement: rowsPerStatement)
    }

    mutating func flush(on sql: any SQLDatabase, rowsPerStatement: Int = .max) async throws {
        guard !rows.isEmpty else { return }
        try await encoded(for: sql, rowsPerStatement: rowsPerStatement).write(on: sql)
        rows.removeAll(keepingCapacity: true)
    }

    static let copyThreshold = 100

    /// The rows in the form `sql`'s database takes them, ready to be written later: a writer builds the next batch's
    /// statements while the database still writes the one before, instead of in turn on the write path.
    func encoded(for sql: any SQLDatabase, rowsPerStatement: Int = .max) throws -> Encoded {
        // COPY takes two round trips and a statement parsed afresh each time: worth it for a batch of cases, not
        // for the few events of an audit-log group commit, which go as one INSERT.
        if rows.count >= Self.copyThreshold, PostgresCopy.isAvailable(on: sql) {
            return Encoded(table: table, columns: columns, form: .copy(try PostgresCopy.text(rows, table: table)))
        }
        // SQLite allows 32,766 bound values per statement, PostgreSQL 65,535.
        let limit = (try? sql.kind) == .postgres ? 65_535 : 32_766
        let perStatement = max(1, min(rowsPerStatement, limit / columns.count))
        var statements: [(text: String, binds: [SQLiteData])] = []
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            guard sql is any SQLiteDatabase, let binds = Self.sqliteBinds(rows[start..<end]) else {
                return Encoded(table: table, columns: columns, form: .sqlKit(rows, perStatement: perStatement))
            }
            statements.append((insertStatement(rows: end - start), binds))
            start = end
        }
        return Encoded(table: table, columns: columns, form: .sqlite(statements))
    }

    /// One table's rows as statements or a COPY stream, built without touching the database.
    struct Encoded: Sendable {
        enum Form: Sendable {
            case copy(ByteBuffer)
            case sqlite([(text: String, binds: [SQLiteData])])
            /// Values with no direct SQLite form go through SQLKit's encoder.
            case sqlKit([[any Encodable & Sendable]], perStatement: Int)
        }
        let table: String
        let columns: [String]
        let form: Form

        func write(on sql: any SQLDatabase) async throws {
            switch form {
            case .copy(let text):
                try await PostgresCopy.send(text, into: table, columns: columns, on: sql)
            case .sqlite(let statements):
                // No rows give no statements, whatever the database: nothing to write.
                guard !statements.isEmpty else { return }
                guard let sqlite = sql as? any SQLiteDatabase else { throw NotSQLite() }
                for statement in statements {
                    try await sqlite.query(statement.text, statement.binds, logger: sqlite.logger) { _ in }.get()
                }
            case .sqlKit(let rows, let perStatement):
                var start = 0
                while start < rows.count {
                    let end = min(rows.count, start + perStatement)
                    let insert = sql.insert(into: table).columns(columns)
                    for row in rows[start..<end] { insert.values(row.map(BulkInsert.expression)) }
                    try await insert.run()
                    start = end
                }
            }
        }
    }

    struct NotSQLite: Error {}

    /// A nil goes as an untyped NULL: bound, it would carry its Swift type (a `String?` binds as text, which
    /// PostgreSQL refuses for a timestamp column).
    private static func expression(_ value: any Encodable & Sendable) -> any SQLExpression {
        if let optional = value as? any OptionalValue, optional.wrappedValue == nil { return SQLLiteral.null }
        return SQLBind(value)
    }

    private func insertStatement(rows count: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        return "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ",") + ") VALUES "
            + Array(repeating: row, count: count).joined(separator: ",")
    }

    /// The values as SQLite stores them through Fluent (UUIDs as their text, dates as seconds), converted directly:
    /// SQLKit's generic encoder costs more than SQLite's own work at millions of rows. Nil when a value has no
    /// direct form, and then the rows go through SQLKit.
    static func sqliteBinds(_ rows: ArraySlice<[any Encodable & Sendable]>) -> [SQLiteData]? {
        var binds: [SQLiteData] = []
        binds.reserveCapacity(rows.count * (rows.first?.count ?? 0))
        for row in rows {
            for value in row {
                guard let data = sqliteData(value) else { return nil }
                binds.append(data)
            }
        }
        return binds
    }

    static func sqliteData(_ value: Any) -> SQLiteData? {
        switch value {
        case let optional as any OptionalValue:
            guard let wrapped = optional.wrappedValue else { return .null }
            return sqliteData(wrapped)
        case let uuid as UUID: return .text(uuid.uuidString)
        case let convertible as any SQLiteDataConvertible: return convertible.sqliteData
        default: return nil
        }
    }
}
