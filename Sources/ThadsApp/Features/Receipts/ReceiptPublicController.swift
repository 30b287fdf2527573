import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The public check of a receipt (I1): from the symbol, the number and the lookup code printed on it, the portal says
/// whether it is valid, cancelled or replaced — and nothing else (no payer, no amount, no unit).
struct ReceiptPublicController {
    static let path: PathComponent = "tra-cuu-bien-lai"
    static let fullPath = "\(PublicPages.prefix)/tra-cuu-bien-lai"

    func register(_ app: Application) {
        app.onPublic(.GET, Self.path, limiter: app.publicRateLimiter, use: check)
    }

    enum Outcome: Equatable {
        case notAsked
        case notFound
        case found(ReceiptState, signatureValid: Bool)
    }

    func check(req: Request) async throws -> Response {
        let symbol = (req.query[String.self, at: "ky-hieu"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let numberText = (req.query[String.self, at: "so"] ?? "").trimmingCharacters(in: .whitespaces)
        let codeText = req.query[String.self, at: "ma"] ?? ""
        var errors: [String: String] = [:]
        let asked = !symbol.isEmpty || !numberText.isEmpty || !codeText.isEmpty
        var outcome = Outcome.notAsked
        if asked {
            if symbol.count != 6 { errors["ky-hieu"] = "Ký hiệu gồm 6 ký tự, ví dụ AA-26E." }
            let number = Int(numberText)
            if number == nil || numberText.count > 7 || number! < 1 {
                errors["so"] = "Số biên lai gồm tối đa 7 chữ số."
            }
            let code = ReceiptRules.normalisedLookupCode(codeText)
            if code == nil { errors["ma"] = "Mã tra cứu gồm 10 ký tự in trên biên lai." }
            if errors.isEmpty, let number, let code {
                let reference = symbol + " " + ReceiptRules.display(number)
                // The symbol, number and code must all match; which one did not is not said.
                if let receipt = try await Receipt.query(on: req.db).filter(\.$reference == reference)
                    .filter(\.$lookupCode == code).first()
                {
                    let valid = await req.application.receiptSigner.verify(receipt.xml, signature: receipt.signature)
                    outcome = .found(receipt.state, signatureValid: valid)
                } else {
                    outcome = .notFound
                }
                try await req.application.accessLog.record(
                    AuditEntry(
                        action: "receipts.publicCheck", objectType: "receipt",
                        summary: "Tra cứu biên lai công khai: \(outcome == .notFound ? "không thấy" : "có kết quả")"),
                    actor: req.context.auditActor, app: req.application)
            }
        }
        return ReceiptPublicViews.page(
            req.pageContext, symbol: symbol, number: numberText, code: codeText, errors: errors, outcome: outcome
        ).response
    }
}

enum ReceiptPublicViews {
    static func sentence(_ state: ReceiptState) -> String {
        switch state {
        case .valid: "Biên lai có hiệu lực."
        case .cancelled: "Biên lai đã bị hủy."
        case .replaced: "Biên lai đã được thay thế bằng biên lai khác."
        }
    }

    static func page(
        _ pageContext: PageContext, symbol: String, number: String, code: String, errors: [String: String],
        outcome: ReceiptPublicController.Outcome
    ) -> Page {
        let result: Node<HTML.BodyContext> =
            switch outcome {
            case .notAsked: .empty
            case .notFound:
                .p(
                    .id("check-result"), .class("field-error"),
                    .text("Không tìm thấy biên lai với các thông tin đã nhập."))
            case .found(let state, let signatureValid):
                .div(
                    .id("check-result"),
                    .p(
                        .class(state == .valid ? "alert success" : "alert warning"),
                        .text(ReceiptPublicViews.sentence(state))),
                    .p(
                        .text(
                            signatureValid
                                ? "Chữ ký số của đơn vị thu trên biên lai hợp lệ."
                                : "Chữ ký số trên biên lai KHÔNG hợp lệ.")))
            }
        return PublicPages.page(
            pageContext, title: "Tra cứu biên lai điện tử",
            .p(.text("Nhập ký hiệu, số và mã tra cứu in trên biên lai.")),
            .form(
                .method(.get), .action("/\(ReceiptPublicController.fullPath)"),
                .div(
                    .class("grid2"),
                    Components.field(
                        FieldSpec(
                            name: "ky-hieu", label: "Ký hiệu", value: symbol, error: errors["ky-hieu"], required: true)),
                    Components.field(
                        FieldSpec(name: "so", label: "Số biên lai", value: number, error: errors["so"], required: true)),
                    Components.field(
                        FieldSpec(name: "ma", label: "Mã tra cứu", value: code, error: errors["ma"], required: true))),
                Components.submit("Tra cứu")),
            result)
    }
}
