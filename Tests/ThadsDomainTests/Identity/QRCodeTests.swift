import Foundation
import Testing

@testable import ThadsDomain

// MARK: - A real decoder: zbarimg (Debian/Ubuntu package zbar-tools)

enum ZBar {
    static let installHint =
        "zbarimg was not found. The QR code tests decode rendered images with a real decoder; "
        + "install it with `apt-get install -y zbar-tools` (macOS: `brew install zbar`)."

    static let executable: String? = {
        var directories = (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map(String.init)
        directories += ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/bin"]
        for directory in directories {
            let path = directory + "/zbarimg"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// Writes `image` to a temporary file and returns the raw bytes zbarimg decodes from it.
    static func decode(_ image: [UInt8], fileExtension: String) throws -> [UInt8] {
        let zbarimg = try #require(executable, Comment(rawValue: installHint))
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("thads-qr-\(UUID().uuidString).\(fileExtension)")
        try Data(image).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: zbarimg)
        // -Sbinary: output the symbol's bytes as they are, without guessing a character set.
        // -Sdisable first: zbarimg otherwise also reads one-dimensional symbologies, and a QR
        // code's modules now and then look like an Interleaved 2 of 5 bar code to it, whose
        // digits it then appends to the QR code's bytes.
        process.arguments = [
            "--raw", "-q", "-Sdisable", "-Sqrcode.enable", "-Sbinary", url.path,
        ]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(
            process.terminationStatus == 0,
            "zbarimg exit \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        return Array(output)
    }

    static func decodeText(_ code: QRCode, png: Bool = false) throws -> String {
        let bytes =
            png
            ? try decode(code.png(moduleSize: 4), fileExtension: "png")
            : try decode(code.pgm(moduleSize: 4), fileExtension: "pgm")
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Deterministic test text of `length` characters, ASCII or Vietnamese.
func sampleText(length: Int, vietnamese: Bool) -> String {
    let source =
        vietnamese
        ? "Cộng hoà xã hội chủ nghĩa Việt Nam — Độc lập, Tự do, Hạnh phúc. Quyết định thi hành án số 123/QĐ-CCTHADS ngày 01/02/2024; người phải thi hành án: Nguyễn Văn Đức. "
        : "The quick brown fox jumps over the lazy dog 0123456789 !#$%&'()*+,-./:;<=>?@[]^_`{|}~ "
    var out = ""
    var iterator = source.makeIterator()
    while out.count < length {
        if let ch = iterator.next() {
            out.append(ch)
        } else {
            iterator = source.makeIterator()
        }
    }
    return out
}

@Suite("QRCode decoded by zbarimg")
struct QRCodeDecodingTests {
    @Test func zbarimgIsInstalled() {
        #expect(ZBar.executable != nil, Comment(rawValue: ZBar.installHint))
    }

    @Test(arguments: [1, 10, 17, 50, 120, 200, 300], QRErrorCorrection.allCases)
    func asciiText(length: Int, level: QRErrorCorrection) throws {
        let text = sampleText(length: length, vietnamese: false)
        #expect(text.count == length)
        let code = try QRCode.encode(text, errorCorrection: level)
        #expect(try ZBar.decodeText(code) == text, "v\(code.version) \(level) mask \(code.mask)")
    }

    @Test(arguments: [1, 10, 17, 50, 120, 200, 300], QRErrorCorrection.allCases)
    func vietnameseText(length: Int, level: QRErrorCorrection) throws {
        let text = sampleText(length: length, vietnamese: true)
        #expect(text.count == length)
        let code = try QRCode.encode(text, errorCorrection: level)
        #expect(try ZBar.decodeText(code) == text, "v\(code.version) \(level) mask \(code.mask)")
    }

    /// Fixed 20-byte secrets, so that a failure is the same on every run (a random one once hid a decoder quirk).
    static let secrets: [[UInt8]] = [
        Array(0..<20), Array(repeating: 0xFF, count: 20), (0..<20).map { UInt8(($0 * 73 + 41) & 0xFF) },
    ]

    @Test(arguments: QRErrorCorrection.allCases, secrets)
    func otpauthURI(level: QRErrorCorrection, secret: [UInt8]) throws {
        let totp = TOTP(secret: secret)
        let uri = totp.provisioningURI(account: "nguyen.van.duc@thads.gov.vn", issuer: "Cục THADS")
        let code = try QRCode.encode(uri, errorCorrection: level)
        #expect(try ZBar.decodeText(code) == uri)
        #expect(try ZBar.decodeText(code, png: true) == uri)
        // A typical enrolment URI (~120 characters) needs version 7 or 8 at level M.
        let typical = TOTP(secret: secret.reversed()).provisioningURI(
            account: "nguyen.van.duc", issuer: "THADS")
        #expect(typical.utf8.count <= 122)
        let typicalCode = try QRCode.encode(typical, errorCorrection: level)
        if level == .medium { #expect(typicalCode.version <= 7) }
        #expect(try ZBar.decodeText(typicalCode) == typical)
    }

    /// A symbol in which zbarimg, with every symbology on, also found the Interleaved 2 of 5
    /// bar code "848599": the decoder must read the QR code alone.
    @Test func onlyTheQRCodeIsRead() throws {
        let uri =
            "otpauth://totp/C%E1%BB%A5c%20THADS:nguyen.van.duc%40thads.gov.vn?secret="
            + "IOFPOHZHAJW5HCFPGRJ7QTQ4JVYUU4MQ&issuer=C%E1%BB%A5c%20THADS&algorithm=SHA1"
            + "&digits=6&period=30"
        let code = try QRCode.encode(bytes: Array(uri.utf8), errorCorrection: .high, forceMask: 3)
        #expect(code.version == 13)
        #expect(try ZBar.decodeText(code) == uri)
        #expect(try ZBar.decodeText(code, png: true) == uri)
    }

    /// Every mask pattern decodes (checks each mask formula against a real reader).
    @Test(arguments: 0..<8)
    func everyMask(mask: Int) throws {
        for (text, level) in [
            ("otpauth://totp/THADS:a?secret=GEZDGNBVGY3TQOJQ", QRErrorCorrection.low),
            (sampleText(length: 90, vietnamese: true), .high),
        ] {
            let code = try QRCode.encode(
                bytes: Array(text.utf8), errorCorrection: level, forceMask: mask)
            #expect(code.mask == mask)
            #expect(try ZBar.decodeText(code) == text)
        }
    }

    /// One text per version 1…40 at alternating levels, sized to need exactly that version.
    @Test(arguments: 1...40)
    func everyVersion(version: Int) throws {
        let level = QRErrorCorrection.allCases[version % 4]
        let length = QRCode.byteCapacity(version: version, errorCorrection: level)
        let text = sampleText(length: length, vietnamese: false)
        let code = try QRCode.encode(text, errorCorrection: level)
        #expect(code.version == version)
        #expect(code.size == 17 + 4 * version)
        #expect(try ZBar.decodeText(code) == text, "v\(version) \(level)")
    }

    @Test func pngAndPgmDecodeAlike() throws {
        for level in QRErrorCorrection.allCases {
            let text = sampleText(length: 150, vietnamese: true)
            let code = try QRCode.encode(text, errorCorrection: level)
            #expect(try ZBar.decodeText(code, png: true) == text)
            #expect(try ZBar.decodeText(code, png: false) == text)
        }
    }

    @Test func binaryBytes() throws {
        let bytes = (0...255).map { UInt8($0) }
        let code = try QRCode.encode(bytes: bytes, errorCorrection: .low)
        #expect(try ZBar.decode(code.pgm(moduleSize: 4), fileExtension: "pgm") == bytes)
    }
}

@Suite("QRCode structure")
struct QRCodeStructureTests {
    /// Byte-mode capacities from ISO/IEC 18004 Table 7.
    @Test(arguments: [
        (1, [17, 14, 11, 7]), (2, [32, 26, 20, 14]), (5, [106, 84, 60, 44]),
        (7, [154, 122, 86, 64]), (10, [271, 213, 151, 119]), (15, [520, 412, 292, 220]),
        (20, [858, 666, 482, 382]), (27, [1465, 1125, 805, 625]), (40, [2953, 2331, 1663, 1273]),
    ])
    func byteCapacities(version: Int, capacities: [Int]) {
        let actual = QRErrorCorrection.allCases.map {
            QRCode.byteCapacity(version: version, errorCorrection: $0)
        }
        #expect(actual == capacities)
    }

    /// Total codewords per version (Table 1).
    @Test func totalCodewords() {
        let expected = [1: 26, 2: 44, 6: 172, 7: 196, 14: 581, 21: 1156, 40: 3706]
        for (version, total) in expected {
            #expect(QRCode.rawDataModules(version: version) / 8 == total)
        }
    }

    /// Every version's blocks add up: data + EC codewords = total codewords.
    @Test func blockTablesAreConsistent() {
        for version in 1...40 {
            for level in QRErrorCorrection.allCases {
                let data = QRCode.dataCodewordCount(version: version, ecl: level)
                #expect(data > 0)
                let blocks = QRCode.errorCorrectionBlocks[level.ordinal][version]
                #expect(data / blocks >= 1)
                // Long blocks are at most one codeword longer than short ones.
                let raw = QRCode.rawDataModules(version: version) / 8
                #expect(raw >= blocks * QRCode.eccCodewordsPerBlock[level.ordinal][version])
            }
        }
    }

    @Test func alignmentPatternPositions() {
        #expect(Matrix.alignmentPositions(version: 1) == [])
        #expect(Matrix.alignmentPositions(version: 2) == [6, 18])
        #expect(Matrix.alignmentPositions(version: 7) == [6, 22, 38])
        #expect(Matrix.alignmentPositions(version: 14) == [6, 26, 46, 66])
        #expect(Matrix.alignmentPositions(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(Matrix.alignmentPositions(version: 36) == [6, 24, 50, 76, 102, 128, 154])
        #expect(Matrix.alignmentPositions(version: 40) == [6, 30, 58, 86, 114, 142, 170])
    }

    /// Format information strings (Annex C, Table C.1).
    @Test func formatInformation() {
        #expect(Matrix.formatBits(ecl: .low, mask: 0) == 0b1110111_11000100)
        #expect(Matrix.formatBits(ecl: .medium, mask: 0) == 0b1010100_00010010)
        #expect(Matrix.formatBits(ecl: .quartile, mask: 0) == 0b0110101_01011111)
        #expect(Matrix.formatBits(ecl: .high, mask: 0) == 0b0010110_10001001)
        #expect(Matrix.formatBits(ecl: .medium, mask: 5) == 0b1000000_11001110)
        #expect(Matrix.formatBits(ecl: .high, mask: 7) == 0b0001000_00111011)
    }

    /// Version information (Annex D, Table D.1).
    @Test func versionInformation() {
        #expect(Matrix.versionBits(version: 7) == 0b00_01111100_10010100)
        #expect(Matrix.versionBits(version: 8) == 0b00_10000101_10111100)
        #expect(Matrix.versionBits(version: 21) == 0b01_01010110_10000011)
        #expect(Matrix.versionBits(version: 40) == 0b10_10001100_01101001)
    }

    /// The worked example of ISO/IEC 18004 Annex I: "01234567" as 1-M.
    @Test func reedSolomonMatchesTheStandardsExample() {
        let data: [UInt8] = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            0xEC, 0x11,
        ]
        let ecc = ReedSolomon.remainder(data, divisor: ReedSolomon.generator(degree: 10))
        #expect(ecc == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func galoisFieldMultiplication() {
        #expect(ReedSolomon.multiply(0, 0x53) == 0)
        #expect(ReedSolomon.multiply(1, 0x53) == 0x53)
        #expect(ReedSolomon.multiply(2, 0x80) == 0x1D)  // x⁸ = x⁴ + x³ + x² + 1
        for a in 1...255 {
            for b in [1, 2, 3, 0x8E, 0xFF] {
                #expect(
                    ReedSolomon.multiply(UInt8(a), UInt8(b))
                        == ReedSolomon.multiply(UInt8(b), UInt8(a)))
            }
        }
    }

    @Test func dataCodewordsPadding() {
        // "A" in 1-L: 0100 00000001 01000001 0000, then 0xEC 0x11 …
        let cw = QRCode.dataCodewords([0x41], version: 1, ecl: .low)
        #expect(cw.count == 19)
        #expect(Array(cw.prefix(5)) == [0x40, 0x14, 0x10, 0xEC, 0x11])
    }

    @Test func functionPatternsAreInPlace() throws {
        let code = try QRCode.encode(
            "otpauth://totp/THADS:x?secret=ABC", errorCorrection: .quartile)
        let n = code.size
        // Finder patterns: dark 7×7 ring, light ring, dark 3×3 core.
        for (ox, oy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            for i in 0..<7 {
                #expect(code.isDark(x: ox + i, y: oy))
                #expect(code.isDark(x: ox + i, y: oy + 6))
                #expect(code.isDark(x: ox, y: oy + i))
                #expect(code.isDark(x: ox + 6, y: oy + i))
            }
            for i in 1..<6 {
                #expect(!code.isDark(x: ox + i, y: oy + 1))
                #expect(!code.isDark(x: ox + i, y: oy + 5))
            }
            for dy in 2..<5 { for dx in 2..<5 { #expect(code.isDark(x: ox + dx, y: oy + dy)) } }
        }
        // Separators.
        for i in 0..<8 {
            #expect(!code.isDark(x: 7, y: i))
            #expect(!code.isDark(x: i, y: 7))
            #expect(!code.isDark(x: n - 8, y: i))
            #expect(!code.isDark(x: i, y: n - 8))
        }
        // Timing patterns.
        for i in 8..<(n - 8) {
            #expect(code.isDark(x: i, y: 6) == (i % 2 == 0))
            #expect(code.isDark(x: 6, y: i) == (i % 2 == 0))
        }
        #expect(code.isDark(x: 8, y: n - 8))  // dark module
        #expect(!code.isDark(x: -1, y: 0))
        #expect(!code.isDark(x: 0, y: n))
    }

    @Test func formatInformationIsReadableFromTheSymbol() throws {
        for level in QRErrorCorrection.allCases {
            let code = try QRCode.encode("THADS", errorCorrection: level)
            var bits = 0
            // Second copy, bits 0–7 right of the bottom-left… read back the top-right copy.
            for i in 0..<8 where code.isDark(x: code.size - 1 - i, y: 8) { bits |= 1 << i }
            for i in 8..<15 where code.isDark(x: 8, y: code.size - 15 + i) { bits |= 1 << i }
            #expect(bits == Matrix.formatBits(ecl: level, mask: code.mask))
        }
    }

    @Test func versionInformationIsInPlace() throws {
        let code = try QRCode.encode(
            sampleText(length: 130, vietnamese: false), errorCorrection: .medium)
        #expect(code.version >= 7)
        let bits = Matrix.versionBits(version: code.version)
        for i in 0..<18 {
            let a = code.size - 11 + i % 3
            let b = i / 3
            #expect(code.isDark(x: a, y: b) == ((bits >> i) & 1 != 0))
            #expect(code.isDark(x: b, y: a) == ((bits >> i) & 1 != 0))
        }
    }

    @Test func choosesTheSmallestVersionAndTheLowestPenaltyMask() throws {
        #expect(try QRCode.encode("", errorCorrection: .low).version == 1)
        #expect(try QRCode.encode(String(repeating: "x", count: 14)).version == 1)
        #expect(try QRCode.encode(String(repeating: "x", count: 15)).version == 2)
        let text = "otpauth://totp/THADS:nguyen.van.duc?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        let chosen = try QRCode.encode(text)
        for mask in 0..<8 {
            let forced = try QRCode.encode(bytes: Array(text.utf8), forceMask: mask)
            #expect(chosen.penalty <= forced.penalty)
            if mask == chosen.mask { #expect(forced == chosen) }
        }
    }

    @Test func encodingIsDeterministic() throws {
        let a = try QRCode.encode("Nguyễn Văn Đức", errorCorrection: .high)
        let b = try QRCode.encode("Nguyễn Văn Đức", errorCorrection: .high)
        #expect(a == b)
    }

    @Test func penaltyRules() {
        // A line of 11 light modules: one run of 11 (3 + 6).
        #expect(Matrix.linePenalty(Array(repeating: false, count: 11)) == 9)
        // The finder-like pattern 1011101 with four light modules on both sides: 2 × 40, plus the
        // two runs of 4 light which are not penalised by N1.
        let finder: [Bool] = [
            false, false, false, false, true, false, true, true, true, false, true, false, false,
            false,
            false,
        ]
        #expect(Matrix.linePenalty(finder) == 80)
        // Alternating modules have no penalty.
        #expect(Matrix.linePenalty((0..<21).map { $0 % 2 == 0 }) == 0)
    }

    @Test func tooLongThrows() {
        let limit = QRCode.byteCapacity(version: 40, errorCorrection: .high)
        #expect(throws: QRCodeError.dataTooLong(bytes: limit + 1, maximum: limit)) {
            try QRCode.encode(String(repeating: "a", count: limit + 1), errorCorrection: .high)
        }
        #expect(throws: Never.self) {
            try QRCode.encode(String(repeating: "a", count: limit), errorCorrection: .high)
        }
    }
}

@Suite("QRCode rendering")
struct QRCodeRenderingTests {
    @Test func svgIsCSPSafeAndMatchesTheModules() throws {
        let code = try QRCode.encode(
            "otpauth://totp/THADS:x?secret=ABCDEF", errorCorrection: .medium)
        let svg = code.svg(moduleSize: 5, quietZone: 4)
        let dimension = code.size + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("width=\"\(dimension * 5)\" height=\"\(dimension * 5)\""))
        #expect(svg.contains("viewBox=\"0 0 \(dimension) \(dimension)\""))
        #expect(
            svg.contains("<rect width=\"\(dimension)\" height=\"\(dimension)\" fill=\"#fff\"/>"))
        #expect(!svg.lowercased().contains("style"))
        #expect(!svg.lowercased().contains("script"))
        #expect(!svg.lowercased().contains(" on"))  // no event-handler attributes
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(svg.contains("<path fill=\"#000\" d=\""))

        // Rebuild the module grid from the path's horizontal runs.
        let d = try #require(svg.split(separator: "d=\"").last?.split(separator: "\"").first)
        var dark = Set<[Int]>()
        for segment in d.split(separator: "z") {
            // "M{x} {y}h{run}v1h-{run}"
            let scanner = segment.dropFirst()  // "M"
            let parts = scanner.split(whereSeparator: { " hv".contains($0) })
            let x = try #require(Int(parts[0]))
            let y = try #require(Int(parts[1]))
            let run = try #require(Int(parts[2]))
            for i in 0..<run { dark.insert([x + i - 4, y - 4]) }
        }
        for y in 0..<code.size {
            for x in 0..<code.size {
                #expect(dark.contains([x, y]) == code.isDark(x: x, y: y))
            }
        }
    }

    @Test func pgmHeaderAndPixels() throws {
        let code = try QRCode.encode("THADS")
        let image = code.pgm(moduleSize: 3, quietZone: 2)
        let width = (code.size + 4) * 3
        let header = Array("P5\n\(width) \(width)\n255\n".utf8)
        #expect(Array(image.prefix(header.count)) == header)
        #expect(image.count == header.count + width * width)
        let pixels = Array(image.dropFirst(header.count))
        #expect(pixels.allSatisfy { $0 == 0 || $0 == 255 })
        #expect(pixels[0] == 255)  // quiet zone
        #expect(pixels[(2 * 3) * width + 2 * 3] == 0)  // top-left finder corner
    }

    @Test func pngStructure() throws {
        let code = try QRCode.encode("THADS")
        let png = code.png(moduleSize: 2, quietZone: 4)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: png[12..<16], as: UTF8.self) == "IHDR")
        #expect(String(decoding: png.suffix(8).prefix(4), as: UTF8.self) == "IEND")
        #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func pngWithManyStoredBlocks() throws {
        // A 2953-byte version 40 symbol at 8 px per module needs several 64 KiB deflate blocks.
        let text = sampleText(length: 2953, vietnamese: false)
        let code = try QRCode.encode(text, errorCorrection: .low)
        #expect(code.version == 40)
        let bytes = try ZBar.decode(code.png(moduleSize: 3, quietZone: 4), fileExtension: "png")
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }
}
