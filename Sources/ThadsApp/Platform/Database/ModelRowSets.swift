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
                table: M.schema, keys: ModelRows.keys(M.self), column: ModelRows.column(field), value: value)
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
                var query = SQLQueryString(singleTableText(branch))
                query.appendInterpolation(bind: branch.value)
                rows[index] = try await sql.raw(query).all()
            }
            return ModelRowSets(rows: rows, columnNames: [:])
        }
        let (texts, names) = unionTexts(branches)
        var query = SQLQueryString("")
        for (index, branch) in branches.enumerated() {
            query.appendLiteral(index == 0 ? texts[index] : " UNION ALL " + texts[index])
            query.appendInterpolation(bind: branch.value)
        }
        var rows: [Int: [any SQLRow]] = [:]
        for row in try await sql.raw(query).all() {
            rows[try row.decode(column: "branch", as: Int.self), default: []].append(row)
        }
        return ModelRowSets(rows: rows, columnNames: names)
    }

    private static let singleTableTexts = NIOLockedValueBox<[String: String]>([:])

    /// `SELECT … FROM "table" WHERE "column" = ` (the value is bound after it), made once per table and column.
    private static func singleTableText(_ branch: Branch) -> String {
        let cacheKey = branch.table + "." + branch.column
        if let cached = singleTableTexts.withLockedValue({ $0[cacheKey] }) { return cached }
        let text =
            "SELECT \(ModelRows.columns(keys: branch.keys, alias: branch.table)) FROM \"\(branch.table)\" "
            + "WHERE \"\(branch.column)\" = "
        singleTableTexts.withLockedValue { $0[cacheKey] = text }
        return text
    }

    private static let unionTextsMade = NIOLockedValueBox<[String: ([String], [Int: [String: String]])]>([:])

    /// Each branch's `SELECT … WHERE "table"."column" = ` (its value is bound after it), and for each branch the
    /// positional column of each field key, made once per list of branches.
    private static func unionTexts(_ branches: [Branch]) -> ([String], [Int: [String: String]]) {
        let cacheKey = branches.map { $0.table + "." + $0.column }.joined(separator: ",")
        if let cached = unionTextsMade.withLockedValue({ $0[cacheKey] }) { return cached }
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
        let names = Dictionary(
            uniqueKeysWithValues: branches.enumerated().map { index, branch in
                (index, Dictionary(uniqueKeysWithValues: branch.keys.enumerated().map { ($1, "c\($0)") }))
            })
        unionTextsMade.withLockedValue { $0[cacheKey] = (made, names) }
        return (made, names)
    }
}
