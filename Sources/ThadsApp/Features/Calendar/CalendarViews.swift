import Foundation
import ThadsDomain
import Vapor

enum CalendarViews {
    static let monthNames = (1...12).map { "Tháng \($0)" }
    static let weekdayHeaders = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]

    static func year(
        _ pageContext: PageContext, year: Int, calendar: WorkingCalendar, decision: YearDecision,
        errors: [String: String], form: [String: String], status: HTTPResponseStatus = .ok
    ) -> Page {
        let days = calendar.year(year)
        let exceptions = calendar.exceptions(in: year)
        let canManage = pageContext.user?.can(.manageCalendar) ?? false
        let token = pageContext.csrfToken
        let tet = VietnameseLunarCalendar.newYear(of: year)
        return Layout.page(
            pageContext, title: "Lịch ngày làm việc năm \(year)", status: status,
            .p(
                .a(.href("/lich?nam=\(year - 1)"), .text("‹ Năm \(year - 1)")), .text(" · "),
                .a(.href("/lich?nam=\(year + 1)"), .text("Năm \(year + 1) ›"))),
            .p(
                .class("muted"),
                .text(
                    "Tết Nguyên đán (mùng 1 tháng Giêng âm lịch): \(tet.display). Số ngày làm việc trong năm: \(days.filter(\.isWorkingDay).count)."
                )),
            .div(
                .class("legend"),
                .span(.class("day holiday"), .text("Nghỉ lễ, Tết")),
                .span(.class("day dayOff"), .text("Nghỉ theo quyết định / nghỉ bù")),
                .span(.class("day makeUpWorkingDay"), .text("Làm bù")), .span(.class("day weekend"), .text("Cuối tuần"))
            ),
            .div(
                .class("year-grid"),
                .forEach(1...12) { month in monthTable(month, days: days) }
            ),
            .h2("Ngày nghỉ trong tuần và ngày làm việc cuối tuần"),
            .table(
                .class("data"), .id("exceptions"),
                .thead(.tr(.th("Ngày"), .th("Thứ"), .th("Loại"), .th("Lý do"), .if(canManage, .th("")))),
                .tbody(
                    .forEach(exceptions) { info in
                        let recorded =
                            decision.daysOff.contains { $0.date == info.date }
                            || decision.makeUpWorkingDays.contains { $0.date == info.date }
                        return .tr(
                            .td(.text(info.date.display)),
                            .td(.text(weekdayHeaders[info.date.weekday - 1])),
                            .td(.text(info.isWorkingDay ? "Làm việc" : "Nghỉ")),
                            .td(.text(info.reason ?? "")),
                            .if(
                                canManage,
                                .td(
                                    .if(
                                        recorded,
                                        Components.postButton(
                                            action: "/lich/\(year)/xoa", title: "Xóa khỏi quyết định", csrf: token,
                                            hidden: [("date", info.date.iso)]))))
                        )
                    })
            ),
            .if(
                canManage,
                .section(
                    .h2("Quyết định của Chính phủ năm \(year)"),
                    .p(
                        .text(
                            decision.replacesDefaults
                                ? "Quyết định thay thế toàn bộ ngày nghỉ tính theo Bộ luật Lao động."
                                : "Ngày nghỉ mặc định theo Bộ luật Lao động (tính theo âm lịch) được áp dụng, cộng thêm các ngày dưới đây."
                        )),
                    Components.postButton(
                        action: "/lich/\(year)/thay-the",
                        title: decision.replacesDefaults
                            ? "Dùng lại ngày nghỉ mặc định" : "Thay thế ngày nghỉ mặc định bằng quyết định",
                        csrf: token),
                    .form(
                        .method(.post), .action("/lich/\(year)/ngay-nghi"),
                        Components.csrf(token),
                        .h3("Thêm ngày nghỉ"),
                        Components.field(
                            FieldSpec(
                                name: "date", label: "Ngày (dd/MM/yyyy)", value: form["dayOffDate"] ?? "",
                                error: errors["dayOffDate"], required: true)),
                        Components.field(
                            FieldSpec(
                                name: "reason", label: "Lý do", value: form["dayOffReason"] ?? "",
                                error: errors["dayOffReason"], required: true)),
                        Components.submit("Thêm ngày nghỉ", style: "secondary")
                    ),
                    .form(
                        .method(.post), .action("/lich/\(year)/lam-bu"),
                        Components.csrf(token),
                        .h3("Thêm ngày làm bù"),
                        Components.field(
                            FieldSpec(
                                name: "date", label: "Ngày (dd/MM/yyyy)", value: form["makeUpDate"] ?? "",
                                error: errors["makeUpDate"], required: true)),
                        Components.field(
                            FieldSpec(
                                name: "reason", label: "Lý do", value: form["makeUpReason"] ?? "",
                                error: errors["makeUpReason"], required: true)),
                        Components.submit("Thêm ngày làm bù", style: "secondary")
                    )
                ))
        )
    }

    static func monthTable(_ month: Int, days: [CalendarDayInfo]) -> Node<HTML.BodyContext> {
        let monthDays = days.filter { $0.date.month == month }
        let leading = (monthDays.first?.date.weekday ?? 1) - 1
        let rows: [[CalendarDayInfo?]] = weeks(monthDays, leading: leading)
        return .table(
            .class("month"),
            .caption(.text(monthNames[month - 1])),
            .thead(.tr(.forEach(weekdayHeaders) { .th(.text($0)) })),
            .tbody(.forEach(rows) { week in .tr(.forEach(week) { dayCell($0) }) })
        )
    }

    static func dayCell(_ info: CalendarDayInfo?) -> Node<HTML.TableRowContext> {
        guard let info else { return .td() }
        let title: Node<HTML.BodyContext> =
            info.reason.map { .attribute(named: "title", value: $0) } ?? .empty
        return .td(.class("day " + info.kind.rawValue), title, .text(String(info.date.day)))
    }

    static func weeks(_ days: [CalendarDayInfo], leading: Int) -> [[CalendarDayInfo?]] {
        let cells: [CalendarDayInfo?] = Array(repeating: nil, count: leading) + days.map { $0 }
        return stride(from: 0, to: cells.count, by: 7).map { start in
            let row = Array(cells[start..<min(start + 7, cells.count)])
            return row + Array(repeating: nil, count: 7 - row.count)
        }
    }
}
