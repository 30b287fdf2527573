import Foundation
import ThadsDomain

/// The receipt as printed (Decree 123/2020 Art. 32 contents): the staff print page, the payer's HTML attachment.
enum ReceiptPrint {
    static func body(_ d: ReceiptDocument, state: ReceiptState, verified: Bool, revealIDNumber: Bool)
        -> Node<HTML.BodyContext>
    {
        let idNumber =
            revealIDNumber || d.payer.idNumber.count <= 3
            ? d.payer.idNumber : String(repeating: "*", count: d.payer.idNumber.count - 3) + d.payer.idNumber.suffix(3)
        return .div(
            .class("receipt"), .id("receipt"),
            .p(.class("receipt-unit"), .strong(.text(d.unitName))),
            .h2(.text("BIÊN LAI THU TIỀN (ĐIỆN TỬ)")),
            .p(.text(d.purpose.label)),
            .dl(
                .class("facts"),
                .dt("Ký hiệu mẫu"), .dd(.id("receipt-form"), .text(d.formSymbol)),
                .dt("Ký hiệu"), .dd(.id("receipt-symbol"), .text(d.receiptSymbol)),
                .dt("Số"), .dd(.id("receipt-number"), .text(d.displayNumber)),
                .dt("Ngày lập"), .dd(.text(d.issuedOn.display)),
                .dt("Người nộp"), .dd(.id("receipt-payer"), .text(d.payer.name)),
                .dt("Địa chỉ"), .dd(.text(d.payer.address)),
                .dt("Số định danh"), .dd(.id("receipt-id-number"), .text(idNumber)),
                .dt("Hồ sơ thi hành án"), .dd(.text(d.caseCode)),
                .dt("Nội dung thu"), .dd(.text(d.item)),
                .dt("Số tiền"), .dd(.id("receipt-amount"), .text(MoneyText.dong(d.amount))),
                .dt("Bằng chữ"), .dd(.id("receipt-words"), .text(d.amountInWords)),
                .dt("Người thu"), .dd(.text(d.collector)),
                .dt("Mã tra cứu"), .dd(.id("receipt-lookup"), .text(d.lookupCode)),
                .unwrap(d.replaces) { .group(.dt("Thay thế biên lai"), .dd(.id("receipt-replaces"), .text($0))) }
            ),
            .p(
                .id("receipt-state"), .class(state == .valid ? "" : "overdue"),
                .text("Tình trạng: " + state.label)),
            .p(
                .id("receipt-signature"), .class(verified ? "" : "field-error"),
                .text(
                    verified
                        ? "Chữ ký số: hợp lệ (đã kiểm tra khi hiển thị)"
                        : "Chữ ký số: KHÔNG HỢP LỆ — nội dung biên lai đã bị thay đổi hoặc không do đơn vị ký")),
            .if(d.demoSignature, .p(.class("demo-banner"), .id("receipt-demo"), .text(ReceiptDocument.demoNotice)))
        )
    }

    /// A self-contained page (the email attachment): its own small style, no link back to the server's assets.
    static func standalone(
        _ d: ReceiptDocument, state: ReceiptState, verified: Bool, revealIDNumber: Bool, publicURL: URL
    ) -> String {
        let style =
            "body{font-family:sans-serif;max-width:40em;margin:2em auto}dl{display:grid;grid-template-columns:"
            + "12em 1fr;gap:.3em}dt{font-weight:bold}.demo-banner{border:2px solid #b00;padding:.5em}"
        return HTML(
            .lang(.vietnamese),
            .head(
                .meta(.charset(.utf8)), .title("Biên lai \(d.reference)"),
                .element(named: "style", nodes: [.raw(style)])),
            .body(
                body(d, state: state, verified: verified, revealIDNumber: revealIDNumber),
                .p(.text("Tra cứu: \(publicURL.absoluteString)/\(ReceiptPublicController.fullPath)")))
        ).render()
    }
}
