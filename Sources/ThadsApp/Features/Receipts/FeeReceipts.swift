import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Fee and charge receipts (I1): the accountant issues one for a fee or charge paid at the counter, with its item,
/// from an open fee or charge series of the unit. It is not tied to a case's collection (fees are not enforcement
/// money), so the reconciliation leaves it alone; the fee book lists it.
enum FeeReceipts {
    struct Form: Sendable {
        var seriesID: UUID
        var payer: ReceiptDocument.Party
        var payerEmail: String?
        var item: String
        var amount: Int64
        var caseCode: String
    }

    struct SeriesNotOpen: Error {}

    /// Issues the receipt in one transaction: the day must be open in the books and the series open for the unit.
    static func issue(_ form: Form, in ctx: ActionContext) async throws -> Receipt {
        try ctx.authorize(.manageReceipts)
        let unitID = try ctx.staff.unit.id!
        let receipt = try await ctx.write { db in
            try await MoneyBooks.refuseIfClosed(unitID: unitID, day: ctx.today.iso, on: db)
            guard
                let series = try await ReceiptIssuer.openSeries(
                    unitID: unitID, purposes: [.fee, .charge], today: ctx.today, on: db
                ).first(where: { $0.id == form.seriesID })
            else { throw SeriesNotOpen() }
            return try await ReceiptIssuer.issue(
                in: series, caseID: nil, caseCode: form.caseCode, moneyEntryID: nil, amount: form.amount,
                payer: form.payer, payerEmail: form.payerEmail, item: form.item, replaces: nil, ctx: ctx, on: db)
        }
        await ctx.deliverMail()
        return receipt
    }
}

struct FeeReceiptsController {
    static let path = "/bien-lai/phi-le-phi"
    static let keys = [
        "seriesID", "payerName", "payerAddress", "payerIDNumber", "payerEmail", "item", "amount", "caseCode",
    ]

    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "bien-lai", "phi-le-phi", access: .permission(.manageReceipts), use: form)
        routes.on(.POST, "bien-lai", "phi-le-phi", access: .permission(.manageReceipts), use: issue)
    }

    func form(req: Request) async throws -> Response {
        try await page(req, values: [:], errors: [:], status: .ok)
    }

    private func page(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus)
        async throws -> Response
    {
        let series = try await ReceiptIssuer.openSeries(
            unitID: try req.user.unit.id!, purposes: [.fee, .charge], today: req.context.today, on: req.db)
        return FeeReceiptViews.form(req.pageContext, series: series, values: values, errors: errors, status: status)
            .response
    }

    func issue(req: Request) async throws -> Response {
        var form = FormCheck(req, keys: Self.keys)
        let seriesID = UUID(uuidString: form["seriesID"])
        if seriesID == nil { form.fail("seriesID", "Chọn dải biên lai phí, lệ phí.") }
        let name = form.text("payerName", label: "Họ tên người nộp", required: true, max: 200)
        let address = form.text("payerAddress", label: "Địa chỉ", max: 300)
        let idNumber = form.text("payerIDNumber", label: "Số định danh", max: 12)
        if !idNumber.isEmpty
            && !(idNumber.allSatisfy(\.isASCII) && idNumber.allSatisfy(\.isNumber)
                && [9, 12].contains(idNumber.count))
        {
            form.fail("payerIDNumber", "Số định danh gồm 12 chữ số (hoặc 9 chữ số với chứng minh nhân dân cũ).")
        }
        let email = form.text("payerEmail", label: "Email người nộp", max: 200).lowercased()
        if !email.isEmpty
            && email.range(of: #"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$"#, options: .regularExpression) == nil
        {
            form.fail("payerEmail", "Địa chỉ email không đúng dạng, ví dụ ten@vidu.vn.")
        }
        let item = form.text("item", label: "Nội dung thu", required: true, max: 300)
        let amount = form.amount("amount", label: "Số tiền", required: true)
        let caseCode = form.text("caseCode", label: "Mã hồ sơ", max: 40)
        guard form.isValid, let seriesID, let amount else {
            return try await page(req, values: form.values, errors: form.errors, status: .badRequest)
        }
        let receipt: Receipt
        do {
            receipt = try await FeeReceipts.issue(
                FeeReceipts.Form(
                    seriesID: seriesID, payer: .init(name: name, address: address, idNumber: idNumber),
                    payerEmail: email.isEmpty ? nil : email, item: item, amount: amount, caseCode: caseCode),
                in: req.context)
        } catch is FeeReceipts.SeriesNotOpen {
            form.fail("seriesID", "Dải biên lai này không còn dùng được; chọn dải khác.")
            return try await page(req, values: form.values, errors: form.errors, status: .badRequest)
        } catch let refusal as ChangeObservers.Refusal {
            // A closed day or a used-up series: shown beside the series, the form's only dated choice.
            form.fail(refusal.field == "amount" ? "amount" : "seriesID", refusal.message)
            return try await page(req, values: form.values, errors: form.errors, status: .badRequest)
        }
        return req.redirect(to: "/bien-lai/\(receipt.id!.uuidString)")
    }
}

enum FeeReceiptViews {
    static func form(
        _ pageContext: PageContext, series: [ReceiptSeries], values: [String: String], errors: [String: String],
        status: HTTPResponseStatus
    ) -> Page {
        let field = { (name: String, label: String, required: Bool, hint: String?) -> Node<HTML.FormContext> in
            Components.field(
                FieldSpec(
                    name: name, label: label, value: values[name] ?? "", error: errors[name], required: required,
                    hint: hint))
        }
        return Layout.page(
            pageContext, title: "Lập biên lai thu phí, lệ phí", status: status,
            ReceiptViews.menu(),
            .if(
                series.isEmpty,
                .p(
                    .class("alert warning"),
                    .text("Đơn vị chưa có dải biên lai phí, lệ phí đã được phê duyệt cho năm nay."))),
            .if(
                !series.isEmpty,
                .form(
                    .method(.post), .action(FeeReceiptsController.path), .id("fee-receipt-form"),
                    Components.csrf(pageContext.csrfToken),
                    Components.formErrorSummary(errors),
                    Components.select(
                        name: "seriesID", label: "Dải biên lai",
                        options: series.map { ($0.id!.uuidString, $0.title) },
                        selected: [values["seriesID"] ?? series.first?.id?.uuidString ?? ""], error: errors["seriesID"],
                        required: true),
                    field("item", "Nội dung thu", true, "Ví dụ: Phí thi hành án theo Quyết định số …"),
                    field("amount", "Số tiền", true, "Đồng, ví dụ 1.500.000"),
                    field("payerName", "Họ tên người nộp", true, nil),
                    field("payerAddress", "Địa chỉ", false, nil),
                    field(
                        "payerIDNumber", "Số định danh cá nhân", false,
                        "12 chữ số; che bớt khi người xem không có quyền"),
                    field("payerEmail", "Email người nộp", false, "Gửi biên lai qua email nếu có"),
                    field("caseCode", "Mã hồ sơ (nếu có)", false, nil),
                    Components.submit("Lập biên lai")))
        )
    }
}
