import Fluent
import Foundation
import SQLKit

/// Named, gap-free counters: case codes per unit and statistical year, and later tracking codes and receipt numbers
/// per unit, year and series. A number is taken inside the caller's transaction, so a change that rolls back gives
/// its number back (no gap), and two takers of the same counter queue on its row (no repeat): on PostgreSQL on the
/// row lock of the UPDATE, on SQLite on the single writer.
enum Sequences {
    /// Which counter: a series ("case-code", "receipt"), the scope it counts within (a unit's id, or "" for the
    /// whole country) and the period (a year, or 0 for none).
    struct Key: Hashable, Sendable {
        let series: String
        let scope: String
        let period: Int

        init(series: String, scope: String = "", period: Int = 0) {
            self.series = series
            self.scope = scope
            self.period = period
        }

        init(series: String, unitID: UUID, period: Int) {
            self.init(series: series, scope: unitID.uuidString, period: period)
        }
    }

    /// Takes `count` consecutive numbers of the counter in the caller's transaction (an import takes thousands at
    /// once); returns the first. A counter starts at 1.
    static func take(_ key: Key, count: Int = 1, on db: any Database) async throws -> Int {
        precondition(count > 0, "a sequence hands out at least one number")
        if let last = try await bump(key, by: count, on: db) { return last - count + 1 }
        // First use: create the row at 0 unless another transaction just did (then wait for it and go on from its
        // value), and bump again.
        try await db.sql.raw(
            """
            INSERT INTO sequence_counters (id, series, scope, period, last_value)
            VALUES (\(bind: UUID()), \(bind: key.series), \(bind: key.scope), \(bind: key.period), 0)
            ON CONFLICT (series, scope, period) DO NOTHING
            """
        ).run()
        guard let last = try await bump(key, by: count, on: db) else {
            throw SequenceMissing(series: key.series)
        }
        return last - count + 1
    }

    /// The last number handed out, 0 before the first.
    static func current(_ key: Key, on db: any Database) async throws -> Int {
        try await SequenceCounter.query(on: db).filter(\.$series == key.series).filter(\.$scope == key.scope)
            .filter(\.$period == key.period).first()?.lastValue ?? 0
    }

    /// Sets a counter to at least `value` (a bulk load that numbered its rows itself), in the caller's transaction.
    static func raise(_ key: Key, to value: Int, on db: any Database) async throws {
        let current = try await current(key, on: db)
        if value > current { _ = try await take(key, count: value - current, on: db) }
    }

    private static func bump(_ key: Key, by count: Int, on db: any Database) async throws -> Int? {
        struct Row: Decodable {
            let lastValue: Int
            enum CodingKeys: String, CodingKey { case lastValue = "last_value" }
        }
        return try await db.sql.raw(
            """
            UPDATE sequence_counters SET last_value = last_value + \(bind: count)
            WHERE series = \(bind: key.series) AND scope = \(bind: key.scope) AND period = \(bind: key.period)
            RETURNING last_value
            """
        ).first(decoding: Row.self)?.lastValue
    }

    struct SequenceMissing: Error {
        let series: String
    }
}

/// One counter's row.
final class SequenceCounter: Model, @unchecked Sendable {
    var properties: [any AnyProperty] { [$id, $series, $scope, $period, $lastValue] }
    static let schema = "sequence_counters"
    @ID(key: .id) var id: UUID?
    @Field(key: "series") var series: String
    @Field(key: "scope") var scope: String
    @Field(key: "period") var period: Int
    @Field(key: "last_value") var lastValue: Int

    init() {}
}

struct CreateSequences: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SequenceCounter.schema)
            .id()
            .field("series", .string, .required)
            .field("scope", .string, .required)
            .field("period", .int, .required)
            .field("last_value", .int, .required)
            .unique(on: "series", "scope", "period")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SequenceCounter.schema).delete()
    }
}
