import SQLKit

extension SQLDatabase {
    /// `column IN (…)` over many values: on PostgreSQL one array bind (`= ANY($1)`), because its planner pays for
    /// every element of an IN list of binds (a lookup of 500 keys spent more time planned than run); on SQLite, which
    /// has no arrays, the IN list. `column` is SQL written by the caller, never user input.
    func isOneOf(_ column: String, _ values: [some Encodable & Sendable]) -> SQLQueryString {
        (try? kind) == .postgres
            ? "\(unsafeRaw: column) = ANY(\(bind: values))" : "\(unsafeRaw: column) IN (\(binds: values))"
    }
}
