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
    /// In the separate tracking book at the period's end.
    var inSeparateBook = false
    var cases: Int
    var owed: Int64
    var collected: Int64
    /// The state budget's part of `owed` and `collected` (form 03).
    var budgetOwed: Int64 = 0
    var budgetCollected: Int64 = 0

    init(
        unitID: UUID, officerID: UUID?, kindCode: String, status: CaseStatus, carried: Bool,
        inSeparateBook: Bool = false, cases: Int, owed: Int64, collected: Int64, budgetOwed: Int64 = 0,
        budgetCollected: Int64 = 0
    ) {
        self.unitID = unitID
        self.officerID = officerID
        self.kindCode = kindCode
        self.status = status
        self.carried = carried
        self.inSeparateBook = inSeparateBook
        self.cases = cases
        self.owed = owed
        self.collected = collected
        self.budgetOwed = budgetOwed
        self.budgetCollected = budgetCollected
    }

    /// Snapshots locked before the separate book and form 03 were counted read as outside the book, with no budget
    /// part.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            unitID: try c.decode(UUID.self, forKey: .unitID),
            officerID: try c.decodeIfPresent(UUID.self, forKey: .officerID),
            kindCode: try c.decode(String.self, forKey: .kindCode),
            status: try c.decode(CaseStatus.self, forKey: .status),
            carried: try c.decode(Bool.self, forKey: .carried),
            inSeparateBook: try c.decodeIfPresent(Bool.self, forKey: .inSeparateBook) ?? false,
            cases: try c.decode(Int.self, forKey: .cases), owed: try c.decode(Int64.self, forKey: .owed),
            collected: try c.decode(Int64.self, forKey: .collected),
            budgetOwed: try c.decodeIfPresent(Int64.self, forKey: .budgetOwed) ?? 0,
            budgetCollected: try c.decodeIfPresent(Int64.self, forKey: .budgetCollected) ?? 0)
    }

    /// The rows' grouping, without the figures.
    var key: [String] {
        [
            unitID.uuidString, officerID?.uuidString ?? "", kindCode, status.rawValue, carried ? "1" : "0",
            inSeparateBook ? "1" : "0",
        ]
    }
}

/// Forms 01, 02 and 03 side by side for one group.
struct Figures: Sendable, Hashable, Codable {
    var cases = CaseResults()
    var money = MoneyResults()
    /// Form 03: form 02 over the state budget's part.
    var budget = MoneyResults()

    mutating func add(_ row: FigureRow) {
        cases.add(row.cases, carried: row.carried, atEnd: row.status, inSeparateBook: row.inSeparateBook)
        money.add(
            owed: row.owed, collected: row.collected, carried: row.carried, atEnd: row.status,
            inSeparateBook: row.inSeparateBook)
        budget.add(
            owed: row.budgetOwed, collected: row.budgetCollected, carried: row.carried, atEnd: row.status,
            inSeparateBook: row.inSeparateBook)
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

    /// The cases in the separate tracking book at the period's end (they stand without conditions then).
    static func inSeparateBook(_ period: ReportingPeriod, alias: String = "s") -> SQLQueryString {
        """
        \(unsafeRaw: alias).status = \(bind: CaseStatus.withoutConditions.rawValue) AND \(unsafeRaw: alias).case_id IN (
            SELECT case_id FROM debtor_register
            WHERE in_separate_book = \(bind: true) AND separate_book_since <= \(bind: period.end.iso))
        """
    }

    /// The rows of `period` for `units` (every unit when nil), computed from the spans now. The cases in the
    /// separate book are read apart (a small read driven by the register) and split out of their groups, so the
    /// national count keeps to the spans' covering index.
    static func rows(
        _ period: ReportingPeriod, units: [UUID]?, detail: Detail = .all, on db: any Database
    ) async throws -> [FigureRow] {
        if let units, units.isEmpty { return [] }
        var rows = try await groups(period, units: units, detail: detail, bookOnly: false, on: db)
        let book = try await groups(period, units: units, detail: detail, bookOnly: true, on: db)
        guard !book.isEmpty else { return rows }
        var index: [[String]: Int] = [:]
        for (position, row) in rows.enumerated() { index[row.key] = position }
        for var row in book {
            row.inSeparateBook = false
            guard let position = index[row.key] else { continue }
            rows[position].cases -= row.cases
            rows[position].owed -= row.owed
            rows[position].collected -= row.collected
            rows[position].budgetOwed -= row.budgetOwed
            rows[position].budgetCollected -= row.budgetCollected
            row.inSeparateBook = true
            rows.append(row)
        }
        return rows.filter { $0.cases > 0 }
    }

    private static func groups(
        _ period: ReportingPeriod, units: [UUID]?, detail: Detail, bookOnly: Bool, on db: any Database
    ) async throws -> [FigureRow] {
        struct Row: Decodable {
            let unit: UUID
            let officer: UUID?
            let kind: String
            let status: String
            let carried: Int
            let cases: Int
            let owed: Int64?
            let collected: Int64?
            let budgetOwed: Int64?
            let budgetCollected: Int64?

            enum CodingKeys: String, CodingKey {
                case unit, officer, kind, status, carried, cases, owed, collected
                case budgetOwed = "budget_owed"
                case budgetCollected = "budget_collected"
            }
        }
        let start = period.start.iso
        let end = period.end.iso
        let officer: SQLQueryString = detail.officers ? "s.officer_id" : "NULL"
        let book: SQLQueryString = bookOnly ? " AND \(inSeparateBook(period))" : ""
        let query: SQLQueryString
        if detail.money {
            // The budget's part per case, as `CaseMoney.stateBudgetPart` splits it: the budget is owed the last
            // `ordered_budget` of what is outstanding, and collections reach it after the private creditors.
            // The collections are summed once over the partial index `idx_money_collected_case`, in case order:
            // filtering them by the period's cases first looked up 1.2M cases one by one (58 s of 77 s at
            // 2,000,000 cases on SQLite).
            query = """
                SELECT unit_id AS unit, officer_id AS officer, kind_code AS kind, status, carried, COUNT(*) AS cases,
                    CAST(SUM(owed) AS BIGINT) AS owed, CAST(SUM(collected) AS BIGINT) AS collected,
                    CAST(SUM(budget_owed) AS BIGINT) AS budget_owed,
                    CAST(SUM(CASE WHEN collected > owed - budget_owed THEN collected - (owed - budget_owed) ELSE 0 END)
                        AS BIGINT) AS budget_collected
                FROM (
                    SELECT unit_id, officer_id, kind_code, status, carried, owed,
                        CASE WHEN paid_within < owed THEN paid_within ELSE owed END AS collected,
                        CASE WHEN ordered_budget < owed THEN ordered_budget ELSE owed END AS budget_owed
                    FROM (
                        SELECT s.unit_id, \(officer) AS officer_id, s.kind_code, s.status, s.ordered_budget,
                            CASE WHEN s.opened_on < \(bind: start) THEN 1 ELSE 0 END AS carried,
                            CASE WHEN s.ordered > COALESCE(m.before_start, 0)
                                THEN s.ordered - COALESCE(m.before_start, 0) ELSE 0 END AS owed,
                            COALESCE(m.paid_within, 0) AS paid_within
                        FROM report_case_states s
                        LEFT JOIN (
                            SELECT case_id,
                                SUM(CASE WHEN occurred_on < \(bind: start) THEN amount ELSE 0 END) AS before_start,
                                SUM(CASE WHEN occurred_on >= \(bind: start) THEN amount ELSE 0 END) AS paid_within
                            FROM case_money WHERE direction = 'collected' AND void_note IS NULL AND occurred_on <= \(bind: end)
                            GROUP BY case_id
                        ) m ON m.case_id = s.case_id
                        WHERE \(counted(period, units: units))\(book)
                    ) p
                ) t
                GROUP BY unit_id, officer_id, kind_code, status, carried
                """
        } else {
            // Grouped by the inner query's columns: PostgreSQL does not match a repeated expression that holds a
            // bound parameter, nor take a constant in GROUP BY.
            query = """
                SELECT unit, officer, kind, status, carried, COUNT(*) AS cases,
                    CAST(0 AS BIGINT) AS owed, CAST(0 AS BIGINT) AS collected,
                    CAST(0 AS BIGINT) AS budget_owed, CAST(0 AS BIGINT) AS budget_collected
                FROM (
                    SELECT s.unit_id AS unit, \(officer) AS officer, s.kind_code AS kind, s.status,
                        CASE WHEN s.opened_on < \(bind: start) THEN 1 ELSE 0 END AS carried
                    FROM report_case_states s
                    WHERE \(counted(period, units: units))\(book)
                ) t
                GROUP BY unit, officer, kind, status, carried
                """
        }
        let rows = try await db.sql.raw(query).all(decoding: Row.self)
        return rows.compactMap { row in
            guard let status = CaseStatus(rawValue: row.status) else { return nil }
            return FigureRow(
                unitID: row.unit, officerID: row.officer, kindCode: row.kind, status: status,
                carried: row.carried == 1, cases: row.cases, owed: row.owed ?? 0, collected: row.collected ?? 0,
                budgetOwed: row.budgetOwed ?? 0, budgetCollected: row.budgetCollected ?? 0)
        }
    }

    /// Which cases make one figure, for the drill-down: up to `limit` case ids and codes, ordered by code.
    static func cases(
        _ period: ReportingPeriod, units: [UUID], statuses: [CaseStatus], carried: Bool?, kindCode: String?,
        separateBook: Bool = false, stateBudget: Bool = false, limit: Int, offset: Int, on db: any Database
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
        if separateBook { extra = extra + " AND \(inSeparateBook(period))" }
        if stateBudget { extra = extra + " AND s.ordered_budget > 0" }
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
