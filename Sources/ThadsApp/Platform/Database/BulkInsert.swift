import Fluent
import Foundation
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
        try await flush(on: db as! any SQLDatabase, rowsPerStatement: rowsPerStatement)
    }

    mutating func flush(on sql: any SQLDatabase, rowsPerStatement: Int = .max) async throws {
        guard !rows.isEmpty else { return }
        if PostgresCopy.isAvailable(on: sql) {
            try await PostgresCopy.copy(rows, into: table, columns: columns, on: sql)
            rows.removeAll(keepingCapacity: true)
            return
        }
        // SQLite allows 32,766 bound values per statement, PostgreSQL 65,535.
        let limit = sql.dialect.name == "postgresql" ? 65_535 : 32_766
        let perStatement = max(1, min(rowsPerStatement, limit / columns.count))
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            if let sqlite = sql as? any SQLiteDatabase, let binds = Self.sqliteBinds(rows[start..<end]) {
                try await sqlite.query(insertStatement(rows: end - start), binds, logger: sqlite.logger) { _ in }.get()
            } else {
                let insert = sql.insert(into: table).columns(columns)
                for row in rows[start..<end] { insert.values(row.map { SQLBind($0) }) }
                try await insert.run()
            }
            start = end
        }
        rows.removeAll(keepingCapacity: true)
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
