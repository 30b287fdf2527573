import Foundation
import ThadsDomain
import Vapor

enum ReportViews {
    static func page(
        _ pageContext: PageContext, units: [EnforcementUnit], values: [String: String], errors: [String: String],
        table: (ReportTable, ReportsController.Query)?, status: HTTPResponseStatus = .ok
    ) -> Page {
        let formOptions = ReportForm.allCases.map { (value: $0.rawValue, label: $0.title) }
        return Layout.page(
            pageContext, title: "Báo cáo thống kê thi hành án dân sự", status: status,
            .p(
                .a(.href("/\(ReportsController.base)/tong-quan"), .text("Tổng quan điều hành")), .text(" · "),
                .a(.href("/\(ReportsController.base)/khoa-so"), .text("Khóa số liệu kỳ báo cáo")), .text(" · "),
                .a(.href("/\(ReportsController.base)/dieu-chinh"), .text("Đề nghị sửa số liệu kỳ đã khóa")),
                .text(" · "), .a(.href("/\(UnitTablesController.Kind.exemptions.path)"), .text("Mẫu 06 (miễn, giảm)")),
                .text(" · "),
                .a(.href("/\(UnitTablesController.Kind.usage.path)"), .text("Báo cáo tình hình sử dụng"))),
            .form(
                .class("filters"), .method(.get), .action("/\(ReportsController.base)"),
                Components.formErrorSummary(errors),
                unitAndPeriod(units: units, values: values, errors: errors, months: Array(1...12)),
                Components.select(
                    name: "form", label: "Mẫu báo cáo", options: formOptions, selected: [values["form"] ?? ""],
                    error: errors["form"], required: true),
                Components.textArea(
                    name: "purpose", label: "Mục đích xem, trích xuất (ghi vào nhật ký trích xuất)",
                    value: values["purpose"] ?? "", error: errors["purpose"], required: true),
                Components.submit("Xem báo cáo")),
            .unwrap(table) { body($0.0, query: $0.1, pageContext: pageContext) }
        )
    }

    /// The unit (with its sub-units), statistical year and cumulative period every report's filter form asks.
    static func unitAndPeriod(
        units: [EnforcementUnit], values: [String: String], errors: [String: String], months: [Int]
    ) -> Node<HTML.BodyContext> {
        .group(
            Components.select(
                name: "unit", label: "Đơn vị", options: units.map { ($0.id!.uuidString, "\($0.code) · \($0.name)") },
                selected: [values["unit"] ?? ""], error: errors["unit"], required: true),
            Components.checkbox(name: "sub", label: "Gồm các đơn vị trực thuộc", checked: values["sub"] == "1"),
            Components.field(
                FieldSpec(
                    name: "year", label: "Năm thống kê", value: values["year"] ?? "", error: errors["year"],
                    required: true, hint: "Năm 2027 tính từ 01/10/2026 đến 30/09/2027.")),
            Components.select(
                name: "months", label: "Kỳ báo cáo (lũy kế từ 01/10)",
                options: months.map { (String($0), "\($0) tháng") }, selected: [values["months"] ?? ""],
                error: errors["months"], required: true))
    }

    private static func body(
        _ table: ReportTable, query: ReportsController.Query, pageContext: PageContext
    ) -> Node<HTML.BodyContext> {
        let report = table.report
        return .div(
            .id("report"),
            .forEach(table.heading) { .p(.strong(.text($0))) },
            .p(
                .a(
                    .href("/\(ReportsController.base)/in?" + encode(queryItems(query, purpose: query.purpose))),
                    .text("Bản in"))),
            .if(
                !report.lockedUnitIDs.isEmpty,
                .p(
                    .class("hint"),
                    .text(
                        "Số liệu của \(report.lockedUnitIDs.count)/\(report.units.count) đơn vị lấy từ bản chốt khi "
                            + "khóa kỳ; các đơn vị còn lại tính theo dữ liệu hiện tại."))),
            reportTable(
                table,
                link: { row, column in
                    guard let drill = row.drill, row.level != .group else { return nil }
                    // The drill-down is logged under the purpose the report was opened for.
                    var items = queryItems(query, purpose: query.purpose)
                    items.append(("col", String(column.number)))
                    if drill.units.count == 1 && report.units.count > 1 {
                        items.append(("rowUnit", drill.units[0].uuidString))
                    }
                    if let kind = drill.kindCode { items.append(("kind", kind)) }
                    return "/\(ReportsController.base)/ho-so?" + encode(items)
                }),
            .if(
                !report.amendments.isEmpty,
                .group(
                    .h2("Sửa số liệu kỳ đã khóa đã được phê duyệt"),
                    .ul(
                        .forEach(report.amendments) { amendment in
                            .li(
                                .text(
                                    "\(amendment.reference): hồ sơ \(amendment.caseCode), ngày "
                                        + "\(LocalDate(iso: amendment.recordDate)?.display ?? amendment.recordDate) — "
                                        + (amendment.usedFor ?? "")))
                        }))),
            .form(
                .method(.post), .action("/\(ReportsController.base)/xuat"),
                Components.csrf(pageContext.csrfToken),
                .forEach(queryItems(query, purpose: nil)) { .input(.type(.hidden), .name($0.0), .value($0.1)) },
                Components.textArea(
                    name: "purpose", label: "Mục đích trích xuất tệp", value: "", error: nil, required: true),
                Components.select(
                    name: "format", label: "Định dạng",
                    options: [("xlsx", "Excel (.xlsx)"), ("csv", "CSV")], selected: ["xlsx"]),
                Components.submit("Xuất tệp", style: "secondary"))
        )
    }

    /// The query of a report as URL items; the purpose is asked again on each new extraction, so left out unless given.
    static func queryItems(_ query: ReportsController.Query, purpose: String?) -> [(String, String)] {
        query.items.filter { $0.0 != "purpose" } + (purpose.map { [("purpose", $0)] } ?? [])
    }

    static func encode(_ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.percentEncodedQuery ?? ""
    }

    static func reportTable(
        _ table: ReportTable, link: (ReportTable.Row, ReportColumn) -> String?
    ) -> Node<HTML.BodyContext> {
        .div(
            .class("table-scroll"),
            .table(
                .class("data report"), .id("report-table"),
                .thead(
                    .tr(.th("Chỉ tiêu"), .forEach(table.columns) { .th(.text("(\($0.number)) \($0.title)")) })),
                .tbody(
                    .forEach(table.rows) { row in
                        .tr(
                            .class(row.level == .detail ? "" : "total"),
                            .th(.text(row.label)),
                            .forEach(table.columns) { column in
                                let text = table.text(row, column)
                                if let href = link(row, column), !text.isEmpty, !column.isRate {
                                    return .td(.class("num"), .a(.href(href), .text(text)))
                                }
                                return .td(.class("num"), .text(text))
                            })
                    })))
    }

    /// The print view: the form alone, no navigation or controls, for the browser's print.
    static func printable(_ table: ReportTable, printedAt: Date) -> Page {
        let html = HTML(
            .lang(.vietnamese),
            Layout.head(title: table.form.title),
            .body(
                .class("print"),
                Components.classification(ReportTable.classification),
                .forEach(table.heading) { .p(.strong(.text($0))) },
                reportTable(table, link: { _, _ in nil }),
                .p(.class("hint"), .text("In lúc \(Format.dateTime(printedAt)) từ Nền tảng số Thi hành án dân sự."))))
        return Page(status: .ok, html: html.render())
    }

    static func drill(
        _ pageContext: PageContext, query: ReportsController.Query, column: ReportColumn,
        cases: [(id: UUID, code: String, status: CaseStatus)], page: Int, hasNext: Bool, extra: String
    ) -> Page {
        Layout.page(
            pageContext, title: "Hồ sơ trong chỉ tiêu (\(column.number)) \(column.title)",
            .p(.text("Mẫu \(query.form.rawValue), \(query.period.label). Danh sách theo dữ liệu hiện tại.")),
            .if(cases.isEmpty, .p(.text("Không có hồ sơ nào."))),
            .if(
                !cases.isEmpty,
                .table(
                    .class("data"), .id("drill"),
                    .thead(.tr(.th("Mã hồ sơ"), .th("Trạng thái cuối kỳ"))),
                    .tbody(
                        .forEach(cases) { item in
                            .tr(
                                .td(.a(.href("/ho-so/\(item.id.uuidString)"), .text(item.code))),
                                .td(.text(item.status.label)))
                        }))),
            Components.pager(
                basePath: "/\(ReportsController.base)/ho-so",
                query: (URLComponents(string: "?" + extra)?.queryItems ?? []).filter { $0.name != "page" }
                    .map { ($0.name, $0.value ?? "") }, page: page, hasNext: hasNext)
        )
    }
}
