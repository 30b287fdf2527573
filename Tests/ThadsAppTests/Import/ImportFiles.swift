import Foundation
import Testing
import ThadsDomain
import ZIPFoundation

@testable import ThadsApp

/// Import files made in the test: rows of the template as CSV, and the same rows as an XLSX workbook written the
/// way Excel writes one (shared strings, inline strings, numbers, dates as serials in a date style).
enum ImportFiles {
    typealias Row = [LegacyImportColumn: String]

    /// A valid row of unit `unit`, distinct per `index` (judgment number, debtor, ID number, old code).
    static func row(_ index: Int, unit: String = "01", _ overrides: Row = [:]) -> Row {
        var row = ImportTemplate.example
        row[.unitCode] = unit
        row[.legacyCode] = "HN-\(index)"
        row[.judgmentNumber] = "\(index)/2025/DS-ST"
        row[.debtorName] = "Nguyễn Văn Nợ Số \(index)"
        row[.debtorIDNumber] = String(format: "0010800%05d", index)
        for (column, value) in overrides { row[column] = value }
        return row
    }

    static func csv(_ rows: [Row], columns: [LegacyImportColumn] = LegacyImportColumn.allCases) -> Data {
        func field(_ text: String) -> String {
            text.contains(where: { ",\"\n".contains($0) })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let lines =
            [columns.map(\.rawValue).joined(separator: ",")]
            + rows.map { row in columns.map { field(row[$0] ?? "") }.joined(separator: ",") }
        return Data(("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    static let dateColumns: Set<LegacyImportColumn> = [
        .requestReceivedOn, .judgmentDate, .effectiveDate, .decisionDate, .closedOn, .moneyAsOf,
    ]

    /// The rows as an XLSX workbook: dates as serial numbers with a date style, amounts and years as numbers,
    /// names as inline strings, everything else as shared strings.
    static func xlsx(_ rows: [Row], columns: [LegacyImportColumn] = LegacyImportColumn.allCases) throws -> Data {
        var shared: [String] = []
        func sharedIndex(_ text: String) -> Int {
            if let index = shared.firstIndex(of: text) { return index }
            shared.append(text)
            return shared.count - 1
        }
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        func reference(_ column: Int, _ row: Int) -> String {
            var letters = ""
            var n = column + 1
            while n > 0 {
                letters = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + letters
                n = (n - 1) / 26
            }
            return letters + String(row)
        }
        var sheet =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        let header = columns.map { $0.rawValue }
        for (rowIndex, cells) in ([nil] + rows).enumerated() {
            let number = rowIndex + 1
            sheet += #"<row r="\#(number)">"#
            for (columnIndex, column) in columns.enumerated() {
                let ref = reference(columnIndex, number)
                guard let cells else {
                    sheet += #"<c r="\#(ref)" t="s"><v>\#(sharedIndex(header[columnIndex]))</v></c>"#
                    continue
                }
                let value = cells[column] ?? ""
                if value.isEmpty { continue }
                if dateColumns.contains(column), let date = LocalDate(typed: value) {
                    let serial = date.daysSinceEpoch - LocalDate(year: 1899, month: 12, day: 30)!.daysSinceEpoch
                    sheet += #"<c r="\#(ref)" s="1"><v>\#(serial)</v></c>"#
                } else if [.obligationAmount, .collected, .paidOut, .debtorBirthYear].contains(column) {
                    sheet += #"<c r="\#(ref)"><v>\#(value.replacingOccurrences(of: ".", with: ""))</v></c>"#
                } else if [.debtorName, .creditorName].contains(column) {
                    sheet += #"<c r="\#(ref)" t="inlineStr"><is><t>\#(escape(value))</t></is></c>"#
                } else {
                    sheet += #"<c r="\#(ref)" t="s"><v>\#(sharedIndex(value))</v></c>"#
                }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let strings =
            #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(shared.count)">"#
            + shared.map { "<si><t>\(escape($0))</t></si>" }.joined() + "</sst>"
        let parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#
            ),
            ("_rels/.rels", "<Relationships/>"),
            (
                "xl/workbook.xml",
                #"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
                    + #"<sheets><sheet name="Hồ sơ" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
            (
                "xl/_rels/workbook.xml.rels",
                "<Relationships>"
                    + #"<Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/>"#
                    + #"<Relationship Id="rId2" Type="http://x/sharedStrings" Target="sharedStrings.xml"/>"#
                    + #"<Relationship Id="rId3" Type="http://x/styles" Target="styles.xml"/></Relationships>"#
            ),
            (
                "xl/styles.xml",
                #"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>"#
                    + #"<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>"#
            ),
            ("xl/sharedStrings.xml", strings),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        return try zip(parts.map { ($0.0, Data($0.1.utf8)) })
    }

    static func zip(_ entries: [(String, Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        for (path, content) in entries {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(content.count), compressionMethod: .deflate,
                provider: { position, size in content.subdata(in: Int(position)..<Int(position) + size) })
        }
        return try #require(archive.data)
    }

    /// An xlsx whose sheet inflates to `size` bytes of spaces: a zip bomb dressed as a workbook.
    static func bombXLSX(size: Int) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        for (path, text) in [
            ("[Content_Types].xml", "<Types/>"), ("_rels/.rels", "<Relationships/>"),
            ("xl/workbook.xml", "<workbook><sheets><sheet r:id=\"rId1\"/></sheets></workbook>"),
        ] {
            let content = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(content.count), compressionMethod: .deflate,
                provider: { position, size in content.subdata(in: Int(position)..<Int(position) + size) })
        }
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
            bufferSize: 1024 * 1024, provider: { _, chunk in Data(repeating: 0x20, count: chunk) })
        return try #require(archive.data)
    }
}
