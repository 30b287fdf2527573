import FluentKit

extension BulkInsert {
    /// New models of one type as one bulk insert, columns in the model's field order: for a batch that builds its
    /// rows as models (so they pass through the same code as a single save) but writes thousands at once. A field
    /// never set writes NULL: the tables hold no other column defaults, and a required one refuses it loudly.
    static func models<M: Model>(_ models: [M]) -> BulkInsert {
        var bulk = BulkInsert(M.schema, M.keys.map(\.description))
        for model in models {
            let input = RowInput()
            model.input(to: input)
            precondition(input.keys == bulk.columns, "\(M.schema): a model's fields do not match its keys")
            bulk.add(input.values)
        }
        return bulk
    }
}

/// Collects a model's values as Fluent would send them to the database.
private final class RowInput: DatabaseInput {
    var keys: [String] = []
    var values: [any Encodable & Sendable] = []
    var wantsUnmodifiedKeys: Bool { true }

    func set(_ value: DatabaseQuery.Value, at key: FieldKey) {
        keys.append(key.description)
        switch value {
        case .bind(let bound): values.append(bound)
        case .enumCase(let raw): values.append(raw)
        case .null, .default: values.append(String?.none)
        case .array, .dictionary, .custom:
            preconditionFailure("\(key): a bulk insert takes plain set values only")
        }
    }
}
