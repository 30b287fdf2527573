import Fluent
import NIOConcurrencyHelpers
import PostgresKit
import SQLKit
import SQLiteKit
import Vapor

/// The rows of several tables, each filtered on one column. On SQLite they are read in one statement, a UNION ALL
/// with one branch per table: the case page reads eight small lists, and each statement costs a prepare and a trip
/// through the driver's thread pool. SQLite columns carry no type, so every branch lists its fields bare (no table
/// prefix, no alias: SQLite parses the text again on every request) and is padded with NULLs to the widest table;
/// rows are decoded by position. PostgreSQL's UNION needs one type per column, so there each branch gives its rows
/// as JSON text (`row_to_json`), read back by `JSONRow`; a single table is read by column name. Reads made on every
/// view of a page are named (`read(_:named:on:)`) and go to PostgreSQL as prepared statements.
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

    /// PostgreSQL, one table: its rows, read by column name.
    private var namedRows: [Int: [any SQLRow]] = [:]
    /// PostgreSQL, several tables: each branch's rows as JSON objects.
    private var jsonRows: [Int: [JSONRow]] = [:]
    /// SQLite: each branch's rows as values in the branch's field order (after the branch number).
    private var positionalRows: [Int: [ArraySlice<SQLiteData>]] = [:]
    /// SQLite: each branch's field keys and their positions.
    private var positions: [Int: [String: Int]] = [:]

    /// The models of branch `index` (in the order the branches were given).
    func models<M: Model>(_ type: M.Type, branch index: Int) throws -> [M] {
        if let rows = positionalRows[index] {
            let output = positions[index] ?? [:]
            return try rows.map { values in
                let model = M()
                try model.output(from: SQLiteValuesOutput(values: values, positions: output))
                return model
            }
        }
        if let rows = jsonRows[index] {
            return try rows.map { row in
                let model = M()
                try model.output(from: row)
                return model
            }
        }
        return try (namedRows[index] ?? []).map { try ModelRows.decode(M.self, from: $0) }
    }

    /// As `read(_:on:)`, for a read made on every view of a page: on PostgreSQL it goes as a prepared statement
    /// named by `name` (`PreparedRead`), since planning the case page's eight-branch union afresh cost more of
    /// PostgreSQL's time than running it. The branches must be the same tables and columns at every call.
    static func read<Name: RowSetsName>(_ branches: [Branch], named name: Name.Type, on db: any Database)
        async throws -> ModelRowSets
    {
        guard try db.kind == .postgres else { return try await read(branches, on: db) }
        func text() -> String {
            branches.count == 1 ? singleTableText(branches[0]) + "$1" : postgresUnionText(branches)
        }
        // The text is made once per name; debug builds check that a name always stands for the same text.
        let key = ObjectIdentifier(Name.self)
        let known = preparedTexts.withLockedValue { $0[key] }
        if known == nil { preparedTexts.withLockedValue { $0[key] = text() } }
        assert(known == nil || known == text(), "\(Name.self) names two different reads")
        guard let rows = try await UnionRead<Name>(values: branches.map(\.value)).rows(on: db) else {
            return try await read(branches, on: db)
        }
        guard branches.count > 1 else {
            var sets = ModelRowSets()
            sets.namedRows[0] = rows
            return sets
        }
        return try jsonRowSets(rows, branches: branches.count)
    }

    /// The texts of the named reads, by name.
    fileprivate static let preparedTexts = NIOLockedValueBox<[ObjectIdentifier: String]>([:])

    /// The union of the branches with `$1`, `$2`… for their values: each branch's rows as JSON text, so that the
    /// branches need not agree on their columns' types.
    private static func postgresUnionText(_ branches: [Branch]) -> String {
        branches.enumerated().map { index, branch in postgresBranchHead(index, branch) + "$\(index + 1)) t" }
            .joined()
    }

    /// One branch of the union up to its value.
    private static func postgresBranchHead(_ index: Int, _ branch: Branch) -> String {
        (index == 0 ? "" : " UNION ALL ") + "SELECT \(index) AS b, row_to_json(t)::text AS r FROM ("
            + singleTableText(branch)
    }

    private static func jsonRowSets(_ rows: [any SQLRow], branches: Int) throws -> ModelRowSets {
        var sets = ModelRowSets()
        for index in 0..<branches { sets.jsonRows[index] = [] }
        for row in rows {
            let branch = try row.decode(column: "b", as: Int.self)
            let text = try row.decode(column: "r", as: String.self)
            guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw Abort(.internalServerError, reason: "row of branch \(branch) is not a JSON object")
            }
            sets.jsonRows[branch, default: []].append(JSONRow(object))
        }
        return sets
    }

    static func read(_ branches: [Branch], on db: any Database) async throws -> ModelRowSets {
        let sql = try db.sql
        if try sql.kind == .postgres {
            if branches.count == 1 {
                var query = SQLQueryString(singleTableText(branches[0]))
                query.appendInterpolation(bind: branches[0].value)
                var sets = ModelRowSets()
                sets.namedRows[0] = try await sql.raw(query).all()
                return sets
            }
            var query = SQLQueryString("")
            for (index, branch) in branches.enumerated() {
                query.appendLiteral(postgresBranchHead(index, branch))
                query.appendInterpolation(bind: branch.value)
                query.appendLiteral(") t")
            }
            return try jsonRowSets(try await sql.raw(query).all(), branches: branches.count)
        }
        guard let sqlite = db as? any SQLiteDatabase else {
            throw Abort(.internalServerError, reason: "\(sql.dialect.name) is neither SQLite nor PostgreSQL")
        }
        let (text, positions) = unionText(branches)
        var binds: [SQLiteData] = []
        for branch in branches {
            guard let bind = BulkInsert.sqliteData(branch.value) else {
                throw Abort(.internalServerError, reason: "no SQLite form for \(type(of: branch.value))")
            }
            binds.append(bind)
        }
        var sets = ModelRowSets()
        sets.positions = positions
        for index in branches.indices { sets.positionalRows[index] = [] }
        for row in try await sqlite.query(text, binds) {
            let values = row.columns.map(\.data)
            guard case .integer(let branch) = values.first else { continue }
            sets.positionalRows[branch, default: []].append(values.dropFirst())
        }
        return sets
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

    private static let unionTexts = NIOLockedValueBox<[String: (String, [Int: [String: Int]])]>([:])

    /// The UNION ALL of the branches (one bind each, in order) and each branch's field positions, made once per
    /// list of branches.
    private static func unionText(_ branches: [Branch]) -> (String, [Int: [String: Int]]) {
        let cacheKey = branches.map { $0.table + "." + $0.column }.joined(separator: ",")
        if let cached = unionTexts.withLockedValue({ $0[cacheKey] }) { return cached }
        let width = branches.map(\.keys.count).max() ?? 0
        let text: String = branches.enumerated().map { index, branch in
            let columns: [String] =
                ["\(index)"] + branch.keys.map { "\"\($0)\"" }
                + Array(repeating: "NULL", count: width - branch.keys.count)
            return "SELECT \(columns.joined(separator: ",")) FROM \"\(branch.table)\" WHERE \"\(branch.column)\"=?"
        }.joined(separator: " UNION ALL ")
        let positions = Dictionary(
            uniqueKeysWithValues: branches.enumerated().map { index, branch in
                (index, ModelRows.positions(table: branch.table, keys: branch.keys))
            })
        unionTexts.withLockedValue { $0[cacheKey] = (text, positions) }
        return (text, positions)
    }
}

extension ModelRows {
    private static let sqlitePositions = NIOLockedValueBox<[String: [String: Int]]>([:])

    /// Each field key of `table`'s model and its place among `keys`, for rows read by position (SQLite), made once
    /// per table.
    static func positions(table: String, keys: [String]) -> [String: Int] {
        if let cached = sqlitePositions.withLockedValue({ $0[table] }) { return cached }
        let positions = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        sqlitePositions.withLockedValue { $0[table] = positions }
        return positions
    }

    /// `"alias"."key", …` over every field of `M`, bare: SQLite parses a statement's text on every run, and a read
    /// whose columns are taken by position needs no alias for each.
    static func bareColumns<M: Model>(_ type: M.Type, alias: String) -> String {
        keys(M.self).map { "\(alias).\"\($0)\"" }.joined(separator: ",")
    }

    /// SQLite: the `M` whose fields are `values[offset…]` in the order of `bareColumns`, and the offset after them.
    static func decode<M: Model>(_ type: M.Type, sqliteValues values: [SQLiteData], at offset: Int) throws -> (M, Int) {
        let positions = positions(table: M.schema, keys: keys(M.self))
        let end = offset + positions.count
        guard values.count >= end else {
            throw FluentError.missingField(name: "\(M.schema): \(values.count - offset) of \(positions.count) columns")
        }
        let model = M()
        try model.output(from: SQLiteValuesOutput(values: values[offset..<end], positions: positions))
        return (model, end)
    }
}

/// One SQLite row's values in a model's field order, read as that model's fields.
private struct SQLiteValuesOutput: DatabaseOutput {
    static let decoder = SQLiteDataDecoder()
    let values: ArraySlice<SQLiteData>
    let positions: [String: Int]

    var description: String { "\(values)" }
    func schema(_ schema: String) -> any DatabaseOutput { self }
    private func value(_ key: FieldKey) throws -> SQLiteData {
        guard let position = positions[key.description] else { throw FluentError.missingField(name: key.description) }
        return values[values.startIndex + position]
    }
    func contains(_ key: FieldKey) -> Bool { positions[key.description] != nil }
    func decodeNil(_ key: FieldKey) throws -> Bool { try value(key) == .null }
    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        try Self.decoder.decode(T.self, from: value(key))
    }
}

/// Names a read made on every view of a page (`ModelRowSets.read(_:named:on:)`).
protocol RowSetsName {}

/// The read of one `M` by its primary key.
enum ModelByID<M: Model>: RowSetsName {}

/// A named read as PostgreSQL prepares it.
private struct UnionRead<Name: RowSetsName>: PreparedRead {
    static var sql: String { ModelRowSets.preparedTexts.withLockedValue { $0[ObjectIdentifier(Name.self)] ?? "" } }

    let values: [any Encodable & Sendable]

    struct NoPostgresForm: Error {
        let type: String
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values {
            guard let encodable = value as? any PostgresThrowingDynamicTypeEncodable else {
                throw NoPostgresForm(type: String(describing: Swift.type(of: value)))
            }
            try bindings.append(encodable)
        }
        return bindings
    }
}
