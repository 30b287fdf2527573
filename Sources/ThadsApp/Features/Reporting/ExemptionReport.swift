import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// Form 06, exemptions and reductions of state-budget obligations (Art. 61), per unit over the period: the debtors
/// eligible for a proposal to the court today, the full exemptions the court decided (a termination on an exemption
/// ground, with the budget's part still owed then), and the reductions (a correction of an obligation's amount for
/// the court's decision, with the amount taken off). [unverified layout: the form's columns are not in the seeds]
struct ExemptionReport: UnitTable {
    struct Line: Sendable, Hashable {
        var eligibleNow: Int64 = 0
        var exempted: Int64 = 0
        var exemptedAmount: Int64 = 0
        var reducedCases: Int64 = 0
        var reducedAmount: Int64 = 0

        var values: [Int64] { [eligibleNow, exempted, exemptedAmount, reducedCases, reducedAmount] }
    }

    let period: ReportingPeriod
    let unit: EnforcementUnit
    let units: [EnforcementUnit]
    let lines: [UUID: Line]

    var title: String { "Mẫu 06 — Kết quả miễn, giảm nghĩa vụ thi hành án đối với khoản thu nộp ngân sách nhà nước" }
    var columns: [UnitTableColumn] {
        [
            .init(title: "Đủ điều kiện đề nghị miễn, giảm (hiện tại)"), .init(title: "Được miễn toàn bộ (việc)"),
            .init(title: "Số tiền được miễn", isMoney: true), .init(title: "Được giảm một phần (việc)"),
            .init(title: "Số tiền được giảm", isMoney: true),
        ]
    }

    func values(_ unitID: UUID?) -> [Int64] {
        guard let unitID else {
            return lines.values.reduce(Array(repeating: 0, count: columns.count)) { sum, line in
                zip(sum, line.values).map { $0 + $1 }
            }
        }
        return (lines[unitID] ?? Line()).values
    }

    static func compute(
        _ period: ReportingPeriod, unit: EnforcementUnit, units: [EnforcementUnit], on db: any Database
    ) async throws -> ExemptionReport {
        let ids = units.compactMap(\.id)
        var lines: [UUID: Line] = [:]
        guard !ids.isEmpty else { return ExemptionReport(period: period, unit: unit, units: units, lines: lines) }
        let sql = try db.sql
        struct Count: Decodable {
            let unit: UUID
            let n: Int64
        }
        for row in try await sql.raw(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM debtor_register
            WHERE is_listed = \(bind: true) AND exemption_band IS NOT NULL AND unit_id IN (\(binds: ids))
            GROUP BY unit_id
            """
        ).all(decoding: Count.self) { lines[row.unit, default: Line()].eligibleNow += row.n }

        // Full exemptions: the budget's part still owed on the day of the decision.
        struct Exempted: Decodable {
            let unit: UUID
            let ordered: Int64
            let budget: Int64
            let paid: Int64
        }
        for row in try await sql.raw(
            """
            SELECT c.unit_id AS unit,
                CAST(COALESCE((SELECT SUM(o.amount) FROM case_obligations o
                    WHERE o.case_id = d.case_id AND o.mode = 'money' AND o.amount IS NOT NULL AND o.void_note IS NULL), 0) AS BIGINT) AS ordered,
                CAST(COALESCE((SELECT SUM(o.amount) FROM case_obligations o
                    WHERE o.case_id = d.case_id AND o.mode = 'money' AND o.amount IS NOT NULL AND o.void_note IS NULL
                        AND o.beneficiary = 'stateBudget'), 0) AS BIGINT) AS budget,
                CAST(COALESCE((SELECT SUM(m.amount) FROM case_money m
                    WHERE m.case_id = d.case_id AND m.direction = 'collected' AND m.void_note IS NULL AND m.occurred_on <= d.decided_on), 0)
                    AS BIGINT) AS paid
            FROM case_decisions d JOIN enforcement_cases c ON c.id = d.case_id
            WHERE d.ground_code IN (\(binds: ExemptionIndicators.fullExemptionGrounds)) AND d.decided_on >= \(bind: period.start.iso)
                AND d.decided_on <= \(bind: period.end.iso) AND c.unit_id IN (\(binds: ids))
            """
        ).all(decoding: Exempted.self) {
            let owed = max(0, row.ordered - row.paid)
            lines[row.unit, default: Line()].exempted += 1
            lines[row.unit, default: Line()].exemptedAmount +=
                CaseMoney.stateBudgetPart(owed: owed, collected: 0, stateBudget: row.budget).owed
        }

        // Reductions: each amount corrected for the court's decision, by what it took off.
        struct Reduced: Decodable {
            let unit: UUID
            let caseID: UUID
            let before: String
            let after: String

            enum CodingKeys: String, CodingKey {
                case unit, before, after
                case caseID = "case_id"
            }
        }
        let from = period.start.startOfDay(in: .vietnam)
        let until = period.end.adding(days: 1).startOfDay(in: .vietnam)
        let rows = try await sql.raw(
            """
            SELECT c.unit_id AS unit, h.case_id, h.before_text AS before, h.after_text AS after
            FROM case_history h JOIN enforcement_cases c ON c.id = h.case_id
            WHERE h.reason_code = \(bind: ExemptionIndicators.reductionReason) AND h.field = 'amount'
                AND h.changed_at >= \(bind: from) AND h.changed_at < \(bind: until) AND c.unit_id IN (\(binds: ids))
            """
        ).all(decoding: Reduced.self)
        var counted: Set<UUID> = []
        for row in rows {
            guard let taken = ExemptionIndicators.reduction(before: row.before, after: row.after) else { continue }
            if counted.insert(row.caseID).inserted { lines[row.unit, default: Line()].reducedCases += 1 }
            lines[row.unit, default: Line()].reducedAmount += taken
        }
        return ExemptionReport(period: period, unit: unit, units: units, lines: lines)
    }
}
