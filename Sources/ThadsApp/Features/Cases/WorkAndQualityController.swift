import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// The officer's work list (due and overdue duties, open warnings) and the unit data-quality page (B4, B6).
struct WorkAndQualityController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "viec-cua-toi", access: .permission(.viewCases), use: workList)
        routes.on(.GET, "chat-luong", access: .permission(.viewDataQuality), use: quality)
    }

    struct DutyRow {
        let enforcementCase: EnforcementCase
        let duty: CaseDuty
        let state: DueState
    }

    func workList(req: Request) async throws -> Response {
        let user = try req.user
        let cases = try await EnforcementCase.query(on: req.db).filter(\.$officerID == user.account.id!)
            .filter(\.$status !~ CaseStatus.allCases.filter(\.isClosed)).sort(\.$code).limit(500).all()
        let deadlines = req.application.caseDeadlines
        let today = req.clock.today
        // Stored with each case in the transaction of its last change (`CaseDutySummaries`): no case is recomputed.
        let stored = try await CaseDutySummaries.duties(of: cases, deadlines: deadlines, on: req.db)
        var rows: [DutyRow] = []
        for enforcementCase in cases {
            for duty in stored[enforcementCase.id!] ?? [] {
                let state = DueState.state(
                    due: duty.due, today: today, calendar: deadlines.calendar, soonWorkingDays: 3)
                rows.append(DutyRow(enforcementCase: enforcementCase, duty: duty, state: state))
            }
        }
        rows.sort { ($0.duty.due, $0.enforcementCase.code) < ($1.duty.due, $1.enforcementCase.code) }
        let warnings =
            cases.isEmpty
            ? []
            : try await QualityWarning.query(on: req.db).filter(\.$caseID ~~ cases.map { $0.id! })
                .filter(\.$status == .open).all()
        let pendingCorrections =
            user.can(.approveCaseCorrections)
            ? try await CaseCorrection.query(on: req.db).filter(\.$unitID == user.unit.id!)
                .filter(\.$status == .pending).count() : 0
        let names = try await CasePartyNames.load(cases.map { $0.id! }, on: req.db)
        return CaseListViews.workList(
            req.pageContext, cases: cases, names: names, duties: rows, warnings: warnings,
            pendingCorrections: pendingCorrections, today: today,
            notice: req.notice(["da-giao": "Đã ghi nhận việc giao, thông báo quyết định thi hành án."])
        ).response
    }

    // MARK: Quality

    struct RuleCount: Decodable {
        let rule: String
        let warnings: Int
        let cases: Int
    }

    struct QualityFigures {
        let unit: EnforcementUnit
        let cases: Int
        let rules: [QualityRule: RuleCount]
        let casesWith: [QualityCategory: Int]
        let entries: Int
        let lateEntries: Int
        var score: QualityScore {
            QualityScore.compute(cases: cases, casesWith: casesWith, entries: entries, lateEntries: lateEntries)
        }
    }

    func quality(req: Request) async throws -> Response {
        let user = try req.user
        let units = try await EnforcementUnit.query(on: req.db).sort(\.$code).all().filter {
            user.scope.contains($0.id!)
        }
        let chosen = req.query[String.self, at: "don-vi"].flatMap(UUID.init(uuidString:)) ?? user.unit.id!
        guard let unit = units.first(where: { $0.id == chosen }) else { throw Abort(.notFound) }
        let figures = try await Self.figures(for: unit, on: req.db)
        var drill: (rule: QualityRule, cases: [EnforcementCase])?
        if let rule = req.query[String.self, at: "quy-tac"].flatMap(QualityRule.init(rawValue:)) {
            let ids = try await QualityWarning.query(on: req.db).filter(\.$unitID == unit.id!)
                .filter(\.$rule == rule).filter(\.$status == .open).limit(200).all(\.$caseID)
            let cases = try await EnforcementCase.query(on: req.db).filter(\.$id ~~ Set(ids)).sort(\.$code).all()
            drill = (rule, cases)
        }
        let names = try await CasePartyNames.load(drill?.cases.map { $0.id! } ?? [], on: req.db)
        return CaseListViews.quality(req.pageContext, figures: figures, units: units, drill: drill, names: names)
            .response
    }

    static func figures(for unit: EnforcementUnit, on db: any Database) async throws -> QualityFigures {
        let sql = try db.sql
        let unitID = unit.id!
        let cases = try await EnforcementCase.query(on: db).filter(\.$unitID == unitID).count()
        let ruleRows = try await sql.raw(
            """
            SELECT rule, COUNT(*) AS warnings, COUNT(DISTINCT case_id) AS cases FROM quality_warnings
            WHERE unit_id = \(bind: unitID) AND status = 'open' GROUP BY rule
            """
        ).all(decoding: RuleCount.self)
        struct CategoryCount: Decodable {
            let category: String
            let cases: Int
        }
        let categoryRows = try await sql.raw(
            """
            SELECT category, COUNT(DISTINCT case_id) AS cases FROM quality_warnings
            WHERE unit_id = \(bind: unitID) AND status = 'open' GROUP BY category
            """
        ).all(decoding: CategoryCount.self)
        struct Timeliness: Decodable {
            let entries: Int
            let late: Int
        }
        var entries = 0
        var late = 0
        for table in ["case_decisions", "case_verifications", "case_money"] {
            let row = try await sql.raw(
                """
                SELECT COUNT(*) AS entries, COALESCE(SUM(CASE WHEN r.is_late THEN 1 ELSE 0 END), 0) AS late
                FROM \(unsafeRaw: table) r JOIN enforcement_cases c ON c.id = r.case_id
                WHERE c.unit_id = \(bind: unitID)
                """
            ).first(decoding: Timeliness.self)
            entries += row?.entries ?? 0
            late += row?.late ?? 0
        }
        let judgments = try await Judgment.query(on: db).filter(\.$unitID == unitID).count()
        let lateJudgments = try await Judgment.query(on: db).filter(\.$unitID == unitID).filter(\.$isLate == true)
            .count()
        return QualityFigures(
            unit: unit, cases: cases,
            rules: Dictionary(
                ruleRows.compactMap { row in QualityRule(rawValue: row.rule).map { ($0, row) } },
                uniquingKeysWith: { a, _ in a }),
            casesWith: Dictionary(
                categoryRows.compactMap { row in QualityCategory(rawValue: row.category).map { ($0, row.cases) } },
                uniquingKeysWith: { a, _ in a }),
            entries: entries + judgments, lateEntries: late + lateJudgments)
    }
}
