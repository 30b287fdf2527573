import Fluent
import Foundation
import ThadsDomain

/// The payer's copy by email: a short text, the printable HTML view, the signed XML and its detached signature.
enum ReceiptMail {
    static func enqueue(
        _ receipt: Receipt, document: ReceiptDocument, to address: String, ctx: ActionContext, on db: any Database
    ) async throws {
        let name = "bien-lai-" + receipt.reference.replacingOccurrences(of: " ", with: "-")
        let html = ReceiptPrint.standalone(
            document, state: receipt.state, verified: true, revealIDNumber: false, publicURL: ctx.settings.publicURL)
        let verifyURL = ctx.settings.publicURL.absoluteString + "/" + ReceiptPublicController.fullPath
        try await ctx.enqueueMail(
            to: address, subject: "Biên lai thu tiền \(receipt.reference) — \(document.unitName)",
            body: """
                Kính gửi \(document.payer.name.isEmpty ? "ông/bà" : document.payer.name),

                \(document.unitName) gửi biên lai điện tử \(receipt.reference) (ký hiệu mẫu \(document.formSymbol)) \
                ngày \(document.issuedOn.display):
                số tiền \(MoneyText.dong(document.amount)) (\(document.amountInWords)), \(document.item).

                Tệp đính kèm: bản in (HTML), biên lai điện tử (XML) và chữ ký số (CMS, .p7s).
                Kiểm tra biên lai tại \(verifyURL) với ký hiệu \(document.receiptSymbol), số \(document.displayNumber) \
                và mã tra cứu \(document.lookupCode).
                """
                    + (document.demoSignature ? "\n\n" + ReceiptDocument.demoNotice + "." : ""),
            attachments: [
                MailAttachment(
                    filename: name + ".html", contentType: "text/html; charset=utf-8", data: Data(html.utf8)),
                MailAttachment(filename: name + ".xml", contentType: "application/xml", data: Data(receipt.xml.utf8)),
                MailAttachment(
                    filename: name + ".p7s", contentType: "application/pkcs7-signature",
                    data: Data(base64Encoded: receipt.signature) ?? Data()),
            ], on: db)
    }
}
