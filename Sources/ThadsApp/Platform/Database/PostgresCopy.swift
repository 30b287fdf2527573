import Foundation
import NIOCore
import PostgresKit
import SQLKit

/// Rows streamed into PostgreSQL with `COPY … FROM STDIN` (text format) on the connection of the caller's
/// transaction: the fastest way PostgreSQL takes millions of rows, and still all or nothing with the transaction.
enum PostgresCopy {
    struct UnsupportedValue: Error, CustomStringConvertible {
        let table: String
        let type: String
        var description: String { "COPY into \(table): no text form for a value of type \(type)" }
    }

    struct NotPostgreSQL: Error {}

    /// Whether `sql` can take a COPY: a PostgreSQL database (a pool or one transaction's connection).
    static func isAvailable(on sql: any SQLDatabase) -> Bool {
        (try? sql.kind) == .postgres && sql is any PostgresDatabase
    }

    /// The rows in COPY's text format: a tab between values, a newline after each row.
    static func text(_ rows: [[any Encodable & Sendable]], table: String) throws -> ByteBuffer {
        var text = ByteBuffer()
        text.reserveCapacity(rows.count * (rows.first?.count ?? 0) * 16)
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { text.writeInteger(UInt8(ascii: "\t")) }
                try write(value, into: &text, table: table)
            }
            text.writeInteger(UInt8(ascii: "\n"))
        }
        return text
    }

    /// Streams rows already in COPY's text format (`text(_:table:)`) into `table`.
    static func send(_ text: ByteBuffer, into table: String, columns: [String], on sql: any SQLDatabase) async throws {
        guard let database = sql as? any PostgresDatabase else { throw NotPostgreSQL() }
        let logger = sql.logger
        try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    try await writer.write(text)
                }
            }
        }.get()
    }

    /// One value in COPY's text form: `\N` for NULL, and backslash, tab, newline and carriage return escaped.
    static func write(_ value: Any, into buffer: inout ByteBuffer, table: String) throws {
        switch value {
        case let optional as any OptionalValue:
            guard let wrapped = optional.wrappedValue else {
                buffer.writeStaticString("\\N")
                return
            }
            try write(wrapped, into: &buffer, table: table)
        case let string as String: writeEscaped(string, into: &buffer)
        case let uuid as UUID: buffer.writeString(uuid.uuidString)
        case let bool as Bool: buffer.writeStaticString(bool ? "t" : "f")
        case let int as Int: buffer.writeString(String(int))
        case let int as Int64: buffer.writeString(String(int))
        case let int as Int32: buffer.writeString(String(int))
        case let double as Double: buffer.writeString(String(double))
        case let date as Date: buffer.writeString(timestamp(date))
        default: throw UnsupportedValue(table: table, type: String(describing: type(of: value)))
        }
    }

    private static func writeEscaped(_ string: String, into buffer: inout ByteBuffer) {
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// `yyyy-MM-dd HH:mm:ss.ffffff+00`, to the microsecond PostgreSQL keeps.
    static func timestamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let micros = min(999_999, Int(((interval - seconds) * 1_000_000).rounded()))
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(micros)
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))."
            + String(repeating: "0", count: 6 - fraction.count) + fraction + "+00"
    }
}

/// Lets a value held as `Any` say whether it is an empty optional.
protocol OptionalValue {
    var wrappedValue: Any? { get }
}

extension Optional: OptionalValue {
    var wrappedValue: Any? { self.map { $0 as Any } }
}
