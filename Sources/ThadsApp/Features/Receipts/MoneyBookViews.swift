import Foundation
import ThadsDomain
import Vapor

enum MoneyBookViews {
    static func periodForm(_ path: String, from: LocalDate, to: LocalDate) -> Node<HTML.BodyContext> {
        .form(
            .class("inline"), .method(.get), .action(path),
            Components.field(FieldSpec(name: "tu", label: "Từ ngày", value: from.display)),
            Components.field(FieldSpec(name: "den", label: "Đến ngày", value: to.display)),
            Components.submit("Xem", style: "secondary"))
    }

    static func books(
        _ pageContext: PageContext, book: MoneyBooks.Book, fees: [Receipt], closes: [ReceiptDayClose], from: LocalDate,
        to: LocalDate, today: LocalDate, errors: [String: String], status: HTTPResponseStatus, notice: String?
    ) -> Page {
        let money = { (amount: Int64) -> Node<HTML.BodyContext> in .td(.class("num"), .text(MoneyText.dong(amount))) }
        return Layout.page(
            pageContext, title: "Sổ tiền thi hành án", status: status, notice: notice,
            ReceiptViews.menu(),
            periodForm("/bien-lai/so-tien", from: from, to: to),
            .table(
                .class("data"), .id("money-book"),
                .thead(.tr(.th("Hồ sơ"), .th("Đã thu"), .th("Đã chi trả"), .th("Đã trả lại"), .th("Đang giữ"))),
                .tbody(
                    .forEach(book.lines) { line in
                        .tr(
                            .td(.a(.href("/ho-so/\(line.caseID.uuidString)"), .text(line.caseCode))),
                            money(line.received), money(line.paidOut), money(line.returned), money(line.held))
                    },
                    .tr(
                        .class("total"), .th("Tổng"), money(book.received), money(book.paidOut), money(book.returned),
                        money(book.held)))),
            .h2("Sổ thu phí, lệ phí"),
            .if(fees.isEmpty, .p(.text("Không có biên lai thu phí, lệ phí trong kỳ."))),
            .if(
                !fees.isEmpty,
                .table(
                    .class("data"), .id("fee-book"),
                    .thead(.tr(.th("Biên lai"), .th("Ngày"), .th("Loại"), .th("Số tiền"), .th("Tình trạng"))),
                    .tbody(
                        .forEach(fees) { r in
                            .tr(
                                .td(.a(.href("/bien-lai/\(r.id!.uuidString)"), .text(r.reference))),
                                .td(.text(LocalDate(iso: r.issuedOn)?.display ?? "")), .td(.text(r.purpose.label)),
                                money(r.amount), .td(.text(r.state.label)))
                        }))),
            .h2("Khóa sổ ngày"),
            .if(
                pageContext.user?.can(.manageReceipts) == true,
                .form(
                    .method(.post), .action("/bien-lai/so-tien/khoa-so"), .id("close-day-form"),
                    Components.csrf(pageContext.csrfToken),
                    Components.field(
                        FieldSpec(
                            name: "day", label: "Ngày khóa sổ", value: today.display, error: errors["day"],
                            required: true,
                            hint: "Sau khi khóa, không ghi thêm khoản thu, chi nào có ngày này")),
                    Components.submit("Khóa sổ"))),
            .ul(
                .id("closed-days"),
                .forEach(closes) { c in
                    .li(
                        .text(
                            "\(LocalDate(iso: c.day)?.display ?? c.day): thu \(MoneyText.dong(c.received)), "
                                + "chi \(MoneyText.dong(c.paidOut))"))
                })
        )
    }

    static func reconciliation(_ pageContext: PageContext, result: MoneyBooks.Reconciliation) -> Page {
        Layout.page(
            pageContext, title: "Đối chiếu thu tiền và biên lai",
            ReceiptViews.menu(),
            .h2("Hồ sơ có khoản thu và biên lai không khớp"),
            .if(result.cases.isEmpty, .p(.id("no-mismatch"), .text("Không có hồ sơ nào lệch."))),
            .if(
                !result.cases.isEmpty,
                .table(
                    .class("data"), .id("mismatches"),
                    .thead(
                        .tr(
                            .th("Hồ sơ"), .th("Tổng đã thu"), .th("Tổng biên lai còn hiệu lực"),
                            .th("Khoản thu chưa có biên lai"))),
                    .tbody(
                        .forEach(result.cases) { m in
                            .tr(
                                .td(.a(.href("/ho-so/\(m.caseID.uuidString)"), .text(m.caseCode))),
                                .td(.text(MoneyText.dong(m.collected))), .td(.text(MoneyText.dong(m.receipted))),
                                .td(.text(String(m.collectionsWithoutReceipt))))
                        }))),
            .h2("Biên lai không gắn với khoản thu"),
            .if(result.untied.isEmpty, .p(.text("Không có."))),
            .if(
                !result.untied.isEmpty,
                .ul(
                    .id("untied"),
                    .forEach(result.untied) { r in
                        .li(
                            .a(
                                .href("/bien-lai/\(r.id!.uuidString)"),
                                .text("\(r.reference) — \(MoneyText.dong(r.amount))")))
                    })),
            .h2("Số liệu kế thừa (biên lai giấy của hệ thống cũ)"),
            .p(
                .class("hint"),
                .text(
                    "Số đã thu đến ngày nhập dữ liệu, chuyển từ hệ thống cũ: biên lai đã lập trên giấy ở hệ thống cũ, "
                        + "không lập biên lai điện tử và không tính là khoản thu chưa có biên lai.")),
            .if(result.legacy.isEmpty, .p(.text("Không có."))),
            .if(
                !result.legacy.isEmpty,
                .table(
                    .class("data"), .id("legacy"),
                    .thead(.tr(.th("Hồ sơ"), .th("Mã hồ sơ cũ"), .th("Đã thu đến ngày"), .th("Số tiền"))),
                    .tbody(
                        .forEach(result.legacy) { l in
                            .tr(
                                .td(.a(.href("/ho-so/\(l.caseID.uuidString)"), .text(l.caseCode))),
                                .td(.text(l.legacyCode)), .td(.text(LocalDate(iso: l.asOf)?.display ?? l.asOf)),
                                .td(.text(MoneyText.dong(l.amount))))
                        })))
        )
    }

    static func report(
        _ pageContext: PageContext, rows: [ReceiptReport.Row], from: LocalDate, to: LocalDate, error: String?,
        status: HTTPResponseStatus = .ok
    ) -> Page {
        Layout.page(
            pageContext, title: "Báo cáo tình hình sử dụng biên lai", status: status,
            ReceiptViews.menu(),
            periodForm("/bien-lai/bao-cao", from: from, to: to),
            .p(.text("Kỳ báo cáo: \(from.display) – \(to.display)")),
            usageTable(rows),
            .form(
                .method(.get), .action("/bien-lai/bao-cao/csv"), .id("export-form"),
                .input(.type(.hidden), .name("tu"), .value(from.display)),
                .input(.type(.hidden), .name("den"), .value(to.display)),
                Components.field(
                    FieldSpec(
                        name: "muc-dich", label: "Mục đích trích xuất", error: error, required: true,
                        hint: "Ghi vào nhật ký trích xuất")),
                Components.submit("Tải CSV", style: "secondary"),
                .button(
                    .type(.submit), .class("btn secondary"),
                    .attribute(named: "formaction", value: "/bien-lai/bao-cao/xlsx"),
                    .text("Tải XLSX"))),
            .p(
                .a(
                    .href("/bien-lai/bao-cao/in?tu=\(from.display)&den=\(to.display)"), .id("print-link"),
                    .text("Bản in")))
        )
    }

    static func usageTable(_ rows: [ReceiptReport.Row]) -> Node<HTML.BodyContext> {
        .table(
            .class("data"), .id("usage"),
            .thead(
                .tr(
                    .th("Dải biên lai"), .th("Loại thu"), .th("Đã lập"), .th("Đã hủy"), .th("Đã thay thế"),
                    .th("Từ số"), .th("Đến số"), .th("Số tiền còn hiệu lực"))),
            .tbody(
                .forEach(rows) { r in
                    .tr(
                        .td(.text(r.series)), .td(.text(r.purpose.label)), .td(.text(String(r.issued))),
                        .td(.text(String(r.cancelled))), .td(.text(String(r.replaced))),
                        .td(.text(r.firstNumber.map(ReceiptRules.display) ?? "")),
                        .td(.text(r.lastNumber.map(ReceiptRules.display) ?? "")),
                        .td(.text(MoneyText.dong(r.validAmount))))
                },
                .forEach(ReceiptReport.totals(rows)) { total in
                    .tr(
                        .class("total"), .th("Tổng"), .td(.text(total.0.label)), .td(.text(String(total.1))),
                        .td(""), .td(""), .td(""), .td(""), .td(.text(MoneyText.dong(total.2))))
                }))
    }

    /// The page to print (or save as PDF): no menu, the classification, the unit and the period above the table.
    static func reportPrint(rows: [ReceiptReport.Row], unit: String, from: LocalDate, to: LocalDate, printedAt: Date)
        -> Page
    {
        let html = HTML(
            .lang(.vietnamese),
            Layout.head(title: "Báo cáo tình hình sử dụng biên lai"),
            .body(
                .class("print"),
                Components.classification(.internalUse),
                .h1("BÁO CÁO TÌNH HÌNH SỬ DỤNG BIÊN LAI"),
                .p(.text("Đơn vị: \(unit)")),
                .p(.text("Kỳ báo cáo: \(from.display) – \(to.display)")),
                usageTable(rows),
                .p(.class("hint"), .text("In lúc \(Format.dateTime(printedAt)) từ Nền tảng số Thi hành án dân sự."))))
        return Page(status: .ok, html: html.render())
    }
}
