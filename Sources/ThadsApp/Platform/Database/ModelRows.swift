import Fluent
import FluentSQL
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Reads of whole models by SQL text made once per model, for what every signed-in request and every case page
/// reads. Fluent builds the SQL of each query anew and quotes every identifier with a string search: on the case
/// page that was a quarter of the CPU. The text here is plain ANSI SQL (double-quoted identifiers), the same on
/// SQLite and PostgreSQL; values are always bound, never spliced.
enum ModelRows {
    private static let columnLists = NIOLockedValueBox<[String: String]>([:])
    private static let fieldKeys = NIOLockedValueBox<[String: [String]]>([:])

    /// The field keys of `M`, worked out once per model: Fluent's `Model.keys` makes a model and walks its
    /// properties on every call.
    static func keys<M: Model>(_ type: M.Type) -> [String] {
        if let cached = fieldKeys.withLockedValue({ $0[M.schema] }) { return cached }
        let keys = M.keys.map(\.description)
        fieldKeys.withLockedValue { $0[M.schema] = keys }
        return keys
    }

    /// `"alias"."key" AS "prefixkey", …` over every field of `M`, made once per model, alias and prefix.
    static func columns<M: Model>(_ type: M.Type, alias: String, prefix: String = "") -> String {
        let cacheKey = "\(M.schema)|\(alias)|\(prefix)"
        if let cached = columnLists.withLockedValue({ $0[cacheKey] }) { return cached }
        let list = columns(keys: keys(M.self), alias: alias, prefix: prefix)
        columnLists.withLockedValue { $0[cacheKey] = list }
        return list
    }

    /// `"alias"."key" AS "prefixkey", …` over the given field keys.
    static func columns(keys: [String], alias: String, prefix: String = "") -> String {
        keys.map { "\"\(alias)\".\"\($0)\" AS \"\(prefix)\($0)\"" }.joined(separator: ", ")
    }

    /// The column name of a model's field, for WHERE clauses.
    static func column<M: Model, P: AnyQueryableProperty>(_ field: KeyPath<M, P>) -> String {
        M.path(for: field).map(\.description).joined(separator: ".")
    }

    /// A model from a row whose columns carry `prefix` (as `columns(_:alias:prefix:)` names them).
    static func decode<M: Model>(_ type: M.Type, from row: any SQLRow, prefix: String = "") throws -> M {
        let model = M()
        try model.output(from: RowFieldsOutput(row: row, prefix: prefix))
        return model
    }
}

/// A row read as one model's fields: each field from the column `prefix + key`.
private struct RowFieldsOutput: DatabaseOutput {
    let row: any SQLRow
    var prefix = ""

    var description: String { "\(row)" }
    func schema(_ schema: String) -> any DatabaseOutput { self }
    private func column(_ key: FieldKey) -> String { prefix + key.description }
    func contains(_ key: FieldKey) -> Bool { row.contains(column: column(key)) }
    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: column(key)) }
    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        try row.decode(column: column(key), as: T.self)
    }
}

extension Database {
    /// Every `M` whose `field` equals `value`, in no particular order (the callers' lists are a few rows each and
    /// are sorted in memory): `ModelRowSets` with one table. A read made on every view of a page gives a `name`, and
    /// PostgreSQL then keeps its plan.
    func models<M: Model, P: AnyQueryableProperty>(
        _ type: M.Type, where field: KeyPath<M, P>, equals value: some Encodable & Sendable,
        named name: (some RowSetsName).Type = Unnamed.self
    ) async throws -> [M] {
        let branch = ModelRowSets.Branch.of(M.self, where: field, equals: value)
        let sets =
            name == Unnamed.self
            ? try await ModelRowSets.read([branch], on: self)
            : try await ModelRowSets.read([branch], named: name, on: self)
        return try sets.models(M.self, branch: 0)
    }

    /// The `M` with primary key `id`, or nil.
    func model<M: Model>(_ type: M.Type, id: UUID) async throws -> M? where M.IDValue == UUID {
        try await models(M.self, where: \M._$id, equals: id, named: ModelByID<M>.self).first
    }
}

/// No name: the read is planned afresh each time.
enum Unnamed: RowSetsName {}
