import Foundation
import ThadsDomain
import Vapor

/// The case list, the officer's work list, the unit quality page and the corrections queue.
enum CaseListViews {
    static func list(
        _ pageContext: PageContext, result: CaseSearch.Result, filters: CasesController.Filters,
        units: [EnforcementUnit],
        unitNames: [UUID: String], idNumberError: String? = nil, exportPurpose: String = ""
    ) -> Page {
        let q = filters.query
        let errors = filters.errors.merging(idNumberError.map { ["so-dinh-danh": $0] } ?? [:]) { a, _ in a }
        let byName = !VietnameseText.fold(q.name).isEmpty
        return Layout.page(
            pageContext, title: "Hồ sơ thi hành án", status: filters.errors.isEmpty ? .ok : .badRequest,
            .if(
                pageContext.user?.can(.enterCaseData) == true,
                .p(.a(.class("btn primary"), .href("/ho-so/moi"), .text("Thụ lý hồ sơ mới")))),
            .form(
                .class("filters"), .method(.get), .action("/ho-so"), .id("search"),
                Components.formErrorSummary(
                    filters.errors,
                    order: [
                        "q", "ten", "so-dinh-danh", "trang-thai", "don-vi", "tu-ngay", "den-ngay", "sap-xep", "trang",
                    ]
                ),
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
                        error: errors["so-dinh-danh"])),
                Components.select(
                    name: "trang-thai", label: "Trạng thái",
                    options: CaseFormViews.options(CaseStatus.self, label: \.label, empty: "Tất cả"),
                    selected: [q.status?.rawValue ?? ""], error: errors["trang-thai"]),
                Components.select(
                    name: "don-vi", label: "Đơn vị",
                    options: [("", "Tất cả trong phạm vi")]
                        + units.map { ($0.id!.uuidString, "\($0.code) — \($0.name)") },
                    selected: [q.unitID?.uuidString ?? ""], error: errors["don-vi"]),
                Components.field(
                    FieldSpec(
                        name: "tu-ngay", label: "Thụ lý từ ngày",
                        value: filters.rejected["tu-ngay"] ?? q.openedFrom?.display ?? "", error: errors["tu-ngay"],
                        hint: "dd/mm/yyyy")),
                Components.field(
                    FieldSpec(
                        name: "den-ngay", label: "đến ngày",
                        value: filters.rejected["den-ngay"] ?? q.openedTo?.display ?? "", error: errors["den-ngay"],
                        hint: "dd/mm/yyyy")),
                .unwrap(q.sort) { .input(.type(.hidden), .name("sap-xep"), .value($0.rawValue)) },
                Components.submit("Tìm", style: "secondary")),
            .unwrap(result.total) { total in
                .p(
                    .id("case-total"),
                    .text(
                        (result.totalCapped == true
                            ? "Hơn \(Format.count(total)) hồ sơ" : "\(Format.count(total)) hồ sơ")
                            + " phù hợp.")
                )
            },
            result.hits.isEmpty
                ? .p(.class("muted"), .text(filters.errors.isEmpty ? "Không có hồ sơ phù hợp." : "Sửa bộ lọc để tìm."))
                : .table(
                    .class("data"), .id("case-list"),
                    .thead(
                        .tr(
                            sortHeader("Mã hồ sơ", .code, filters, enabled: !byName),
                            .th("Người phải thi hành án"), .th("Người được thi hành án"),
                            sortHeader("Bản án", .judgment, filters, enabled: !byName),
                            sortHeader("Đơn vị", .unit, filters, enabled: !byName),
                            sortHeader("Ngày thụ lý", .opened, filters, enabled: !byName),
                            sortHeader("Trạng thái", .status, filters, enabled: !byName))),
                    .tbody(
                        .forEach(result.hits) { hit in
                            .tr(
                                .td(.a(.class("code"), .href("/ho-so/\(hit.caseID.uuidString)"), .text(hit.code))),
                                .td(
                                    .class("party"), .text(hit.debtorNames ?? ""),
                                    .unwrap(hit.partyName) { name in
                                        .small(
                                            .class("matched"),
                                            .text(
                                                "Khớp: "
                                                    + ([name, hit.partyRole?.label, hit.partyIDMasked].compactMap { $0 }
                                                        .joined(separator: " · "))))
                                    }),
                                .td(.class("party"), .text(hit.creditorNames ?? "")),
                                .td(.text(hit.judgmentNumber)), .td(.text(unitNames[hit.unitID] ?? "")),
                                .td(.text(CaseViews.date(hit.openedOn))), .td(.text(hit.statusLabel)))
                        })),
            Components.pager(
                basePath: "/ho-so", query: filters.items, page: result.page, hasNext: result.hasNext,
                pages: result.total.map { max(1, ($0 + q.pageSize - 1) / q.pageSize) }),
            exportForm(filters, purpose: exportPurpose)
        )
    }

    /// Export of every case the filters match, with the purpose the extraction log keeps.
    static func exportForm(_ filters: CasesController.Filters, purpose: String) -> Node<HTML.BodyContext> {
        .details(
            .class("export no-print"), .if(filters.errors["muc-dich"] != nil, .attribute(named: "open", value: "open")),
            .summary(.text("Xuất danh sách (CSV, Excel)")),
            .form(
                .method(.get), .action("/ho-so/xuat"), .id("export"),
                .forEach(filters.items) { .input(.type(.hidden), .name($0.0), .value($0.1)) },
                Components.field(
                    FieldSpec(
                        name: "muc-dich", label: "Mục đích trích xuất", value: purpose,
                        error: filters.errors["muc-dich"], required: true,
                        hint: "Được ghi vào nhật ký trích xuất cùng số dòng và mã băm của tệp.")),
                Components.select(
                    name: "dinh-dang", label: "Định dạng", options: [("xlsx", "Excel (.xlsx)"), ("csv", "CSV")],
                    selected: ["xlsx"]),
                Components.submit("Xuất danh sách", style: "secondary")))
    }

    /// A column heading that sorts the list by it (again: the other way), keeping every filter.
    static func sortHeader(
        _ title: String, _ column: CaseSearch.SortColumn, _ filters: CasesController.Filters, enabled: Bool
    ) -> Node<HTML.TableRowContext> {
        guard enabled else { return .th(.text(title)) }
        let current = filters.query.sort
        let next = CaseSearch.Sort(
            column: column, descending: current?.column == column && current?.descending == false)
        var components = URLComponents()
        components.path = "/ho-so"
        components.queryItems = (filters.items.filter { $0.0 != "sap-xep" } + [("sap-xep", next.rawValue)]).map {
            URLQueryItem(name: $0.0, value: $0.1)
        }
        let state =
            current?.column == column ? (current!.descending ? "descending" : "ascending") : "none"
        return .th(
            .class("sortable"), .attribute(named: "aria-sort", value: state),
            .a(
                .href(components.string ?? "/ho-so"),
                .text(title + (state == "ascending" ? " ▲" : state == "descending" ? " ▼" : ""))))
    }

    static func workList(
        _ pageContext: PageContext, cases: [EnforcementCase], names: [UUID: CasePartyNames],
        duties: [WorkAndQualityController.DutyRow], warnings: [QualityWarning], pendingCorrections: Int,
        today: LocalDate, notice: String? = nil
    ) -> Page {
        let warningsByCase = Dictionary(grouping: warnings, by: \.caseID)
        return Layout.page(
            pageContext, title: "Việc của tôi",
            notice: notice,
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
                    .thead(
                        .tr(
                            .th("Hồ sơ"), .th("Người phải thi hành án"), .th("Việc"), .th("Hạn"), .th("Tình trạng"),
                            .th("Thao tác"))),
                    .tbody(
                        .forEach(duties) { row in
                            .tr(
                                .class(WorkListStyle.rowClass(row.state)),
                                .td(
                                    .a(
                                        .class("code"), .href("/ho-so/\(row.enforcementCase.id!.uuidString)"),
                                        .text(row.enforcementCase.code))),
                                .td(.class("party"), .text(names[row.enforcementCase.id!]?.debtorText ?? "")),
                                .td(.text(row.duty.kind.label)), .td(.text(row.duty.due.display)),
                                .td(.text(row.state.label)),
                                .td(
                                    CaseDutyActions.action(
                                        row.duty, caseID: row.enforcementCase.id!, pageContext: pageContext,
                                        canChange: pageContext.user?.can(.enterCaseData) == true,
                                        back: "viec-cua-toi", today: today)))
                        })),
            .h2("Hồ sơ tôi được phân công (\(cases.count))"),
            .table(
                .class("data"), .id("my-cases"),
                .thead(
                    .tr(
                        .th("Mã hồ sơ"), .th("Người phải thi hành án"), .th("Người được thi hành án"),
                        .th("Trạng thái"), .th("Cảnh báo đang mở"))),
                .tbody(
                    .forEach(cases) { c in
                        let open = warningsByCase[c.id!] ?? []
                        return .tr(
                            .td(.a(.class("code"), .href("/ho-so/\(c.id!.uuidString)"), .text(c.code))),
                            .td(.class("party"), .text(names[c.id!]?.debtorText ?? "")),
                            .td(.class("party"), .text(names[c.id!]?.creditorText ?? "")),
                            .td(.text(c.status.label)),
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
        drill: (rule: QualityRule, cases: [EnforcementCase])?, names: [UUID: CasePartyNames] = [:]
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
                            .li(
                                .a(.class("code"), .href("/ho-so/\(c.id!.uuidString)?tab=canh-bao"), .text(c.code)),
                                .unwrap(names[c.id!]) { .text(" — " + $0.debtorText) })
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
        _ pageContext: PageContext, pending: [CaseCorrection], codes: [UUID: String],
        names: [UUID: CasePartyNames] = [:], errors: [String: String],
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
                                    .a(
                                        .class("code"), .href("/ho-so/\(c.caseID.uuidString)?tab=lich-su"),
                                        .text(codes[c.caseID] ?? "")),
                                    .unwrap(names[c.caseID]) { .small(.class("party"), .text($0.debtorText)) }),
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
