import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Receipt series: the accountant registers and closes them, a central admin approves or rejects them.
struct ReceiptSeriesController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "bien-lai", "dai", access: .permission(.viewReceipts), use: list)
        routes.on(.POST, "bien-lai", "dai", access: .permission(.manageReceipts), use: create)
        routes.on(.POST, "bien-lai", "dai", ":seriesID", "dong", access: .permission(.manageReceipts), use: close)
        routes.on(.GET, "duyet-dai-bien-lai", access: .permission(.approveReceiptSeries), use: pending)
        routes.on(
            .POST, "duyet-dai-bien-lai", ":seriesID", access: .permission(.approveReceiptSeries), use: decide)
    }

    func list(req: Request) async throws -> Response {
        try await listPage(req, errors: [:], values: [:], status: .ok)
    }

    private func listPage(
        _ req: Request, errors: [String: String], values: [String: String], status: HTTPResponseStatus
    ) async throws -> Response {
        let user = try req.user
        var query = ReceiptSeries.query(on: req.db)
        if let units = user.scopedUnitIDs { query = query.filter(\.$unitID ~~ units) }
        let series = try await query.sort(\.$year, .descending).sort(\.$createdAt).limit(500).all()
        var used: [UUID: Int] = [:]
        for s in series { used[s.id!] = try await Sequences.current(s.sequenceKey, on: req.db) }
        return ReceiptSeriesViews.list(
            req.pageContext, series: series, used: used, errors: errors, values: values, status: status,
            notice: req.notice([
                "da-dang-ky": "Đã đăng ký dải biên lai; chờ Quản trị Cục phê duyệt.",
                "da-dong": "Đã đóng dải biên lai.",
            ])
        ).response
    }

    func create(req: Request) async throws -> Response {
        var form = FormCheck(
            req, keys: ["formSymbol", "receiptSymbol", "purpose", "validFrom", "firstNumber", "lastNumber"])
        let formSymbol = form.text("formSymbol", label: "Ký hiệu mẫu", required: true, max: 20).uppercased()
        let receiptSymbol = form.text("receiptSymbol", label: "Ký hiệu biên lai", required: true, max: 20).uppercased()
        let purpose = form.choice("purpose", label: "Loại thu", ReceiptPurpose.self)
        let validFrom = form.date("validFrom", label: "Ngày bắt đầu sử dụng", required: true)
        func number(_ key: String, _ label: String) -> Int? {
            let text = form[key].filter { $0 != "." && $0 != " " }
            guard let value = Int(text), text.count <= 7 else {
                form.fail(key, "\(label) là số nguyên dương có tối đa 7 chữ số.")
                return nil
            }
            return value
        }
        let first = number("firstNumber", "Từ số")
        let last = number("lastNumber", "Đến số")
        if !formSymbol.isEmpty, let problem = ReceiptRules.formSymbolProblem(formSymbol) {
            form.fail("formSymbol", problem)
        }
        if !receiptSymbol.isEmpty, let validFrom,
            let problem = ReceiptRules.receiptSymbolProblem(receiptSymbol, year: validFrom.year)
        {
            form.fail("receiptSymbol", problem)
        }
        if let first, let last, let problem = ReceiptRules.rangeProblem(first: first, last: last) {
            form.fail("lastNumber", problem)
        }
        let unitID = try req.user.unit.id!
        if form.isValid,
            try await ReceiptSeries.query(on: req.db).filter(\.$unitID == unitID).filter(\.$formSymbol == formSymbol)
                .filter(\.$receiptSymbol == receiptSymbol).first() != nil
        {
            form.fail("receiptSymbol", "Đơn vị đã đăng ký dải \(formSymbol) · \(receiptSymbol).")
        }
        guard form.isValid, let purpose, let validFrom, let first, let last else {
            return try await listPage(req, errors: form.errors, values: form.values, status: .badRequest)
        }
        _ = try await ReceiptService.register(
            .init(
                formSymbol: formSymbol, receiptSymbol: receiptSymbol, purpose: purpose, validFrom: validFrom,
                firstNumber: first, lastNumber: last), in: req.context)
        return req.redirect(to: "/bien-lai/dai?thongbao=da-dang-ky")
    }

    func close(req: Request) async throws -> Response {
        guard let id = req.parameters.get("seriesID", as: UUID.self),
            let series = try await ReceiptSeries.find(id, on: req.db),
            series.unitID == (try req.user.unit.id)
        else { throw Abort(.notFound) }
        guard series.status == .approved || series.status == .pending else {
            return try await listPage(
                req, errors: ["close-" + id.uuidString: "Dải này không còn mở."], values: [:], status: .conflict)
        }
        try await ReceiptService.close(series, in: req.context)
        return req.redirect(to: "/bien-lai/dai?thongbao=da-dong")
    }

    func pending(req: Request) async throws -> Response {
        try await pendingPage(req, errors: [:], status: .ok)
    }

    private func pendingPage(_ req: Request, errors: [String: String], status: HTTPResponseStatus) async throws
        -> Response
    {
        let series = try await ReceiptSeries.query(on: req.db).filter(\.$status == .pending).sort(\.$createdAt)
            .limit(500).all()
        let units = Dictionary(
            try await EnforcementUnit.query(on: req.db).filter(\.$id ~~ Set(series.map(\.unitID))).all()
                .map { ($0.id!, $0.code + " · " + $0.name) }, uniquingKeysWith: { a, _ in a })
        return ReceiptSeriesViews.pending(
            req.pageContext, series: series, units: units, errors: errors, status: status,
            notice: req.notice(["da-duyet": "Đã phê duyệt dải biên lai.", "da-tu-choi": "Đã từ chối dải biên lai."])
        ).response
    }

    func decide(req: Request) async throws -> Response {
        guard let id = req.parameters.get("seriesID", as: UUID.self),
            let series = try await ReceiptSeries.find(id, on: req.db)
        else { throw Abort(.notFound) }
        var form = FormCheck(req, keys: ["outcome", "note"])
        let approve = form["outcome"] == "approve"
        let note = form.text("note", label: "Lý do", required: !approve, max: 500)
        guard form.isValid else {
            return try await pendingPage(
                req, errors: ["note-" + id.uuidString: form.errors["note"] ?? ""], status: .badRequest)
        }
        do {
            try await ReceiptService.decide(series, approve: approve, note: note, in: req.context)
        } catch {
            guard let refusal = Workflows.Refusal(error) else { throw error }
            let message: String =
                switch refusal {
                case .alreadyDecided: "Dải này đã được người khác quyết định."
                case .ownInitiative: "Không tự phê duyệt dải biên lai do mình đăng ký."
                case .rule(let text): text
                }
            return try await pendingPage(req, errors: ["note-" + id.uuidString: message], status: .conflict)
        }
        return req.redirect(to: "/duyet-dai-bien-lai?thongbao=\(approve ? "da-duyet" : "da-tu-choi")")
    }
}
