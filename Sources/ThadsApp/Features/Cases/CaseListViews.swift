import Foundation
import ThadsDomain
import Vapor

/// The case list, the officer's work list, the unit quality page and the corrections queue.
enum CaseListViews {
    static func list(
        _ pageContext: PageContext, result: CaseSearch.Result, filters: CasesController.Filters,
        units: [EnforcementUnit],
        unitNames: [UUID: String], idNumberError: String? = nil
    ) -> Page {
        let q = filters.query
        return Layout.page(
            pageContext, title: "Hồ sơ thi hành án",
            .if(
                pageContext.user?.can(.enterCaseData) == true,
                .p(.a(.class("btn primary"), .href("/ho-so/moi"), .text("Thụ lý hồ sơ mới")))),
            .form(
                .class("filters"), .method(.get), .action("/ho-so"), .id("search"),
                Components.field(FieldSpec(name: "q", label: "Mã hồ sơ hoặc số bản án", value: q.text)),
                Components.field(
                    FieldSpec(name: "ten", label: "Tên đương sự", value: q.name, hint: "Có dấu hoặc không dấu")),
                Components.select(
                    name: "cach-tim", label: "Cách tìm tên",
                    options: CaseSearch.NameMode.allCases.map { ($0.rawValue, $0.label) },
                    selected: [q.nameMode.rawValue]),
                Components.field(
                    FieldSpec(
                        name: "so-dinh-danh", label: "Số định danh / Mã số thuế", value: q.idNumber,
                        error: idNumberError)),
                Components.select(
                    name: "trang-thai", label: "Trạng thái",
                    options: CaseFormViews.options(CaseStatus.self, label: \.label, empty: "Tất cả"),
                    selected: [q.status?.rawValue ?? ""]),
                Components.select(
                    name: "don-vi", label: "Đơn vị",
                    options: [("", "Tất cả trong phạm vi")]
                        + units.map { ($0.id!.uuidString, "\($0.code) — \($0.name)") },
                    selected: [q.unitID?.uuidString ?? ""]),
                Components.field(
                    FieldSpec(
                        name: "tu-ngay", label: "Thụ lý từ ngày", value: q.openedFrom?.display ?? "", hint: "dd/mm/yyyy"
                    )),
                Components.field(
                    FieldSpec(name: "den-ngay", label: "đến ngày", value: q.openedTo?.display ?? "", hint: "dd/mm/yyyy")
                ),
                Components.submit("Tìm", style: "secondary")),
            result.hits.isEmpty
                ? .p(.class("muted"), .text("Không có hồ sơ phù hợp."))
                : .table(
                    .class("data"), .id("case-list"),
                    .thead(
                        .tr(
                            .th("Mã hồ sơ"), .th("Đương sự"), .th("Bản án"), .th("Đơn vị"), .th("Ngày thụ lý"),
                            .th("Trạng thái"))),
                    .tbody(
                        .forEach(result.hits) { hit in
                            .tr(
                                .td(.a(.href("/ho-so/\(hit.caseID.uuidString)"), .text(hit.code))),
                                .td(
                                    .text(
                                        [hit.partyName, hit.partyRole?.label, hit.partyIDMasked].compactMap { $0 }
                                            .joined(separator: " · "))),
                                .td(.text(hit.judgmentNumber)), .td(.text(unitNames[hit.unitID] ?? "")),
                                .td(.text(CaseViews.date(hit.openedOn))), .td(.text(hit.statusLabel)))
                        })),
            Components.pager(basePath: "/ho-so", query: filters.items, page: result.page, hasNext: result.hasNext)
        )
    }

    static func workList(
        _ pageContext: PageContext, cases: [EnforcementCase], duties: [WorkAndQualityController.DutyRow],
        warnings: [QualityWarning],
        pendingCorrections: Int, today: LocalDate
    ) -> Page {
        let warningsByCase = Dictionary(grouping: warnings, by: \.caseID)
        return Layout.page(
            pageContext, title: "Việc của tôi",
            .p(.text("Hôm nay \(today.display). Các hạn tính theo ngày làm việc và tham số pháp lý đang có hiệu lực.")),
            .if(
                pendingCorrections > 0,
                .div(
                    .class("alert warning"),
                    .a(.href("/hieu-chinh"), .text("\(pendingCorrections) đề nghị hiệu chỉnh đang chờ bạn duyệt")))),
            .h2("Việc đến hạn và quá hạn"),
            duties.isEmpty
                ? .p(.class("muted"), .text("Không có việc nào theo thời hạn."))
                : .table(
                    .class("data"), .id("duties"),
                    .thead(.tr(.th("Hồ sơ"), .th("Việc"), .th("Hạn"), .th("Tình trạng"))),
                    .tbody(
                        .forEach(duties) { row in
                            .tr(
                                .class(WorkListStyle.rowClass(row.state)),
                                .td(
                                    .a(
                                        .href("/ho-so/\(row.enforcementCase.id!.uuidString)"),
                                        .text(row.enforcementCase.code))),
                                .td(.text(row.duty.kind.label)), .td(.text(row.duty.due.display)),
                                .td(.text(row.state.label)))
                        })),
            .h2("Hồ sơ tôi được phân công (\(cases.count))"),
            .table(
                .class("data"), .id("my-cases"),
                .thead(.tr(.th("Mã hồ sơ"), .th("Trạng thái"), .th("Cảnh báo đang mở"))),
                .tbody(
                    .forEach(cases) { c in
                        let open = warningsByCase[c.id!] ?? []
                        return .tr(
                            .td(.a(.href("/ho-so/\(c.id!.uuidString)"), .text(c.code))), .td(.text(c.status.label)),
                            .td(
                                .if(
                                    !open.isEmpty,
                                    .a(
                                        .href("/ho-so/\(c.id!.uuidString)?tab=canh-bao"),
                                        .text(open.map(\.rule.label).joined(separator: "; ")))))
                        )
                    }))
        )
    }

    static func quality(
        _ pageContext: PageContext, figures: WorkAndQualityController.QualityFigures, units: [EnforcementUnit],
        drill: (rule: QualityRule, cases: [EnforcementCase])?
    ) -> Page {
        let score = figures.score
        let unitParam = figures.unit.id!.uuidString
        return Layout.page(
            pageContext, title: "Chất lượng dữ liệu — \(figures.unit.name)",
            .form(
                .class("filters"), .method(.get), .action("/chat-luong"),
                Components.select(
                    name: "don-vi", label: "Đơn vị",
                    options: units.map { ($0.id!.uuidString, "\($0.code) — \($0.name)") }, selected: [unitParam]),
                Components.submit("Xem", style: "secondary")),
            .div(
                .class("score"), .id("score"),
                .div(.strong(.text("\(score.overall)%")), .text("Điểm chung")),
                .div(.strong(.text("\(score.correct)%")), .text("Đúng")),
                .div(.strong(.text("\(score.complete)%")), .text("Đủ")),
                .div(.strong(.text("\(score.clean)%")), .text("Sạch")),
                .div(.strong(.text("\(score.live)%")), .text("Sống"))),
            .p(
                .id("late-entries"),
                .text(
                    "\(figures.cases) hồ sơ; \(figures.entries) lượt nhập sự kiện, trong đó \(figures.lateEntries) "
                        + "lượt nhập muộn quá 1 ngày làm việc.")),
            .table(
                .class("data"), .id("rule-counts"),
                .thead(.tr(.th("Nhóm"), .th("Cảnh báo"), .th("Số cảnh báo mở"), .th("Số hồ sơ"))),
                .tbody(
                    .forEach(QualityRule.allCases) { rule in
                        let count = figures.rules[rule]
                        return .tr(
                            .td(.text(rule.category.label)),
                            .td(
                                count == nil
                                    ? .text(rule.label)
                                    : .a(
                                        .href("/chat-luong?don-vi=\(unitParam)&quy-tac=\(rule.rawValue)"),
                                        .text(rule.label))),
                            .td(.text(String(count?.warnings ?? 0))), .td(.text(String(count?.cases ?? 0))))
                    })),
            .unwrap(drill) { drill in
                .section(
                    .h2(.text("Hồ sơ có cảnh báo “\(drill.rule.label)”")),
                    .ul(
                        .id("drill"),
                        .forEach(drill.cases) { c in
                            .li(.a(.href("/ho-so/\(c.id!.uuidString)?tab=canh-bao"), .text(c.code)))
                        }))
            }
        )
    }

    static func changeList(_ correction: CaseCorrection) -> Node<HTML.BodyContext> {
        .ul(
            .class("changes"),
            .forEach(correction.changes) { change in
                .li(
                    .text(
                        "\(correction.recordKind.label) · \(CorrectionPolicy.label(correction.recordKind, field: change.field)): "
                            + "\(change.beforeText) → \(change.afterText)"))
            })
    }

    static func corrections(
        _ pageContext: PageContext, pending: [CaseCorrection], codes: [UUID: String], errors: [String: String],
        status: HTTPResponseStatus, notice: String?
    ) -> Page {
        let me = pageContext.user?.account.id
        return Layout.page(
            pageContext, title: "Hiệu chỉnh chờ duyệt", status: status, notice: notice,
            pending.isEmpty
                ? .p(.class("muted"), .text("Không có đề nghị hiệu chỉnh nào chờ duyệt."))
                : .table(
                    .class("data"), .id("correction-queue"),
                    .thead(.tr(.th("Hồ sơ"), .th("Thay đổi"), .th("Lý do"), .th("Người đề nghị"), .th("Quyết định"))),
                    .tbody(
                        .forEach(pending) { c in
                            let id = c.id!.uuidString
                            return .tr(
                                .td(
                                    .a(.href("/ho-so/\(c.caseID.uuidString)?tab=lich-su"), .text(codes[c.caseID] ?? ""))
                                ),
                                .td(changeList(c)), .td(.text(c.reason)),
                                .td(.text("\(c.requestedByName), \(Format.dateTime(c.requestedAt))")),
                                .td(
                                    .unwrap(errors[id]) { .p(.class("field-error"), .text($0)) },
                                    c.requestedByID == me
                                        ? .p(.class("muted"), .text("Đề nghị của bạn: người khác duyệt."))
                                        : .group(
                                            .form(
                                                .method(.post), .action("/hieu-chinh/\(id)/duyet"),
                                                Components.csrf(pageContext.csrfToken),
                                                Components.field(FieldSpec(name: "note", label: "Ghi chú")),
                                                Components.submit("Duyệt")),
                                            .form(
                                                .method(.post), .action("/hieu-chinh/\(id)/tu-choi"),
                                                Components.csrf(pageContext.csrfToken),
                                                Components.field(
                                                    FieldSpec(name: "note", label: "Lý do từ chối", required: true)),
                                                Components.submit("Từ chối", style: "danger")))))
                        }))
        )
    }
}
