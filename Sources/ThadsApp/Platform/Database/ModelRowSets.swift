import Fluent
import NIOConcurrencyHelpers
import SQLKit

/// The rows of several tables, each filtered on one column. On SQLite they are read in one statement, a UNION ALL
/// with one branch per table: the case page reads eight small lists, and each statement costs a prepare and a trip
/// through the driver's thread pool. SQLite columns carry no type, so every branch puts its fields in the same
/// positional columns `c0`, `c1`, … (padded with NULLs to the widest table), which keeps the statement short to
/// prepare. PostgreSQL's UNION needs one type per column, so there each table is read by its own statement.
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
    /// For each branch, the column each field key was read into when it is not the key itself.
    private let columnNames: [Int: [String: String]]

    /// The models of branch `index` (in the order the branches were given).
    func models<M: Model>(_ type: M.Type, branch index: Int) throws -> [M] {
        let names = columnNames[index] ?? [:]
        return try (rows[index] ?? []).map { try ModelRows.decode(M.self, from: $0, renamed: names) }
    }

    static func read(_ branches: [Branch], on db: any Database) async throws -> ModelRowSets {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            var rows: [Int: [any SQLRow]] = [:]
            for (index, branch) in branches.enumerated() {
                let query: SQLQueryString = """
                    SELECT \(unsafeRaw: ModelRows.columns(keys: branch.keys, alias: branch.table)) \
                    FROM "\(unsafeRaw: branch.table)" WHERE "\(unsafeRaw: branch.column)" = \(bind: branch.value)
                    """
                rows[index] = try await sql.raw(query).all()
            }
            return ModelRowSets(rows: rows, columnNames: [:])
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
        let names = branches.indices.map { index in
            Dictionary(uniqueKeysWithValues: branches[index].keys.enumerated().map { ($1, "c\($0)") })
        }
        return ModelRowSets(rows: rows, columnNames: Dictionary(uniqueKeysWithValues: names.enumerated().map { $0 }))
    }

    private static let texts = NIOLockedValueBox<[String: [String]]>([:])

    /// Each branch's `SELECT … WHERE "table"."column" = ` (its value is bound after it), made once per list of
    /// branches.
    private static func branchTexts(_ branches: [Branch]) -> [String] {
        let cacheKey = branches.map { $0.table + "." + $0.column }.joined(separator: ",")
        if let cached = texts.withLockedValue({ $0[cacheKey] }) { return cached }
        let width = branches.map(\.keys.count).max() ?? 0
        let made = branches.enumerated().map { index, branch in
            let columns =
                ["\(index) AS \"branch\""]
                + (0..<width).map { position in
                    position < branch.keys.count
                        ? "\"\(branch.table)\".\"\(branch.keys[position])\" AS \"c\(position)\""
                        : "NULL AS \"c\(position)\""
                }
            return "SELECT \(columns.joined(separator: ", ")) FROM \"\(branch.table)\" "
                + "WHERE \"\(branch.table)\".\"\(branch.column)\" = "
        }
        texts.withLockedValue { $0[cacheKey] = made }
        return made
    }
}
