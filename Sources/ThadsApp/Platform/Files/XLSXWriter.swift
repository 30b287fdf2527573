import Foundation
import ZIPFoundation

/// A workbook of one sheet in Office Open XML (SpreadsheetML), as Excel and LibreOffice open it: text as inline
/// strings, numbers as numbers (so totals can be summed again), a bold style for titles and headings, merged title
/// rows and column widths. Written by hand because no spreadsheet package is among the allowed ones; the test opens
/// the result in LibreOffice.
struct XLSXSheet: Sendable {
    enum Cell: Sendable, Hashable {
        case text(String)
        case number(Int64)
        /// A decimal shown with two places (a rate in per cent).
        case decimal(Double)
        case empty
    }

    struct Row: Sendable {
        var cells: [Cell]
        var bold = false
        /// Column headings: bold, wrapped within the column's width.
        var heading = false
    }

    var name: String
    var rows: [Row] = []
    /// Widths in characters, by column.
    var columnWidths: [Double] = []
    /// Cell ranges to merge, e.g. "A1:F1".
    var merged: [String] = []

    static func column(_ index: Int) -> String {
        var name = ""
        var n = index + 1
        while n > 0 {
            let rest = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + rest))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// The .xlsx bytes; `modified` dates the zip entries (from the clock, so one export is reproducible).
    func workbook(modified: Date) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", Self.contentTypes), ("_rels/.rels", Self.rootRelations),
            ("xl/workbook.xml", workbookXML), ("xl/_rels/workbook.xml.rels", Self.workbookRelations),
            ("xl/styles.xml", Self.styles), ("xl/worksheets/sheet1.xml", sheetXML),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: modified,
                compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        guard let data = archive.data else { throw XLSXError.notWritten }
        return Array(data)
    }

    enum XLSXError: Error { case notWritten }

    private static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // XML 1.0 forbids most control characters; a tab, line feed or carriage return stays.
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    private var workbookXML: String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="\(Self.escaped(String(name.prefix(31))))" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    }

    private var sheetXML: String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            """
        if !columnWidths.isEmpty {
            xml += "<cols>"
            for (index, width) in columnWidths.enumerated() {
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (rowIndex, row) in rows.enumerated() {
            xml += "<row r=\"\(rowIndex + 1)\">"
            for (columnIndex, cell) in row.cells.enumerated() {
                let ref = Self.column(columnIndex) + String(rowIndex + 1)
                let style = row.heading ? " s=\"3\"" : row.bold ? " s=\"1\"" : ""
                switch cell {
                case .text(let text):
                    xml +=
                        "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">"
                        + Self.escaped(text) + "</t></is></c>"
                case .number(let value): xml += "<c r=\"\(ref)\"\(style)><v>\(value)</v></c>"
                case .decimal(let value):
                    xml += "<c r=\"\(ref)\" s=\"2\"><v>\(String(format: "%.2f", value))</v></c>"
                case .empty: break
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        if !merged.isEmpty {
            xml += "<mergeCells count=\"\(merged.count)\">"
            for range in merged { xml += "<mergeCell ref=\"\(range)\"/>" }
            xml += "</mergeCells>"
        }
        return xml + "</worksheet>"
    }

    private static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """

    private static let rootRelations = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="xl/workbook.xml"/></Relationships>
        """

    private static let workbookRelations = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
        Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
        Target="styles.xml"/></Relationships>
        """

    /// Style 0: plain; 1: bold; 2: two decimals; 3: bold, wrapped and centred (column headings).
    private static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="1"><numFmt numFmtId="164" formatCode="0.00"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Times New Roman"/></font>\
        <font><b/><sz val="11"/><name val="Times New Roman"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
        </fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
        <alignment horizontal="center" vertical="center" wrapText="1"/></xf></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """
}
