import Foundation
import ThadsDomain

/// A report laid out as the total and then one row per unit, each cell a whole number (a count or đồng): the usage
/// report (E5) and form 06. One layout feeds the page, the CSV and the XLSX.
protocol UnitTable: Sendable {
    var title: String { get }
    var period: ReportingPeriod { get }
    var unit: EnforcementUnit { get }
    var units: [EnforcementUnit] { get }
    var columns: [UnitTableColumn] { get }
    /// The values of the total (nil unit) or of one unit, in the order of `columns`.
    func values(_ unitID: UUID?) -> [Int64]
}

struct UnitTableColumn: Sendable {
    var title: String
    var isMoney = false
}

extension UnitTable {
    var heading: [String] {
        [
            title,
            "Đơn vị: \(unit.code) · \(unit.name)"
                + (units.count > 1 ? " (gồm \(units.count - 1) đơn vị trực thuộc)" : ""),
            "Kỳ báo cáo: \(period.label)",
        ]
    }

    var rows: [(label: String, values: [Int64], isTotal: Bool)] {
        [("Tổng cộng", values(nil), true)] + units.map { ("\($0.code) · \($0.name)", values($0.id!), false) }
    }

    func text(_ value: Int64, _ column: UnitTableColumn) -> String {
        column.isMoney ? Format.money(value) : Format.count(Int(value))
    }

    var csv: String {
        var table: [[String]] = heading.map { [$0] }
        table.append(["Đơn vị"] + columns.map(\.title))
        for row in rows { table.append([row.label] + row.values.map { String($0) }) }
        return CSVText.document(table, classification: ReportTable.classification)
    }

    func xlsx(sheet name: String, modified: Date) throws -> [UInt8] {
        var sheet = XLSXSheet(name: name)
        let last = XLSXSheet.column(columns.count)
        for (index, line) in ([ReportTable.classification.marking] + heading).enumerated() {
            sheet.rows.append(.init(cells: [.text(line)], bold: index == 1))
            sheet.merged.append("A\(index + 1):\(last)\(index + 1)")
        }
        sheet.rows.append(.init(cells: [.text("Đơn vị")] + columns.map { .text($0.title) }, heading: true))
        for row in rows {
            sheet.rows.append(.init(cells: [.text(row.label)] + row.values.map { .number($0) }, bold: row.isTotal))
        }
        sheet.columnWidths = [40] + columns.map { $0.isMoney ? 18 : 14 }
        return try sheet.workbook(modified: modified)
    }
}
