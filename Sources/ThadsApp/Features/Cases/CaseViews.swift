import Foundation
import ThadsDomain
import Vapor

/// The case page: a header with the status and due duties, then one tab at a time.
enum CaseViews {
    static let notices = [
        "da-thu-ly": "Đã thụ lý và cấp mã hồ sơ.",
        "da-them": "Đã lưu.",
        "da-hieu-chinh": "Đã hiệu chỉnh; thay đổi được ghi vào lịch sử hồ sơ.",
        "cho-duyet": "Đã gửi đề nghị hiệu chỉnh; thay đổi có hiệu lực khi Thủ trưởng đơn vị phê duyệt.",
        "da-bo-qua": "Đã bỏ qua cảnh báo.",
        "da-tai-len": "Đã tải lên tài liệu.",
        "da-giao": "Đã ghi nhận việc giao, thông báo quyết định thi hành án.",
    ]

    static func page(
        _ pageContext: PageContext, _ data: CasePageData, tab: CasePageData.Tab, form: CasePageData.FormState?,
        backLink: String = "/ho-so", notice: String?,
        status: HTTPResponseStatus
    ) -> Page {
        let c = data.enforcementCase
        let base = "/ho-so/\(c.id!.uuidString)"
        return Layout.page(
            pageContext, title: "Hồ sơ \(c.code)", status: status, notice: notice,
            .p(
                .class("no-print"), .a(.id("back-to-list"), .href(backLink), .text("‹ Danh sách hồ sơ")), .text(" · "),
                .a(.id("print-link"), .href(base + "/in"), .text("Bản in toàn bộ hồ sơ"))),
            .dl(
                .class("facts"),
                .dt("Trạng thái"), .dd(.strong(.id("case-status"), .text(c.status.label))),
                .dt("Người phải thi hành án"),
                .dd(.id("case-debtors"), .text(names(data.parties, .debtor).ifEmpty("Chưa nhập"))),
                .dt("Người được thi hành án"),
                .dd(.id("case-creditors"), .text(names(data.parties, .creditor).ifEmpty("Chưa nhập"))),
                .dt("Bản án"),
                .dd(
                    .text(
                        "\(data.judgment.number) — \(data.context.name(of: data.judgment.courtCode, in: data.context.courts))"
                    )),
                .dt("Đơn vị"), .dd(.text(data.unitName)),
                .dt("Chấp hành viên"),
                .dd(.text(data.context.officerName(c.officerID?.uuidString ?? "").ifEmpty("Chưa phân công")))
            ),
            .if(
                !data.openWarnings.isEmpty,
                .div(
                    .class("alert warning"), .id("open-warnings"),
                    .text("Hồ sơ có \(data.openWarnings.count) cảnh báo chất lượng dữ liệu đang mở. "),
                    .a(.href(base + "?tab=canh-bao"), .text("Xem cảnh báo")))),
            .nav(
                .class("tabs"), .attribute(named: "aria-label", value: "Các mục của hồ sơ"),
                .forEach(CasePageData.Tab.allCases) { item in
                    .a(
                        .href(base + "?tab=" + item.rawValue), .class(item == tab ? "current" : ""),
                        .if(item == tab, .attribute(named: "aria-current", value: "page")),
                        .text(item.label),
                        .if(
                            item == .warnings && !data.openWarnings.isEmpty,
                            .span(.class("badge"), .text(" \(data.openWarnings.count)"))))
                }),
            content(pageContext, data, tab: tab, form: form, base: base)
        )
    }

    /// The whole file for printing (A4, `@media print`): the header and every tab's content one after another, without
    /// menus or forms (the print stylesheet hides them).
    static func printPage(_ pageContext: PageContext, _ data: CasePageData) -> Page {
        let c = data.enforcementCase
        let base = "/ho-so/\(c.id!.uuidString)"
        return Layout.page(
            pageContext, title: "Hồ sơ \(c.code)",
            .p(
                .class("no-print"), .a(.href(base), .text("‹ Về hồ sơ")), .text(" · "),
                .text("Dùng lệnh In của trình duyệt (Ctrl+P) để in toàn bộ hồ sơ trên khổ A4.")),
            .dl(
                .class("facts"),
                .dt("Mã hồ sơ"), .dd(.span(.class("code"), .text(c.code))),
                .dt("Trạng thái"), .dd(.text(c.status.label)),
                .dt("Người phải thi hành án"), .dd(.text(names(data.parties, .debtor).ifEmpty("Chưa nhập"))),
                .dt("Người được thi hành án"), .dd(.text(names(data.parties, .creditor).ifEmpty("Chưa nhập"))),
                .dt("Đơn vị"), .dd(.text(data.unitName)),
                .dt("Chấp hành viên"),
                .dd(.text(data.context.officerName(c.officerID?.uuidString ?? "").ifEmpty("Chưa phân công"))),
                .dt("In lúc"), .dd(.text(Format.dateTime(pageContext.now)))),
            .forEach(CasePageData.Tab.allCases) { tab in
                .section(
                    .class("print-tab"), .id("in-" + tab.rawValue),
                    .h2(.text(tab.label)),
                    content(pageContext, data, tab: tab, form: nil, base: base))
            })
    }

    /// The names of the parties in one role, in the order entered.
    static func names(_ parties: [CaseParty], _ role: PartyRole) -> String {
        parties.filter { $0.role == role && $0.voidNote == nil }.sorted { $0.enteredAt < $1.enteredAt }.map(\.fullName)
            .joined(separator: ", ")
    }

    private static func content(
        _ pageContext: PageContext, _ data: CasePageData, tab: CasePageData.Tab, form: CasePageData.FormState?,
        base: String
    ) -> Node<HTML.BodyContext> {
        switch tab {
        case .summary: CaseTabViews.summary(data, base: base, pageContext: pageContext, form: form)
        case .parties: CaseTabViews.parties(pageContext, data, form: form, base: base)
        case .obligations: CaseTabViews.obligations(pageContext, data, form: form, base: base)
        case .decisions: CaseTabViews.decisions(pageContext, data, form: form, base: base)
        case .verifications: CaseTabViews.verifications(pageContext, data, form: form, base: base)
        case .documents: CaseTabViews.documents(pageContext, data, form: form, base: base)
        case .history: CaseTabViews.history(data)
        case .warnings: CaseTabViews.warnings(pageContext, data, form: form, base: base)
        }
    }

    /// An add form for a record kind on a tab, with its refusal shown again.
    static func addForm(
        _ pageContext: PageContext, _ data: CasePageData, kind: CaseRecordKind, action: String, title: String,
        form: CasePageData.FormState?, extra: Node<HTML.FormContext> = .empty, lateEntry: Bool = true
    ) -> Node<HTML.BodyContext> {
        let mine = form?.form == kind.rawValue ? form : nil
        let values = mine?.values ?? [:]
        let errors = mine?.errors ?? [:]
        return .section(
            .h2(.text(title)),
            .form(
                .method(.post), .action(action), .id("form-" + kind.rawValue),
                Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(
                    errors,
                    order: ["decisionKind", "outcome", "direction", "confirmDuplicate"]
                        + CaseRecordFields.formKeys(kind)),
                .unwrap(errors["confirmDuplicate"]) { message in
                    .div(
                        .class("alert warning"), .id("duplicate-warning"),
                        .p(CaseFormViews.messageWithCaseLinks(message)),
                        Components.checkbox(
                            name: "confirmDuplicate", label: "Tôi đã kiểm tra và xác nhận lưu", checked: false))
                },
                extra,
                CaseFormViews.fields(kind, values: values, errors: errors, context: data.context),
                .if(lateEntry, CaseFormViews.lateReason(values: values, errors: errors, context: data.context)),
                Components.submit("Lưu")
            ))
    }

    static func editLink(_ base: String, _ kind: CaseRecordKind, _ id: UUID?, canChange: Bool) -> Node<HTML.BodyContext>
    {
        .if(canChange, .a(.href("\(base)/sua/\(kind.rawValue)/\(id?.uuidString ?? "")"), .text("Hiệu chỉnh")))
    }

    static func date(_ iso: String?) -> String {
        iso.flatMap(LocalDate.init(iso:))?.display ?? ""
    }
}

extension String {
    func ifEmpty(_ fallback: String) -> String { isEmpty ? fallback : self }
}
