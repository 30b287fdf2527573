import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Auditors search the exchange log (G3) by system, operation, result and period, and export it through the
/// extraction log like every other export.
struct ExchangeLogController {
    static let filterKeys = ["client", "operation", "result", "from", "to"]

    struct Filters {
        var form: FormCheck
        var client = ""
        var operation = ""
        var result = ""
        var from: LocalDate?
        var to: LocalDate?

        init(_ read: (String) -> String?) {
            form = FormCheck(
                Dictionary(uniqueKeysWithValues: ExchangeLogController.filterKeys.map { ($0, read($0) ?? "") }))
            client = form.text("client", label: "Hệ thống", max: 200)
            operation = form.text("operation", label: "Thao tác", max: 200)
            result = form["result"]
            if !["", "ok", "refused"].contains(result) { form.fail("result", "Chọn kết quả trong danh sách.") }
            from = form.date("from", label: "Từ ngày")
            to = form.date("to", label: "Đến ngày")
        }

        func apply(_ query: QueryBuilder<ExchangeLogEntry>) -> QueryBuilder<ExchangeLogEntry> {
            var query = query
            if !client.isEmpty { query = query.filter(LikePattern.contains("client_name", client)) }
            if !operation.isEmpty { query = query.filter(LikePattern.contains("operation", operation)) }
            if result == "ok" { query = query.filter(\.$status < 400) }
            // 0: a webhook receiver that did not answer.
            if result == "refused" { query = query.group(.or) { $0.filter(\.$status >= 400).filter(\.$status == 0) } }
            if let from { query = query.filter(\.$at >= from.startOfDay(in: .vietnam)) }
            if let to { query = query.filter(\.$at < to.adding(days: 1).startOfDay(in: .vietnam)) }
            return query
        }
    }

    func search(req: Request) async throws -> Response {
        let filters = Filters { try? req.query.get(String.self, at: $0) }
        let page = max(1, (try? req.query.get(Int.self, at: "page")) ?? 1)
        let size = 100
        let rows =
            filters.form.isValid
            ? try await filters.apply(ExchangeLogEntry.query(on: req.db)).sort(\.$at, .descending)
                .range(((page - 1) * size)..<(page * size + 1)).all() : []
        return ExchangeViews.log(
            req.pageContext, rows: Array(rows.prefix(size)), values: filters.form.values, errors: filters.form.errors,
            page: page, hasNext: rows.count > size, purposeError: nil
        ).response
    }

    func export(req: Request) async throws -> Response {
        let filters = Filters { try? req.content.get(String.self, at: $0) }
        let purpose = TextInput.normalized(
            ((try? req.content.get(String.self, at: "purpose")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        let refusal =
            FormCheck.refusal(purpose, label: "Mục đích trích xuất", max: 500, lines: .multi)
            ?? (purpose.count < ExtractionLog.minimumPurposeLength
                ? "Nêu mục đích trích xuất (ít nhất \(ExtractionLog.minimumPurposeLength) ký tự)." : nil)
        guard filters.form.isValid, refusal == nil else {
            return ExchangeViews.log(
                req.pageContext, rows: [], values: filters.form.values, errors: filters.form.errors, page: 1,
                hasNext: false, purposeError: refusal, status: .badRequest
            ).response
        }
        let rows = try await filters.apply(ExchangeLogEntry.query(on: req.db)).sort(\.$at).limit(100_000).all()
        var table = [
            [
                "thoi_gian", "he_thong", "thao_tac", "du_lieu", "pham_vi_don_vi", "so_ban_ghi", "ma_ket_qua", "ket_qua",
                "thoi_gian_xu_ly_ms", "chu_ky", "dia_chi_ip",
            ]
        ]
        for row in rows {
            table.append([
                Format.dateTime(row.at), row.clientName, row.operation, row.resources, row.unitScope,
                String(row.records),
                String(row.status), row.result, String(row.durationMs), row.signature, row.ip ?? "",
            ])
        }
        let csv = CSVText.document(table, classification: .internalUse)
        let period = [filters.from.map { "từ " + $0.display }, filters.to.map { "đến " + $0.display }]
            .compactMap { $0 }.joined(separator: " ")
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: .export, subject: "Nhật ký trao đổi dữ liệu", unitID: nil, scope: "toàn quốc", period: period,
                format: "csv", rows: rows.count, purpose: purpose, file: Array(csv.utf8)), in: req.context)
        let response = Response(status: .ok, body: .init(string: csv))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(
            .attachment, filename: "nhat-ky-trao-doi-\(req.clock.today.iso).csv")
        return response
    }
}
