import Foundation
import ThadsDomain
import Vapor

enum ReceiptViews {
    static func menu() -> Node<HTML.BodyContext> {
        .nav(
            .class("filters"),
            .a(.href("/bien-lai"), .text("Biên lai")), .text(" · "),
            .a(.href("/bien-lai/dai"), .text("Dải biên lai")), .text(" · "),
            .a(.href("/bien-lai/phi-le-phi"), .text("Lập biên lai phí, lệ phí")), .text(" · "),
            .a(.href("/bien-lai/so-tien"), .text("Sổ tiền thi hành án")), .text(" · "),
            .a(.href("/bien-lai/doi-chieu"), .text("Đối chiếu")), .text(" · "),
            .a(.href("/bien-lai/bao-cao"), .text("Báo cáo sử dụng biên lai")))
    }

    static func list(_ pageContext: PageContext, receipts: [Receipt], page: Int, hasNext: Bool) -> Page {
        Layout.page(
            pageContext, title: "Biên lai điện tử",
            menu(),
            .if(receipts.isEmpty, .p(.text("Chưa có biên lai nào."))),
            .if(
                !receipts.isEmpty,
                .table(
                    .class("data"), .id("receipts"),
                    .thead(.tr(.th("Ký hiệu, số"), .th("Ngày"), .th("Người nộp"), .th("Số tiền"), .th("Tình trạng"))),
                    .tbody(
                        .forEach(receipts) { r in
                            .tr(
                                .td(.a(.href("/bien-lai/\(r.id!.uuidString)"), .text(r.reference))),
                                .td(.text(LocalDate(iso: r.issuedOn)?.display ?? r.issuedOn)),
                                .td(.text(r.payerName)), .td(.text(MoneyText.dong(r.amount))),
                                .td(.text(r.state.label)))
                        }))),
            Components.pager(basePath: "/bien-lai", query: [], page: page, hasNext: hasNext))
    }

    static func show(
        _ pageContext: PageContext, receipt: Receipt, document: ReceiptDocument?, verified: Bool, related: [Receipt],
        errors: [String: String], values: [String: String], status: HTTPResponseStatus, notice: String?
    ) -> Page {
        let user = pageContext.user
        let token = pageContext.csrfToken
        let id = receipt.id!.uuidString
        let accountant = user?.can(.manageReceipts) == true && user?.unit.id == receipt.unitID
        let replaces = related.first { $0.id == receipt.replacesID }
        let replacedBy = related.first { $0.id == receipt.replacedByID }
        return Layout.page(
            pageContext, title: "Biên lai \(receipt.reference)", status: status, notice: notice,
            menu(),
            .unwrap(
                document,
                {
                    ReceiptPrint.body(
                        $0, state: receipt.state, verified: verified,
                        revealIDNumber: user?.can(.viewPartyIDNumbers) == true)
                }, else: .p(.class("field-error"), .text("Không đọc được nội dung biên lai."))),
            .unwrap(receipt.cancelReason) { reason in
                .p(
                    .id("receipt-reason"),
                    .text(
                        "\(receipt.state == .replaced ? "Lý do thay thế" : "Lý do hủy"): \(reason) "
                            + "(\(receipt.cancelledAt.map { CaseDuties.instantText($0) } ?? ""))"))
            },
            .unwrap(replaces) { r in
                .p(.text("Thay thế biên lai "), .a(.href("/bien-lai/\(r.id!.uuidString)"), .text(r.reference)))
            },
            .unwrap(replacedBy) { r in
                .p(
                    .id("receipt-replaced-by"), .text("Đã được thay thế bằng biên lai "),
                    .a(.href("/bien-lai/\(r.id!.uuidString)"), .text(r.reference)))
            },
            .p(
                .a(.href("/bien-lai/\(id)/ban-in"), .text("Bản in")),
                .if(
                    user?.can(.viewPartyIDNumbers) == true,
                    .group(.text(" · "), .a(.href("/bien-lai/\(id)/xml"), .text("Tệp XML")))),
                .text(" · "), .a(.href("/bien-lai/\(id)/chu-ky"), .text("Chữ ký số (.p7s)")),
                .unwrap(receipt.caseID) { caseID in
                    .group(.text(" · "), .a(.href("/ho-so/\(caseID.uuidString)?tab=nghia-vu"), .text("Hồ sơ")))
                }),
            .if(
                accountant && receipt.state == .valid,
                .div(
                    .class("grid2"),
                    .form(
                        .method(.post), .action("/bien-lai/\(id)/huy"), .id("cancel-form"),
                        Components.csrf(token),
                        .h2("Hủy biên lai"),
                        Components.textArea(
                            name: "reason", label: "Lý do hủy", value: values["reason"] ?? "", error: errors["reason"],
                            required: true),
                        Components.submit("Hủy biên lai", style: "secondary")),
                    .form(
                        .method(.post), .action("/bien-lai/\(id)/thay-the"), .id("replace-form"),
                        Components.csrf(token),
                        .h2("Lập biên lai thay thế"),
                        Components.textArea(
                            name: "replaceReason", label: "Lý do thay thế", value: values["replaceReason"] ?? "",
                            error: errors["replaceReason"], required: true),
                        Components.field(
                            FieldSpec(
                                name: "replaceAmount", label: "Số tiền đúng (để trống nếu không đổi)",
                                value: values["replaceAmount"] ?? "", error: errors["replaceAmount"])),
                        Components.field(
                            FieldSpec(
                                name: "replacePayer", label: "Họ tên người nộp đúng (để trống nếu không đổi)",
                                value: values["replacePayer"] ?? "", error: errors["replacePayer"])),
                        Components.submit("Lập biên lai thay thế")))),
            .if(
                !(accountant && receipt.state == .valid) && !errors.isEmpty,
                .group(.forEach(errors.values.sorted()) { .p(.class("field-error"), .text($0)) }))
        )
    }
}
