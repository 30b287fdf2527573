import Foundation
import ThadsDomain
import Vapor

/// The fields of each record kind, the form that opens a case, and the correction form.
enum CaseFormViews {
    typealias Options = [(value: String, label: String)]

    static func options<E: CaseIterable & RawRepresentable>(_ type: E.Type, label: (E) -> String, empty: String? = nil)
        -> Options where E.RawValue == String
    {
        (empty.map { [("", $0)] } ?? []) + type.allCases.map { ($0.rawValue, label($0)) }
    }

    static func catalogOptions(
        _ entries: [CatalogEntry], empty: String = "— Chọn —", prefix: (CatalogEntry) -> String = { _ in "" }
    )
        -> Options
    {
        [("", empty)]
            + entries.map { entry in
                let until = entry.validTo.flatMap { LocalDate(iso: $0) }.map { " (đến \($0.display))" } ?? ""
                return (entry.code, prefix(entry) + "\(entry.code) — \(entry.name)\(until)")
            }
    }

    /// The inputs of one record kind; `prefix` names them apart when a page holds two records with the same fields.
    /// `groundsDate` shows a decision's grounds date (the decisions whose deadline runs from their grounds).
    static func fields(
        _ kind: CaseRecordKind, values: [String: String], errors: [String: String], context: CaseEntryContext,
        prefix: String = "", grounds: [CatalogEntry]? = nil, groundsDate: Bool = true
    ) -> Node<HTML.FormContext> {
        func label(_ field: String) -> String { CorrectionPolicy.label(kind, field: field) }
        func text(_ field: String, required: Bool = false, hint: String? = nil) -> Node<HTML.FormContext> {
            Components.field(
                FieldSpec(
                    name: prefix + field, label: label(field), value: values[prefix + field] ?? "",
                    error: errors[prefix + field], required: required, hint: hint))
        }
        func date(_ field: String, required: Bool = false) -> Node<HTML.FormContext> {
            text(field, required: required, hint: "dd/mm/yyyy")
        }
        func select(_ field: String, _ options: Options, required: Bool = true) -> Node<HTML.FormContext> {
            Components.select(
                name: prefix + field, label: label(field), options: options, selected: [values[prefix + field] ?? ""],
                error: errors[prefix + field], required: required)
        }
        switch kind {
        case .judgment:
            return .div(
                .class("grid2"),
                .div(
                    select(
                        "courtCode",
                        catalogOptions(context.courts.filter { $0.status != .mapped }) {
                            $0.status == .provisional ? "[Tạm] " : ""
                        }),
                    .p(
                        .class("hint"),
                        .text("Chưa có trong danh mục? "),
                        .a(
                            .href("/toa-an-tam"), .attribute(named: "target", value: "_blank"),
                            .attribute(named: "rel", value: "noopener"), .text("Ghi tòa án tạm")),
                        .text(" rồi gửi lại biểu mẫu; dữ liệu đã nhập được giữ."))),
                text("number", required: true),
                date("judgmentDate", required: true), select("kindCode", catalogOptions(context.judgmentKinds)),
                date("effectiveDate"), date("receivedOn"),
                text(
                    "provisionalReceivedAt",
                    hint: "dd/mm/yyyy hh:mm — chỉ với quyết định áp dụng biện pháp khẩn cấp tạm thời "
                        + "(phải ra quyết định thi hành án trong 24 giờ)"))
        case .caseFile:
            return .div(
                .class("grid2"),
                select("startMode", options(CaseStartMode.self, label: \.label)),
                date("requestReceivedOn"),
                select(
                    "officerID", [("", "— Chưa phân công —")] + context.officers.map { ($0.id.uuidString, $0.name) },
                    required: false))
        case .party:
            return .div(
                .class("grid2"),
                select("role", options(PartyRole.self, label: \.label)),
                select("kind", options(PartyKind.self, label: \.label)), text("fullName", required: true),
                date("birthDate"), text("birthYear", hint: "Nếu không rõ ngày sinh"),
                text("idNumber", hint: "12 chữ số (cá nhân) hoặc mã số thuế (tổ chức); được mã hóa khi lưu"),
                text("address"))
        case .obligation:
            return .div(
                .class("grid2"),
                select("kindCode", catalogOptions(context.valid(context.obligationKinds, on: context.today))),
                select("mode", options(ObligationMode.self, label: \.label)),
                text("amount", hint: "Đồng, ví dụ 15.000.000"),
                select("beneficiary", options(Beneficiary.self, label: \.label)),
                Components.textArea(
                    name: prefix + "description", label: label("description"),
                    value: values[prefix + "description"] ?? "",
                    error: errors[prefix + "description"]),
                Components.checkbox(
                    name: prefix + "periodic", label: label("periodic"),
                    checked: ["on", "true"].contains(values[prefix + "periodic"] ?? "")))
        case .decision:
            let choices =
                grounds
                ?? context.grounds.filter { $0.isValid(on: context.today) && $0.attribute != "enforcement" }
            return .div(
                .class("grid2"),
                text("number", required: true), date("decidedOn", required: true),
                select(
                    "groundCode",
                    catalogOptions(choices) { entry in
                        CaseDecisionKind(rawValue: entry.attribute).map { "[\($0.label)] " } ?? ""
                    }),
                text("signer", required: true), date("notifiedOn"),
                .if(
                    groundsDate,
                    Components.field(
                        FieldSpec(
                            name: prefix + "groundsOn", label: label("groundsOn"),
                            value: values[prefix + "groundsOn"] ?? "", error: errors[prefix + "groundsOn"],
                            hint: "dd/mm/yyyy — hoãn, tạm đình chỉ, đình chỉ, trả đơn, ủy thác: hạn 5 ngày làm việc "
                                + "kể từ ngày này"))),
                Components.textArea(
                    name: prefix + "notes", label: label("notes"), value: values[prefix + "notes"] ?? "",
                    error: errors[prefix + "notes"]))
        case .verification:
            return .div(
                .class("grid2"), date("verifiedOn", required: true),
                Components.textArea(
                    name: prefix + "findings", label: label("findings"), value: values[prefix + "findings"] ?? "",
                    error: errors[prefix + "findings"], required: true))
        case .money:
            return .div(
                .class("grid2"), text("amount", required: true, hint: "Đồng, ví dụ 15.000.000"),
                date("occurredOn", required: true), text("reference", required: true), text("notes"),
                text("payerEmail", hint: "Nếu người nộp muốn nhận chứng từ qua email"))
        }
    }

    /// The late-entry reason, required when the event is entered after the allowed working days (B6).
    static func lateReason(values: [String: String], errors: [String: String], context: CaseEntryContext)
        -> Node<HTML.FormContext>
    {
        .div(
            .class("grid2"),
            Components.select(
                name: "lateReason", label: "Lý do nhập muộn",
                options: catalogOptions(context.reasons("lateEntry"), empty: "— Chỉ khi nhập muộn —"),
                selected: [values["lateReason"] ?? ""], error: errors["lateReason"]),
            Components.field(
                FieldSpec(
                    name: "lateNote", label: "Diễn giải lý do nhập muộn", value: values["lateNote"] ?? "",
                    error: errors["lateNote"],
                    hint: "Bắt buộc chọn lý do khi nhập sau 1 ngày làm việc kể từ ngày xảy ra sự kiện")))
    }

    /// The reason to open an on-request case although the request came after its limitation period: asked for on
    /// every new case, required only when the server finds the request late (its message then names the basis).
    static func limitationReason(values: [String: String], errors: [String: String]) -> Node<HTML.FormContext> {
        Components.textArea(
            name: "limitationReason", label: "Lý do thụ lý khi đơn yêu cầu quá thời hiệu",
            value: values["limitationReason"] ?? "", error: errors["limitationReason"])
    }

    /// A refusal message that lists other cases as "CODE|UUID": the codes become links.
    static func messageWithCaseLinks(_ message: String) -> Node<HTML.BodyContext> {
        let pattern = #"([^\s,|]+)\|([0-9A-Fa-f-]{36})"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return .text(message) }
        var nodes: [Node<HTML.BodyContext>] = []
        var cursor = message.startIndex
        for match in regex.matches(in: message, range: NSRange(message.startIndex..., in: message)) {
            guard let whole = Range(match.range, in: message), let code = Range(match.range(at: 1), in: message),
                let id = Range(match.range(at: 2), in: message)
            else { continue }
            nodes.append(.text(String(message[cursor..<whole.lowerBound])))
            nodes.append(.a(.href("/ho-so/" + message[id]), .text(String(message[code]))))
            cursor = whole.upperBound
        }
        nodes.append(.text(String(message[cursor...])))
        return .group(nodes)
    }

    // MARK: Opening a case

    static func newCase(
        _ pageContext: PageContext, context: CaseEntryContext, values: [String: String], errors: [String: String],
        twins: [CaseEntryService.Twin], status: HTTPResponseStatus
    ) -> Page {
        let user = pageContext.user
        let enforcementGrounds = context.grounds.filter { $0.attribute == CaseDecisionKind.enforcement.rawValue }
        return Layout.page(
            pageContext, title: "Thụ lý hồ sơ thi hành án mới", status: status,
            .p(.text("Đơn vị: \(user?.unit.name ?? ""). Mã hồ sơ được cấp tự động khi lưu.")),
            .form(
                .method(.post), .action("/ho-so/moi"),
                Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(errors),
                .if(
                    !twins.isEmpty,
                    .div(
                        .class("alert warning"), .id("duplicate-warning"),
                        .p(.strong("Có thể trùng: "), .text("cùng tòa án và số bản án đã có trong các hồ sơ sau:")),
                        .ul(
                            .forEach(twins) { twin in
                                .li(
                                    user?.scope.contains(twin.unitID) == true
                                        ? .a(.href("/ho-so/\(twin.caseID.uuidString)"), .text(twin.code))
                                        : .text(twin.code),
                                    .text(" — \(twin.unitName)"))
                            }),
                        Components.checkbox(
                            name: "confirmDuplicate",
                            label: "Tôi đã kiểm tra: đây là một việc thi hành án khác từ cùng bản án",
                            checked: values["confirmDuplicate"] == "on", error: errors["confirmDuplicate"]))),
                Components.fieldset(
                    "Bản án, quyết định được thi hành",
                    fields(.judgment, values: values, errors: errors, context: context)),
                Components.fieldset(
                    "Hồ sơ thi hành án", fields(.caseFile, values: values, errors: errors, context: context),
                    limitationReason(values: values, errors: errors)),
                Components.fieldset(
                    "Quyết định thi hành án",
                    fields(
                        .decision, values: values, errors: errors, context: context,
                        prefix: CasesController.decisionPrefix, grounds: enforcementGrounds, groundsDate: false)),
                Components.fieldset("Thời hạn nhập liệu", lateReason(values: values, errors: errors, context: context)),
                Components.submit("Lưu và cấp mã hồ sơ")
            ))
    }

    // MARK: Correction

    static func correction(
        _ pageContext: PageContext, _ enforcementCase: EnforcementCase, record: CaseRecord, context: CaseEntryContext,
        values: [String: String], errors: [String: String], pending: Bool, status: HTTPResponseStatus
    ) async throws -> Page {
        let substantive = CorrectionPolicy.fields(of: record.kind).filter {
            CorrectionPolicy.isSubstantive(record.kind, field: $0)
        }
        var grounds: [CatalogEntry]?
        var groundsDate = true
        if case .decision(let decision) = record {
            grounds = context.grounds.filter { $0.attribute == decision.kind.rawValue }
            groundsDate = decision.kind.runsFromGrounds
        }
        let casePath = "/ho-so/\(enforcementCase.id!.uuidString)"
        return Layout.page(
            pageContext, title: "Hiệu chỉnh \(record.kind.label.lowercased()) — hồ sơ \(enforcementCase.code)",
            status: status,
            .p(.a(.href(casePath), .text("‹ Về hồ sơ \(enforcementCase.code)"))),
            .if(
                pending,
                .div(.class("alert warning"), .text("Bản ghi này đang có đề nghị hiệu chỉnh chờ Thủ trưởng duyệt."))),
            .p(
                .class("hint"),
                .text(
                    "Mọi thay đổi cần lý do và được ghi vào lịch sử hồ sơ. Thay đổi các trường "
                        + substantive.map { CorrectionPolicy.label(record.kind, field: $0) }.joined(separator: ", ")
                        + " chỉ có hiệu lực sau khi Thủ trưởng đơn vị phê duyệt.")),
            .form(
                .method(.post), .action("\(casePath)/sua/\(record.kind.rawValue)/\(record.id!.uuidString)"),
                Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(errors),
                Components.fieldset(
                    record.kind.label,
                    .if(
                        record.kind == .money,
                        Components.select(
                            name: "direction", label: "Thu hay chi",
                            options: options(MoneyDirection.self, label: \.label),
                            selected: [values["direction"] ?? ""], error: errors["direction"], required: true)),
                    fields(
                        record.kind, values: values, errors: errors, context: context, grounds: grounds,
                        groundsDate: groundsDate),
                    .if(
                        record.kind == .money,
                        .p(.class("hint"), .text("Nhập 0 nếu khoản này không có tiền (nhập nhầm số tiền).")))),
                .if(
                    CorrectionPolicy.canVoid(record.kind),
                    Components.fieldset(
                        "Hủy bỏ bản ghi nhập nhầm",
                        .p(
                            .class("hint"),
                            .text(
                                "Bản ghi không bị xóa: nó được gạch ngang, ghi rõ người hủy và lý do, và không còn được "
                                    + "tính vào số tiền, thời hạn và báo cáo. Bỏ đánh dấu để khôi phục.")),
                        Components.checkbox(
                            name: CorrectionPolicy.voidField, label: "Hủy bỏ bản ghi này (nhập nhầm)",
                            checked: !(values[CorrectionPolicy.voidField] ?? "").isEmpty,
                            error: errors[CorrectionPolicy.voidField]))),
                Components.fieldset(
                    "Lý do hiệu chỉnh",
                    Components.select(
                        name: "reasonCode", label: "Lý do", options: catalogOptions(context.reasons("correction")),
                        selected: [values["reasonCode"] ?? ""], error: errors["reasonCode"], required: true),
                    Components.textArea(
                        name: "reasonNote", label: "Diễn giải (căn cứ, văn bản kèm theo)",
                        value: values["reasonNote"] ?? "",
                        error: errors["reasonNote"])),
                Components.submit("Gửi hiệu chỉnh")
            ))
    }
}
