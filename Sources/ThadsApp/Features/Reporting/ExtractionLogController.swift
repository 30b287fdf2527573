import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Auditors search the extraction log (E3): by account name, subject and period of time.
struct ExtractionLogController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "nhat-ky-trich-xuat", access: .permission(.viewExtractionLog), use: search)
    }

    func search(req: Request) async throws -> Response {
        let user = try req.user
        var form = FormCheck(
            Dictionary(
                uniqueKeysWithValues: ["actor", "subject", "from", "to"].map {
                    ($0, (try? req.query.get(String.self, at: $0)) ?? "")
                }))
        let actor = form.text("actor", label: "Tài khoản", max: 100)
        let subject = form.text("subject", label: "Nội dung", max: 100)
        let from = form.date("from", label: "Từ ngày")
        let to = form.date("to", label: "Đến ngày")
        let page = max(1, (try? req.query.get(Int.self, at: "page")) ?? 1)
        var query = Extraction.query(on: req.db).sort(\.$at, .descending)
        if let units = user.scopedUnitIDs { query = query.filter(\.$unitID ~~ units) }
        if !actor.isEmpty { query = query.filter(LikePattern.contains("actor_name", actor)) }
        if !subject.isEmpty { query = query.filter(LikePattern.contains("subject", subject)) }
        if let from { query = query.filter(\.$at >= from.startOfDay(in: .vietnam)) }
        if let to { query = query.filter(\.$at < to.adding(days: 1).startOfDay(in: .vietnam)) }
        let size = 100
        let rows = form.isValid ? try await query.range(((page - 1) * size)..<(page * size + 1)).all() : []
        return ExtractionLogViews.search(
            req.pageContext, rows: Array(rows.prefix(size)), values: form.values, errors: form.errors, page: page,
            hasNext: rows.count > size
        ).response
    }
}

enum ExtractionLogViews {
    static func search(
        _ pageContext: PageContext, rows: [Extraction], values: [String: String], errors: [String: String], page: Int,
        hasNext: Bool
    ) -> Page {
        Layout.page(
            pageContext, title: "Nhật ký trích xuất dữ liệu", status: errors.isEmpty ? .ok : .badRequest,
            .form(
                .class("filters"), .method(.get), .action("/nhat-ky-trich-xuat"),
                Components.field(FieldSpec(name: "actor", label: "Tài khoản", value: values["actor"] ?? "")),
                Components.field(FieldSpec(name: "subject", label: "Nội dung", value: values["subject"] ?? "")),
                Components.field(
                    FieldSpec(name: "from", label: "Từ ngày", value: values["from"] ?? "", error: errors["from"])),
                Components.field(
                    FieldSpec(name: "to", label: "Đến ngày", value: values["to"] ?? "", error: errors["to"])),
                Components.submit("Tìm")),
            .if(rows.isEmpty, .p(.text("Không có lượt trích xuất nào."))),
            .if(
                !rows.isEmpty,
                .div(
                    .class("table-scroll"),
                    .table(
                        .class("data"), .id("extractions"),
                        .thead(
                            .tr(
                                .th("Thời gian"), .th("Tài khoản"), .th("Hình thức"), .th("Nội dung"), .th("Phạm vi"),
                                .th("Kỳ"), .th("Số dòng"), .th("Mục đích"), .th("SHA-256 tệp"))),
                        .tbody(
                            .forEach(rows) { row in
                                .tr(
                                    .td(.text(Format.dateTime(row.at))), .td(.text(row.actorName)),
                                    .td(.text("\(row.kind.label) (\(row.format))")), .td(.text(row.subject)),
                                    .td(.text(row.scope)), .td(.text(row.period)),
                                    .td(.class("num"), .text(String(row.rows))),
                                    .td(.text(row.purpose)), .td(.class("code"), .text(row.sha256 ?? "")))
                            })))),
            Components.pager(
                basePath: "/nhat-ky-trich-xuat",
                query: values.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                    .map { ($0.key, $0.value) }, page: page, hasNext: hasNext)
        )
    }
}
