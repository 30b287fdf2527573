import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Staff pages of the receipts (I1): the list, one receipt with its verified signature, its print view and files,
/// and the accountant's cancel and replace.
struct ReceiptsController {
    static let base = "bien-lai"

    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "bien-lai", access: .permission(.viewReceipts), use: list)
        routes.on(.GET, "bien-lai", ":receiptID", access: .permission(.viewReceipts), use: show)
        routes.on(.GET, "bien-lai", ":receiptID", "ban-in", access: .permission(.viewReceipts), use: printView)
        routes.on(.GET, "bien-lai", ":receiptID", "xml", access: .permission(.viewReceipts), use: xml)
        routes.on(.GET, "bien-lai", ":receiptID", "chu-ky", access: .permission(.viewReceipts), use: signature)
        routes.on(.POST, "bien-lai", ":receiptID", "huy", access: .permission(.manageReceipts), use: cancel)
        routes.on(.POST, "bien-lai", ":receiptID", "thay-the", access: .permission(.manageReceipts), use: replace)
    }

    func list(req: Request) async throws -> Response {
        let user = try req.user
        var query = Receipt.query(on: req.db)
        if let units = user.scopedUnitIDs { query = query.filter(\.$unitID ~~ units) }
        if let caseID = req.query[UUID.self, at: "ho-so"] { query = query.filter(\.$caseID == caseID) }
        let page = max(1, min(req.query[Int.self, at: "trang"] ?? 1, 10_000))
        let receipts = try await query.sort(\.$issuedAt, .descending).range((page - 1) * 50..<page * 50 + 1).all()
        return ReceiptViews.list(
            req.pageContext, receipts: Array(receipts.prefix(50)), page: page, hasNext: receipts.count > 50
        ).response
    }

    /// A receipt of a unit in the user's scope; others answer 404.
    static func receipt(_ req: Request) async throws -> Receipt {
        guard let id = req.parameters.get("receiptID", as: UUID.self),
            let receipt = try await Receipt.find(id, on: req.db),
            req.context.scope.contains(receipt.unitID)
        else { throw Abort(.notFound) }
        return receipt
    }

    func show(req: Request) async throws -> Response {
        try await page(req, try await Self.receipt(req), errors: [:], values: [:], status: .ok)
    }

    private func page(
        _ req: Request, _ receipt: Receipt, errors: [String: String], values: [String: String],
        status: HTTPResponseStatus
    ) async throws -> Response {
        let verified = await req.application.receiptSigner.verify(receipt.xml, signature: receipt.signature)
        let related = try await Receipt.query(on: req.db)
            .filter(\.$id ~~ [receipt.replacesID, receipt.replacedByID].compactMap { $0 }).all()
        try await req.application.accessLog.record(
            AuditEntry(
                action: "receipt.viewed", objectType: "receipt", objectID: receipt.id!.uuidString,
                unitID: receipt.unitID, summary: "Xem biên lai \(receipt.reference)"),
            actor: req.context.auditActor, app: req.application)
        return ReceiptViews.show(
            req.pageContext, receipt: receipt, document: ReceiptDocument(xml: receipt.xml), verified: verified,
            related: related, errors: errors, values: values, status: status,
            notice: req.notice(["da-huy": "Đã hủy biên lai.", "da-thay-the": "Đã lập biên lai thay thế."])
        ).response
    }

    func printView(req: Request) async throws -> Response {
        let receipt = try await Self.receipt(req)
        guard let document = ReceiptDocument(xml: receipt.xml) else { throw Abort(.notFound) }
        let verified = await req.application.receiptSigner.verify(receipt.xml, signature: receipt.signature)
        let html = HTML(
            .lang(.vietnamese), Layout.head(title: "Biên lai \(receipt.reference)"),
            .body(
                .class("print"),
                ReceiptPrint.body(
                    document, state: receipt.state, verified: verified,
                    revealIDNumber: try req.user.can(.viewPartyIDNumbers))))
        return Page(status: .ok, html: html.render()).response
    }

    /// The signed XML carries the payer's whole ID number: only for those who may see it.
    func xml(req: Request) async throws -> Response {
        let receipt = try await Self.receipt(req)
        guard try req.user.can(.viewPartyIDNumbers) else { throw Abort(.forbidden) }
        return download(receipt.xml.data(using: .utf8)!, name: receipt, ext: "xml", type: "application/xml")
    }

    func signature(req: Request) async throws -> Response {
        let receipt = try await Self.receipt(req)
        return download(
            Data(base64Encoded: receipt.signature) ?? Data(), name: receipt, ext: "p7s",
            type: "application/pkcs7-signature")
    }

    private func download(_ data: Data, name receipt: Receipt, ext: String, type: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        let file = "bien-lai-" + receipt.reference.replacingOccurrences(of: " ", with: "-") + "." + ext
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(file)\"")
        return response
    }

    func cancel(req: Request) async throws -> Response {
        let receipt = try await Self.receipt(req)
        var form = FormCheck(req, keys: ["reason"])
        let reason = form.text("reason", label: "Lý do hủy", required: true, max: 500)
        if receipt.state != .valid { form.fail("reason", "Biên lai đã \(receipt.state.label.lowercased()).") }
        guard form.isValid else {
            return try await page(req, receipt, errors: form.errors, values: form.values, status: .badRequest)
        }
        do {
            try await ReceiptService.cancel(receipt, reason: reason, in: req.context)
        } catch is ReceiptService.NotValid {
            return try await page(
                req, receipt, errors: ["reason": "Biên lai vừa được người khác hủy hoặc thay thế."], values: [:],
                status: .conflict)
        }
        return req.redirect(to: "/\(Self.base)/\(receipt.id!.uuidString)?thongbao=da-huy")
    }

    func replace(req: Request) async throws -> Response {
        let receipt = try await Self.receipt(req)
        var form = FormCheck(req, keys: ["replaceReason", "replaceAmount", "replacePayer"])
        let reason = form.text("replaceReason", label: "Lý do thay thế", required: true, max: 500)
        let amount = form.amount("replaceAmount", label: "Số tiền đúng")
        let payer = form.text("replacePayer", label: "Họ tên người nộp đúng", max: 200)
        if receipt.state != .valid {
            form.fail("replaceReason", "Biên lai đã \(receipt.state.label.lowercased()).")
        }
        guard form.isValid else {
            return try await page(req, receipt, errors: form.errors, values: form.values, status: .badRequest)
        }
        let replacement: Receipt
        do {
            replacement = try await ReceiptService.replace(
                receipt, reason: reason, amount: amount, payerName: payer, in: req.context)
        } catch is ReceiptService.NotValid {
            return try await page(
                req, receipt, errors: ["replaceReason": "Biên lai vừa được người khác hủy hoặc thay thế."],
                values: [:], status: .conflict)
        } catch let refusal as ChangeObservers.Refusal {
            return try await page(
                req, receipt, errors: ["replaceReason": refusal.message], values: form.values, status: .conflict)
        }
        await req.context.deliverMail()
        return req.redirect(to: "/\(Self.base)/\(replacement.id!.uuidString)?thongbao=da-thay-the")
    }
}
