import Foundation
import Testing
import ZIPFoundation

@testable import ThadsApp

// MARK: - Fixtures

private let mebibyte = 1_048_576

let minimalPDF = Data(
    """
    %PDF-1.4
    1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
    2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
    trailer << /Root 1 0 R >>
    %%EOF
    """.utf8)

/// SOI, an APP0/JFIF segment and EOI: enough for the signature check, which is all the inspector reads.
private let minimalJPEG = Data([
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
    0x00, 0x00, 0xFF, 0xD9,
])

/// A Windows executable: "MZ" and a DOS stub.
let windowsExecutable = Data("MZ".utf8) + Data(count: 62) + Data("This program cannot be run in DOS mode.".utf8)

/// Builds a zip in memory with ZIPFoundation, as a real user's tool would.
private func makeZip(_ entries: [(String, Data)], method: CompressionMethod = .deflate) throws -> Data {
    let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
    for (path, content) in entries {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(content.count), compressionMethod: method,
            provider: { position, size in content.subdata(in: Int(position)..<Int(position) + size) })
    }
    return try #require(archive.data)
}

/// A zip with one entry of `size` zero bytes, streamed to ZIPFoundation so the zeros never sit in memory.
func makeZeroZip(size: Int, name: String = "zeros.bin") throws -> Data {
    let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
    try archive.addEntry(
        with: name, type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
        bufferSize: 256 * 1024, provider: { _, chunk in Data(count: chunk) })
    return try #require(archive.data)
}

private func makeDocx() throws -> Data {
    try makeZip([
        ("[Content_Types].xml", Data("<Types/>".utf8)),
        ("_rels/.rels", Data("<Relationships/>".utf8)),
        ("word/document.xml", Data("<w:document><w:body><w:p/></w:body></w:document>".utf8)),
    ])
}

private func makeXlsx() throws -> Data {
    try makeZip([
        ("[Content_Types].xml", Data("<Types/>".utf8)),
        ("_rels/.rels", Data("<Relationships/>".utf8)),
        ("xl/workbook.xml", Data("<workbook><sheets/></workbook>".utf8)),
        ("xl/worksheets/sheet1.xml", Data("<worksheet/>".utf8)),
    ])
}

/// Bytes that do not compress, from a fixed-seed generator so every run sees the same data.
private func incompressible(_ count: Int) -> Data {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var words = [UInt64](repeating: 0, count: (count + 7) / 8)
    for index in words.indices {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        words[index] = state
    }
    return words.withUnsafeBytes { Data($0.prefix(count)) }
}

/// A minimal OLE compound file: the 512-byte header, then one directory sector holding the root entry and one
/// stream entry per name (UTF-16LE name, its byte length at +64, object type at +66).
private func makeOLE(streams: [String]) -> Data {
    var file = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + Data(count: 504)
    func entry(_ name: String, type: UInt8) -> Data {
        var record = Data(count: 128)
        let units = Array(name.utf16)
        for (index, unit) in units.enumerated() {
            record[index * 2] = UInt8(unit & 0xFF)
            record[index * 2 + 1] = UInt8(unit >> 8)
        }
        let length = (units.count + 1) * 2
        record[64] = UInt8(length & 0xFF)
        record[65] = UInt8(length >> 8)
        record[66] = type
        return record
    }
    var sector = entry("Root Entry", type: 5)
    for name in streams {
        sector += entry(name, type: 2)
    }
    sector += Data(count: 512 - sector.count % 512)
    file += sector
    return file
}

/// One entry of a hand-built zip, for the malformed archives no well-behaved tool writes.
private struct RawEntry {
    var name: String
    var method: UInt16 = 8
    var flags: UInt16 = 0
    var payload: Data
    var crc32: UInt32
    var uncompressedSize: Int

    /// A deflated entry whose headers tell the truth.
    init(name: String, content: Data) throws {
        self.name = name
        var deflated = Data()
        crc32 = try Data.compress(
            size: Int64(content.count), bufferSize: 64 * 1024,
            provider: { position, size in content.subdata(in: Int(position)..<Int(position) + size) },
            consumer: { deflated.append($0) })
        payload = deflated
        uncompressedSize = content.count
    }
}

private func littleEndian16(_ value: Int) -> Data {
    Data([UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)])
}

private func littleEndian32(_ value: Int) -> Data {
    littleEndian16(value & 0xFFFF) + littleEndian16((value >> 16) & 0xFFFF)
}

/// Lays out local headers, data, central directory and end record exactly as written in `entries`.
private func makeRawZip(_ entries: [RawEntry], beforeEndRecord: Data = Data()) -> Data {
    var zip = Data()
    var central = Data()
    for entry in entries {
        let name = Data(entry.name.utf8)
        let common =
            littleEndian16(Int(entry.flags)) + littleEndian16(Int(entry.method)) + littleEndian32(0)
            + littleEndian32(Int(entry.crc32)) + littleEndian32(entry.payload.count)
            + littleEndian32(entry.uncompressedSize) + littleEndian16(name.count) + littleEndian16(0)
        central += Data([0x50, 0x4B, 0x01, 0x02]) + littleEndian16(20) + littleEndian16(20) + common
        central += littleEndian16(0) + littleEndian16(0) + littleEndian16(0) + littleEndian32(0)
        central += littleEndian32(zip.count) + name
        zip += Data([0x50, 0x4B, 0x03, 0x04]) + littleEndian16(20) + common + name + entry.payload
    }
    let directoryOffset = zip.count
    zip += central + beforeEndRecord
    zip += Data([0x50, 0x4B, 0x05, 0x06]) + littleEndian16(0) + littleEndian16(0)
    zip += littleEndian16(entries.count) + littleEndian16(entries.count)
    zip += littleEndian32(central.count) + littleEndian32(directoryOffset) + littleEndian16(0)
    return zip
}

private func inspect(_ data: Data, _ fileName: String, _ limits: AttachmentLimits = .init()) throws
    -> AttachmentKind
{
    try AttachmentInspector.inspect(data, fileName: fileName, limits: limits)
}

// MARK: - Accepted files

@Suite("AttachmentInspector: accepted files")
struct AttachmentInspectorAcceptTests {
    @Test func pdf() throws {
        #expect(try inspect(minimalPDF, "ban-an.pdf") == .pdf)
    }

    @Test func jpegUnderBothExtensionsAndAnyCase() throws {
        #expect(try inspect(minimalJPEG, "anh.jpg") == .jpg)
        #expect(try inspect(minimalJPEG, "ANH CHUP.JPEG") == .jpg)
        #expect(try inspect(minimalJPEG, "C:\\fakepath\\anh.Jpg") == .jpg)
    }

    @Test func plainZip() throws {
        let zip = try makeZip([("a.txt", Data("xin chào".utf8)), ("thu-muc/b.pdf", minimalPDF)])
        #expect(try inspect(zip, "ho-so.zip") == .zip)
    }

    @Test func storedZip() throws {
        let zip = try makeZip([("a.txt", Data("xin chào".utf8))], method: .none)
        #expect(try inspect(zip, "ho-so.zip") == .zip)
    }

    @Test func docx() throws {
        #expect(try inspect(try makeDocx(), "quyet-dinh.docx") == .docx)
    }

    @Test func xlsx() throws {
        #expect(try inspect(try makeXlsx(), "bang-ke.xlsx") == .xlsx)
    }

    @Test func oleWordAndExcel() throws {
        #expect(try inspect(makeOLE(streams: ["1Table", "WordDocument"]), "don.doc") == .doc)
        #expect(try inspect(makeOLE(streams: ["Workbook"]), "so-lieu.xls") == .xls)
        #expect(try inspect(makeOLE(streams: ["Book"]), "excel95.xls") == .xls)
    }

    @Test func oleWithBothStreamsTakesTheDeclaredOne() throws {
        let both = makeOLE(streams: ["WordDocument", "Workbook"])
        #expect(try inspect(both, "a.doc") == .doc)
        #expect(try inspect(both, "a.xls") == .xls)
    }

    @Test func rarSignatures() throws {
        let rar4 = Data([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x00]) + Data(count: 32)
        let rar5 = Data([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00]) + Data(count: 32)
        #expect(try inspect(rar4, "cu.rar") == .rar)
        #expect(try inspect(rar5, "moi.rar") == .rar)
    }

    @Test func zipTwoLevelsDeepIsAllowed() throws {
        let inner = try makeZip([("a.txt", Data("a".utf8))])
        let outer = try makeZip([("inner.zip", inner)])
        #expect(try inspect(outer, "ho-so.zip") == .zip)
    }

    @Test func incompressibleEntryAboveRatioFloorPasses() throws {
        let zip = try makeZip([("scan.bin", incompressible(2 * mebibyte))])
        #expect(try inspect(zip, "scan.zip") == .zip)
    }

    @Test func smallHighlyCompressibleEntryPasses() throws {
        // Under 1 MiB inflated the ratio is not judged: an empty sheet compresses that well too.
        #expect(try inspect(try makeZeroZip(size: 512 * 1024), "nho.zip") == .zip)
    }

    @Test func exactlyMaxEntriesPasses() throws {
        var limits = AttachmentLimits()
        limits.maxEntries = 5
        let zip = try makeZip((1...5).map { ("f\($0).txt", Data("\($0)".utf8)) })
        #expect(try inspect(zip, "nam.zip", limits) == .zip)
    }
}

// MARK: - Refused files

@Suite("AttachmentInspector: refused files")
struct AttachmentInspectorRejectTests {
    @Test func empty() {
        #expect(throws: AttachmentRejection.empty) { try inspect(Data(), "trong.pdf") }
    }

    @Test func tooLarge() {
        var limits = AttachmentLimits()
        limits.maxBytes = 1024
        let big = minimalPDF + Data(count: 1024)
        #expect(throws: AttachmentRejection.tooLarge(limit: 1024)) { try inspect(big, "lon.pdf", limits) }
    }

    @Test func executableRenamedToPDFIsUnknown() {
        #expect(throws: AttachmentRejection.unknownType) { try inspect(windowsExecutable, "ban-an.pdf") }
    }

    @Test func oleThatIsNeitherWordNorExcelIsUnknown() {
        let powerPoint = makeOLE(streams: ["PowerPoint Document", "Current User"])
        #expect(throws: AttachmentRejection.unknownType) { try inspect(powerPoint, "trinh-chieu.doc") }
    }

    @Test func pdfRenamedToDocxIsAMismatch() {
        #expect(throws: AttachmentRejection.extensionMismatch(declared: "docx", detected: .pdf)) {
            try inspect(minimalPDF, "quyet-dinh.docx")
        }
    }

    @Test func otherMismatches() throws {
        let zip = try makeZip([("a.txt", Data("a".utf8))])
        #expect(throws: AttachmentRejection.extensionMismatch(declared: "docx", detected: .zip)) {
            try inspect(zip, "gia.docx")
        }
        let docx = try makeDocx()
        #expect(throws: AttachmentRejection.extensionMismatch(declared: "xlsx", detected: .docx)) {
            try inspect(docx, "bang.xlsx")
        }
        #expect(throws: AttachmentRejection.extensionMismatch(declared: "doc", detected: .xls)) {
            try inspect(makeOLE(streams: ["Workbook"]), "don.doc")
        }
        #expect(throws: AttachmentRejection.extensionMismatch(declared: "jpeg", detected: .pdf)) {
            try inspect(minimalPDF, "anh.jpeg")
        }
    }

    @Test func extensionOutsideTheLaw() {
        #expect(throws: AttachmentRejection.notAllowedExtension("txt")) { try inspect(minimalPDF, "ghi-chu.txt") }
        #expect(throws: AttachmentRejection.notAllowedExtension("")) { try inspect(minimalPDF, "khong-duoi") }
        #expect(throws: AttachmentRejection.notAllowedExtension("exe")) { try inspect(windowsExecutable, "a.EXE") }
    }

    @Test func zipBombOverTotalLimit() throws {
        // 50 MiB of zeros against a 10 MiB budget: refused after inflating about 10 MiB, not 50. The ratio rule
        // is switched off so that only the total budget can be what catches it.
        var limits = AttachmentLimits()
        limits.maxUnpackedBytes = 10 * Int64(mebibyte)
        limits.maxCompressionRatio = .infinity
        let bomb = try makeZeroZip(size: 50 * mebibyte)
        #expect(bomb.count < limits.maxBytes)
        #expect(throws: AttachmentRejection.archiveBomb) { try inspect(bomb, "bom.zip", limits) }
    }

    @Test func totalLimitAloneAcrossEntries() throws {
        // Each entry is harmless (stored, ratio 1); together they exceed the budget.
        var limits = AttachmentLimits()
        limits.maxUnpackedBytes = 10 * Int64(mebibyte)
        limits.maxCompressionRatio = .infinity
        let part = incompressible(4 * mebibyte)
        let zip = try makeZip([("1.bin", part), ("2.bin", part), ("3.bin", part)], method: .none)
        #expect(throws: AttachmentRejection.archiveBomb) { try inspect(zip, "ba-phan.zip", limits) }
    }

    @Test func compressionRatioAlone() throws {
        // 5 MiB of zeros is far below the 200 MiB budget, but deflates about 1000:1.
        let bomb = try makeZeroZip(size: 5 * mebibyte)
        #expect(throws: AttachmentRejection.archiveBomb) { try inspect(bomb, "ti-le.zip") }
    }

    @Test func bombInsideADocx() throws {
        let docx = try makeZip([
            ("[Content_Types].xml", Data("<Types/>".utf8)),
            ("word/document.xml", Data(count: 5 * mebibyte)),
        ])
        #expect(throws: AttachmentRejection.archiveBomb) { try inspect(docx, "bom.docx") }
    }

    @Test func headersThatLieAboutSizeAreNotTrusted() throws {
        // The directory claims 10 bytes; the stream inflates to 5 MiB. Only counting catches it.
        var entry = try RawEntry(name: "nho.txt", content: Data(count: 5 * mebibyte))
        entry.uncompressedSize = 10
        var limits = AttachmentLimits()
        limits.maxUnpackedBytes = 2 * Int64(mebibyte)
        limits.maxCompressionRatio = .infinity
        #expect(throws: AttachmentRejection.archiveBomb) { try inspect(makeRawZip([entry]), "noi-doi.zip", limits) }
    }

    @Test func nestedThreeLevelsDeep() throws {
        let level3 = try makeZip([("a.txt", Data("a".utf8))])
        let level2 = try makeZip([("level3.zip", level3)])
        let level1 = try makeZip([("level2.zip", level2)])
        #expect(throws: AttachmentRejection.nestedTooDeep) { try inspect(level1, "long-nhau.zip") }
    }

    @Test func nestedZipIsFoundByContentNotName() throws {
        let bomb = try makeZeroZip(size: 5 * mebibyte)
        let outer = try makeZip([("bao-cao.pdf", bomb)])
        #expect(throws: AttachmentRejection.archiveBomb) { try inspect(outer, "ho-so.zip") }
    }

    @Test func tooManyEntries() throws {
        var limits = AttachmentLimits()
        limits.maxEntries = 5
        let zip = try makeZip((1...6).map { ("f\($0).txt", Data("\($0)".utf8)) })
        #expect(throws: AttachmentRejection.tooManyEntries) { try inspect(zip, "sau.zip", limits) }
    }

    @Test func entriesOfNestedArchivesCount() throws {
        var limits = AttachmentLimits()
        limits.maxEntries = 5
        let inner = try makeZip((1...4).map { ("f\($0).txt", Data("\($0)".utf8)) })
        let outer = try makeZip([("inner.zip", inner), ("x.txt", Data("x".utf8))])
        #expect(throws: AttachmentRejection.tooManyEntries) { try inspect(outer, "tong.zip", limits) }
    }

    @Test func truncatedZip() throws {
        let zip = try makeZip([("a.txt", Data(String(repeating: "thi hành án ", count: 200).utf8))])
        #expect(throws: AttachmentRejection.corruptArchive) { try inspect(zip.prefix(zip.count / 2), "cut.zip") }
        #expect(throws: AttachmentRejection.corruptArchive) { try inspect(zip.prefix(zip.count - 5), "cut.zip") }
    }

    @Test(.timeLimit(.minutes(1)))
    func truncatedDeflateStreamEndsInsteadOfSpinning() throws {
        // Valid layout, but the deflate stream stops half-way: ZIPFoundation's own extract loops forever on this.
        var entry = try RawEntry(name: "nua.txt", content: incompressible(200 * 1024))
        entry.payload = entry.payload.prefix(entry.payload.count / 2)
        #expect(throws: AttachmentRejection.corruptArchive) { try inspect(makeRawZip([entry]), "nua.zip") }
    }

    @Test func wrongChecksum() throws {
        var entry = try RawEntry(name: "a.txt", content: Data("nội dung".utf8))
        entry.crc32 ^= 1
        #expect(throws: AttachmentRejection.corruptArchive) { try inspect(makeRawZip([entry]), "crc.zip") }
    }

    @Test func unsupportedCompressionMethod() throws {
        var entry = try RawEntry(name: "a.txt", content: Data("bzip2?".utf8))
        entry.method = 12
        #expect(throws: AttachmentRejection.corruptArchive) { try inspect(makeRawZip([entry]), "bz.zip") }
    }

    @Test func zip64IsRefused() throws {
        let entry = try RawEntry(name: "a.txt", content: Data("a".utf8))
        let locator = Data([0x50, 0x4B, 0x06, 0x07]) + Data(count: 16)
        let zip = makeRawZip([entry], beforeEndRecord: locator)
        #expect(throws: AttachmentRejection.corruptArchive) { try inspect(zip, "z64.zip") }
    }

    @Test func encryptedEntries() throws {
        var zipCrypto = try RawEntry(name: "mat.txt", content: Data("bí mật".utf8))
        zipCrypto.flags = 1
        #expect(throws: AttachmentRejection.encryptedArchive) { try inspect(makeRawZip([zipCrypto]), "mk.zip") }
        var aes = try RawEntry(name: "mat.txt", content: Data("bí mật".utf8))
        aes.method = 99
        #expect(throws: AttachmentRejection.encryptedArchive) { try inspect(makeRawZip([aes]), "aes.zip") }
    }

    @Test func passwordProtectedOfficeFile() {
        let encrypted = makeOLE(streams: ["EncryptionInfo", "EncryptedPackage"])
        #expect(throws: AttachmentRejection.encryptedArchive) { try inspect(encrypted, "mat-khau.docx") }
    }
}

// MARK: - Kinds and messages

@Suite("AttachmentInspector: kinds and messages")
struct AttachmentInspectorMessageTests {
    @Test func kindMetadata() {
        #expect(AttachmentKind.jpg.fileExtensions == ["jpg", "jpeg"])
        #expect(
            AttachmentKind.docx.mimeType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        #expect(AttachmentKind.xlsx.mimeType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(AttachmentKind.rar.mimeType == "application/vnd.rar")
        #expect(AttachmentKind.jpg.label == "Ảnh JPEG")
        #expect(AttachmentKind(fileExtension: "jpeg") == .jpg)
        #expect(AttachmentKind(fileExtension: "exe") == nil)
        for kind in AttachmentKind.allCases {
            #expect(!kind.label.isEmpty)
            #expect(!kind.mimeType.isEmpty)
            #expect(kind.fileExtensions.first == kind.rawValue)
        }
    }

    @Test(arguments: [
        AttachmentRejection.empty, .tooLarge(limit: 20 * 1_048_576), .unknownType,
        .extensionMismatch(declared: "docx", detected: .pdf), .notAllowedExtension("txt"), .notAllowedExtension(""),
        .archiveBomb, .tooManyEntries, .nestedTooDeep, .corruptArchive, .encryptedArchive, .polyglot, .macros,
    ])
    func everyMessageIsVietnamese(_ rejection: AttachmentRejection) {
        let message = rejection.message
        #expect(!message.isEmpty)
        #expect(message.lowercased().contains("tệp"))
        #expect(message.unicodeScalars.contains { !$0.isASCII })
    }

    @Test func messagesNameTheirLimitAndDetails() {
        #expect(AttachmentRejection.tooLarge(limit: 20 * 1_048_576).message.contains("20 MB"))
        #expect(AttachmentRejection.tooLarge(limit: 512 * 1024).message.contains("0,5 MB"))
        let mismatch = AttachmentRejection.extensionMismatch(declared: "docx", detected: .pdf).message
        #expect(mismatch.contains(".docx") && mismatch.contains("PDF"))
        #expect(AttachmentRejection.notAllowedExtension("txt").message.contains(".txt"))
        #expect(AttachmentRejection.archiveBomb.message.contains("bom nén"))
        let unknown = AttachmentRejection.unknownType.message
        #expect(unknown.contains(".pdf, .jpg, .doc, .docx, .xls, .xlsx, .rar, .zip"))
    }

    @Test func declaredExtension() {
        #expect(AttachmentInspector.declaredExtension(of: " Bản án.PDF ") == "pdf")
        #expect(AttachmentInspector.declaredExtension(of: "C:\\fakepath\\a.b.docx") == "docx")
        #expect(AttachmentInspector.declaredExtension(of: "thu-muc.zip/khong-duoi") == "")
    }

    // MARK: Polyglots and macros (issue 16)

    @Test func aPDFWithAZipAppendedIsRefused() throws {
        let zip = try makeZip([("a.txt", Data("xin chào".utf8))])
        #expect(throws: AttachmentRejection.polyglot) {
            try AttachmentInspector.inspect(minimalPDF + zip, fileName: "ban-an.pdf")
        }
    }

    @Test func aZipThatAlsoStartsAPDFIsRefused() throws {
        // PDF readers look for "%PDF-" in the first 1024 bytes: here it is the first entry's content, stored.
        let zip = try makeZip([("a.pdf", minimalPDF)], method: .none)
        #expect(throws: AttachmentRejection.polyglot) {
            try AttachmentInspector.inspect(zip, fileName: "ho-so.zip")
        }
    }

    @Test func aPDFCarryingHTMLIsRefused() {
        for markup in ["<html><body>x</body></html>", "<SCRIPT>alert(1)</SCRIPT>", "<!DOCTYPE html>", "<iframe src=x>"]
        {
            let polyglot = minimalPDF + Data(markup.utf8)
            #expect(throws: AttachmentRejection.polyglot, "\(markup)") {
                try AttachmentInspector.inspect(polyglot, fileName: "ban-an.pdf")
            }
        }
    }

    @Test func aJPEGWithAZipAppendedIsRefused() throws {
        let zip = try makeZip([("a.txt", Data("x".utf8))])
        #expect(throws: AttachmentRejection.polyglot) {
            try AttachmentInspector.inspect(minimalJPEG + zip, fileName: "anh.jpg")
        }
    }

    @Test func anOrdinaryPDFStillPasses() throws {
        let text = minimalPDF + Data("% so sánh a < b, <b>không phải HTML</b> PK".utf8)
        #expect(try AttachmentInspector.inspect(text, fileName: "ban-an.pdf") == .pdf)
    }

    @Test func officeFilesWithAVBAProjectAreRefused() throws {
        let docm = try makeZip([
            ("[Content_Types].xml", Data("<Types/>".utf8)),
            ("word/document.xml", Data("<w:document/>".utf8)),
            ("word/vbaProject.bin", Data("VBA".utf8)),
        ])
        #expect(throws: AttachmentRejection.macros) { try AttachmentInspector.inspect(docm, fileName: "don.docx") }
        let xlsm = try makeZip([
            ("[Content_Types].xml", Data("<Types/>".utf8)),
            ("xl/workbook.xml", Data("<workbook/>".utf8)),
            ("xl/VBAPROJECT.BIN", Data("VBA".utf8)),
        ])
        #expect(throws: AttachmentRejection.macros) { try AttachmentInspector.inspect(xlsm, fileName: "so.xlsx") }
        #expect(throws: AttachmentRejection.macros) {
            try AttachmentInspector.inspect(try makeDocx(), fileName: "don.docm")
        }
        #expect(throws: AttachmentRejection.macros) {
            try AttachmentInspector.inspect(try makeXlsx(), fileName: "so.xlsm")
        }
        #expect(throws: AttachmentRejection.macros) {
            try AttachmentInspector.inspect(makeOLE(streams: ["WordDocument", "Macros"]), fileName: "cu.doc")
        }
        #expect(throws: AttachmentRejection.macros) {
            try AttachmentInspector.inspect(makeOLE(streams: ["Workbook", "_VBA_PROJECT_CUR"]), fileName: "cu.xls")
        }
        #expect(AttachmentRejection.macros.message.contains("macro"))
        #expect(AttachmentRejection.polyglot.message.contains("hai định dạng"))
    }
}
