import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The reports laid out one row per unit (`UnitTable`): the usage report (E5) and form 06 (exemptions and
/// reductions), each a page for a unit (with its sub-units) and a cumulative period, and its XLSX/CSV export. Like
/// every report, each view and export states its purpose and goes into the extraction log.
struct UnitTablesController {
    enum Kind: String, CaseIterable, Sendable {
        case usage = "su-dung"
        case exemptions = "mien-giam"

        var path: String { "thong-ke/\(rawValue)" }
        var title: String {
            switch self {
            case .usage: "Báo cáo tình hình sử dụng nền tảng"
            case .exemptions: "Mẫu 06 — Miễn, giảm nghĩa vụ thi hành án"
            }
        }
        var subject: String {
            switch self {
            case .usage: "Báo cáo tình hình sử dụng"
            case .exemptions: "Mẫu 06"
            }
        }
        /// The usage reports are the 3-, 6-, 10- and 12-month ones; form 06 follows every period.
        var months: [Int] { self == .usage ? [3, 6, 10, 12] : Array(1...12) }
        var hint: String? {
            self == .usage
                ? "Báo cáo kỳ 3, 6, 10 và 12 tháng của năm thống kê; gửi trước ngày 05 của tháng liền sau kỳ báo cáo."
                : "Miễn, giảm theo Điều 61 Luật Thi hành án dân sự: quyết định đình chỉ vì được miễn toàn bộ và hiệu "
                    + "chỉnh số tiền của nghĩa vụ theo quyết định của Tòa án, trong kỳ báo cáo."
        }

        func compute(
            _ period: ReportingPeriod, unit: EnforcementUnit, units: [EnforcementUnit], on db: any Database
        ) async throws -> any UnitTable {
            switch self {
            case .usage: try await UsageReport.compute(period, unit: unit, units: units, on: db)
            case .exemptions: try await ExemptionReport.compute(period, unit: unit, units: units, on: db)
            }
        }
    }

    static let keys = ["unit", "sub", "year", "months", "purpose"]

    func register(_ routes: any RoutesBuilder) {
        for kind in Kind.allCases {
            let path = PathComponent(stringLiteral: kind.rawValue)
            routes.on(.GET, "thong-ke", path, access: .permission(.viewStatistics)) { req in
                try await show(kind, req: req)
            }
            routes.on(.POST, "thong-ke", path, "xuat", access: .permission(.viewStatistics)) { req in
                try await export(kind, req: req)
            }
        }
    }

    func show(_ kind: Kind, req: Request) async throws -> Response {
        var values = Dictionary(
            uniqueKeysWithValues: Self.keys.map { ($0, (try? req.query.get(String.self, at: $0)) ?? "") })
        let units = try await ReportsController.choices(req)
        guard values["unit"]?.isEmpty == false else {
            let today = req.context.today
            values["unit"] = try req.user.unit.id?.uuidString
            values["year"] = String(StatisticalYear.of(today))
            let ended = ReportingPeriod.monthsEnded(on: today)
            values["months"] = String(kind.months.last { $0 <= ended } ?? kind.months[0])
            values["sub"] = "1"
            return UnitTableViews.page(req.pageContext, kind, units: units, values: values, errors: [:], table: nil)
                .response
        }
        let (query, form) = ReportsController.query(values, today: req.context.today, formRequired: false)
        guard let query else {
            return UnitTableViews.page(
                req.pageContext, kind, units: units, values: form.values, errors: form.errors, table: nil,
                status: .badRequest
            ).response
        }
        let table = try await compute(kind, query, req: req, extraction: .view, format: "html", file: { _ in nil })
        return UnitTableViews.page(req.pageContext, kind, units: units, values: query.values, errors: [:], table: table)
            .response
    }

    func export(_ kind: Kind, req: Request) async throws -> Response {
        let values = Dictionary(
            uniqueKeysWithValues: (Self.keys + ["format"]).map {
                ($0, (try? req.content.get(String.self, at: $0)) ?? "")
            })
        let (query, form) = ReportsController.query(values, today: req.context.today, formRequired: false)
        guard let query else {
            return UnitTableViews.page(
                req.pageContext, kind, units: try await ReportsController.choices(req), values: form.values,
                errors: form.errors, table: nil, status: .badRequest
            ).response
        }
        let isCSV = values["format"] == "csv"
        let now = req.context.now
        var bytes: [UInt8] = []
        _ = try await compute(kind, query, req: req, extraction: .export, format: isCSV ? "csv" : "xlsx") { table in
            bytes = isCSV ? Array(table.csv.utf8) : try table.xlsx(sheet: kind.rawValue, modified: now)
            return bytes
        }
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType =
            isCSV
            ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.setAttachment(
            fileName: "\(kind.rawValue)-\(query.period.year)-\(query.period.months)thang.\(isCSV ? "csv" : "xlsx")")
        return response
    }

    /// Computes the table and logs the extraction (with the file's hash when one is produced) before answering.
    private func compute(
        _ kind: Kind, _ query: ReportsController.Query, req: Request, extraction: Extraction.Kind, format: String,
        file: (any UnitTable) throws -> [UInt8]?
    ) async throws -> any UnitTable {
        let ctx = req.context
        let (unit, units) = try await StatisticsService.units(
            of: query.unitID, withSubunits: query.withSubunits, in: ctx)
        let table = try await kind.compute(query.period, unit: unit, units: units, on: ctx.db)
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: extraction, subject: kind.subject, unitID: query.unitID,
                scope: query.withSubunits ? "đơn vị và cấp dưới (\(units.count) đơn vị)" : "đơn vị",
                period: query.period.label, format: format, rows: units.count + 1, purpose: query.purpose,
                file: try file(table)), in: ctx)
        return table
    }
}

enum UnitTableViews {
    static func page(
        _ pageContext: PageContext, _ kind: UnitTablesController.Kind, units: [EnforcementUnit],
        values: [String: String], errors: [String: String], table: (any UnitTable)?, status: HTTPResponseStatus = .ok
    ) -> Page {
        Layout.page(
            pageContext, title: kind.title, status: status,
            .unwrap(kind.hint) { .p(.class("hint"), .text($0)) },
            .form(
                .class("filters"), .method(.get), .action("/\(kind.path)"),
                Components.formErrorSummary(errors),
                ReportViews.unitAndPeriod(units: units, values: values, errors: errors, months: kind.months),
                Components.textArea(
                    name: "purpose", label: "Mục đích xem, trích xuất (ghi vào nhật ký trích xuất)",
                    value: values["purpose"] ?? "", error: errors["purpose"], required: true),
                Components.submit("Xem báo cáo")),
            .unwrap(table) { table in
                .div(
                    .id("unit-table"),
                    .forEach(table.heading) { .p(.strong(.text($0))) },
                    .div(
                        .class("table-scroll"),
                        .table(
                            .class("data report"), .id("unit-table-figures"),
                            .thead(.tr(.th("Đơn vị"), .forEach(table.columns) { .th(.text($0.title)) })),
                            .tbody(
                                .forEach(table.rows) { row in
                                    .tr(
                                        .class(row.isTotal ? "total" : ""), .th(.text(row.label)),
                                        .forEach(Array(zip(row.values, table.columns))) {
                                            .td(.class("num"), .text(table.text($0.0, $0.1)))
                                        })
                                }))),
                    .form(
                        .method(.post), .action("/\(kind.path)/xuat"),
                        Components.csrf(pageContext.csrfToken),
                        .forEach(UnitTablesController.keys.filter { $0 != "purpose" }) {
                            .input(.type(.hidden), .name($0), .value(values[$0] ?? ""))
                        },
                        Components.textArea(
                            name: "purpose", label: "Mục đích trích xuất tệp", value: "", error: nil, required: true),
                        Components.select(
                            name: "format", label: "Định dạng", options: [("xlsx", "Excel (.xlsx)"), ("csv", "CSV")],
                            selected: ["xlsx"]),
                        Components.submit("Xuất tệp", style: "secondary")))
            }
        )
    }
}
