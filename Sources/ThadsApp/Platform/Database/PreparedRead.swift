import FluentKit
import PostgresKit
import SQLKit

/// A read whose text never changes and which runs on (nearly) every request. On PostgreSQL it goes as a prepared
/// statement: prepared once per connection and, after a few runs, planned once. An unnamed statement is parsed and
/// planned afresh each time: under load on the case page PostgreSQL spent 43 % of its time planning and 16 %
/// parsing, 5 % running (`docs/performance.md`). SQLite's driver keeps no statements, so there the caller reads the
/// rows its usual way.
protocol PreparedRead: PostgresPreparedStatement where Row == PostgresRow {}

extension PreparedRead {
    /// The statement's name on the connection, e.g. `UnionRead<CasePageLists>`. PostgreSQL cuts names at 63 bytes,
    /// and PostgresNIO's default (the type's full reflection, with its module and file context) made two reads
    /// share a name there.
    static var name: String {
        let name = String(describing: Self.self)
        precondition(name.utf8.count <= 63, "prepared statement name longer than PostgreSQL keeps: \(name)")
        return name
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }

    /// The rows, read by column name like any SQLKit row, when `db` is PostgreSQL; nil on SQLite.
    func rows(on db: any Database) async throws -> [any SQLRow]? {
        guard (try? db.kind) == .postgres, let postgres = db as? any PostgresDatabase
        else { return nil }
        let logger = db.logger
        return try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var rows: [any SQLRow] = []
                for try await row in try await connection.execute(self, logger: logger) { rows.append(row.sql()) }
                return rows
            }
        }.get()
    }
}
