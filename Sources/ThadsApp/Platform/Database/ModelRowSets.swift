import Fluent
import NIOConcurrencyHelpers
import SQLKit

/// The rows of several tables, each filtered on one column. On SQLite they are read in one statement, a UNION ALL
/// with one branch per table padded with NULLs in the other tables' columns: the case page reads eight small lists,
/// and each statement costs a prepare and a trip through the driver's thread pool. PostgreSQL parses and plans such
/// a wide UNION (its NULLs must be cast to each column's type) slower than eight small statements, so there each
/// table is read by its own statement.
struct ModelRowSets {
    /// One table's rows: those whose `column` equals `value`.
    struct Branch: Sendable {
        let table: String
        let keys: [String]
        let column: String
        let value: any Encodable & Sendable

        static func of<M: Model, P: AnyQueryableProperty>(
            _ type: M.Type, where field: KeyPath<M, P>, equals value: some Encodable & Sendable
        ) -> Branch {
            Branch(
                table: M.schema, keys: M.keys.map(\.description), column: ModelRows.column(field), value: value)
        }
    }

    private let rows: [Int: [any SQLRow]]

    /// The models of branch `index` (in the order the branches were given).
    func models<M: Model>(_ type: M.Type, branch index: Int) throws -> [M] {
        try (rows[index] ?? []).map { try ModelRows.decode(M.self, from: $0, prefix: "m\(index)_") }
    }

    static func read(_ branches: [Branch], on db: any Database) async throws -> ModelRowSets {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            var rows: [Int: [any SQLRow]] = [:]
            for (index, branch) in branches.enumerated() {
                let query: SQLQueryString = """
                    SELECT \(unsafeRaw: columns(of: branch, prefix: "m\(index)_")) FROM "\(unsafeRaw: branch.table)" \
                    WHERE "\(unsafeRaw: branch.column)" = \(bind: branch.value)
                    """
                rows[index] = try await sql.raw(query).all()
            }
            return ModelRowSets(rows: rows)
        }
        let texts = branchTexts(branches)
        var query = SQLQueryString("")
        for (index, branch) in branches.enumerated() {
            query.appendLiteral(index == 0 ? texts[index] : " UNION ALL " + texts[index])
            query.appendInterpolation(bind: branch.value)
        }
        var rows: [Int: [any SQLRow]] = [:]
        for row in try await sql.raw(query).all() {
            rows[try row.decode(column: "branch", as: Int.self), default: []].append(row)
        }
        return ModelRowSets(rows: rows)
    }

    private static let texts = NIOLockedValueBox<[String: [String]]>([:])

    private static func columns(of branch: Branch, prefix: String) -> String {
        branch.keys.map { "\"\($0)\" AS \"\(prefix)\($0)\"" }.joined(separator: ", ")
    }

    /// Each branch's `SELECT … WHERE "table"."column" = ` (its value is bound after it), made once per list of
    /// branches.
    private static func branchTexts(_ branches: [Branch]) -> [String] {
        let cacheKey = branches.map { $0.table + "." + $0.column }.joined(separator: ",")
        if let cached = texts.withLockedValue({ $0[cacheKey] }) { return cached }
        let made = branches.enumerated().map { index, branch in
            var columns = ["\(index) AS \"branch\""]
            for (other, otherBranch) in branches.enumerated() {
                for key in otherBranch.keys {
                    columns.append(
                        other == index
                            ? "\"\(branch.table)\".\"\(key)\" AS \"m\(other)_\(key)\"" : "NULL AS \"m\(other)_\(key)\"")
                }
            }
            return "SELECT \(columns.joined(separator: ", ")) FROM \"\(branch.table)\" "
                + "WHERE \"\(branch.table)\".\"\(branch.column)\" = "
        }
        texts.withLockedValue { $0[cacheKey] = made }
        return made
    }
}
