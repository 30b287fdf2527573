import Crypto
import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The unit's money books, the daily close, the reconciliation and the receipt usage report with its CSV export.
struct MoneyBooksController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "bien-lai", "so-tien", access: .permission(.viewReceipts), use: books)
        routes.on(.POST, "bien-lai", "so-tien", "khoa-so", access: .permission(.manageReceipts), use: closeDay)
        routes.on(.GET, "bien-lai", "doi-chieu", access: .permission(.viewReceipts), use: reconciliation)
        routes.on(.GET, "bien-lai", "bao-cao", access: .permission(.viewReceipts), use: report)
        routes.on(.GET, "bien-lai", "bao-cao", "csv", access: .permission(.viewReceipts)) {
            try await reportExport($0, "csv")
        }
        routes.on(.GET, "bien-lai", "bao-cao", "xlsx", access: .permission(.viewReceipts)) {
            try await reportExport($0, "xlsx")
        }
        routes.on(.GET, "bien-lai", "bao-cao", "in", access: .permission(.viewReceipts), use: reportPrint)
    }

    /// The period asked for ("tu", "den" as dd/MM/yyyy), by default the month so far.
    static func period(_ req: Request) -> (from: LocalDate, to: LocalDate) {
        let today = req.context.today
        let from =
            (req.query[String.self, at: "tu"]).flatMap(LocalDate.init(typed:))
            ?? LocalDate(year: today.year, month: today.month, day: 1)!
        let to = (req.query[String.self, at: "den"]).flatMap(LocalDate.init(typed:)) ?? today
        return to < from ? (to, from) : (from, to)
    }

    func books(req: Request) async throws -> Response {
        try await booksPage(req, errors: [:], status: .ok)
    }

    private func booksPage(_ req: Request, errors: [String: String], status: HTTPResponseStatus) async throws
        -> Response
    {
        let unitID = try req.user.unit.id!
        let (from, to) = Self.period(req)
        let book = try await MoneyBooks.book(unitID: unitID, from: from, to: to, on: req.db)
        let fees = try await MoneyBooks.feeBook(unitID: unitID, from: from, to: to, on: req.db)
        let closes = try await ReceiptDayClose.query(on: req.db).filter(\.$unitID == unitID)
            .sort(\.$day, .descending).limit(30).all()
        return MoneyBookViews.books(
            req.pageContext, book: book, fees: fees, closes: closes, from: from, to: to, today: req.context.today,
            errors: errors, status: status, notice: req.notice(["da-khoa": "Đã khóa sổ ngày."])
        ).response
    }

    func closeDay(req: Request) async throws -> Response {
        var form = FormCheck(req, keys: ["day"])
        let day = form.date("day", label: "Ngày khóa sổ", required: true, notAfter: req.context.today)
        guard let day, form.isValid else { return try await booksPage(req, errors: form.errors, status: .badRequest) }
        do {
            try await MoneyBooks.close(day: day, in: req.context)
        } catch is MoneyBooks.AlreadyClosed {
            return try await booksPage(req, errors: ["day": "Ngày \(day.display) đã khóa sổ."], status: .conflict)
        }
        return req.redirect(to: "/bien-lai/so-tien?thongbao=da-khoa")
    }

    func reconciliation(req: Request) async throws -> Response {
        let unitID = try req.user.unit.id!
        let result = try await MoneyBooks.reconcile(unitID: unitID, on: req.db)
        try await req.application.accessLog.record(
            AuditEntry(
                action: "receipts.reconciled", objectType: "receipt", unitID: unitID,
                summary: "Đối chiếu thu tiền và biên lai: \(result.cases.count) hồ sơ lệch, "
                    + "\(result.untied.count) biên lai không gắn khoản thu"),
            actor: req.context.auditActor, app: req.application)
        return MoneyBookViews.reconciliation(req.pageContext, result: result).response
    }

    func report(req: Request) async throws -> Response {
        let (from, to) = Self.period(req)
        let rows = try await ReceiptReport.rows(unitID: try req.user.unit.id!, from: from, to: to, on: req.db)
        return MoneyBookViews.report(req.pageContext, rows: rows, from: from, to: to, error: nil).response
    }

    /// The usage report as CSV or XLSX; an export says why (the extraction log's purpose) and is audited with its
    /// digest.
    func reportExport(_ req: Request, _ format: String) async throws -> Response {
        let (from, to) = Self.period(req)
        let unitID = try req.user.unit.id!
        let purpose = VietnameseText.nfc(
            (req.query[String.self, at: "muc-dich"] ?? "").trimmingCharacters(in: .whitespaces))
        let rows = try await ReceiptReport.rows(unitID: unitID, from: from, to: to, on: req.db)
        if purpose.count < 5 || FormCheck.refusal(purpose, label: "Mục đích", max: 200) != nil {
            return MoneyBookViews.report(
                req.pageContext, rows: rows, from: from, to: to,
                error: "Nhập mục đích trích xuất (ít nhất 5 ký tự, tối đa 200).", status: .badRequest
            ).response
        }
        let unit = try req.user.unit
        let bytes: [UInt8] =
            format == "xlsx"
            ? try ReceiptReport.xlsx(rows, unit: unit.name, from: from, to: to, modified: req.context.now)
            : Array(ReceiptReport.csv(rows).utf8)
        let digest = SHA256.hex(bytes)
        // The platform's extraction log keeps the export's facts and hash; the feature's own audit event stays.
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: .export, subject: "Báo cáo sử dụng biên lai", unitID: unitID, scope: "đơn vị",
                period: "\(from.display)–\(to.display)", format: format, rows: rows.count, purpose: purpose,
                file: bytes,
                auditEntry: AuditEntry(
                    action: "receipts.export", objectType: "receipt-report", unitID: unitID,
                    summary: "Trích xuất báo cáo sử dụng biên lai \(from.display)–\(to.display): "
                        + "\(rows.count) dòng, SHA-256 \(digest)",
                    after: AuditEntry.json(["rows": String(rows.count), "sha256": digest, "format": format]))),
            in: req.context)
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.replaceOrAdd(
            name: .contentType,
            value: format == "xlsx"
                ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8")
        response.headers.setAttachment(fileName: "bao-cao-bien-lai-\(from.iso)-\(to.iso).\(format)")
        return response
    }

    /// The print view: the same rows with the unit, the period and the classification; viewing it is an extraction.
    func reportPrint(req: Request) async throws -> Response {
        let (from, to) = Self.period(req)
        let unit = try req.user.unit
        let rows = try await ReceiptReport.rows(unitID: unit.id!, from: from, to: to, on: req.db)
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: .view, subject: "Báo cáo sử dụng biên lai (bản in)", unitID: unit.id, scope: "đơn vị",
                period: "\(from.display)–\(to.display)", format: "in", rows: rows.count,
                purpose: "In báo cáo sử dụng biên lai", file: nil),
            in: req.context)
        return MoneyBookViews.reportPrint(rows: rows, unit: unit.name, from: from, to: to, printedAt: req.context.now)
            .response
    }
}

/// The receipt usage report the tax rules ask for: per series, how many receipts were issued in the period, how many
/// of them are cancelled or replaced, the numbers used and the amounts, with totals per purpose.
enum ReceiptReport {
    struct Row: Sendable {
        let series: String
        let purpose: ReceiptPurpose
        let issued: Int
        let cancelled: Int
        let replaced: Int
        let firstNumber: Int?
        let lastNumber: Int?
        let validAmount: Int64
    }

    static func rows(unitID: UUID, from: LocalDate, to: LocalDate, on db: any Database) async throws -> [Row] {
        let series = try await ReceiptSeries.query(on: db).filter(\.$unitID == unitID).sort(\.$createdAt).all()
        let receipts = try await Receipt.query(on: db).filter(\.$unitID == unitID)
            .filter(\.$issuedOn >= from.iso).filter(\.$issuedOn <= to.iso).all()
        let bySeries = Dictionary(grouping: receipts, by: \.seriesID)
        return series.compactMap { s in
            let list = bySeries[s.id!] ?? []
            guard !list.isEmpty || s.status == .approved else { return nil }
            return Row(
                series: s.formSymbol + " " + s.receiptSymbol, purpose: s.purpose, issued: list.count,
                cancelled: list.filter { $0.state == .cancelled }.count,
                replaced: list.filter { $0.state == .replaced }.count, firstNumber: list.map(\.number).min(),
                lastNumber: list.map(\.number).max(),
                validAmount: list.filter { $0.state == .valid }.reduce(0) { $0 + $1.amount })
        }
    }

    /// Totals by purpose (the "item" of a receipt).
    static func totals(_ rows: [Row]) -> [(ReceiptPurpose, Int, Int64)] {
        ReceiptPurpose.allCases.compactMap { purpose in
            let mine = rows.filter { $0.purpose == purpose }
            guard !mine.isEmpty else { return nil }
            return (purpose, mine.reduce(0) { $0 + $1.issued }, mine.reduce(0) { $0 + $1.validAmount })
        }
    }

    static func csv(_ rows: [Row]) -> String {
        var lines = [
            [
                "Dải biên lai", "Loại thu", "Đã lập", "Đã hủy", "Đã thay thế", "Từ số", "Đến số",
                "Số tiền còn hiệu lực (đồng)",
            ]
        ]
        for r in rows {
            lines.append([
                r.series, r.purpose.label, String(r.issued), String(r.cancelled), String(r.replaced),
                r.firstNumber.map(ReceiptRules.display) ?? "", r.lastNumber.map(ReceiptRules.display) ?? "",
                String(r.validAmount),
            ])
        }
        for (purpose, issued, amount) in totals(rows) {
            lines.append(["Tổng", purpose.label, String(issued), "", "", "", "", String(amount)])
        }
        return CSVText.document(lines, classification: .internalUse)
    }

    static func xlsx(_ rows: [Row], unit: String, from: LocalDate, to: LocalDate, modified: Date) throws -> [UInt8] {
        var sheet = XLSXSheet(name: "Bao cao bien lai")
        let headings = [
            "Dải biên lai", "Loại thu", "Đã lập", "Đã hủy", "Đã thay thế", "Từ số", "Đến số",
            "Số tiền còn hiệu lực (đồng)",
        ]
        let last = XLSXSheet.column(headings.count - 1)
        let title = [
            InformationClass.internalUse.marking, "BÁO CÁO TÌNH HÌNH SỬ DỤNG BIÊN LAI", "Đơn vị: \(unit)",
            "Kỳ báo cáo: \(from.display) – \(to.display)",
        ]
        for (index, line) in title.enumerated() {
            sheet.rows.append(.init(cells: [.text(line)], bold: index == 1))
            sheet.merged.append("A\(index + 1):\(last)\(index + 1)")
        }
        sheet.rows.append(.init(cells: headings.map { .text($0) }, heading: true))
        for r in rows {
            sheet.rows.append(
                .init(cells: [
                    .text(r.series), .text(r.purpose.label), .number(Int64(r.issued)), .number(Int64(r.cancelled)),
                    .number(Int64(r.replaced)), .text(r.firstNumber.map(ReceiptRules.display) ?? ""),
                    .text(r.lastNumber.map(ReceiptRules.display) ?? ""), .number(r.validAmount),
                ]))
        }
        for (purpose, issued, amount) in totals(rows) {
            sheet.rows.append(
                .init(
                    cells: [
                        .text("Tổng"), .text(purpose.label), .number(Int64(issued)), .empty, .empty, .empty, .empty,
                        .number(amount),
                    ], bold: true))
        }
        sheet.columnWidths = [26, 22, 10, 10, 12, 12, 12, 22]
        return try sheet.workbook(modified: modified)
    }
}
