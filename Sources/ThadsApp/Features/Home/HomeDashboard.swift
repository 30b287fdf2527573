import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// What the home page shows each role (issue 20, item 5), read from the duties stored with each case
/// (`CaseDutySummaries`) and the correction and warning tables through their indexes: an officer's due and overdue
/// duties and recent cases; a head's pending corrections, overdue duties by officer and open warnings; a province
/// the same rolled up over its offices, each linking down to the office.
struct HomeDashboard: Sendable {
    struct DutyLine: Sendable {
        let caseID: UUID
        let code: String
        let debtor: String
        let duty: CaseDuty
        let state: DueState
    }

    struct Count: Sendable, Decodable {
        let key: UUID?
        let n: Int
    }

    struct UnitLine: Sendable {
        let unit: EnforcementUnit
        let overdueCases: Int
        let pendingCorrections: Int
        let openWarnings: Int
    }

    var myDuties: [DutyLine] = []
    var myOverdue = 0
    var recentCases: [(id: UUID, code: String, debtor: String, status: CaseStatus)] = []
    var pendingCorrections: Int?
    var overdueByOfficer: [(id: UUID?, name: String, cases: Int)] = []
    var openWarnings: Int?
    var units: [UnitLine] = []

    static func load(_ req: Request) async throws -> HomeDashboard {
        let user = try req.user
        let db = req.db
        let sql = try db.sql
        let today = req.clock.today
        let deadlines = req.application.caseDeadlines
        var board = HomeDashboard()
        if user.can(.viewCases) && user.account.roles.contains(.enforcementOfficer) {
            let mine = try await EnforcementCase.query(on: db).filter(\.$officerID == user.account.id!)
                .filter(\.$status ~~ CaseStatus.allCases.filter { !$0.isClosed }).sort(\.$updatedAt, .descending)
                .limit(500).all()
            let stored = try await CaseDutySummaries.duties(of: mine, deadlines: deadlines, on: db)
            let names = try await CasePartyNames.load(mine.map { $0.id! }, on: db)
            var lines: [DutyLine] = []
            for c in mine {
                for duty in stored[c.id!] ?? [] {
                    let state = DueState.state(
                        due: duty.due, today: today, calendar: deadlines.calendar, soonWorkingDays: 3)
                    guard state != .notDue else { continue }
                    lines.append(
                        DutyLine(
                            caseID: c.id!, code: c.code, debtor: names[c.id!]?.debtorText ?? "", duty: duty,
                            state: state))
                }
            }
            lines.sort { ($0.duty.due, $0.code) < ($1.duty.due, $1.code) }
            board.myOverdue = lines.filter { if case .overdue = $0.state { true } else { false } }.count
            board.myDuties = Array(lines.prefix(15))
            board.recentCases = mine.prefix(8).map {
                (id: $0.id!, code: $0.code, debtor: names[$0.id!]?.debtorText ?? "", status: $0.status)
            }
        }
        if user.can(.approveCaseCorrections) {
            let unitID = user.unit.id!
            board.pendingCorrections = try await CaseCorrection.query(on: db).filter(\.$unitID == unitID)
                .filter(\.$status == .pending).count()
            let byOfficer = try await sql.raw(
                """
                SELECT officer_id AS key, COUNT(*) AS n FROM case_duty_summaries
                WHERE unit_id = \(bind: unitID) AND next_due < \(bind: today.iso) GROUP BY officer_id
                """
            ).all(decoding: Count.self)
            let officers = try await Account.query(on: db).filter(\.$unitID == unitID).all()
            let names = Dictionary(uniqueKeysWithValues: officers.map { ($0.id!, $0.fullName) })
            board.overdueByOfficer = byOfficer.map { row in
                (id: row.key, name: row.key.flatMap { names[$0] } ?? "Chưa phân công", cases: row.n)
            }.sorted { ($1.cases, $0.name) < ($0.cases, $1.name) }
            board.openWarnings = try await QualityWarning.query(on: db).filter(\.$unitID == unitID)
                .filter(\.$status == .open).count()
        }
        if user.unit.level == .province && (user.can(.approveCaseCorrections) || user.can(.viewDataQuality)) {
            let offices = try await EnforcementUnit.query(on: db).all()
                .filter { user.scope.contains($0.id!) && $0.id != user.unit.id }.sorted { $0.code < $1.code }
            let ids = offices.map { $0.id! }
            if !ids.isEmpty {
                func counts(_ query: SQLQueryString) async throws -> [UUID: Int] {
                    Dictionary(
                        try await sql.raw(query).all(decoding: Count.self).compactMap { row in
                            row.key.map { ($0, row.n) }
                        }, uniquingKeysWith: +)
                }
                let overdue = try await counts(
                    """
                    SELECT unit_id AS key, COUNT(*) AS n FROM case_duty_summaries
                    WHERE unit_id IN (\(binds: ids)) AND next_due < \(bind: today.iso) GROUP BY unit_id
                    """)
                let pending = try await counts(
                    """
                    SELECT unit_id AS key, COUNT(*) AS n FROM case_corrections
                    WHERE unit_id IN (\(binds: ids)) AND status = 'pending' GROUP BY unit_id
                    """)
                let warnings = try await counts(
                    """
                    SELECT unit_id AS key, COUNT(*) AS n FROM quality_warnings
                    WHERE unit_id IN (\(binds: ids)) AND status = 'open' GROUP BY unit_id
                    """)
                board.units = offices.map { unit in
                    UnitLine(
                        unit: unit, overdueCases: overdue[unit.id!] ?? 0, pendingCorrections: pending[unit.id!] ?? 0,
                        openWarnings: warnings[unit.id!] ?? 0)
                }
            }
        }
        return board
    }
}

enum HomeDashboardViews {
    static func sections(_ board: HomeDashboard, pageContext: PageContext) -> Node<HTML.BodyContext> {
        .group(
            .if(
                !board.myDuties.isEmpty || !board.recentCases.isEmpty,
                .section(
                    .id("home-duties"),
                    .h2(
                        .text(
                            "Việc đến hạn và quá hạn"
                                + (board.myOverdue > 0 ? " — \(board.myOverdue) việc quá hạn" : ""))),
                    board.myDuties.isEmpty
                        ? .p(.class("muted"), .text("Không có việc nào đến hạn trong 3 ngày làm việc tới."))
                        : .table(
                            .class("data"), .id("home-duty-list"),
                            .thead(
                                .tr(
                                    .th("Hồ sơ"), .th("Người phải thi hành án"), .th("Việc"), .th("Hạn"),
                                    .th("Tình trạng"))),
                            .tbody(
                                .forEach(board.myDuties) { line in
                                    .tr(
                                        .class(WorkListStyle.rowClass(line.state)),
                                        .td(
                                            .a(
                                                .class("code"), .href("/ho-so/\(line.caseID.uuidString)"),
                                                .text(line.code))),
                                        .td(.text(line.debtor)), .td(.text(line.duty.kind.label)),
                                        .td(.text(line.duty.due.display)), .td(.text(line.state.label)))
                                })),
                    .p(.a(.href("/viec-cua-toi"), .text("Tất cả việc của tôi ›"))),
                    .h2("Hồ sơ gần đây"),
                    .ul(
                        .id("recent-cases"),
                        .forEach(board.recentCases) { c in
                            .li(
                                .a(.class("code"), .href("/ho-so/\(c.id.uuidString)"), .text(c.code)),
                                .text(
                                    " — " + [c.debtor, c.status.label].filter { !$0.isEmpty }.joined(separator: " · ")))
                        }))),
            .unwrap(board.pendingCorrections) { pending in
                .section(
                    .id("home-head"),
                    .h2("Đơn vị của tôi"),
                    .ul(
                        .li(.a(.href("/hieu-chinh"), .text("\(pending) đề nghị hiệu chỉnh chờ duyệt"))),
                        .li(
                            .a(
                                .href("/chat-luong"),
                                .text("\(board.openWarnings ?? 0) cảnh báo chất lượng dữ liệu đang mở")))),
                    .h3("Hồ sơ có việc quá hạn theo chấp hành viên"),
                    board.overdueByOfficer.isEmpty
                        ? .p(.class("muted"), .text("Không có hồ sơ nào có việc quá hạn."))
                        : .table(
                            .class("data"), .id("overdue-by-officer"),
                            .thead(.tr(.th("Chấp hành viên"), .th("Số hồ sơ có việc quá hạn"))),
                            .tbody(
                                .forEach(board.overdueByOfficer) { row in
                                    .tr(
                                        .td(
                                            .unwrap(
                                                row.id,
                                                {
                                                    .a(.href("/ho-so?chap-hanh-vien=\($0.uuidString)"), .text(row.name))
                                                },
                                                else: .text(row.name))),
                                        .td(.text(String(row.cases))))
                                })))
            },
            .if(
                !board.units.isEmpty,
                .section(
                    .id("home-province"),
                    .h2("Các đơn vị trực thuộc"),
                    .table(
                        .class("data"), .id("province-rollup"),
                        .thead(
                            .tr(
                                .th("Đơn vị"), .th("Hồ sơ có việc quá hạn"), .th("Hiệu chỉnh chờ duyệt"),
                                .th("Cảnh báo đang mở"))),
                        .tbody(
                            .forEach(board.units) { line in
                                let id = line.unit.id!.uuidString
                                return .tr(
                                    .td(.a(.href("/ho-so?don-vi=\(id)"), .text(line.unit.name))),
                                    .td(.text(String(line.overdueCases))),
                                    .td(.text(String(line.pendingCorrections))),
                                    .td(.a(.href("/chat-luong?don-vi=\(id)"), .text(String(line.openWarnings)))))
                            }),
                        .tfoot(
                            .tr(
                                .th("Cộng"), .th(.text(String(board.units.map(\.overdueCases).reduce(0, +)))),
                                .th(.text(String(board.units.map(\.pendingCorrections).reduce(0, +)))),
                                .th(.text(String(board.units.map(\.openWarnings).reduce(0, +))))))))))
    }
}
