import Foundation
import SQLKit

/// Per-unit figures filled by counting queries (`SELECT <unit> AS unit, COUNT(*) AS n … GROUP BY <unit>`): the usage
/// report and the overview add each query's counts into one field of each unit's figures.
struct UnitCounts<Figures: Sendable>: Sendable {
    private(set) var figures: [UUID: Figures] = [:]
    let empty: Figures
    let sql: any SQLDatabase

    init(empty: Figures, sql: any SQLDatabase) {
        self.empty = empty
        self.sql = sql
    }

    mutating func add(_ query: SQLQueryString, into path: WritableKeyPath<Figures, Int>) async throws {
        for row in try await sql.raw(query).all(decoding: UnitCount.self) {
            guard let unit = row.unit else { continue }
            var current = figures[unit] ?? empty
            current[keyPath: path] += row.n
            figures[unit] = current
        }
    }
}

/// One row of a per-unit count.
private struct UnitCount: Decodable {
    let unit: UUID?
    let n: Int
}
