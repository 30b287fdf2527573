import Foundation
import ThadsDomain

/// Turns one worksheet's XML into rows of cell text, as `ImportSheet` takes them.
struct SheetReader {
    let shared: [String]
    let dateStyles: Set<Int>
    let uses1904: Bool
    let limits: ImportLimits

    /// Rows by their spreadsheet number; cells by column, "" where the sheet has none.
    mutating func rows(_ xml: [UInt8]) throws -> [(number: Int, cells: [String])] {
        var rows: [(number: Int, cells: [String])] = []
        var scanner = XMLScanner(xml)
        var rowNumber = 0
        var cells: [String] = []
        var column = 0
        var type = ""
        var style = 0
        var value = ""
        var capture = false
        var inInline = false
        while let event = try scanner.next() {
            switch event {
            case .start("row", let attributes, let closed):
                rowNumber = attributes.first { $0.name == "r" }.flatMap { Int($0.value) } ?? rowNumber + 1
                cells = []
                column = 0
                if closed { continue }  // an empty row
            case .end("row"):
                if cells.contains(where: { !$0.isEmpty }) {
                    guard rows.count <= limits.maxRows else { throw ImportFileError.tooManyRows(limits.maxRows) }
                    rows.append((rowNumber, cells))
                }
            case .start("c", let attributes, let closed):
                column = attributes.first { $0.name == "r" }.flatMap { Self.columnIndex($0.value) } ?? column
                type = attributes.first { $0.name == "t" }?.value ?? "n"
                style = attributes.first { $0.name == "s" }.flatMap { Int($0.value) } ?? 0
                value = ""
                if closed { column += 1 }
            case .end("c"):
                let text = try cellText(value, type: type, style: style)
                if !text.isEmpty {
                    guard column < limits.maxColumns else { throw ImportFileError.tooManyColumns(limits.maxColumns) }
                    if cells.count <= column { cells += Array(repeating: "", count: column + 1 - cells.count) }
                    cells[column] = text
                }
                column += 1
            case .start("v", _, false): capture = true
            case .end("v"): capture = false
            case .start("is", _, false): inInline = true
            case .end("is"): inInline = false
            case .start("t", _, false) where inInline: capture = true
            case .end("t"): capture = false
            case .start("rPh", _, false): capture = false
            case .text(let range) where capture: value += try scanner.text(range)
            default: break
            }
        }
        return rows
    }

    /// The cell as text: the shared string, the inline string, or the number (a date when its style says so).
    private func cellText(_ raw: String, type: String, style: Int) throws -> String {
        switch type {
        case "s":
            guard let index = Int(raw), shared.indices.contains(index) else {
                throw ImportFileError.unreadableSpreadsheet
            }
            return shared[index]
        case "inlineStr", "str": return raw
        case "b": return raw == "1" ? "TRUE" : raw.isEmpty ? "" : "FALSE"
        case "e": return ""
        case "d": return String(raw.prefix(10))
        default:
            guard !raw.isEmpty else { return "" }
            if dateStyles.contains(style), let serial = Double(raw) { return date(serial)?.iso ?? raw }
            return Self.number(raw)
        }
    }

    /// A date serial: days since 1899-12-30 (Excel's 1900 system counts a 29/02/1900 that never was, which only
    /// shifts serials below 61), or since 1904-01-01.
    private func date(_ serial: Double) -> LocalDate? {
        guard serial.isFinite, serial >= 1, serial < 2_958_466 else { return nil }
        let days = Int(serial.rounded(.down))
        if uses1904 { return LocalDate(year: 1904, month: 1, day: 1)?.adding(days: days) }
        let base = LocalDate(year: 1899, month: 12, day: days < 61 ? 31 : 30)
        return base?.adding(days: days)
    }

    /// A number as typed: whole numbers without exponent or ".0", fractions with a decimal comma (so that an
    /// amount "1.5" is refused rather than read as 15 with the dot taken for a thousands separator).
    static func number(_ raw: String) -> String {
        if raw.allSatisfy(\.isNumber) { return raw }
        guard let value = Double(raw), value.isFinite else { return raw }
        if value == value.rounded(), abs(value) < 9.0e15 { return String(Int64(value)) }
        return String(value).replacingOccurrences(of: ".", with: ",")
    }

    /// "A1" → 0, "AB12" → 27; nil for a reference without column letters.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : index - 1
    }
}
