import Foundation
import ThadsDomain

/// A table read from an import file: its header and its data rows, each with the row number people see in their
/// spreadsheet or editor (the header is row 1), so that the report points at the right line.
struct ImportSheet: Sendable {
    struct Row: Sendable {
        let number: Int
        let cells: [String]
    }

    var header: [String]
    var rows: [Row]

    /// Splits off the header and drops blank rows (a trailing newline, rows cleared in Excel).
    init(records: [(number: Int, cells: [String])]) {
        let kept = records.filter { record in record.cells.contains { !$0.isEmpty } }
        header = kept.first?.cells ?? []
        rows = kept.dropFirst().map { Row(number: $0.number, cells: $0.cells) }
    }
}

/// What one import file may cost to read.
struct ImportLimits: Sendable {
    var maxFileBytes = 200 * 1024 * 1024
    /// For an XLSX file: everything inflated, counted as it streams out.
    var maxUnpackedBytes: Int64 = 200 * 1024 * 1024
    var maxRows = 1_000_000
    var maxColumns = 256
}

/// Why a file could not be read at all: one Vietnamese message for the whole file.
enum ImportFileError: Error, Sendable, Equatable {
    case empty
    case tooLarge(Int)
    case notUTF8
    case oldExcel
    case notSpreadsheet
    case archive(String)
    case unreadableSpreadsheet
    case tooManyRows(Int)
    case tooManyColumns(Int)

    var message: String {
        switch self {
        case .empty: "Tệp rỗng, không có dòng tiêu đề và dữ liệu."
        case .tooLarge(let limit): "Tệp lớn hơn giới hạn \(limit / 1_048_576) MB; hãy chia thành nhiều tệp."
        case .notUTF8:
            "Tệp không phải CSV mã hóa UTF-8 hoặc bảng tính XLSX. Trong Excel, chọn “Lưu thành” → "
                + "“CSV UTF-8 (Comma delimited)” hoặc “Excel Workbook (.xlsx)”."
        case .oldExcel:
            "Tệp Excel 97–2003 (.xls) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8."
        case .notSpreadsheet: "Tệp nén không phải bảng tính XLSX (thiếu sổ tính hoặc trang tính)."
        case .archive(let message): message
        case .unreadableSpreadsheet: "Bảng tính XLSX bị hỏng hoặc có cấu trúc không đọc được."
        case .tooManyRows(let limit): "Tệp có nhiều hơn \(MoneyText.grouped(Int64(limit))) dòng dữ liệu; hãy chia nhỏ."
        case .tooManyColumns(let limit): "Bảng tính có dữ liệu ở quá \(limit) cột; chỉ dùng các cột của mẫu."
        }
    }
}

enum ImportFileReader {
    /// Reads a CSV (UTF-8, with or without byte order mark) or XLSX file, told apart by content, not by name.
    static func read(_ data: Data, limits: ImportLimits = .init()) throws(ImportFileError) -> ImportSheet {
        guard !data.isEmpty else { throw .empty }
        guard data.count <= limits.maxFileBytes else { throw .tooLarge(limits.maxFileBytes) }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return try XLSXReader.read(data, limits: limits)
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { throw .oldExcel }
        return try csv(data, limits: limits)
    }

    static func csv(_ data: Data, limits: ImportLimits) throws(ImportFileError) -> ImportSheet {
        guard !data.contains(0), var text = String(validating: data, as: UTF8.self) else { throw .notUTF8 }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let records = CSVText.rows(text)
        guard records.count <= limits.maxRows + 1 else { throw .tooManyRows(limits.maxRows) }
        guard !records.contains(where: { $0.count > limits.maxColumns }) else {
            throw .tooManyColumns(limits.maxColumns)
        }
        let sheet = ImportSheet(records: records.enumerated().map { ($0.offset + 1, $0.element) })
        guard !sheet.header.isEmpty else { throw .empty }
        return sheet
    }
}
