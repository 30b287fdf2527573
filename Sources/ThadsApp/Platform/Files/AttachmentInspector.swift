import Foundation
import ZIPFoundation

/// The file kinds the law allows (001/002 Art. 7.1): .pdf .jpg .doc .docx .xls .xlsx .rar .zip, and the scans
/// offices' scanners write (.png, .tif/.tiff, issue 20), each recognised by its content.
///
/// The raw value is the canonical extension, so a kind can be stored and shown without a lookup table.
enum AttachmentKind: String, Sendable, Codable, CaseIterable {
    case pdf, jpg, doc, docx, xls, xlsx, rar, zip, png, tiff

    /// Vietnamese name shown to officers and parties, who think in "Word"/"Excel", not in MIME types.
    var label: String {
        switch self {
        case .pdf: return "PDF"
        case .jpg: return "Ảnh JPEG"
        case .doc: return "Word (.doc)"
        case .docx: return "Word (.docx)"
        case .xls: return "Excel (.xls)"
        case .xlsx: return "Excel (.xlsx)"
        case .rar: return "Tệp nén RAR"
        case .zip: return "Tệp nén ZIP"
        case .png: return "Ảnh PNG"
        case .tiff: return "Ảnh quét TIFF"
        }
    }

    /// The type we send back on download; it comes from the detected kind, never from what the client claimed.
    var mimeType: String {
        switch self {
        case .pdf: return "application/pdf"
        case .jpg: return "image/jpeg"
        case .doc: return "application/msword"
        case .docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xls: return "application/vnd.ms-excel"
        case .xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .rar: return "application/vnd.rar"
        case .zip: return "application/zip"
        case .png: return "image/png"
        case .tiff: return "image/tiff"
        }
    }

    /// Lower-case extensions a file of this kind may carry; the first is the canonical one.
    var fileExtensions: [String] {
        switch self {
        case .jpg: return ["jpg", "jpeg"]
        case .tiff: return ["tiff", "tif"]
        default: return [rawValue]
        }
    }

    /// The kind a (lower-case, dot-less) extension names, or `nil` when the law does not allow it.
    init?(fileExtension: String) {
        guard let kind = Self.allCases.first(where: { $0.fileExtensions.contains(fileExtension) }) else {
            return nil
        }
        self = kind
    }
}

/// Resource limits for one upload. They are per request so a caller (or a test) can tighten them.
struct AttachmentLimits: Sendable {
    var maxBytes: Int = 20 * 1024 * 1024
    /// Total inflated size of an archive (incl. docx/xlsx and every nested archive), counted while inflating.
    var maxUnpackedBytes: Int64 = 200 * 1024 * 1024
    /// Per entry, for entries whose inflated size > 1 MiB: small entries may compress extremely well
    /// (an empty sheet, a run of spaces) without being dangerous.
    var maxCompressionRatio: Double = 100
    /// Counted over the whole upload, nested archives included.
    var maxEntries: Int = 10_000
    /// How many zip layers may be stacked; the upload itself is the first. With 2, a zip inside a zip inside
    /// a zip is refused.
    var maxNestingDepth: Int = 2
}

/// Why an upload was refused. Each case maps to one Vietnamese message the user can act on.
enum AttachmentRejection: Error, Sendable, Hashable {
    case empty
    case tooLarge(limit: Int)
    case unknownType
    case extensionMismatch(declared: String, detected: AttachmentKind)
    case notAllowedExtension(String)
    case archiveBomb
    case tooManyEntries
    case nestedTooDeep
    case corruptArchive
    case encryptedArchive
    case polyglot
    case macros

    /// Clear Vietnamese message for the user; it names the limit where the case carries one.
    var message: String {
        switch self {
        case .empty:
            return "Tệp rỗng (0 byte) nên không thể tiếp nhận; vui lòng chọn lại tệp."
        case .tooLarge(let limit):
            return "Tệp vượt quá dung lượng cho phép (\(Self.formatSize(limit)))."
        case .unknownType:
            return "Tệp không đúng định dạng cho phép (chỉ nhận \(Self.allowedList)); "
                + "nội dung tệp không phải là một trong các loại này."
        case .extensionMismatch(let declared, let detected):
            return "Phần mở rộng của tệp (.\(Self.shortened(declared))) không khớp với nội dung thực tế "
                + "(\(detected.label)); vui lòng kiểm tra lại tệp hoặc đổi phần mở rộng thành "
                + ".\(detected.rawValue) rồi tải lên lại."
        case .notAllowedExtension(let fileExtension):
            if fileExtension.isEmpty {
                return "Tệp không có phần mở rộng; hệ thống chỉ nhận tệp \(Self.allowedList)."
            }
            return "Tệp có phần mở rộng .\(Self.shortened(fileExtension)) không được phép; "
                + "hệ thống chỉ nhận tệp \(Self.allowedList)."
        case .archiveBomb:
            return "Tệp nén có dấu hiệu “bom nén” (dung lượng giải nén vượt giới hạn) nên bị từ chối."
        case .tooManyEntries:
            return "Tệp nén chứa quá nhiều tệp bên trong (vượt giới hạn cho phép) nên bị từ chối."
        case .nestedTooDeep:
            return "Tệp nén chứa tệp nén lồng nhau quá nhiều tầng (vượt giới hạn cho phép) nên bị từ chối."
        case .corruptArchive:
            return "Tệp nén bị hỏng, không đầy đủ hoặc dùng kiểu nén không được hỗ trợ nên không kiểm tra được; "
                + "vui lòng nén lại bằng ZIP thông thường rồi tải lên lại."
        case .encryptedArchive:
            return "Tệp được đặt mật khẩu (mã hoá) nên không kiểm tra được nội dung; "
                + "vui lòng gỡ mật khẩu rồi tải lên lại."
        case .polyglot:
            return "Tệp mang nội dung của hai định dạng cùng lúc (ví dụ vừa là PDF vừa là tệp nén ZIP hoặc trang "
                + "HTML) nên bị từ chối vì có thể chứa mã độc; vui lòng xuất lại tệp từ chương trình gốc."
        case .macros:
            return "Tệp Office có chứa macro (mã VBA) nên bị từ chối vì có thể chứa mã độc; vui lòng lưu lại "
                + "thành .docx hoặc .xlsx không có macro rồi tải lên lại."
        }
    }

    private static var allowedList: String {
        AttachmentKind.allCases.map { ".\($0.rawValue)" }.joined(separator: ", ")
    }

    /// The extension comes from the client; a 1,000-character one must not blow up the error banner.
    private static func shortened(_ text: String) -> String {
        text.count <= 16 ? text : String(text.prefix(16)) + "…"
    }

    /// Sizes in MB (2^20 bytes, as Windows shows them) with a Vietnamese decimal comma, e.g. "20 MB", "0,5 MB".
    private static func formatSize(_ bytes: Int) -> String {
        let mebibyte = 1_048_576
        if bytes >= mebibyte, bytes % mebibyte == 0 {
            return "\(bytes / mebibyte) MB"
        }
        let tenths = (Int64(bytes) * 10 + Int64(mebibyte / 2)) / Int64(mebibyte)
        if tenths == 0 {
            return "\(max(1, (bytes + 512) / 1024)) KB"
        }
        return tenths % 10 == 0 ? "\(tenths / 10) MB" : "\(tenths / 10),\(tenths % 10) MB"
    }
}

/// Recognises an uploaded attachment by its bytes and refuses what could hurt the people who later open it.
///
/// The file name is only a claim: the kind comes from the content, and the name's extension must agree with it,
/// because officers open attachments by double-clicking and Windows picks the program from the extension.
/// Zip-based kinds are inflated in memory (never on disk) with every byte counted, since a zip bomb only
/// shows itself when inflated: the sizes written in its headers are whatever the attacker chose.
enum AttachmentInspector {
    /// Detects the kind from the bytes and checks it agrees with `fileName`'s extension.
    ///
    /// - PDF must start with `%PDF-`, JPEG with `FF D8 FF`, at offset 0: readers that tolerate leading junk are
    ///   what makes polyglot files (a PDF that is also a zip or an executable) possible.
    /// - `.doc` and `.xls` are both OLE compound files; they are told apart by the directory entries named
    ///   "WordDocument" and "Workbook"/"Book" (UTF-16LE). When both are present (a document embedding the other),
    ///   the declared one of the two is accepted. An OLE file with neither (PowerPoint, MSI installer, Outlook
    ///   message) is an unknown type; one holding "EncryptedPackage" is a password-protected docx/xlsx.
    /// - zip, docx and xlsx: docx = "[Content_Types].xml" + "word/document.xml", xlsx = "[Content_Types].xml" +
    ///   "xl/workbook.xml", otherwise a plain zip. Every entry is really inflated, streaming, against
    ///   `limits`; nested zips (recognised by content, whatever their name) are inspected the same way.
    ///   Encrypted entries, zip64, multi-disk archives and compression methods other than stored/deflate are
    ///   refused, because their content cannot be checked here.
    /// - RAR (v4 `Rar!\x1A\x07\x00`, v5 `Rar!\x1A\x07\x01\x00`) is recognised by its signature only: its content
    ///   is NOT inspected (no RAR decoder is available to us), so a RAR bomb is not detected. Callers that store
    ///   RAR files must never unpack them server-side.
    ///
    /// - Returns: the detected kind, which is always one the declared extension names.
    /// - Throws: `AttachmentRejection` only.
    static func inspect(
        _ data: Data,
        fileName: String,
        limits: AttachmentLimits = .init()
    ) throws(AttachmentRejection) -> AttachmentKind {
        guard !data.isEmpty else { throw .empty }
        guard data.count <= limits.maxBytes else { throw .tooLarge(limit: limits.maxBytes) }
        let declared = declaredExtension(of: fileName)
        if ActiveContent.macroExtensions.contains(declared) { throw .macros }
        guard let declaredKind = AttachmentKind(fileExtension: declared) else {
            throw .notAllowedExtension(declared)
        }
        let bytes = ByteView(data)
        if bytes.matches(Signature.zipLocalHeader, at: 0) || bytes.matches(Signature.zipEndOfDirectory, at: 0) {
            var budget = ArchiveBudget(limits: limits)
            let directory = try ZipDirectory.read(bytes, depth: 1, budget: &budget)
            let kind = try agree(declared: declared, declaredKind: declaredKind, candidates: directory.kinds)
            if directory.entries.contains(where: { ActiveContent.isMacroPart($0.name) }) { throw .macros }
            if ActiveContent.hasPDFHeader(data) { throw .polyglot }
            try ZipDirectory.inflateAll(directory, in: bytes, depth: 1, budget: &budget)
            return kind
        }
        let kind = try agree(declared: declared, declaredKind: declaredKind, candidates: sniff(bytes))
        try refuseSecondFormat(data, kind: kind)
        return kind
    }

    /// A file of one kind that another program reads as a PDF, a ZIP or a web page.
    private static func refuseSecondFormat(_ data: Data, kind: AttachmentKind) throws(AttachmentRejection) {
        switch kind {
        case .pdf:
            if ActiveContent.hasZIPDirectory(data) || ActiveContent.hasHTML(data) { throw .polyglot }
        case .rar:
            // An archive may hold anything, a zip included; only a PDF header in front makes it two formats.
            if ActiveContent.hasPDFHeader(data) { throw .polyglot }
        default:
            if ActiveContent.hasPDFHeader(data) || ActiveContent.hasZIPDirectory(data) { throw .polyglot }
        }
    }

    /// The extension of the last path component, lower-cased; browsers (old IE) may send "C:\fakepath\x.pdf".
    static func declaredExtension(of fileName: String) -> String {
        let trimmed = fileName.trimmingCharacters(in: .whitespacesAndNewlines)
        let baseName = trimmed.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? trimmed
        guard let dot = baseName.lastIndex(of: ".") else { return "" }
        return baseName[baseName.index(after: dot)...].lowercased()
    }

    /// `candidates` are the kinds the content may be, best guess first (two only for doc/xls or docx/xlsx
    /// ambiguity); the declared kind wins when it is among them.
    private static func agree(
        declared: String,
        declaredKind: AttachmentKind,
        candidates: [AttachmentKind]
    ) throws(AttachmentRejection) -> AttachmentKind {
        guard let best = candidates.first else { throw .unknownType }
        guard candidates.contains(declaredKind) else {
            throw .extensionMismatch(declared: declared, detected: best)
        }
        return declaredKind
    }

    /// Kinds recognised by signature alone (everything but zip).
    private static func sniff(_ bytes: ByteView) throws(AttachmentRejection) -> [AttachmentKind] {
        if bytes.matches(Signature.pdf, at: 0) { return [.pdf] }
        if bytes.matches(Signature.jpeg, at: 0) { return [.jpg] }
        if bytes.matches(Signature.png, at: 0) { return [.png] }
        if bytes.matches(Signature.tiffLittle, at: 0) || bytes.matches(Signature.tiffBig, at: 0) { return [.tiff] }
        if bytes.matches(Signature.rar4, at: 0) || bytes.matches(Signature.rar5, at: 0) { return [.rar] }
        if bytes.matches(Signature.ole, at: 0) { return try OleDirectory.kinds(bytes) }
        return []
    }
}

// MARK: - Signatures

/// Magic numbers, kept together so a reviewer can check them against the specifications at a glance.
private enum Signature {
    static let pdf: [UInt8] = Array("%PDF-".utf8)
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF]
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let tiffLittle: [UInt8] = [0x49, 0x49, 0x2A, 0x00]
    static let tiffBig: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A]
    static let rar4: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x00]
    static let rar5: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00]
    static let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static let zipLocalHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let zipCentralHeader: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
    static let zipEndOfDirectory: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    static let zip64Locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07]
}

// MARK: - Bounds-checked reading

/// Little-endian reads that answer `nil` instead of trapping: every offset here comes from untrusted headers,
/// and a crash would take the whole server down with the upload.
private struct ByteView {
    let data: Data

    init(_ data: Data) {
        self.data = data
    }

    var count: Int { data.count }

    func uint8(_ offset: Int) -> Int? {
        guard offset >= 0, offset < count else { return nil }
        return Int(data[data.startIndex + offset])
    }

    func uint16(_ offset: Int) -> Int? {
        guard let low = uint8(offset), let high = uint8(offset + 1) else { return nil }
        return low | high << 8
    }

    func uint32(_ offset: Int) -> Int? {
        guard let low = uint16(offset), let high = uint16(offset + 2) else { return nil }
        return low | high << 16
    }

    func matches(_ signature: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset <= count - signature.count else { return false }
        let start = data.startIndex + offset
        return data[start..<start + signature.count].elementsEqual(signature)
    }

    /// A copy of `length` bytes at `offset`, or `nil` if any of them lies outside the data.
    func subdata(at offset: Int, length: Int) -> Data? {
        guard offset >= 0, length >= 0, offset <= count - length else { return nil }
        let start = data.startIndex + offset
        return data.subdata(in: start..<start + length)
    }
}

// MARK: - OLE compound files (.doc / .xls)

/// Tells Word from Excel binaries by their directory entries.
///
/// A directory entry is 128 bytes: the name in UTF-16LE, its byte length (terminator included) at +64 and the
/// object type at +66 (2 = stream). Sectors are 512 or 4096 bytes and the header is sector -1, so every entry
/// starts at a multiple of 128. Matching whole entries, not loose strings, keeps a Word file whose text mentions
/// "Book" from passing for Excel.
private enum OleDirectory {
    private static let entrySize = 128
    private static let storageType = 1
    private static let streamType = 2

    static func kinds(_ bytes: ByteView) throws(AttachmentRejection) -> [AttachmentKind] {
        var isWord = false
        var isExcel = false
        var offset = 512
        while offset <= bytes.count - entrySize {
            // The VBA project is a storage (type 1) in Word ("Macros") and Excel ("_VBA_PROJECT_CUR").
            if bytes.uint8(offset + 66) == storageType || bytes.uint8(offset + 66) == streamType,
                hasName("Macros", at: offset, in: bytes) || hasName("_VBA_PROJECT_CUR", at: offset, in: bytes)
                    || hasName("VBA", at: offset, in: bytes)
            {
                throw .macros
            }
            if bytes.uint8(offset + 66) == streamType {
                if hasName("WordDocument", at: offset, in: bytes) {
                    isWord = true
                } else if hasName("Workbook", at: offset, in: bytes) || hasName("Book", at: offset, in: bytes) {
                    isExcel = true
                } else if hasName("EncryptedPackage", at: offset, in: bytes) {
                    // Office keeps a password-protected docx/xlsx as an encrypted blob inside an OLE file.
                    throw .encryptedArchive
                }
            }
            offset += entrySize
        }
        switch (isWord, isExcel) {
        case (true, true): return [.doc, .xls]
        case (true, false): return [.doc]
        case (false, true): return [.xls]
        case (false, false): return []
        }
    }

    /// Compared case-insensitively because the format defines names that way and some writers upper-case them.
    private static func hasName(_ name: String, at offset: Int, in bytes: ByteView) -> Bool {
        let units = Array(name.utf16)
        guard bytes.uint16(offset + 64) == (units.count + 1) * 2 else { return false }
        for (index, unit) in units.enumerated() {
            guard let low = bytes.uint8(offset + index * 2), bytes.uint8(offset + index * 2 + 1) == 0,
                low | 0x20 == Int(unit) | 0x20
            else { return false }
        }
        return bytes.uint16(offset + units.count * 2) == 0
    }
}

// MARK: - ZIP (zip, docx, xlsx)

/// What one upload may still spend, shared by every nesting level so that a zip of zips cannot multiply it.
private struct ArchiveBudget {
    let limits: AttachmentLimits
    var entries = 0
    var unpackedBytes: Int64 = 0
}

/// One central-directory record, with the offsets already checked against the data.
private struct ZipEntry {
    let name: String
    let method: Int
    let crc32: UInt32
    let compressedSize: Int
    let uncompressedSize: Int
    let dataOffset: Int
}

/// A minimal, strict reader of the ZIP central directory.
///
/// ZIPFoundation is used to confirm the archive is readable and to inflate, but its `extract` trusts header
/// sizes and, on Linux, spins forever on a truncated deflate stream (0.9.20 checked), so the layout is checked
/// here first and the compressed bytes are fed to `Data.decompress` by a provider that stops at the entry's end.
private struct ZipDirectory {
    static let stored = 0
    static let deflated = 8
    /// WinZip AES marks its entries with this method instead of (or besides) the encryption flag.
    static let aesEncrypted = 99
    static let readChunkSize = 64 * 1024
    static let ratioFloor = 1_048_576

    let entries: [ZipEntry]

    /// What the archive is, from its entry names; Office part names are case-insensitive.
    var kinds: [AttachmentKind] {
        let names = Set(entries.map { $0.name.lowercased() })
        guard names.contains("[content_types].xml") else { return [.zip] }
        var kinds: [AttachmentKind] = []
        if names.contains("word/document.xml") { kinds.append(.docx) }
        if names.contains("xl/workbook.xml") { kinds.append(.xlsx) }
        return kinds.isEmpty ? [.zip] : kinds
    }

    /// Reads and checks the directory of the archive at nesting level `depth` (the upload is level 1).
    static func read(
        _ bytes: ByteView,
        depth: Int,
        budget: inout ArchiveBudget
    ) throws(AttachmentRejection) -> ZipDirectory {
        guard depth <= budget.limits.maxNestingDepth else { throw .nestedTooDeep }
        let end = try EndRecord(bytes)
        guard end.entryCount <= budget.limits.maxEntries - budget.entries else { throw .tooManyEntries }
        budget.entries += end.entryCount
        var entries: [ZipEntry] = []
        entries.reserveCapacity(end.entryCount)
        var offset = end.directoryOffset
        let directoryEnd = end.directoryOffset + end.directorySize
        for _ in 0..<end.entryCount {
            let (entry, next) = try readEntry(
                bytes, at: offset, directoryEnd: directoryEnd, dataEnd: end.directoryOffset)
            entries.append(entry)
            offset = next
        }
        guard zipFoundationAgrees(bytes.data, entryCount: entries.count) else { throw .corruptArchive }
        return ZipDirectory(entries: entries)
    }

    /// The end-of-central-directory record, refusing the variants ZIPFoundation would misread.
    private struct EndRecord {
        let entryCount: Int
        let directorySize: Int
        let directoryOffset: Int

        init(_ bytes: ByteView) throws(AttachmentRejection) {
            // The record is 22 bytes plus a comment of at most 65,535; ZIPFoundation takes the last signature.
            var offset = bytes.count - 22
            let lowest = max(0, bytes.count - 22 - 65_535)
            while offset >= lowest, !bytes.matches(Signature.zipEndOfDirectory, at: offset) {
                offset -= 1
            }
            guard offset >= lowest, let disk = bytes.uint16(offset + 4), let directoryDisk = bytes.uint16(offset + 6),
                let entriesOnDisk = bytes.uint16(offset + 8), let entryCount = bytes.uint16(offset + 10),
                let directorySize = bytes.uint32(offset + 12), let directoryOffset = bytes.uint32(offset + 16),
                let commentLength = bytes.uint16(offset + 20), offset + 22 + commentLength <= bytes.count
            else { throw .corruptArchive }
            // Multi-disk and zip64 archives: never needed below the upload limit, and zip64 offsets are where
            // ZIPFoundation converts untrusted 64-bit values without checks.
            let isZip64 =
                entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
                || bytes.matches(Signature.zip64Locator, at: offset - 20)
            guard !isZip64, disk == 0, directoryDisk == 0, entriesOnDisk == entryCount,
                directoryOffset + directorySize <= offset
            else { throw .corruptArchive }
            self.entryCount = entryCount
            self.directorySize = directorySize
            self.directoryOffset = directoryOffset
        }
    }

    /// One central-directory record and its local header; returns the offset of the next record.
    private static func readEntry(
        _ bytes: ByteView,
        at offset: Int,
        directoryEnd: Int,
        dataEnd: Int
    ) throws(AttachmentRejection) -> (ZipEntry, Int) {
        guard bytes.matches(Signature.zipCentralHeader, at: offset), let flags = bytes.uint16(offset + 8),
            let method = bytes.uint16(offset + 10), let crc32 = bytes.uint32(offset + 16),
            let compressedSize = bytes.uint32(offset + 20), let uncompressedSize = bytes.uint32(offset + 24),
            let nameLength = bytes.uint16(offset + 28), let extraLength = bytes.uint16(offset + 30),
            let commentLength = bytes.uint16(offset + 32), let diskStart = bytes.uint16(offset + 34),
            let localOffset = bytes.uint32(offset + 42)
        else { throw .corruptArchive }
        let next = offset + 46 + nameLength + extraLength + commentLength
        guard next <= directoryEnd, let nameData = bytes.subdata(at: offset + 46, length: nameLength) else {
            throw .corruptArchive
        }
        guard compressedSize != 0xFFFF_FFFF, uncompressedSize != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF,
            diskStart == 0
        else { throw .corruptArchive }
        guard bytes.matches(Signature.zipLocalHeader, at: localOffset), let localFlags = bytes.uint16(localOffset + 6),
            let localMethod = bytes.uint16(localOffset + 8), let localCompressed = bytes.uint32(localOffset + 18),
            let localUncompressed = bytes.uint32(localOffset + 22),
            let localNameLength = bytes.uint16(localOffset + 26),
            let localExtraLength = bytes.uint16(localOffset + 28)
        else { throw .corruptArchive }
        // Bit 0 is "encrypted"; bit 6 (strong encryption) always comes with it.
        if (flags | localFlags) & 1 != 0 || method == aesEncrypted { throw .encryptedArchive }
        // Other unzip tools read the local header; if it disagrees, what we checked is not what they extract.
        guard method == localMethod, method == stored || method == deflated,
            localCompressed != 0xFFFF_FFFF, localUncompressed != 0xFFFF_FFFF
        else { throw .corruptArchive }
        let dataOffset = localOffset + 30 + localNameLength + localExtraLength
        guard dataOffset + compressedSize <= dataEnd else { throw .corruptArchive }
        let entry = ZipEntry(
            name: String(decoding: nameData, as: UTF8.self), method: method, crc32: UInt32(crc32),
            compressedSize: compressedSize, uncompressedSize: uncompressedSize, dataOffset: dataOffset)
        return (entry, next)
    }

    /// ZIPFoundation's iterator stops silently at a record it cannot read, so counting what it yields
    /// tells whether the rest of the application (which uses ZIPFoundation) would see the same archive.
    private static func zipFoundationAgrees(_ data: Data, entryCount: Int) -> Bool {
        let archive: Archive
        do {
            // `pathEncoding:` picks the throwing initializer over the deprecated failable one.
            archive = try Archive(data: data, accessMode: .read, pathEncoding: nil)
        } catch {
            return false
        }
        var seen = 0
        for _ in archive {
            seen += 1
            if seen > entryCount { return false }
        }
        return seen == entryCount
    }

    /// Inflates every entry of `directory`, counting bytes against `budget`, and recurses into nested zips.
    static func inflateAll(
        _ directory: ZipDirectory,
        in bytes: ByteView,
        depth: Int,
        budget: inout ArchiveBudget
    ) throws(AttachmentRejection) {
        for entry in directory.entries {
            if let nested = try inflate(entry, in: bytes, depth: depth, budget: &budget) {
                let nestedBytes = ByteView(nested)
                let nestedDirectory = try read(nestedBytes, depth: depth + 1, budget: &budget)
                try inflateAll(nestedDirectory, in: nestedBytes, depth: depth + 1, budget: &budget)
            }
        }
    }

    /// Inflates one entry; returns its content when it is itself a zip, so the caller can look inside.
    private static func inflate(
        _ entry: ZipEntry,
        in bytes: ByteView,
        depth: Int,
        budget: inout ArchiveBudget
    ) throws(AttachmentRejection) -> Data? {
        guard entry.compressedSize > 0 else {
            // Directories and empty files; a deflate stream cannot be empty, so nothing is hidden here.
            guard entry.uncompressedSize == 0 else { throw .corruptArchive }
            return nil
        }
        guard let compressed = bytes.subdata(at: entry.dataOffset, length: entry.compressedSize) else {
            throw .corruptArchive
        }
        var sink = EntrySink(compressedSize: entry.compressedSize, depth: depth)
        let checksum: CRC32
        do {
            if entry.method == stored {
                var position = 0
                while position < compressed.count {
                    let end = min(compressed.count, position + readChunkSize)
                    try sink.consume(compressed.subdata(in: position..<end), budget: &budget)
                    position = end
                }
                checksum = compressed.crc32(checksum: 0)
            } else {
                checksum = try Data.decompress(
                    size: Int64(compressed.count), bufferSize: readChunkSize, skipCRC32: false,
                    provider: { position, size in try boundedChunk(of: compressed, at: position, size: size) },
                    consumer: { chunk in try sink.consume(chunk, budget: &budget) })
            }
        } catch let rejection as AttachmentRejection {
            throw rejection
        } catch {
            throw .corruptArchive
        }
        // Checked after the limits so a lying header reads as a bomb, not as mere corruption.
        guard sink.produced == Int64(entry.uncompressedSize), checksum == entry.crc32 else {
            throw .corruptArchive
        }
        return sink.nestedArchive
    }

    /// Serves the entry's compressed bytes and nothing past them.
    ///
    /// ZIPFoundation's Linux inflater always asks for `size` bytes and hands zlib that many, so the last chunk
    /// is padded with zeros rather than returned short; a stream that needs more than the entry holds gets an
    /// error instead of the endless loop an empty read would cause. Zeros that happen to complete a truncated
    /// stream are caught afterwards by the CRC and size check.
    private static func boundedChunk(of compressed: Data, at position: Int64, size: Int) throws -> Data {
        guard size > 0 else { return Data() }
        guard position >= 0, position < Int64(compressed.count) else { throw AttachmentRejection.corruptArchive }
        let start = Int(position)
        let end = min(compressed.count, start + size)
        var chunk = compressed.subdata(in: start..<end)
        if chunk.count < size {
            chunk.append(Data(count: size - chunk.count))
        }
        return chunk
    }
}

/// Counts one entry's inflated bytes as they stream out, and keeps them only if they form a nested zip.
private struct EntrySink {
    let compressedSize: Int
    let depth: Int
    private(set) var produced: Int64 = 0
    private(set) var nestedArchive: Data?
    /// The first bytes, until there are enough to tell whether the entry is a zip.
    private var head = Data()
    private var headDecided = false

    init(compressedSize: Int, depth: Int) {
        self.compressedSize = compressedSize
        self.depth = depth
    }

    mutating func consume(_ chunk: Data, budget: inout ArchiveBudget) throws(AttachmentRejection) {
        let limits = budget.limits
        produced += Int64(chunk.count)
        budget.unpackedBytes += Int64(chunk.count)
        guard budget.unpackedBytes <= limits.maxUnpackedBytes else { throw .archiveBomb }
        // The ratio only grows as output grows, so stopping as soon as it is exceeded loses nothing.
        if produced > Int64(ZipDirectory.ratioFloor),
            Double(produced) > limits.maxCompressionRatio * Double(compressedSize)
        {
            throw .archiveBomb
        }
        if var nested = nestedArchive {
            nestedArchive = nil  // keeps the buffer uniquely referenced, so appending does not copy it
            nested.append(chunk)
            // Holding more than a whole upload may weigh is what a bomb wants us to do.
            guard nested.count <= limits.maxBytes else { throw .archiveBomb }
            nestedArchive = nested
        } else if !headDecided {
            head.append(chunk)
            guard head.count >= 4 else { return }
            headDecided = true
            let view = ByteView(head)
            guard view.matches(Signature.zipLocalHeader, at: 0) || view.matches(Signature.zipEndOfDirectory, at: 0)
            else {
                head = Data()
                return
            }
            guard depth < limits.maxNestingDepth else { throw .nestedTooDeep }
            guard head.count <= limits.maxBytes else { throw .archiveBomb }
            nestedArchive = head
            head = Data()
        }
    }
}
