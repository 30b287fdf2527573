import Foundation
import ThadsDomain
import Vapor

/// The tabs of the case page.
enum CaseTabViews {
    typealias Body = Node<HTML.BodyContext>

    static func summary(
        _ data: CasePageData, base: String, pageContext: PageContext, form: CasePageData.FormState? = nil
    ) -> Body {
        let c = data.enforcementCase
        let j = data.judgment
        let ctx = data.context
        let deliveryError = form?.form == "delivery" ? form?.errors["notifiedOn"] : nil
        return .group(
            .h2("Việc cần làm và thời hạn"),
            .unwrap(deliveryError) { message in
                .div(
                    .class("alert error error-summary"), .attribute(named: "role", value: "alert"),
                    .attribute(named: "tabindex", value: "-1"), .attribute(named: "data-error-summary", value: "1"),
                    .p(.text("Chưa ghi nhận được việc giao, thông báo quyết định: " + message)))
            },
            data.duties.isEmpty
                ? .p(.class("muted"), .text("Không có việc nào đang chờ theo thời hạn luật định."))
                : .table(
                    .class("data"), .id("duties"),
                    .thead(.tr(.th("Việc"), .th("Hạn"), .th("Tình trạng"), .th("Chi tiết"), .th("Thao tác"))),
                    .tbody(
                        .forEach(data.duties) { row in
                            .tr(
                                .class(WorkListStyle.rowClass(row.state)),
                                .td(.text(row.duty.kind.label)), .td(.text(row.duty.due.display)),
                                .td(.text(row.state.label)), .td(.text(row.duty.detail)),
                                .td(
                                    CaseDutyActions.action(
                                        row.duty, caseID: c.id!, pageContext: pageContext, canChange: data.canChange,
                                        back: nil, today: ctx.today)))
                        })),
            .unwrap(data.decisionDueText) { due in
                .p(
                    .class(data.decisionLate ? "overdue-tag" : "hint"), .id("decision-due"),
                    .text(
                        "Hạn ra quyết định thi hành án theo luật: \(due)."
                            + (data.decisionLate ? " Quyết định thi hành án được ban hành sau thời hạn này." : "")))
            },
            .h2("Số tiền"),
            .dl(
                .class("facts"), .id("money-summary"),
                .dt("Phải thi hành"), .dd(.text(MoneyText.dong(data.snapshot.amountOwed))),
                .dt("Đã thu"), .dd(.text(MoneyText.dong(data.snapshot.amountCollected))),
                .dt("Đã chi trả"), .dd(.text(MoneyText.dong(data.snapshot.amountPaidOut)))),
            .h2("Bản án, quyết định"),
            .dl(
                .class("facts"),
                .dt("Tòa án"), .dd(.text(ctx.name(of: j.courtCode, in: ctx.courts))),
                .dt("Số"), .dd(.text(j.number)),
                .dt("Ngày"), .dd(.text(CaseViews.date(j.judgmentDate))),
                .dt("Loại"), .dd(.text(ctx.name(of: j.kindCode, in: ctx.judgmentKinds))),
                .dt("Ngày có hiệu lực"), .dd(.text(CaseViews.date(j.effectiveDate))),
                .dt("Ngày nhận"), .dd(.text(CaseViews.date(j.receivedOn))),
                .unwrap(j.provisionalReceivedAt) { at in
                    .group(
                        .dt("Giờ nhận quyết định áp dụng biện pháp khẩn cấp tạm thời"),
                        .dd(.text(CaseDuties.instantText(at))))
                }),
            CaseViews.editLink(base, .judgment, j.id, canChange: data.canChange),
            .h2("Hồ sơ"),
            .dl(
                .class("facts"),
                .dt("Mã hồ sơ"), .dd(.text(c.code)),
                .dt("Năm thống kê"), .dd(.text(String(c.statisticalYear))),
                .dt("Hình thức thụ lý"), .dd(.text(c.startMode.label)),
                .dt("Ngày nhận đơn"), .dd(.text(CaseViews.date(c.requestReceivedOn))),
                .dt("Ngày thụ lý"), .dd(.text(CaseViews.date(c.openedOn))),
                .dt("Ngày kết thúc"), .dd(.text(CaseViews.date(c.closedOn))),
                .unwrap(c.limitationReason) { reason in
                    .group(.dt("Lý do thụ lý khi đơn quá thời hiệu"), .dd(.id("limitation-reason"), .text(reason)))
                }),
            CaseViews.editLink(base, .caseFile, c.id, canChange: data.canChange)
        )
    }

    static func parties(_ pageContext: PageContext, _ data: CasePageData, form: CasePageData.FormState?, base: String)
        -> Body
    {
        func idNumber(_ party: CaseParty) -> String { data.revealedIDNumbers[party.id!] ?? party.maskedIDNumber }
        return .group(
            .table(
                .class("data"), .id("parties"),
                .thead(
                    .tr(
                        .th("Tư cách"), .th("Họ tên / Tên tổ chức"), .th("Năm sinh"), .th("Số định danh"),
                        .th("Địa chỉ"), .th(""))),
                .tbody(
                    .forEach(data.parties) { party in
                        .tr(
                            .class(party.voidNote == nil ? "" : "voided"),
                            .td(.text(party.role.label)), .td(.text(party.fullName)),
                            .td(.text(party.birthYear.map(String.init) ?? "")),
                            .td(.class("id-number"), .text(idNumber(party))),
                            .td(.text(party.address)),
                            voidCell(
                                party.voidNote, CaseViews.editLink(base, .party, party.id, canChange: data.canChange)))
                    })),
            .if(
                data.canChange,
                CaseViews.addForm(
                    pageContext, data, kind: .party, action: base + "/duong-su", title: "Thêm đương sự", form: form,
                    lateEntry: false))
        )
    }

    /// The last cell of a row that can be voided: who voided it and why (the row is struck through), and the link
    /// to correct it (which can also restore it).
    static func voidCell(_ note: String?, _ edit: Body) -> Node<HTML.TableRowContext> {
        .td(
            .class(note == nil ? "" : "void-note"),
            .unwrap(note) { .p(.class("void-text"), .text("Đã hủy: " + $0)) }, edit)
    }

    static func obligations(
        _ pageContext: PageContext, _ data: CasePageData, form: CasePageData.FormState?, base: String
    ) -> Body {
        let ctx = data.context
        return .group(
            .h2("Nghĩa vụ thi hành án"),
            .table(
                .class("data"), .id("obligations"),
                .thead(.tr(.th("Loại"), .th("Hình thức"), .th("Số tiền"), .th("Mô tả"), .th("Nộp cho"), .th(""))),
                .tbody(
                    .forEach(data.obligations) { o in
                        .tr(
                            .class(o.voidNote == nil ? "" : "voided"),
                            .td(.text(ctx.name(of: o.kindCode, in: ctx.obligationKinds))), .td(.text(o.mode.label)),
                            .td(.text(o.amount.map(MoneyText.dong) ?? "")), .td(.text(o.description)),
                            .td(.text(o.beneficiary.label + (o.periodic ? " · định kỳ" : ""))),
                            voidCell(o.voidNote, CaseViews.editLink(base, .obligation, o.id, canChange: data.canChange))
                        )
                    })),
            .h2("Thu, chi tiền"),
            .table(
                .class("data"), .id("money"),
                .thead(.tr(.th("Ngày"), .th("Thu/Chi"), .th("Số tiền"), .th("Chứng từ"), .th("Ghi chú"), .th(""))),
                .tbody(
                    .forEach(data.money) { m in
                        .tr(
                            .class(m.voidNote == nil ? "" : "voided"),
                            .td(.text(CaseViews.date(m.occurredOn))), .td(.text(m.direction.label)),
                            .td(.text(MoneyText.dong(m.amount))), .td(.text(m.reference)),
                            .td(.text(m.notes + (m.isLate ? " (nhập muộn: \(m.lateReason ?? ""))" : ""))),
                            voidCell(m.voidNote, CaseViews.editLink(base, .money, m.id, canChange: data.canChange)))
                    })),
            .if(
                data.canChange,
                .group(
                    CaseViews.addForm(
                        pageContext, data, kind: .obligation, action: base + "/nghia-vu", title: "Thêm nghĩa vụ",
                        form: form,
                        lateEntry: false),
                    CaseViews.addForm(
                        pageContext, data, kind: .money, action: base + "/thu-chi", title: "Ghi thu, chi tiền",
                        form: form,
                        extra: .group(
                            Components.select(
                                name: "direction", label: "Thu hay chi",
                                options: CaseFormViews.options(MoneyDirection.self, label: \.label),
                                selected: [form?.values["direction"] ?? ""], error: form?.errors["direction"],
                                required: true),
                            .forEach(data.moneyFormExtras) { extra in
                                Components.select(
                                    name: extra.name, label: extra.label,
                                    options: extra.options.map { ($0.value, $0.label) },
                                    selected: [
                                        form?.values[extra.name].flatMap { $0.isEmpty ? nil : $0 } ?? extra.selected
                                    ],
                                    error: form?.errors[extra.name])
                            }))))
        )
    }

    static func decisions(_ pageContext: PageContext, _ data: CasePageData, form: CasePageData.FormState?, base: String)
        -> Body
    {
        let allowed = CaseLifecycle.allowedDecisions(from: data.enforcementCase.status)
        let fromGrounds = data.groundsDeadlines
        return .group(
            .table(
                .class("data"), .id("decisions"),
                .thead(
                    .tr(
                        .th("Quyết định"), .th("Số"), .th("Ngày"), .th("Căn cứ"), .th("Người ký"),
                        .th("Giao, thông báo"), .th("Hạn kể từ căn cứ"), .th("Trạng thái"), .th(""))),
                .tbody(
                    .forEach(data.decisions) { d in
                        .tr(
                            .td(.text(d.kind.label)), .td(.text(d.number)), .td(.text(CaseViews.date(d.decidedOn))),
                            .td(.text(data.context.name(of: d.groundCode, in: data.context.grounds))),
                            .td(.text(d.signer)),
                            .td(.text(CaseViews.date(d.notifiedOn))),
                            groundsCell(d.id.flatMap { fromGrounds[$0] }),
                            .td(
                                .text(
                                    d.statusBefore == d.statusAfter
                                        ? "" : "\(d.statusBefore.label) → \(d.statusAfter.label)")),
                            .td(CaseViews.editLink(base, .decision, d.id, canChange: data.canChange)))
                    })),
            .if(
                data.canChange && (!allowed.isEmpty || form?.form == CaseRecordKind.decision.rawValue),
                CaseViews.addForm(
                    pageContext, data, kind: .decision, action: base + "/quyet-dinh", title: "Ra quyết định",
                    form: form,
                    extra: Components.select(
                        name: "decisionKind", label: "Loại quyết định",
                        options: [("", "— Chọn —")] + allowed.map { ($0.rawValue, $0.label) },
                        selected: [form?.values["decisionKind"] ?? ""], error: form?.errors["decisionKind"],
                        required: true))),
            .if(
                data.enforcementCase.status.isClosed,
                .p(.class("muted"), .text("Hồ sơ đã kết thúc: không ra thêm quyết định.")))
        )
    }

    /// The decision's last day from its grounds, marked when it was issued after it.
    private static func groundsCell(_ deadline: CaseDuties.DecisionDeadline?) -> Node<HTML.TableRowContext> {
        guard let deadline, let grounds = deadline.decision.groundsOn else { return .td() }
        return .td(
            .class(deadline.late ? "overdue-tag" : ""),
            .text(
                "\(deadline.due.display) (căn cứ ngày \(grounds.display))"
                    + (deadline.late ? " — ban hành quá hạn" : "")))
    }

    static func verifications(
        _ pageContext: PageContext, _ data: CasePageData, form: CasePageData.FormState?, base: String
    ) -> Body {
        let allowed = CaseLifecycle.allowedVerifications(from: data.enforcementCase.status)
        return .group(
            .table(
                .class("data"), .id("verifications"),
                .thead(.tr(.th("Ngày"), .th("Kết quả"), .th("Nội dung"), .th(""))),
                .tbody(
                    .forEach(data.verifications) { v in
                        .tr(
                            .td(.text(CaseViews.date(v.verifiedOn))), .td(.text(v.outcome.label)),
                            .td(.text(v.findings)),
                            .td(CaseViews.editLink(base, .verification, v.id, canChange: data.canChange)))
                    })),
            .if(
                data.canChange && (!allowed.isEmpty || form?.form == CaseRecordKind.verification.rawValue),
                CaseViews.addForm(
                    pageContext, data, kind: .verification, action: base + "/xac-minh", title: "Ghi biên bản xác minh",
                    form: form,
                    extra: Components.select(
                        name: "outcome", label: "Kết quả xác minh",
                        options: [("", "— Chọn —")] + allowed.map { ($0.rawValue, $0.label) },
                        selected: [form?.values["outcome"] ?? ""], error: form?.errors["outcome"], required: true)))
        )
    }

    static func documents(_ pageContext: PageContext, _ data: CasePageData, form: CasePageData.FormState?, base: String)
        -> Body
    {
        let errors = form?.form == "attachment" ? form?.errors ?? [:] : [:]
        return .group(
            .table(
                .class("data"), .id("documents"),
                .thead(
                    .tr(
                        .th("Tệp"), .th("Loại"), .th("Dung lượng"), .th("Mô tả"), .th("Phân loại"),
                        .th("Ngày tải lên"), .th("Quét virus"))),
                .tbody(
                    .forEach(data.attachments) { a in
                        .tr(
                            .td(.a(.href("\(base)/tai-lieu/\(a.id!.uuidString)"), .text(a.fileName))),
                            .td(.text(AttachmentKind(rawValue: a.kind)?.label ?? a.kind)),
                            .td(.text("\(max(1, a.size / 1024)) KB")), .td(.text(a.description)),
                            .td(.text(InformationClass(rawValue: a.classification)?.label ?? a.classification)),
                            .td(.text(Format.dateTime(a.uploadedAt))),
                            .td(.text(a.scan == "clean" ? "Sạch" : "Chưa quét")))
                    })),
            .if(
                data.canChange,
                .section(
                    .h2("Tải lên tài liệu"),
                    .p(
                        .class("hint"),
                        .text("Nhận .pdf .jpg .doc .docx .xls .xlsx .rar .zip; kiểm tra theo nội dung tệp.")),
                    .form(
                        .method(.post), .action(CSRF.uploadAction(base + "/tai-lieu", token: pageContext.csrfToken)),
                        .enctype(.multipartData), .id("form-attachment"),
                        Components.csrf(pageContext.csrfToken),
                        .div(
                            .class(errors["file"] == nil ? "field" : "field has-error"),
                            .label(.for("f-file"), .text("Tệp")),
                            .input(.type(.file), .name("file"), .id("f-file")),
                            .unwrap(errors["file"]) { .p(.class("field-error"), .id("f-file-error"), .text($0)) }),
                        Components.field(
                            FieldSpec(
                                name: "description", label: "Mô tả tài liệu", value: form?.values["description"] ?? "",
                                error: errors["description"])),
                        // State secret is offered so that choosing it is refused with its legal reason (H1).
                        Components.select(
                            name: "classification", label: "Phân loại",
                            options: InformationClass.allCases.map { ($0.rawValue, $0.label) },
                            selected: [form?.values["classification"] ?? InformationClass.internalUse.rawValue],
                            error: errors["classification"]),
                        Components.submit("Tải lên"))))
        )
    }

    static func history(_ data: CasePageData) -> Body {
        .group(
            .h2("Diễn biến hồ sơ"),
            .table(
                .class("data"), .id("timeline"),
                .thead(.tr(.th("Ngày"), .th("Sự kiện"), .th("Chi tiết"))),
                .tbody(
                    .forEach(data.timeline) { event in
                        .tr(.td(.text(CaseViews.date(event.date))), .td(.text(event.title)), .td(.text(event.detail)))
                    })),
            .h2("Đề nghị hiệu chỉnh"),
            .table(
                .class("data"), .id("corrections"),
                .thead(.tr(.th("Gửi lúc"), .th("Người đề nghị"), .th("Nội dung"), .th("Lý do"), .th("Tình trạng"))),
                .tbody(
                    .forEach(data.corrections) { c in
                        .tr(
                            .td(.text(Format.dateTime(c.requestedAt))), .td(.text(c.requestedByName)),
                            .td(CaseListViews.changeList(c)), .td(.text(c.reason)),
                            .td(
                                .class("status " + c.status.rawValue),
                                .text(c.status.label + (c.decisionNote.map { ": \($0)" } ?? ""))))
                    })),
            .h2("Lịch sử thay đổi dữ liệu"),
            .table(
                .class("data"), .id("history"),
                .thead(
                    .tr(
                        .th("Thời điểm"), .th("Bản ghi"), .th("Trường"), .th("Trước"), .th("Sau"),
                        .th("Người thực hiện"), .th("Lý do"))),
                .tbody(
                    .forEach(data.history) { h in
                        .tr(
                            .td(.text(Format.dateTime(h.changedAt))), .td(.text(h.recordKind.label)),
                            .td(.text(CorrectionPolicy.label(h.recordKind, field: h.field))),
                            .td(.class("before"), .text(h.beforeText)), .td(.class("after"), .text(h.afterText)),
                            .td(.text(h.actorName)), .td(.text(h.reason)))
                    }))
        )
    }

    static func warnings(_ pageContext: PageContext, _ data: CasePageData, form: CasePageData.FormState?, base: String)
        -> Body
    {
        let errors = form?.form == "dismiss" ? form?.errors ?? [:] : [:]
        let reasons = CaseFormViews.catalogOptions(data.context.reasons("dismissWarning"))
        return .table(
            .class("data"), .id("warnings"),
            .thead(.tr(.th("Loại"), .th("Cảnh báo"), .th("Nội dung"), .th("Tình trạng"), .th(""))),
            .tbody(
                .forEach(data.warnings) { w in
                    let key = "dismiss-" + w.id!.uuidString
                    return .tr(
                        .td(.text(w.category.label)), .td(.text(w.rule.label)), .td(.text(w.message)),
                        .td(.text(w.status.label + (w.dismissReason.map { ": \($0)" } ?? ""))),
                        .td(
                            .if(
                                data.canDismiss && w.status == .open,
                                .form(
                                    .method(.post), .action("\(base)/canh-bao/\(w.id!.uuidString)/bo-qua"),
                                    Components.csrf(pageContext.csrfToken),
                                    Components.select(
                                        name: key, label: "Lý do bỏ qua", options: reasons, selected: [],
                                        error: errors[key]),
                                    Components.field(
                                        FieldSpec(name: key + "-note", label: "Diễn giải", error: errors[key + "-note"])
                                    ),
                                    Components.submit("Bỏ qua", style: "secondary")))))
                }))
    }
}

enum WorkListStyle {
    static func rowClass(_ state: DueState) -> String {
        switch state {
        case .overdue: "overdue"
        case .dueToday: "dueToday"
        case .dueSoon: "dueSoon"
        case .notDue: ""
        }
    }
}
