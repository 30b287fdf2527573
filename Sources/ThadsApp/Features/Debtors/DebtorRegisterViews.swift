import Foundation
import ThadsDomain
import Vapor

enum DebtorRegisterViews {
    static func list(
        _ pageContext: PageContext, entries: [DebtorEntry], filter: DebtorRegisterController.Filter,
        today: LocalDate, calendar: WorkingCalendar, errors: [String: String], status: HTTPResponseStatus,
        notice: String?
    ) -> Page {
        let user = pageContext.user
        let token = pageContext.csrfToken
        func display(_ iso: String?) -> String { iso.flatMap { LocalDate(iso: $0)?.display } ?? "" }
        return Layout.page(
            pageContext, title: "Sổ theo dõi người phải thi hành án chưa có điều kiện", status: status,
            notice: notice,
            .p(
                .a(.href("/\(DebtorRegisterController.base)/nhat-ky-cong-khai"), .text("Nhật ký công khai")),
                .text(" · "),
                .a(
                    .href("/\(PublicPages.prefix)/\(DebtorPublicController.path)"),
                    .text("Trang tra cứu công khai"))),
            .nav(
                .class("filters"),
                .forEach(DebtorRegisterController.Filter.allCases) { option in
                    option == filter
                        ? .strong(.text(option.label))
                        : .a(.href("/\(DebtorRegisterController.base)?loc=\(option.rawValue)"), .text(option.label))
                }),
            .if(entries.isEmpty, .p(.text("Không có hồ sơ nào."))),
            .if(
                !entries.isEmpty,
                .table(
                    .class("data"),
                    .thead(
                        .tr(
                            .th("Hồ sơ"), .th("Người phải thi hành án"), .th("Quyết định chưa có điều kiện"),
                            .th("Xác minh lại"), .th("Sổ theo dõi riêng"), .th("Miễn, giảm"), .th("Còn phải thi hành"),
                            .th("Hoàn cảnh"))),
                    .tbody(
                        .forEach(entries) { entry in
                            let id = entry.id!.uuidString
                            let due = LocalDate(iso: entry.reverificationDue) ?? today
                            let state = DueState.state(due: due, today: today, calendar: calendar, soonWorkingDays: 5)
                            let overdue = if case .overdue = state { true } else { false }
                            let mine = user?.can(.enterCaseData) == true && user?.unit.id == entry.unitID
                            return .tr(
                                .td(.a(.href("/ho-so/\(entry.caseID.uuidString)"), .text(entry.caseCode))),
                                .td(.text(entry.debtorName)),
                                .td(.text("Số \(entry.decisionNumber) ngày \(display(entry.decidedOn))")),
                                .td(
                                    .class(overdue ? "overdue" : ""),
                                    .text("\(display(entry.reverificationDue)) — \(state.label)"),
                                    .p(.class("hint"), .text("Đã xác minh \(entry.verificationsSince) lần"))),
                                .td(
                                    .if(
                                        entry.inSeparateBook,
                                        .text("Đã chuyển ngày \(display(entry.separateBookSince))")),
                                    .if(
                                        !entry.inSeparateBook && entry.bookEligibleSince != nil,
                                        .group(
                                            .text(
                                                "Đủ điều kiện từ \(display(entry.bookEligibleSince)); chuyển trước "
                                                    + display(entry.bookTransferDue)),
                                            .if(
                                                mine,
                                                .form(
                                                    .class("inline"), .method(.post),
                                                    .action("/\(DebtorRegisterController.base)/\(id)/so-rieng"),
                                                    Components.csrf(token),
                                                    Components.submit("Chuyển sổ", style: "secondary"))))),
                                    .unwrap(errors["book-" + id]) { .p(.class("field-error"), .text($0)) }),
                                .td(.text(entry.exemptionRule ?? "")),
                                .td(.text(MoneyText.dong(entry.outstanding))),
                                .td(
                                    mine
                                        ? .form(
                                            .class("inline"), .method(.post),
                                            .action("/\(DebtorRegisterController.base)/\(id)/hoan-canh"),
                                            Components.csrf(token),
                                            Components.select(
                                                name: "circumstance-" + id, label: "Hoàn cảnh",
                                                options: DebtorCircumstance.allCases.map { ($0.rawValue, $0.label) },
                                                selected: [entry.circumstance.rawValue],
                                                error: errors["circumstance-" + id]),
                                            Components.submit("Ghi", style: "secondary"))
                                        : .text(entry.circumstance.label))
                            )
                        })))
        )
    }

    static func log(_ pageContext: PageContext, events: [PublicationEvent], codes: [UUID: String]) -> Page {
        Layout.page(
            pageContext, title: "Nhật ký công khai thông tin người chưa có điều kiện thi hành án",
            .p(.a(.href("/\(DebtorRegisterController.base)"), .text("‹ Sổ theo dõi"))),
            .table(
                .class("data"),
                .thead(.tr(.th("Thời điểm"), .th("Hồ sơ"), .th("Việc"), .th("Căn cứ"))),
                .tbody(
                    .forEach(events) { event in
                        .tr(
                            .td(.text(Format.dateTime(event.at))),
                            .td(
                                .a(
                                    .href("/ho-so/\(event.caseID.uuidString)"),
                                    .text(codes[event.caseID] ?? event.caseID.uuidString))),
                            .td(.text(event.action.label)), .td(.text(event.cause)))
                    }))
        )
    }

    static func crossCheck(_ pageContext: PageContext, mismatches: [DebtorCrossCheck.Mismatch]) -> Page {
        Layout.page(
            pageContext, title: "Đối chiếu thông tin công khai với hồ sơ",
            .p(.a(.href("/\(DebtorRegisterController.base)"), .text("‹ Sổ theo dõi"))),
            .p(
                .text(
                    mismatches.isEmpty
                        ? "Thông tin công khai khớp với quyết định và trạng thái hồ sơ."
                        : "\(mismatches.count) hồ sơ không khớp; chuyển Thủ trưởng đơn vị xử lý.")),
            .if(
                !mismatches.isEmpty,
                .table(
                    .class("data"),
                    .thead(.tr(.th("Hồ sơ"), .th("Không khớp"), .th("Trạng thái hồ sơ"))),
                    .tbody(
                        .forEach(mismatches) { mismatch in
                            .tr(
                                .td(.a(.href("/ho-so/\(mismatch.caseID.uuidString)"), .text(mismatch.caseCode))),
                                .td(.text(mismatch.kind.label)), .td(.text(mismatch.status.label)))
                        })))
        )
    }

    struct ReportRow {
        var listed = 0
        var inSeparateBook = 0
        var published = 0
        var publishedThisMonth = 0
        var withdrawnThisMonth = 0
        var mismatches = 0
    }

    static func report(_ pageContext: PageContext, rows: [(String, ReportRow)]) -> Page {
        let total = rows.reduce(into: ReportRow()) { sum, row in
            sum.listed += row.1.listed
            sum.inSeparateBook += row.1.inSeparateBook
            sum.published += row.1.published
            sum.publishedThisMonth += row.1.publishedThisMonth
            sum.withdrawnThisMonth += row.1.withdrawnThisMonth
            sum.mismatches += row.1.mismatches
        }
        func cells(_ row: ReportRow) -> Node<HTML.TableRowContext> {
            .group(
                .td(.class("num"), .text(String(row.listed))), .td(.class("num"), .text(String(row.inSeparateBook))),
                .td(.class("num"), .text(String(row.published))),
                .td(.class("num"), .text(String(row.publishedThisMonth))),
                .td(.class("num"), .text(String(row.withdrawnThisMonth))),
                .td(.class(row.mismatches > 0 ? "num overdue" : "num"), .text(String(row.mismatches))))
        }
        return Layout.page(
            pageContext, title: "Tình hình công khai thông tin người chưa có điều kiện thi hành án",
            .p(
                .a(.href("/\(DebtorRegisterController.base)"), .text("‹ Sổ theo dõi")), .text(" · "),
                .a(.href("/\(DebtorRegisterController.base)/doi-chieu"), .text("Đối chiếu"))),
            .table(
                .class("data"), .id("publication-report"),
                .thead(
                    .tr(
                        .th("Đơn vị"), .th("Trong sổ"), .th("Sổ theo dõi riêng"), .th("Đang công khai"),
                        .th("Công khai trong tháng"), .th("Rút trong tháng"), .th("Không khớp"))),
                .tbody(
                    .forEach(rows) { row in .tr(.td(.text(row.0)), cells(row.1)) },
                    .tr(.class("total"), .th("Tổng"), cells(total))))
        )
    }
}
