import Foundation
import ThadsDomain
import Vapor

enum ReceiptSeriesViews {
    static func list(
        _ pageContext: PageContext, series: [ReceiptSeries], used: [UUID: Int], errors: [String: String],
        values: [String: String], status: HTTPResponseStatus, notice: String?
    ) -> Page {
        let user = pageContext.user
        let token = pageContext.csrfToken
        func field(_ name: String, _ label: String, hint: String? = nil) -> Node<HTML.FormContext> {
            Components.field(
                FieldSpec(
                    name: name, label: label, value: values[name] ?? "", error: errors[name], required: true,
                    hint: hint))
        }
        return Layout.page(
            pageContext, title: "Dải biên lai", status: status, notice: notice,
            ReceiptViews.menu(),
            .table(
                .class("data"), .id("series"),
                .thead(
                    .tr(
                        .th("Ký hiệu mẫu"), .th("Ký hiệu"), .th("Loại thu"), .th("Từ ngày"), .th("Dải số"),
                        .th("Đã dùng"), .th("Tình trạng"), .th(""))),
                .tbody(
                    .forEach(series) { s in
                        let id = s.id!.uuidString
                        let mine = user?.can(.manageReceipts) == true && user?.unit.id == s.unitID
                        return .tr(
                            .td(.text(s.formSymbol)), .td(.text(s.receiptSymbol)), .td(.text(s.purpose.label)),
                            .td(.text(LocalDate(iso: s.validFrom)?.display ?? s.validFrom)),
                            .td(.text("\(s.firstNumber)–\(s.lastNumber)")), .td(.text(String(used[s.id!] ?? 0))),
                            .td(.class("series-status"), .text(s.status.label)),
                            .td(
                                .if(
                                    mine && (s.status == .approved || s.status == .pending),
                                    .form(
                                        .class("inline"), .method(.post), .action("/bien-lai/dai/\(id)/dong"),
                                        Components.csrf(token), Components.submit("Đóng dải", style: "secondary"))),
                                .unwrap(errors["close-" + id]) { .p(.class("field-error"), .text($0)) }))
                    })),
            .if(
                user?.can(.manageReceipts) == true,
                .form(
                    .method(.post), .action("/bien-lai/dai"), .id("series-form"),
                    Components.csrf(token),
                    .h2("Đăng ký dải biên lai mới"),
                    Components.formErrorSummary(errors),
                    .div(
                        .class("grid2"),
                        field("formSymbol", "Ký hiệu mẫu", hint: "10 ký tự, ví dụ 01BLP0-001"),
                        field("receiptSymbol", "Ký hiệu biên lai", hint: "Ví dụ AA-26E (26: năm, E: điện tử)"),
                        Components.select(
                            name: "purpose", label: "Loại thu",
                            options: ReceiptPurpose.allCases.map { ($0.rawValue, $0.label) },
                            selected: [values["purpose"] ?? ReceiptPurpose.enforcementMoney.rawValue],
                            error: errors["purpose"], required: true),
                        field("validFrom", "Ngày bắt đầu sử dụng", hint: "dd/mm/yyyy"),
                        field("firstNumber", "Từ số"), field("lastNumber", "Đến số", hint: "Tối đa 9999999")),
                    Components.submit("Đăng ký (chờ phê duyệt)")))
        )
    }

    static func pending(
        _ pageContext: PageContext, series: [ReceiptSeries], units: [UUID: String], errors: [String: String],
        status: HTTPResponseStatus, notice: String?
    ) -> Page {
        let token = pageContext.csrfToken
        return Layout.page(
            pageContext, title: "Dải biên lai chờ phê duyệt", status: status, notice: notice,
            .if(series.isEmpty, .p(.text("Không có dải biên lai nào chờ phê duyệt."))),
            .forEach(series) { s in
                let id = s.id!.uuidString
                return .section(
                    .class("series-request"),
                    .h2(.text(units[s.unitID] ?? "")),
                    .p(
                        .text(
                            "\(s.title); năm \(s.year); từ ngày \(LocalDate(iso: s.validFrom)?.display ?? s.validFrom); "
                                + "số \(s.firstNumber)–\(s.lastNumber)")),
                    .form(
                        .method(.post), .action("/duyet-dai-bien-lai/\(id)"),
                        Components.csrf(token),
                        Components.textArea(
                            name: "note", label: "Lý do (bắt buộc khi từ chối)", value: "", error: errors["note-" + id]),
                        .button(
                            .type(.submit), .class("btn primary"), .name("outcome"), .value("approve"),
                            .text("Phê duyệt")),
                        .button(
                            .type(.submit), .class("btn secondary"), .name("outcome"), .value("reject"),
                            .text("Từ chối"))))
            })
    }
}
