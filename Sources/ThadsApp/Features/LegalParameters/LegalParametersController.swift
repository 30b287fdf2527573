import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The legal parameters list (unverified ones flagged) and central admins' edits, all audited.
struct LegalParametersController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "tham-so", access: .permission(.viewLegalParameters), use: list)
        routes.on(.GET, "tham-so", ":parameterID", "sua", access: .permission(.manageLegalParameters), use: editForm)
        routes.on(.POST, "tham-so", ":parameterID", "sua", access: .permission(.manageLegalParameters), use: edit)
        routes.on(
            .POST, "tham-so", ":parameterID", "gia-tri-moi", access: .permission(.manageLegalParameters), use: addValue)
    }

    func list(req: Request) async throws -> Response {
        let onlyUnverified = req.query[String.self, at: "loc"] == "chua-xac-minh"
        var query = LegalParameterRecord.query(on: req.db)
        if onlyUnverified { query = query.filter(\.$verified == false) }
        let records = try await query.sort(\.$name).sort(\.$effectiveFrom).all()
        let unverified = try await LegalParameterRecord.query(on: req.db).filter(\.$verified == false).count()
        let canManage = req.currentUser?.can(.manageLegalParameters) ?? false
        let today = req.clock.today
        let inForce = LegalParameterSet(records.compactMap(\.domainValue))
        return Layout.page(
            req.pageContext, title: "Tham số pháp lý", notice: req.notice(["da-luu": "Đã lưu tham số."]),
            .p(
                .text("\(unverified) giá trị chưa được xác minh với văn bản pháp luật. "),
                onlyUnverified
                    ? .a(.href("/tham-so"), .text("Xem tất cả"))
                    : .a(.href("/tham-so?loc=chua-xac-minh"), .text("Chỉ xem giá trị chưa xác minh"))),
            .table(
                .class("data"), .id("parameters"),
                .thead(
                    .tr(
                        .th("Tham số"), .th("Giá trị"), .th("Hiệu lực từ"), .th("Căn cứ"), .th("Xác minh"),
                        .th("Đang áp dụng"), .if(canManage, .th("")))),
                .tbody(
                    .forEach(records) { record in
                        let value = record.domainValue
                        let current = value.flatMap { inForce.value($0.name, on: today) } == value
                        return .tr(
                            .class(record.verified ? "" : "unverified"),
                            .td(
                                .text(value.map { LegalParameterName.displayName(for: $0.name) } ?? record.name), .br(),
                                .code(.text(record.name))),
                            .td(.text(Self.format(record))),
                            .td(.text(LocalDate(iso: record.effectiveFrom)?.display ?? record.effectiveFrom)),
                            .td(.text(record.source)),
                            .td(.text(record.verified ? "Đã xác minh" : "Chưa xác minh")),
                            .td(.text(current ? "Có" : "")),
                            .if(canManage, .td(.a(.href("/tham-so/\(record.id!.uuidString)/sua"), .text("Sửa"))))
                        )
                    })
            )
        ).response
    }

    static func format(_ record: LegalParameterRecord) -> String {
        guard let unit = ParameterUnit(rawValue: record.unit) else { return String(record.value) }
        if unit == .dong { return Format.money(record.value) }
        return String(record.value) + " " + unit.label
    }

    func editForm(req: Request) async throws -> Response {
        let record = try await find(req)
        return view(req, record: record, errors: [:], form: [:])
    }

    func edit(req: Request) async throws -> Response {
        let record = try await find(req)
        let valueText = ((try? req.content.get(String.self, at: "value")) ?? "").filter {
            !$0.isWhitespace && $0 != "."
        }
        let source = TextInput.normalized(
            ((try? req.content.get(String.self, at: "source")) ?? "").trimmingCharacters(in: .whitespaces))
        let verified = (try? req.content.get(String.self, at: "verified")) == "true"
        let note = TextInput.normalized(
            ((try? req.content.get(String.self, at: "note")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        var errors: [String: String] = [:]
        let value = Int64(valueText)
        if value == nil || value! < 0 { errors["value"] = "Giá trị phải là số nguyên không âm." }
        if let refusal = FormCheck.refusal(source, label: "Căn cứ pháp lý", max: 300) {
            errors["source"] = refusal
        } else if source.count < 3 {
            errors["source"] = "Nêu căn cứ pháp lý (3–300 ký tự)."
        }
        if let refusal = FormCheck.refusal(note, label: "Lý do sửa", max: 1000, lines: .multi) {
            errors["note"] = refusal
        } else if note.count < 5 {
            errors["note"] = "Nêu lý do sửa (ít nhất 5 ký tự)."
        }
        guard errors.isEmpty, let value else {
            return view(
                req, record: record, errors: errors, form: ["value": valueText, "source": source, "note": note],
                status: .badRequest)
        }
        let before = record.domainValue
        try await req.write { db in
            record.value = value
            record.source = source
            record.verified = verified
            record.note = note
            try await record.save(on: db)
            try await req.audit(
                AuditEntry(
                    action: "legalParameter.updated", objectType: "legalParameter",
                    objectID: record.name + "@" + record.effectiveFrom,
                    summary: note, before: before.map { AuditEntry.json($0) },
                    after: record.domainValue.map { AuditEntry.json($0) }), on: db)
        }
        try await req.application.reloadLegalParameters()
        return req.redirect(to: "/tham-so?thongbao=da-luu")
    }

    /// A new value from a date on: the old one keeps governing what happened before that date.
    func addValue(req: Request) async throws -> Response {
        let record = try await find(req)
        let valueText = ((try? req.content.get(String.self, at: "newValue")) ?? "").filter {
            !$0.isWhitespace && $0 != "."
        }
        let dateText = ((try? req.content.get(String.self, at: "effectiveFrom")) ?? "").trimmingCharacters(
            in: .whitespaces)
        let source = TextInput.normalized(
            ((try? req.content.get(String.self, at: "newSource")) ?? "").trimmingCharacters(in: .whitespaces))
        var errors: [String: String] = [:]
        let value = Int64(valueText)
        let date = LocalDate(display: dateText)
        if value == nil || value! < 0 { errors["newValue"] = "Giá trị phải là số nguyên không âm." }
        if date == nil {
            errors["effectiveFrom"] = "Nhập ngày hiệu lực theo dạng dd/MM/yyyy."
        } else if try await LegalParameterRecord.query(on: req.db).filter(\.$name == record.name).filter(
            \.$effectiveFrom == date!.iso
        ).first() != nil {
            errors["effectiveFrom"] = "Đã có giá trị hiệu lực từ ngày này; hãy sửa giá trị đó."
        }
        if let refusal = FormCheck.refusal(source, label: "Căn cứ pháp lý", max: 300) {
            errors["newSource"] = refusal
        } else if source.count < 3 {
            errors["newSource"] = "Nêu căn cứ pháp lý (3–300 ký tự)."
        }
        guard errors.isEmpty, let value, let date, let unit = ParameterUnit(rawValue: record.unit) else {
            return view(
                req, record: record, errors: errors,
                form: ["newValue": valueText, "effectiveFrom": dateText, "newSource": source], status: .badRequest)
        }
        let new = LegalParameterRecord(
            LegalParameterValue(
                name: record.name, value: value, unit: unit, effectiveFrom: date, source: source, verified: false,
                note: nil))
        try await req.write { db in
            try await new.create(on: db)
            try await req.audit(
                AuditEntry(
                    action: "legalParameter.added", objectType: "legalParameter",
                    objectID: new.name + "@" + new.effectiveFrom,
                    after: new.domainValue.map { AuditEntry.json($0) }), on: db)
        }
        try await req.application.reloadLegalParameters()
        return req.redirect(to: "/tham-so?thongbao=da-luu")
    }

    private func view(
        _ req: Request, record: LegalParameterRecord, errors: [String: String], form: [String: String],
        status: HTTPResponseStatus = .ok
    ) -> Response {
        let token = req.csrfToken
        let unitLabel = ParameterUnit(rawValue: record.unit)?.label ?? record.unit
        return Layout.page(
            req.pageContext, title: LegalParameterName.displayName(for: record.name), status: status,
            .p(
                .text(
                    "Hiệu lực từ " + (LocalDate(iso: record.effectiveFrom)?.display ?? record.effectiveFrom)
                        + " · đơn vị: " + unitLabel)),
            .form(
                .method(.post), .action("/tham-so/\(record.id!.uuidString)/sua"),
                Components.csrf(token),
                .h2("Sửa giá trị này"),
                Components.field(
                    FieldSpec(
                        name: "value", label: "Giá trị (\(unitLabel))", value: form["value"] ?? String(record.value),
                        error: errors["value"], required: true)),
                Components.field(
                    FieldSpec(
                        name: "source", label: "Căn cứ pháp lý", value: form["source"] ?? record.source,
                        error: errors["source"], required: true)),
                Components.select(
                    name: "verified", label: "Xác minh",
                    options: [
                        (value: "false", label: "Chưa xác minh"), (value: "true", label: "Đã xác minh với văn bản"),
                    ], selected: [record.verified ? "true" : "false"]),
                Components.textArea(
                    name: "note", label: "Lý do sửa", value: form["note"] ?? "", error: errors["note"], required: true),
                Components.submit("Lưu")
            ),
            .form(
                .method(.post), .action("/tham-so/\(record.id!.uuidString)/gia-tri-moi"),
                Components.csrf(token),
                .h2("Thêm giá trị mới từ một ngày"),
                .p(
                    .class("muted"),
                    .text(
                        "Dùng khi văn bản mới thay đổi giá trị: giá trị cũ vẫn áp dụng cho sự việc trước ngày hiệu lực."
                    )),
                Components.field(
                    FieldSpec(
                        name: "newValue", label: "Giá trị mới (\(unitLabel))", value: form["newValue"] ?? "",
                        error: errors["newValue"], required: true)),
                Components.field(
                    FieldSpec(
                        name: "effectiveFrom", label: "Hiệu lực từ (dd/MM/yyyy)", value: form["effectiveFrom"] ?? "",
                        error: errors["effectiveFrom"], required: true)),
                Components.field(
                    FieldSpec(
                        name: "newSource", label: "Căn cứ pháp lý", value: form["newSource"] ?? "",
                        error: errors["newSource"], required: true)),
                Components.submit("Thêm giá trị", style: "secondary")
            )
        ).response
    }

    private func find(_ req: Request) async throws -> LegalParameterRecord {
        guard let id = req.parameters.get("parameterID", as: UUID.self),
            let record = try await LegalParameterRecord.find(id, on: req.db)
        else { throw Abort(.notFound) }
        return record
    }
}
