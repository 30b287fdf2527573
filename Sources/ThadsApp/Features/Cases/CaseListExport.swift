import Foundation
import ThadsDomain
import Vapor

/// CSV and XLSX export of the case list as filtered (issue 20, item 9): the same search as the page, every matching
/// case (up to `CaseSearch.countCap`, else the user narrows the filters) in the page's order, with a stated purpose
/// recorded in the extraction log, with the file's digest, before the file leaves.
struct CaseListExportController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "ho-so", "xuat", access: .permission(.viewCases), use: export)
    }

    func export(req: Request) async throws -> Response {
        let user = try req.user
        var filters = CasesController.Filters(req)
        let purpose = VietnameseText.nfc(
            (req.query[String.self, at: "muc-dich"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        let format = req.query[String.self, at: "dinh-dang"] == "csv" ? "csv" : "xlsx"
        if purpose.count < ExtractionLog.minimumPurposeLength
            || FormCheck.refusal(purpose, label: "Mục đích", max: 200) != nil
        {
            filters.errors["muc-dich"] =
                "Nhập mục đích trích xuất danh sách (từ \(ExtractionLog.minimumPurposeLength) đến 200 ký tự)."
        }
        var query = filters.query
        query.page = 1
        query.pageSize = CaseSearch.countCap
        var result = CaseSearch.Result(page: 1, hasNext: false, hits: [])
        if filters.errors.isEmpty {
            if query.idNumber.isEmpty {
                result = try await CaseSearch.run(query, scope: user.scope, keys: req.application.keys, on: req.db)
            } else {
                let outcome = try await CaseIDLookup.search(query, in: req.context)
                if outcome.refused { filters.errors["so-dinh-danh"] = CaseIDLookup.refusalMessage }
                result = outcome.result
            }
            if result.hasNext {
                filters.errors["muc-dich"] =
                    "Danh sách có hơn \(Format.count(CaseSearch.countCap)) hồ sơ: thu hẹp bộ lọc trước khi xuất."
            }
        }
        let units = try await EnforcementUnit.query(on: req.db).all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) })
        guard filters.errors.isEmpty else {
            return CaseListViews.list(
                req.pageContext, result: CaseSearch.Result(page: 1, hasNext: false, hits: []), filters: filters,
                units: units.filter { user.scope.contains($0.id!) }.sorted { $0.code < $1.code },
                unitNames: unitNames, exportPurpose: purpose
            ).response
        }
        let rows = Self.rows(result.hits, unitNames: unitNames)
        let bytes =
            format == "csv"
            ? Array(CSVText.document(rows, classification: Self.classification).utf8)
            : try Self.sheet(rows).workbook(modified: req.context.now)
        let described = filters.items.filter { $0.0 != "so-dinh-danh" }.map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: .export, subject: "Danh sách hồ sơ thi hành án" + (described.isEmpty ? "" : " (\(described))"),
                unitID: query.unitID ?? user.unit.id, scope: query.unitID == nil ? "phạm vi của người dùng" : "đơn vị",
                period: [query.openedFrom?.display, query.openedTo?.display].map { $0 ?? "…" }.joined(separator: "–"),
                format: format, rows: result.hits.count, purpose: purpose, file: bytes),
            in: req.context)
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType =
            format == "csv"
            ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.setAttachment(fileName: "danh-sach-ho-so-\(req.context.today.iso).\(format)")
        return response
    }

    static let headings = [
        "Mã hồ sơ", "Người phải thi hành án", "Người được thi hành án", "Bản án", "Đơn vị", "Ngày thụ lý", "Trạng thái",
    ]

    /// The list's rows as text, headings first, in the list's order.
    static func rows(_ hits: [CaseSearch.Hit], unitNames: [UUID: String]) -> [[String]] {
        [headings]
            + hits.map { hit in
                [
                    hit.code, hit.debtorNames ?? "", hit.creditorNames ?? "", hit.judgmentNumber,
                    unitNames[hit.unitID] ?? "", CaseViews.date(hit.openedOn), hit.statusLabel,
                ]
            }
    }

    /// Names of parties: internal to the enforcement bodies (H1).
    static let classification = InformationClass.internalUse

    static func sheet(_ rows: [[String]]) -> XLSXSheet {
        var sheet = XLSXSheet(name: "Danh sach ho so")
        sheet.columnWidths = [24, 32, 32, 20, 30, 12, 26]
        sheet.rows =
            [XLSXSheet.Row(cells: [.text(classification.marking)])]
            + rows.enumerated().map { index, row in
                XLSXSheet.Row(cells: row.map { .text($0) }, bold: index == 0, heading: index == 0)
            }
        return sheet
    }
}
