import Foundation
import ThadsDomain
import ZIPFoundation

/// Reads the first worksheet of an XLSX file into rows of text: shared and inline strings as written, numbers
/// without float noise, and numbers in a date format (Excel stores dates as day serials) as ISO dates.
///
/// The file is first checked by `AttachmentInspector` (a real xlsx, no zip64, no encryption, not a bomb), then
/// only the parts needed are inflated, counted again against the same bound while they stream out.
enum XLSXReader {
    static func read(_ data: Data, limits: ImportLimits) throws(ImportFileError) -> ImportSheet {
        // Spreadsheet XML is very repetitive, so the per-entry ratio is loose (deflate tops out near 1032:1, so only
        // a run of one byte reaches it); the total bound does the real work.
        let inspection = AttachmentLimits(
            maxBytes: limits.maxFileBytes, maxUnpackedBytes: limits.maxUnpackedBytes, maxCompressionRatio: 1_000,
            maxEntries: 10_000, maxNestingDepth: 1)
        do {
            guard try AttachmentInspector.inspect(data, fileName: "import.xlsx", limits: inspection) == .xlsx else {
                throw ImportFileError.notSpreadsheet
            }
        } catch let rejection as AttachmentRejection {
            switch rejection {
            case .unknownType, .extensionMismatch, .notAllowedExtension: throw .notSpreadsheet
            default: throw .archive(rejection.message)
            }
        } catch {
            throw .notSpreadsheet
        }
        var parts = try Parts(data, limit: limits.maxUnpackedBytes)
        do {
            let workbook = try parts.workbook()
            let shared = try parts.bytes(workbook.sharedStringsPath).map(sharedStrings) ?? []
            let dateStyles = try parts.bytes(workbook.stylesPath).map(Self.dateStyles) ?? []
            guard let sheet = try parts.bytes(workbook.firstSheetPath) else { throw ImportFileError.notSpreadsheet }
            var reader = SheetReader(
                shared: shared, dateStyles: dateStyles, uses1904: workbook.uses1904, limits: limits)
            return ImportSheet(records: try reader.rows(sheet))
        } catch let error as ImportFileError {
            throw error
        } catch {
            throw .unreadableSpreadsheet
        }
    }

    // MARK: Parts of the package

    /// The archive's entries, inflated on demand within one shared budget.
    private struct Parts {
        let archive: Archive
        let limit: Int64
        var inflated: Int64 = 0

        init(_ data: Data, limit: Int64) throws(ImportFileError) {
            do {
                archive = try Archive(data: data, accessMode: .read, pathEncoding: nil)
            } catch {
                throw .unreadableSpreadsheet
            }
            self.limit = limit
        }

        mutating func bytes(_ path: String?) throws -> [UInt8]? {
            guard let path, let entry = archive[path] else { return nil }
            var out: [UInt8] = []
            var spent = inflated
            let limit = limit
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                spent += Int64(chunk.count)
                guard spent <= limit else {
                    throw ImportFileError.archive(AttachmentRejection.archiveBomb.message)
                }
                out.append(contentsOf: chunk)
            }
            inflated = spent
            return out
        }

        struct Workbook {
            var firstSheetPath: String?
            var sharedStringsPath: String?
            var stylesPath: String?
            var uses1904 = false
        }

        /// The first sheet in workbook order, and the shared strings and styles, through the relationships.
        mutating func workbook() throws -> Workbook {
            guard let workbookXML = try bytes("xl/workbook.xml") else { throw ImportFileError.notSpreadsheet }
            var firstSheetID: String?
            var result = Workbook()
            var scanner = XMLScanner(workbookXML)
            while let event = try scanner.next() {
                guard case .start(let name, let attributes, _) = event else { continue }
                if name == "sheet", firstSheetID == nil { firstSheetID = attributes.first { $0.name == "id" }?.value }
                if name == "workbookPr" {
                    let flag = attributes.first { $0.name == "date1904" }?.value
                    result.uses1904 = flag == "1" || flag == "true"
                }
            }
            var targets: [String: String] = [:]
            var byType: [String: String] = [:]
            if let rels = try bytes("xl/_rels/workbook.xml.rels") {
                var scanner = XMLScanner(rels)
                while let event = try scanner.next() {
                    guard case .start("Relationship", let attributes, _) = event,
                        let id = attributes.first(where: { $0.name == "Id" })?.value,
                        let target = attributes.first(where: { $0.name == "Target" })?.value
                    else { continue }
                    let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                    targets[id] = path
                    if let type = attributes.first(where: { $0.name == "Type" })?.value.split(separator: "/").last {
                        byType[String(type)] = path
                    }
                }
            }
            result.firstSheetPath = firstSheetID.flatMap { targets[$0] } ?? "xl/worksheets/sheet1.xml"
            result.sharedStringsPath = byType["sharedStrings"] ?? "xl/sharedStrings.xml"
            result.stylesPath = byType["styles"] ?? "xl/styles.xml"
            return result
        }
    }

    /// The shared string table: each `<si>` is its `<t>` runs joined, without phonetic (`<rPh>`) runs.
    private static func sharedStrings(_ xml: [UInt8]) throws -> [String] {
        var strings: [String] = []
        var scanner = XMLScanner(xml)
        var current = ""
        var inText = false
        var phonetic = 0
        while let event = try scanner.next() {
            switch event {
            case .start("si", _, let closed):
                current = ""
                if closed { strings.append("") }
            case .end("si"): strings.append(current)
            case .start("rPh", _, false): phonetic += 1
            case .end("rPh"): phonetic -= 1
            case .start("t", _, false): inText = phonetic == 0
            case .end("t"): inText = false
            case .text(let range) where inText: current += try scanner.text(range)
            default: break
            }
        }
        return strings
    }

    /// The cell style indexes (`s`) whose number format shows a date.
    private static func dateStyles(_ xml: [UInt8]) throws -> Set<Int> {
        var customDates: Set<Int> = []
        var styles: Set<Int> = []
        var inCellXfs = false
        var index = 0
        var scanner = XMLScanner(xml)
        while let event = try scanner.next() {
            switch event {
            case .start("numFmt", let attributes, _):
                if let id = attributes.first(where: { $0.name == "numFmtId" }).flatMap({ Int($0.value) }),
                    let code = attributes.first(where: { $0.name == "formatCode" })?.value, isDateFormat(code)
                {
                    customDates.insert(id)
                }
            case .start("cellXfs", _, let closed): inCellXfs = !closed
            case .end("cellXfs"): inCellXfs = false
            case .start("xf", let attributes, _) where inCellXfs:
                let id = attributes.first { $0.name == "numFmtId" }.flatMap { Int($0.value) } ?? 0
                if builtInDateFormats.contains(id) || customDates.contains(id) { styles.insert(index) }
                index += 1
            default: break
            }
        }
        return styles
    }

    /// Excel's built-in date and time formats (ECMA-376 §18.8.30, with the East Asian ones).
    private static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// Whether a custom format shows a date: it has d, m or y outside quoted text, escapes and [colour] tags.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        var escaped = false
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\"": quoted.toggle()
            case "\\": escaped = !quoted
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            case "d", "m", "y":
                if !quoted && !bracket { return true }
            default: break
            }
        }
        return false
    }
}
