import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The leaders' overview (E4): completion rates by cases and by money of each unit below the chosen one, this year's
/// latest full period against the same period of last year, drawn as SVG on the server; and the debtors due for
/// re-verification, the records entered late and the online requests finished on time or late. Each bar opens the
/// unit's form 01 for the period, or the online requests' overview.
struct DashboardController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "thong-ke", "tong-quan", access: .permission(.viewStatistics), use: show)
    }

    static let purpose = "Theo dõi, điều hành (bảng tổng quan của lãnh đạo)"

    struct UnitLine: Sendable {
        let unit: EnforcementUnit
        let now: Figures
        let before: Figures
        let reverificationDue: Int
        let reverificationOverdue: Int
        let work: DashboardFigures
        let workBefore: DashboardFigures
    }

    func show(req: Request) async throws -> Response {
        let user = try req.user
        let unitID = (try? req.query.get(UUID.self, at: "unit")) ?? user.unit.id!
        let ctx = req.context
        let today = ctx.today
        let year = StatisticalYear.of(today)
        let months = max(1, ReportingPeriod.monthsEnded(on: today))
        guard let now = ReportingPeriod(year: year, months: months),
            let before = ReportingPeriod(year: year - 1, months: months)
        else { throw Abort(.internalServerError) }
        let current = try await StatisticsService.report(unitID: unitID, withSubunits: true, period: now, in: ctx)
        let previous = try await StatisticsService.report(unitID: unitID, withSubunits: true, period: before, in: ctx)
        // The units shown: the chosen unit's children, or the unit alone when it has none.
        let children = current.units.filter { $0.parentID == unitID }
        let shown = children.isEmpty ? [current.unit] : children
        func subtree(_ root: EnforcementUnit) -> Set<UUID> {
            var ids: Set<UUID> = [root.id!]
            var frontier = ids
            while !frontier.isEmpty {
                let next = current.units.filter { $0.parentID.map(frontier.contains) ?? false }.compactMap(\.id)
                ids.formUnion(next)
                frontier = Set(next)
            }
            return ids
        }
        let soon = today.adding(days: 30).iso
        let entries = try await DebtorEntry.query(on: req.db).filter(\.$isListed == true)
            .filter(\.$unitID ~~ current.units.compactMap(\.id)).filter(\.$reverificationDue <= soon).all()
        let unitIDs = current.units.compactMap(\.id)
        let work = try await DashboardFigures.read(now, units: unitIDs, now: ctx.now, on: req.db)
        let workBefore = try await DashboardFigures.read(before, units: unitIDs, now: ctx.now, on: req.db)
        var lines: [UnitLine] = []
        for unit in shown {
            let ids = subtree(unit)
            let due = entries.filter { ids.contains($0.unitID) }
            func sum(_ figures: [UUID: DashboardFigures]) -> DashboardFigures {
                ids.reduce(DashboardFigures()) { $0 + (figures[$1] ?? .init()) }
            }
            lines.append(
                UnitLine(
                    unit: unit, now: Figures.sum(current.rows.filter { ids.contains($0.unitID) }),
                    before: Figures.sum(previous.rows.filter { ids.contains($0.unitID) }),
                    reverificationDue: due.count,
                    reverificationOverdue: due.filter { $0.reverificationDue < today.iso }.count,
                    work: sum(work), workBefore: sum(workBefore)))
        }
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: .view, subject: "Bảng tổng quan", unitID: unitID, scope: "đơn vị và cấp dưới",
                period: "\(now.label); \(before.label)", format: "html", rows: lines.count, purpose: Self.purpose,
                file: nil), in: ctx)
        let units = try await EnforcementUnit.query(on: req.db).sort(\.$code).all().filter {
            user.scope.contains($0.id!)
        }
        return DashboardViews.page(
            req.pageContext, unit: current.unit, units: units, period: now, previous: before, total: current.total,
            totalBefore: previous.total, lines: lines
        ).response
    }
}

enum DashboardViews {
    static func page(
        _ pageContext: PageContext, unit: EnforcementUnit, units: [EnforcementUnit], period: ReportingPeriod,
        previous: ReportingPeriod, total: Figures, totalBefore: Figures, lines: [DashboardController.UnitLine]
    ) -> Page {
        func link(_ unit: EnforcementUnit, form: ReportForm) -> String {
            "/\(ReportsController.base)?"
                + ReportViews.encode([
                    ("unit", unit.id!.uuidString), ("sub", "1"), ("year", String(period.year)),
                    ("months", String(period.months)), ("form", form.rawValue),
                    ("purpose", DashboardController.purpose),
                ])
        }
        let byCases = BarChart(
            title: "Tỷ lệ thi hành xong về việc — \(period.label)",
            bars: lines.map {
                .init(
                    label: "\($0.unit.code) · \($0.unit.name)", value: $0.now.cases.completionRate,
                    previous: $0.before.cases.completionRate, href: link($0.unit, form: .cases))
            })
        let byMoney = BarChart(
            title: "Tỷ lệ thi hành xong về tiền — \(period.label)",
            bars: lines.map {
                .init(
                    label: "\($0.unit.code) · \($0.unit.name)", value: $0.now.money.completionRate,
                    previous: $0.before.money.completionRate, href: link($0.unit, form: .money))
            })
        let online = BarChart(
            title: "Yêu cầu trực tuyến giải quyết đúng hạn — \(period.label)",
            bars: lines.map {
                .init(
                    label: "\($0.unit.code) · \($0.unit.name)", value: $0.work.onlineOnTimeRate,
                    previous: $0.workBefore.onlineOnTimeRate, href: "/ho-tro-truc-tuyen/tong-hop")
            })
        func rate(_ value: Double?) -> String {
            value.map { String(format: "%.2f %%", $0 * 100).replacingOccurrences(of: ".", with: ",") } ?? "—"
        }
        return Layout.page(
            pageContext, title: "Tổng quan điều hành — \(unit.code) · \(unit.name)",
            .form(
                .class("filters"), .method(.get), .action("/\(ReportsController.base)/tong-quan"),
                Components.select(
                    name: "unit", label: "Đơn vị",
                    options: units.map { ($0.id!.uuidString, "\($0.code) · \($0.name)") },
                    selected: [unit.id!.uuidString]),
                Components.submit("Xem")),
            .p(
                .text(
                    "Kỳ \(period.label): thi hành xong \(rate(total.cases.completionRate)) về việc "
                        + "(cùng kỳ năm trước \(rate(totalBefore.cases.completionRate))), "
                        + "\(rate(total.money.completionRate)) về tiền "
                        + "(cùng kỳ năm trước \(rate(totalBefore.money.completionRate))).")),
            byCases.node, byMoney.node, online.node,
            .h2("Việc trễ hạn, xác minh lại và yêu cầu trực tuyến"),
            .div(
                .class("table-scroll"),
                .table(
                    .class("data"), .id("dashboard-units"),
                    .thead(
                        .tr(
                            .th("Đơn vị"), .th("Bản ghi nhập trễ hạn trong kỳ"), .th("Xác minh lại đến hạn (30 ngày)"),
                            .th("Xác minh lại quá hạn"), .th("Yêu cầu trực tuyến xong đúng hạn"),
                            .th("Xong trễ hạn"), .th("Đang quá hạn"))),
                    .tbody(
                        .forEach(lines) { line in
                            .tr(
                                .td(.text("\(line.unit.code) · \(line.unit.name)")),
                                .td(
                                    .class(line.work.lateRecords > 0 ? "num overdue" : "num"),
                                    .text(Format.count(line.work.lateRecords))),
                                .td(.class("num"), .text(Format.count(line.reverificationDue))),
                                .td(
                                    .class(line.reverificationOverdue > 0 ? "num overdue" : "num"),
                                    .text(Format.count(line.reverificationOverdue))),
                                .td(.class("num"), .text(Format.count(line.work.onlineOnTime))),
                                .td(.class("num"), .text(Format.count(line.work.onlineLate))),
                                .td(
                                    .class(line.work.onlineOverdue > 0 ? "num overdue" : "num"),
                                    .text(Format.count(line.work.onlineOverdue))))
                        })))
        )
    }
}
