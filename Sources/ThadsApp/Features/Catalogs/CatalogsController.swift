import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The shared catalogs (B2): everyone reads them; central admins add entries and end their validity.
struct CatalogsController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "danh-muc", access: .permission(.viewCatalogs), use: index)
        routes.on(.GET, "danh-muc", ":catalog", access: .permission(.viewCatalogs), use: show)
        routes.on(.POST, "danh-muc", ":catalog", access: .permission(.manageCatalogs), use: add)
        routes.on(
            .POST, "danh-muc", ":catalog", ":entryID", "het-hieu-luc", access: .permission(.manageCatalogs),
            use: end)
    }

    func index(req: Request) async throws -> Response {
        var counts: [CatalogKind: Int] = [:]
        for kind in CatalogKind.allCases {
            counts[kind] = try await CatalogEntry.query(on: req.db).filter(\.$catalog == kind).count()
        }
        return CatalogViews.index(req.pageContext, counts: counts).response
    }

    func show(req: Request) async throws -> Response {
        let kind = try catalog(req)
        return try await page(req, kind, errors: [:], form: [:], status: .ok)
    }

    func add(req: Request) async throws -> Response {
        let kind = try catalog(req)
        var form: [String: String] = [:]
        for key in ["code", "name", "validFrom", "validTo", "attribute", "source"] {
            form[key] = ((try? req.content.get(String.self, at: key)) ?? "").trimmingCharacters(in: .whitespaces)
        }
        form["code"] = form["code"]?.uppercased()
        var errors: [String: String] = [:]
        let code = form["code"] ?? ""
        if code.range(of: #"^[A-Z0-9-]{1,20}$"#, options: .regularExpression) == nil {
            errors["code"] = "Mã gồm 1–20 ký tự: chữ in hoa không dấu, chữ số, dấu gạch ngang."
        } else if try await CatalogEntry.query(on: req.db).filter(\.$catalog == kind).filter(\.$code == code).first()
            != nil
        {
            errors["code"] = "Mã \(code) đã có trong danh mục này."
        }
        let name = VietnameseText.nfc(form["name"] ?? "")
        if name.count < 2 || name.count > 300 { errors["name"] = "Tên phải từ 2 đến 300 ký tự." }
        let validFrom = LocalDate(typed: form["validFrom"] ?? "")
        if validFrom == nil { errors["validFrom"] = "Nhập ngày theo dạng dd/mm/yyyy." }
        var validTo: LocalDate?
        if let text = form["validTo"], !text.isEmpty {
            validTo = LocalDate(typed: text)
            if validTo == nil {
                errors["validTo"] = "Nhập ngày theo dạng dd/mm/yyyy hoặc để trống."
            } else if let from = validFrom, let to = validTo, to < from {
                errors["validTo"] = "Ngày hết hiệu lực không được trước ngày có hiệu lực."
            }
        }
        if (form["source"] ?? "").count < 3 { errors["source"] = "Nhập căn cứ pháp lý (ít nhất 3 ký tự)." }
        if (form["attribute"] ?? "").count > 100 { errors["attribute"] = "Tối đa 100 ký tự." }
        if kind == .courts, CourtDescription(attribute: form["attribute"] ?? "") == nil {
            errors["attribute"] =
                "Ghi cấp tòa án, dấu hai chấm và mã tỉnh (2 chữ số, có thể để trống), ví dụ regional:01. Cấp là một "
                + "trong: " + CourtLevel.allCases.map { "\($0.rawValue) (\($0.label))" }.joined(separator: ", ") + "."
        }
        guard errors.isEmpty, let from = validFrom else {
            return try await page(req, kind, errors: errors, form: form, status: .badRequest)
        }
        let entry = CatalogEntry(
            catalog: kind, code: code, name: name, validFrom: from.iso, validTo: validTo?.iso,
            attribute: form["attribute"] ?? "", source: VietnameseText.nfc(form["source"] ?? ""))
        try await req.write { db in
            try await entry.create(on: db)
            try await req.audit(
                AuditEntry(
                    action: "catalog.entry-added", objectType: "catalog", objectID: entry.id?.uuidString,
                    summary: "\(kind.label): \(code) — \(name)", after: AuditEntry.json(entry.snapshot)), on: db)
        }
        req.application.catalogCache.invalidate()
        return req.redirect(to: "/danh-muc/\(kind.rawValue)?thongbao=da-them")
    }

    func end(req: Request) async throws -> Response {
        let kind = try catalog(req)
        guard let id = req.parameters.get("entryID", as: UUID.self),
            let entry = try await CatalogEntry.find(id, on: req.db), entry.catalog == kind
        else { throw Abort(.notFound) }
        let field = "end-" + id.uuidString
        let text = ((try? req.content.get(String.self, at: field)) ?? "").trimmingCharacters(in: .whitespaces)
        var error: String?
        let validTo = LocalDate(typed: text)
        if validTo == nil {
            error = "Nhập ngày hết hiệu lực theo dạng dd/mm/yyyy."
        } else if let to = validTo, let from = LocalDate(iso: entry.validFrom), to < from {
            error = "Ngày hết hiệu lực không được trước ngày có hiệu lực (\(from.display))."
        } else if entry.validTo != nil {
            error = "Mục này đã có ngày hết hiệu lực."
        }
        if let error {
            return try await page(
                req, kind, errors: [field: error], form: [field: text],
                status: .badRequest)
        }
        try await req.write { db in
            let before = entry.snapshot
            entry.validTo = validTo?.iso
            try await entry.save(on: db)
            try await req.audit(
                AuditEntry(
                    action: "catalog.entry-ended", objectType: "catalog", objectID: entry.id?.uuidString,
                    summary: "\(kind.label): \(entry.code) hết hiệu lực từ sau \(validTo!.display)",
                    before: AuditEntry.json(before), after: AuditEntry.json(entry.snapshot)), on: db)
        }
        req.application.catalogCache.invalidate()
        return req.redirect(to: "/danh-muc/\(kind.rawValue)?thongbao=da-ket-thuc")
    }

    private func page(
        _ req: Request, _ kind: CatalogKind, errors: [String: String], form: [String: String],
        status: HTTPResponseStatus
    ) async throws -> Response {
        let entries = try await CatalogEntry.query(on: req.db).filter(\.$catalog == kind).sort(\.$code).all()
        return CatalogViews.show(
            req.pageContext, kind: kind, entries: entries, errors: errors, form: form, status: status,
            notice: req.notice(["da-them": "Đã thêm mục vào danh mục.", "da-ket-thuc": "Đã ghi ngày hết hiệu lực."])
        ).response
    }

    private func catalog(_ req: Request) throws -> CatalogKind {
        guard let kind = req.parameters.get("catalog").flatMap(CatalogKind.init(rawValue:)) else {
            throw Abort(.notFound)
        }
        return kind
    }
}
