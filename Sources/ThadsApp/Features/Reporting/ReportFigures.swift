import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// One group of cases in a report: those of one unit, officer and judgment kind that stand in `status` at the
/// period's end and were carried over or accepted within it, with their money. Every form is a sum of these rows,
/// so a locked period keeps its rows as they were (`PeriodLock.snapshot`) and any later report composes the same way.
struct FigureRow: Codable, Sendable, Hashable {
    var unitID: UUID
    var officerID: UUID?
    var kindCode: String
    var status: CaseStatus
    var carried: Bool
    var cases: Int
    var owed: Int64
    var collected: Int64
}

/// Forms 01 and 02 side by side for one group.
struct Figures: Sendable, Hashable, Codable {
    var cases = CaseResults()
    var money = MoneyResults()

    mutating func add(_ row: FigureRow) {
        cases.add(row.cases, carried: row.carried, atEnd: row.status)
        money.add(owed: row.owed, collected: row.collected, carried: row.carried, atEnd: row.status)
    }

    static func sum(_ rows: some Sequence<FigureRow>) -> Figures {
        rows.reduce(into: Figures()) { $0.add($1) }
    }
}

/// The reads behind the forms, over `CaseStates`' spans and the collections.
enum ReportFigures {
    /// The closed statuses, as stored: a case closed before the period starts is not in it.
    private static let closed = CaseStatus.allCases.filter(\.isClosed).map(\.rawValue)

    /// The spans standing at the period's end that the period counts, for the units given (every unit when nil).
    private static func counted(_ period: ReportingPeriod, units: [UUID]?, alias: String = "s") -> SQLQueryString {
        let s = alias
        let unitFilter: SQLQueryString = units.map { " AND \(unsafeRaw: s).unit_id IN (\(binds: $0))" } ?? ""
        return """
            \(unsafeRaw: s).from_on <= \(bind: period.end.iso)
            AND (\(unsafeRaw: s).to_on IS NULL OR \(unsafeRaw: s).to_on > \(bind: period.end.iso))
            AND NOT (\(unsafeRaw: s).status IN (\(binds: closed)) AND \(unsafeRaw: s).from_on < \(bind: period.start.iso))\(unitFilter)
            """
    }

    /// What a report needs beyond the counts by unit, kind and status: form 02's money, form 05's officers. A count
    /// alone reads the spans' covering index only; money joins the collections, officers multiply the groups.
    struct Detail: Sendable, Hashable {
        var money: Bool
        var officers: Bool

        static let all = Detail(money: true, officers: true)
    }

    /// The rows of `period` for `units` (every unit when nil), computed from the spans now.
    static func rows(
        _ period: ReportingPeriod, units: [UUID]?, detail: Detail = .all, on db: any Database
    ) async throws -> [FigureRow] {
        if let units, units.isEmpty { return [] }
        struct Row: Decodable {
            let unit: UUID
            let officer: UUID?
            let kind: String
            let status: String
            let carried: Int
            let cases: Int
            let owed: Int64?
            let collected: Int64?
        }
        let start = period.start.iso
        let end = period.end.iso
        let officer: SQLQueryString = detail.officers ? "s.officer_id" : "NULL"
        let query: SQLQueryString
        if detail.money {
            query = """
                SELECT unit_id AS unit, officer_id AS officer, kind_code AS kind, status, carried, COUNT(*) AS cases,
                    CAST(SUM(owed) AS BIGINT) AS owed,
                    CAST(SUM(CASE WHEN paid_within < owed THEN paid_within ELSE owed END) AS BIGINT) AS collected
                FROM (
                    SELECT s.unit_id, \(officer) AS officer_id, s.kind_code, s.status,
                        CASE WHEN s.opened_on < \(bind: start) THEN 1 ELSE 0 END AS carried,
                        CASE WHEN s.ordered > COALESCE(m.before_start, 0) THEN s.ordered - COALESCE(m.before_start, 0)
                            ELSE 0 END AS owed,
                        COALESCE(m.paid_within, 0) AS paid_within
                    FROM report_case_states s
                    LEFT JOIN (
                        SELECT case_id,
                            SUM(CASE WHEN occurred_on < \(bind: start) THEN amount ELSE 0 END) AS before_start,
                            SUM(CASE WHEN occurred_on >= \(bind: start) THEN amount ELSE 0 END) AS paid_within
                        FROM case_money WHERE direction = 'collected' AND occurred_on <= \(bind: end)
                            AND case_id IN (SELECT c.case_id FROM report_case_states c WHERE \(counted(period, units: units, alias: "c")))
                        GROUP BY case_id
                    ) m ON m.case_id = s.case_id
                    WHERE \(counted(period, units: units))
                ) t
                GROUP BY unit_id, officer_id, kind_code, status, carried
                """
        } else {
            // Grouped by the inner query's columns: PostgreSQL does not match a repeated expression that holds a
            // bound parameter, nor take a constant in GROUP BY.
            query = """
                SELECT unit, officer, kind, status, carried, COUNT(*) AS cases,
                    CAST(0 AS BIGINT) AS owed, CAST(0 AS BIGINT) AS collected
                FROM (
                    SELECT s.unit_id AS unit, \(officer) AS officer, s.kind_code AS kind, s.status,
                        CASE WHEN s.opened_on < \(bind: start) THEN 1 ELSE 0 END AS carried
                    FROM report_case_states s
                    WHERE \(counted(period, units: units))
                ) t
                GROUP BY unit, officer, kind, status, carried
                """
        }
        let rows = try await db.sql.raw(query).all(decoding: Row.self)
        return rows.compactMap { row in
            guard let status = CaseStatus(rawValue: row.status) else { return nil }
            return FigureRow(
                unitID: row.unit, officerID: row.officer, kindCode: row.kind, status: status,
                carried: row.carried == 1, cases: row.cases, owed: row.owed ?? 0, collected: row.collected ?? 0)
        }
    }

    /// Which cases make one figure, for the drill-down: up to `limit` case ids and codes, ordered by code.
    static func cases(
        _ period: ReportingPeriod, units: [UUID], statuses: [CaseStatus], carried: Bool?, kindCode: String?,
        limit: Int, offset: Int, on db: any Database
    ) async throws -> [(id: UUID, code: String, status: CaseStatus)] {
        guard !units.isEmpty, !statuses.isEmpty else { return [] }
        struct Row: Decodable {
            let id: UUID
            let code: String
            let status: String
        }
        var extra: SQLQueryString = " AND s.status IN (\(binds: statuses.map(\.rawValue)))"
        if let carried {
            extra =
                extra
                + (carried
                    ? " AND s.opened_on < \(bind: period.start.iso)" : " AND s.opened_on >= \(bind: period.start.iso)")
        }
        if let kindCode { extra = extra + " AND s.kind_code = \(bind: kindCode)" }
        return try await db.sql.raw(
            """
            SELECT c.id, c.code, s.status FROM report_case_states s JOIN enforcement_cases c ON c.id = s.case_id
            WHERE \(counted(period, units: units))\(extra)
            ORDER BY c.code LIMIT \(literal: limit) OFFSET \(literal: offset)
            """
        ).all(decoding: Row.self).compactMap { row in
            CaseStatus(rawValue: row.status).map { (row.id, row.code, $0) }
        }
    }
}
