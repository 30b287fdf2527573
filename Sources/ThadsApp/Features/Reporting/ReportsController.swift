import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Statistics for heads, statistics officers and inspectors (E1–E3): a form for any unit in scope (with its
/// sub-units) and any period, its drill-down to the cases behind a figure, the print view and the XLSX/CSV export.
/// Every view and export asks for its purpose and goes into the extraction log first.
struct ReportsController {
    static let base = "thong-ke"

    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "thong-ke", access: .permission(.viewStatistics), use: show)
        routes.on(.GET, "thong-ke", "in", access: .permission(.viewStatistics), use: printView)
        routes.on(.POST, "thong-ke", "xuat", access: .permission(.viewStatistics), use: export)
        routes.on(.GET, "thong-ke", "ho-so", access: .permission(.viewStatistics), use: drill)
    }

    /// What the report form asks; `values` are echoed back into the form.
    struct Query: Sendable {
        var unitID: UUID
        var withSubunits: Bool
        var period: ReportingPeriod
        var form: ReportForm
        var purpose: String
        var values: [String: String]

        static let keys = ["unit", "sub", "year", "months", "form", "purpose"]

        var items: [(String, String)] {
            [
                ("unit", unitID.uuidString), ("sub", withSubunits ? "1" : "0"), ("year", String(period.year)),
                ("months", String(period.months)), ("form", form.rawValue), ("purpose", purpose),
            ]
        }
    }

    /// Reads and checks the report form; nil with the errors by field when it cannot run. A page that has no
    /// choice of form (the usage report) passes `formRequired: false`.
    static func query(
        _ values: [String: String], today: LocalDate, formRequired: Bool = true
    ) -> (Query?, FormCheck) {
        var form = FormCheck(values)
        let unitID = UUID(uuidString: values["unit"] ?? "")
        if unitID == nil { form.fail("unit", "Chọn đơn vị.") }
        let year = Int(values["year"] ?? "")
        let months = Int(values["months"] ?? "")
        var period: ReportingPeriod?
        if let year, (2000...StatisticalYear.of(today) + 1).contains(year) {
            period = months.flatMap { ReportingPeriod(year: year, months: $0) }
            if period == nil { form.fail("months", "Chọn kỳ từ 1 đến 12 tháng.") }
        } else {
            form.fail("year", "Năm thống kê không hợp lệ (năm 2027 tính từ 01/10/2026 đến 30/09/2027).")
        }
        let reportForm = formRequired ? form.choice("form", label: "Mẫu báo cáo", ReportForm.self) : .cases
        let purpose = form.text("purpose", label: "Mục đích trích xuất", required: true, max: 500, lines: .multi)
        if form.errors["purpose"] == nil && purpose.count < ExtractionLog.minimumPurposeLength {
            form.fail("purpose", "Nêu mục đích xem, trích xuất số liệu (ít nhất 10 ký tự).")
        }
        guard form.isValid, let unitID, let period, let reportForm else { return (nil, form) }
        return (
            Query(
                unitID: unitID, withSubunits: values["sub"] == "1" || values["sub"] == "on", period: period,
                form: reportForm,
                purpose: purpose, values: form.values), form
        )
    }

    private func queryValues(_ req: Request) -> [String: String] {
        Dictionary(uniqueKeysWithValues: Query.keys.map { ($0, (try? req.query.get(String.self, at: $0)) ?? "") })
    }

    static func choices(_ req: Request) async throws -> [EnforcementUnit] {
        let user = try req.user
        var query = EnforcementUnit.query(on: req.db).sort(\.$code)
        if case .units(let ids) = user.scope { query = query.filter(\.$id ~~ Array(ids)) }
        return try await query.all()
    }

    func show(req: Request) async throws -> Response {
        var values = queryValues(req)
        let units = try await Self.choices(req)
        guard values["unit"]?.isEmpty == false else {
            let today = req.context.today
            values["unit"] = try req.user.unit.id?.uuidString
            values["year"] = String(StatisticalYear.of(today))
            values["months"] = String(max(1, ReportingPeriod.monthsEnded(on: today)))
            values["form"] = ReportForm.cases.rawValue
            values["sub"] = "1"
            return ReportViews.page(req.pageContext, units: units, values: values, errors: [:], table: nil).response
        }
        let (query, form) = Self.query(values, today: req.context.today)
        guard let query else {
            return ReportViews.page(
                req.pageContext, units: units, values: form.values, errors: form.errors, table: nil, status: .badRequest
            ).response
        }
        let table = try await table(query, req: req)
        try await log(query, table: table, kind: .view, format: "html", file: nil, req: req)
        return ReportViews.page(
            req.pageContext, units: units, values: query.values, errors: [:], table: (table, query)
        ).response
    }

    func printView(req: Request) async throws -> Response {
        let (query, _) = Self.query(queryValues(req), today: req.context.today)
        guard let query else { throw Abort(.badRequest, reason: "Thiếu đơn vị, kỳ hoặc mục đích trích xuất.") }
        let table = try await table(query, req: req)
        try await log(query, table: table, kind: .view, format: "in", file: nil, req: req)
        return ReportViews.printable(table, printedAt: req.context.now).response
    }

    func export(req: Request) async throws -> Response {
        let values = Dictionary(
            uniqueKeysWithValues: (Query.keys + ["format"]).map {
                ($0, (try? req.content.get(String.self, at: $0)) ?? "")
            })
        let (query, form) = Self.query(values, today: req.context.today)
        guard let query else {
            return ReportViews.page(
                req.pageContext, units: try await Self.choices(req), values: form.values, errors: form.errors,
                table: nil,
                status: .badRequest
            ).response
        }
        let table = try await table(query, req: req)
        let isCSV = values["format"] == "csv"
        let bytes = isCSV ? Array(table.csv.utf8) : try table.xlsx(modified: req.context.now)
        try await log(query, table: table, kind: .export, format: isCSV ? "csv" : "xlsx", file: bytes, req: req)
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType =
            isCSV
            ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let name =
            "mau-\(query.form.rawValue)-\(query.period.year)-\(query.period.months)thang.\(isCSV ? "csv" : "xlsx")"
        response.headers.setAttachment(fileName: name)
        return response
    }

    /// The cases behind one figure: the row's units (and kind) and the column's statuses.
    func drill(req: Request) async throws -> Response {
        let (query, _) = Self.query(queryValues(req), today: req.context.today)
        guard let query, let number = try? req.query.get(Int.self, at: "col"),
            let column = ReportColumn.all.first(where: { $0.number == number })
        else { throw Abort(.badRequest, reason: "Thiếu đơn vị, kỳ, cột hoặc mục đích trích xuất.") }
        let (_, units) = try await StatisticsService.units(
            of: query.unitID, withSubunits: query.withSubunits, in: req.context)
        var chosen = units.compactMap(\.id)
        if let only = try? req.query.get(UUID.self, at: "rowUnit") {
            guard chosen.contains(only) else { throw Abort(.notFound) }
            chosen = [only]
        }
        let kind = (try? req.query.get(String.self, at: "kind")).flatMap { $0.isEmpty ? nil : $0 }
        let page = max(1, (try? req.query.get(Int.self, at: "page")) ?? 1)
        let size = 100
        let cases = try await ReportFigures.cases(
            query.period, units: chosen, statuses: column.statuses, carried: column.carried, kindCode: kind,
            separateBook: column.separateBook, stateBudget: query.form == .stateBudget, limit: size + 1,
            offset: (page - 1) * size, on: req.db)
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: .view, subject: "Danh sách hồ sơ cột (\(column.number)) mẫu \(query.form.rawValue)",
                unitID: query.unitID, scope: query.withSubunits ? "đơn vị và cấp dưới" : "đơn vị",
                period: query.period.label, format: "html", rows: min(cases.count, size), purpose: query.purpose,
                file: nil), in: req.context)
        return ReportViews.drill(
            req.pageContext, query: query, column: column, cases: Array(cases.prefix(size)), page: page,
            hasNext: cases.count > size, extra: req.url.query ?? ""
        ).response
    }

    private func table(_ query: Query, req: Request) async throws -> ReportTable {
        let report = try await StatisticsService.report(
            unitID: query.unitID, withSubunits: query.withSubunits, period: query.period,
            detail: .init(money: query.form.byMoney, officers: query.form == .officers), in: req.context)
        let kinds = try await CatalogEntry.query(on: req.db).filter(\.$catalog == .judgmentKinds).all()
        var officers: [UUID: String] = [:]
        if query.form == .officers {
            let ids = Set(report.rows.compactMap(\.officerID))
            for account in try await Account.query(on: req.db).filter(\.$id ~~ ids).all() {
                officers[account.id!] = account.fullName
            }
        }
        return ReportTable(
            form: query.form, report: report,
            kindNames: Dictionary(kinds.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a }),
            officerNames: officers)
    }

    private func log(
        _ query: Query, table: ReportTable, kind: Extraction.Kind, format: String, file: [UInt8]?, req: Request
    ) async throws {
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: kind, subject: "Mẫu \(query.form.rawValue)", unitID: query.unitID,
                scope: query.withSubunits ? "đơn vị và cấp dưới (\(table.report.units.count) đơn vị)" : "đơn vị",
                period: query.period.label, format: format, rows: table.rows.count, purpose: query.purpose, file: file),
            in: req.context)
    }
}
