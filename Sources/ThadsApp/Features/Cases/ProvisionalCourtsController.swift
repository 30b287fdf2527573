import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The provisional courts: officers record a court the catalog lacks; central admins map it to the official entry.
struct ProvisionalCourtsController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "toa-an-tam", access: .permission(.viewCatalogs), use: index)
        routes.on(.POST, "toa-an-tam", access: .permission(.enterCaseData), use: record)
        routes.on(.POST, "toa-an-tam", ":entryID", "doi-chieu", access: .permission(.manageCatalogs), use: map)
    }

    func index(req: Request) async throws -> Response {
        try await page(req, form: [:], errors: [:], status: .ok)
    }

    func record(req: Request) async throws -> Response {
        var form = FormCheck(req, keys: ["name", "level"])
        let courts = try await CatalogEntry.query(on: req.db).filter(\.$catalog == .courts).all()
        guard let draft = ProvisionalCourts.check(&form, existing: courts) else {
            return try await page(req, form: form.values, errors: form.errors, status: .badRequest)
        }
        let entry = try await ProvisionalCourts.record(draft, in: req.context)
        return req.redirect(to: "/toa-an-tam?thongbao=da-ghi&ma=\(entry.code)")
    }

    func map(req: Request) async throws -> Response {
        guard let id = req.parameters.get("entryID", as: UUID.self),
            let entry = try await CatalogEntry.find(id, on: req.db), entry.catalog == .courts
        else { throw Abort(.notFound) }
        let key = "target-" + id.uuidString
        var form = FormCheck(req, keys: [key])
        let code = form[key]
        let target =
            code.isEmpty
            ? nil
            : try await CatalogEntry.query(on: req.db).filter(\.$catalog == .courts).filter(\.$code == code).first()
        guard let target else {
            form.fail(key, "Chọn tòa án trong danh mục chính thức.")
            return try await page(req, form: form.values, errors: form.errors, status: .badRequest)
        }
        do {
            _ = try await ProvisionalCourts.map(entry, to: target, in: req.context)
        } catch let refused as ProvisionalCourts.MappingRefused {
            return try await page(req, form: form.values, errors: [key: refused.message], status: .conflict)
        }
        return req.redirect(to: "/toa-an-tam?thongbao=da-doi-chieu")
    }

    private func page(
        _ req: Request, form: [String: String], errors: [String: String], status: HTTPResponseStatus
    ) async throws -> Response {
        let courts = try await CatalogEntry.query(on: req.db).filter(\.$catalog == .courts).sort(\.$code).all()
        let notice = req.notice([
            "da-ghi": "Đã ghi tòa án tạm \(req.query[String.self, at: "ma"] ?? ""); có thể chọn ngay trong biểu mẫu.",
            "da-doi-chieu": "Đã đối chiếu tòa án tạm với danh mục chính thức.",
        ])
        return ProvisionalCourtViews.page(
            req.pageContext, provisional: courts.filter { $0.status != nil },
            official: courts.filter { $0.status == nil }, form: form, errors: errors, status: status, notice: notice
        ).response
    }
}

enum ProvisionalCourtViews {
    static func page(
        _ pageContext: PageContext, provisional: [CatalogEntry], official: [CatalogEntry], form: [String: String],
        errors: [String: String], status: HTTPResponseStatus, notice: String?
    ) -> Page {
        let user = pageContext.user
        let canRecord = user?.can(.enterCaseData) ?? false
        let canMap = user?.can(.manageCatalogs) ?? false
        let token = pageContext.csrfToken
        let targets = [("", "— Chọn —")] + official.map { ($0.code, "\($0.code) — \($0.name)") }
        return Layout.page(
            pageContext, title: "Tòa án ghi tạm", status: status, notice: notice,
            .p(
                .text(
                    "Tòa án chưa có trong danh mục được ghi tạm theo tên và cấp, dùng được ngay khi nhập bản án; "
                        + "Cục đối chiếu sang danh mục chính thức khi có. Bản án của tòa án cấp huyện phải có ngày "
                        + "trước 01/07/2025, của tòa án khu vực từ 01/07/2025.")),
            .table(
                .class("data"),
                .thead(
                    .tr(.th("Mã"), .th("Tên"), .th("Cấp"), .th("Trạng thái"), .if(canMap, .th("Đối chiếu sang")))),
                .tbody(
                    .forEach(provisional) { entry in
                        let key = "target-" + (entry.id?.uuidString ?? "")
                        return .tr(
                            .td(.text(entry.code)), .td(.text(entry.name)),
                            .td(.text(entry.court?.level.label ?? "")),
                            .td(
                                .text(
                                    entry.status == .mapped
                                        ? "Đã đối chiếu sang \(entry.mappedTo ?? "")" : "Chờ đối chiếu"
                                )),
                            .if(
                                canMap && entry.status == .provisional,
                                .td(
                                    .form(
                                        .class("inline"), .method(.post),
                                        .action("/toa-an-tam/\(entry.id!.uuidString)/doi-chieu"),
                                        Components.csrf(token),
                                        Components.select(
                                            name: key, label: "Tòa án chính thức", options: targets,
                                            selected: [form[key] ?? ""], error: errors[key]),
                                        Components.submit("Đối chiếu", style: "secondary")))))
                    })),
            .if(
                canRecord,
                .section(
                    .h2("Ghi tòa án chưa có trong danh mục"),
                    .form(
                        .method(.post), .action("/toa-an-tam"),
                        Components.csrf(token),
                        Components.formErrorSummary(errors.filter { !$0.key.hasPrefix("target-") }),
                        Components.field(
                            FieldSpec(
                                name: "name", label: "Tên tòa án", value: form["name"] ?? "", error: errors["name"],
                                required: true, hint: "Ví dụ: Tòa án nhân dân huyện Gia Lâm, thành phố Hà Nội")),
                        Components.select(
                            name: "level", label: "Cấp tòa án",
                            options: [("", "— Chọn —")]
                                + ProvisionalCourts.recordableLevels.map { ($0.rawValue, $0.label) },
                            selected: [form["level"] ?? ""], error: errors["level"], required: true),
                        Components.submit("Ghi tòa án tạm")
                    )))
        )
    }
}
