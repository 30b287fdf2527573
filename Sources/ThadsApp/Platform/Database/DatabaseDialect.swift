import Fluent
import Foundation
import SQLKit
import Vapor

/// The one place that knows how SQLite and PostgreSQL differ. Features ask for a named difference
/// (`byteOrderCollation`, `rowKey`, `claimClause`) instead of testing the driver's name.
public enum DatabaseKind: Sendable {
    case sqlite
    case postgres

    init?(dialectName: String) {
        switch dialectName {
        case "sqlite": self = .sqlite
        case "postgresql": self = .postgres
        default: return nil
        }
    }

    /// Appended to a text column so that comparisons and its index follow byte order whatever the locale:
    /// a prefix range `[p, p + "\u{7F}")` over ASCII then uses the index.
    var byteOrderCollation: String { self == .postgres ? " COLLATE \"C\"" : "" }

    /// The column that orders rows of one table in insertion order and ends every index (PostgreSQL's indexes
    /// carry the id; SQLite's carry the rowid).
    func rowKey(of alias: String) -> String { self == .postgres ? "\(alias).id" : "\(alias).rowid" }

    /// Added to a `SELECT … LIMIT n` that claims rows for one worker: on PostgreSQL other workers skip the
    /// locked rows; SQLite has a single writer, whose lock the surrounding write already holds.
    var claimClause: String { self == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }

    /// A text column's stored bytes as hexadecimal text. SQLite's driver reads text only up to a NUL; hex reads every
    /// byte the same way on both databases (the audit chain is verified over exactly what is stored).
    func storedBytesHex(_ column: String) -> String {
        self == .postgres ? "encode(convert_to(\(column), 'UTF8'), 'hex')" : "hex(\(column))"
    }

    var displayName: String { self == .postgres ? "PostgreSQL" : "SQLite" }
}

/// A database that is neither SQLite nor PostgreSQL reached the platform.
struct UnsupportedDatabase: Error, CustomStringConvertible {
    let name: String
    var description: String { "unsupported database: \(name) (THADS runs on SQLite or PostgreSQL)" }
}

extension Database {
    /// The SQL interface of this database; both drivers have one.
    public var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else { throw UnsupportedDatabase(name: "\(type(of: self))") }
            return sql
        }
    }

    public var kind: DatabaseKind {
        get throws { try sql.kind }
    }
}

extension SQLDatabase {
    public var kind: DatabaseKind {
        get throws {
            guard let kind = DatabaseKind(dialectName: dialect.name) else {
                throw UnsupportedDatabase(name: dialect.name)
            }
            return kind
        }
    }
}
