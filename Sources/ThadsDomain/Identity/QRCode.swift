/// QR code error-correction level (ISO/IEC 18004 §7.5.1): roughly 7 %, 15 %, 25 % and 30 % of
/// the symbol can be damaged and still read.
public enum QRErrorCorrection: String, Sendable, CaseIterable, Codable {
    case low, medium, quartile, high

    /// Row index into the capacity tables.
    var ordinal: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }

    /// The two error-correction bits of the format information (Table 25).
    var formatBits: Int {
        switch self {
        case .low: 1
        case .medium: 0
        case .quartile: 3
        case .high: 2
        }
    }
}

public enum QRCodeError: Error, Equatable, Sendable {
    /// The text does not fit in a version 40 symbol at the requested level.
    case dataTooLong(bytes: Int, maximum: Int)
}

/// A QR code (ISO/IEC 18004:2015, model 2) encoding text in byte mode as UTF-8.
///
/// Written from the specification so the platform needs no third-party QR library: versions
/// 1–40, all four error-correction levels, Reed–Solomon codes over GF(256) with block
/// interleaving, format and version information, and all eight data masks scored with the
/// standard penalty rules. Renders to SVG for HTML pages, and to PGM/PNG for tests.
public struct QRCode: Sendable, Equatable {
    /// 1...40.
    public let version: Int
    public let errorCorrection: QRErrorCorrection
    /// The mask pattern (0...7) chosen by the penalty rules.
    public let mask: Int
    /// Modules per side: `17 + 4 × version`.
    public let size: Int
    /// Row-major, `size × size`; `true` is dark.
    let modules: [Bool]

    /// Encodes `text` (as UTF-8 bytes) in the smallest version that fits.
    public static func encode(
        _ text: String, errorCorrection: QRErrorCorrection = .medium
    ) throws -> QRCode {
        try encode(bytes: Array(text.utf8), errorCorrection: errorCorrection)
    }

    /// Encodes raw bytes in byte mode in the smallest version that fits. `forceMask` (0...7)
    /// overrides the penalty-based choice (for tests).
    public static func encode(
        bytes: [UInt8], errorCorrection ecl: QRErrorCorrection = .medium, forceMask: Int? = nil
    ) throws -> QRCode {
        guard
            let version = (1...40).first(where: { v in
                byteCapacity(version: v, errorCorrection: ecl) >= bytes.count
            })
        else {
            throw QRCodeError.dataTooLong(
                bytes: bytes.count, maximum: byteCapacity(version: 40, errorCorrection: ecl))
        }
        let data = dataCodewords(bytes, version: version, ecl: ecl)
        let codewords = addErrorCorrectionAndInterleave(data, version: version, ecl: ecl)
        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.drawCodewords(codewords)

        let mask: Int
        if let forceMask {
            precondition((0...7).contains(forceMask))
            mask = forceMask
        } else {
            var best = 0
            var bestPenalty = Int.max
            for m in 0..<8 {
                var candidate = matrix
                candidate.applyMask(m)
                candidate.drawFormatBits(ecl: ecl, mask: m)
                let penalty = candidate.penalty()
                if penalty < bestPenalty {
                    best = m
                    bestPenalty = penalty
                }
            }
            mask = best
        }
        matrix.applyMask(mask)
        matrix.drawFormatBits(ecl: ecl, mask: mask)
        return QRCode(
            version: version, errorCorrection: ecl, mask: mask, size: matrix.size,
            modules: matrix.modules)
    }

    /// Whether the module at column `x`, row `y` is dark. Outside the symbol is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// Penalty score of this symbol (ISO/IEC 18004 §7.8.3), lower is better.
    public var penalty: Int {
        Matrix(size: size, modules: modules).penalty()
    }

    // MARK: - Capacity

    /// Bytes of text that fit in byte mode at `version` and `errorCorrection`.
    public static func byteCapacity(version: Int, errorCorrection: QRErrorCorrection) -> Int {
        let bits = dataCodewordCount(version: version, ecl: errorCorrection) * 8
        let headerBits = 4 + (version <= 9 ? 8 : 16)
        return (bits - headerBits) / 8
    }

    /// Codewords (data + error correction) a symbol holds, after function patterns (Table 1).
    static func rawDataModules(version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let numAlign = version / 7 + 2
            result -= (25 * numAlign - 10) * numAlign - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewordCount(version: Int, ecl: QRErrorCorrection) -> Int {
        rawDataModules(version: version) / 8 - eccCodewordsPerBlock[ecl.ordinal][version]
            * errorCorrectionBlocks[ecl.ordinal][version]
    }

    /// Error-correction codewords per block, by level then version (Table 9).
    static let eccCodewordsPerBlock: [[Int]] = [
        [
            -1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28,
            28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26,
            28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ],
        [
            -1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28,
            30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            -1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30,
            24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
    ]

    /// Number of error-correction blocks, by level then version (Table 9).
    static let errorCorrectionBlocks: [[Int]] = [
        [
            -1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12,
            13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
        ],
        [
            -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20,
            21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        ],
        [
            -1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25,
            27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
        ],
        [
            -1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30,
            32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
        ],
    ]

    // MARK: - Data encoding

    /// Mode indicator, character count, data, terminator and padding (§7.4).
    static func dataCodewords(_ bytes: [UInt8], version: Int, ecl: QRErrorCorrection) -> [UInt8] {
        let capacityBits = dataCodewordCount(version: version, ecl: ecl) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)  // byte mode
        bits.append(bytes.count, count: version <= 9 ? 8 : 16)
        for b in bytes { bits.append(Int(b), count: 8) }
        bits.append(0, count: min(4, capacityBits - bits.count))  // terminator
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var pad = 0xEC
        while bits.count < capacityBits {
            bits.append(pad, count: 8)
            pad ^= 0xEC ^ 0x11
        }
        return bits.bytes()
    }

    /// Splits data into blocks, appends each block's Reed–Solomon codewords and interleaves
    /// (§7.5.2, §7.6).
    static func addErrorCorrectionAndInterleave(
        _ data: [UInt8], version: Int, ecl: QRErrorCorrection
    ) -> [UInt8] {
        let numBlocks = errorCorrectionBlocks[ecl.ordinal][version]
        let blockEccLen = eccCodewordsPerBlock[ecl.ordinal][version]
        let rawCodewords = rawDataModules(version: version) / 8
        let numShortBlocks = numBlocks - rawCodewords % numBlocks
        let shortBlockLen = rawCodewords / numBlocks
        let divisor = ReedSolomon.generator(degree: blockEccLen)

        var blocks: [[UInt8]] = []
        var k = 0
        for i in 0..<numBlocks {
            let length = shortBlockLen - blockEccLen + (i < numShortBlocks ? 0 : 1)
            var block = Array(data[k..<(k + length)])
            k += length
            let ecc = ReedSolomon.remainder(block, divisor: divisor)
            if i < numShortBlocks { block.append(0) }  // placeholder, skipped below
            blocks.append(block + ecc)
        }
        var result: [UInt8] = []
        result.reserveCapacity(rawCodewords)
        for i in 0..<blocks[0].count {
            for (j, block) in blocks.enumerated()
            where i != shortBlockLen - blockEccLen || j >= numShortBlocks {
                result.append(block[i])
            }
        }
        return result
    }

    // MARK: - Rendering

    /// An `<svg>` element: one white `<rect>` and one `<path fill="#000">` made of horizontal
    /// runs of dark modules. No `style` attributes and no scripts, so it can be inlined under a
    /// strict Content-Security-Policy.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4) -> String {
        let dimension = size + 2 * quietZone
        let pixels = dimension * moduleSize
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                var run = 1
                while isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + quietZone) \(y + quietZone)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(pixels)\" height=\"\(pixels)\" "
            + "viewBox=\"0 0 \(dimension) \(dimension)\" shape-rendering=\"crispEdges\" role=\"img\">"
            + "<rect width=\"\(dimension)\" height=\"\(dimension)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    /// 8-bit grey levels, row-major, dark = 0, light = 255, with the quiet zone.
    func raster(moduleSize: Int, quietZone: Int) -> (width: Int, pixels: [UInt8]) {
        precondition(moduleSize >= 1 && quietZone >= 0)
        let width = (size + 2 * quietZone) * moduleSize
        var pixels = [UInt8](repeating: 255, count: width * width)
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                let px = (x + quietZone) * moduleSize
                let py = (y + quietZone) * moduleSize
                for dy in 0..<moduleSize {
                    let row = (py + dy) * width
                    for dx in 0..<moduleSize { pixels[row + px + dx] = 0 }
                }
            }
        }
        return (width, pixels)
    }

    /// A binary PGM (`P5`) image.
    public func pgm(moduleSize: Int = 8, quietZone: Int = 4) -> [UInt8] {
        let (width, pixels) = raster(moduleSize: moduleSize, quietZone: quietZone)
        return Array("P5\n\(width) \(width)\n255\n".utf8) + pixels
    }

    /// A PNG image (8-bit greyscale, stored deflate blocks: larger than necessary but simple).
    public func png(moduleSize: Int = 8, quietZone: Int = 4) -> [UInt8] {
        let (width, pixels) = raster(moduleSize: moduleSize, quietZone: quietZone)
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity((width + 1) * width)
        for y in 0..<width {
            scanlines.append(0)  // filter: none
            scanlines.append(contentsOf: pixels[(y * width)..<((y + 1) * width)])
        }
        var ihdr: [UInt8] = []
        ihdr.appendBigEndian(UInt32(width))
        ihdr.appendBigEndian(UInt32(width))
        ihdr += [8, 0, 0, 0, 0]  // depth 8, greyscale, deflate, adaptive filter, no interlace
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        PNG.appendChunk("IHDR", ihdr, to: &png)
        PNG.appendChunk("IDAT", PNG.zlibStored(scanlines), to: &png)
        PNG.appendChunk("IEND", [], to: &png)
        return png
    }
}

// MARK: - Module matrix

struct Matrix: Sendable {
    let size: Int
    var modules: [Bool]
    var isFunction: [Bool]
    let version: Int

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
    }

    init(size: Int, modules: [Bool]) {
        self.size = size
        self.modules = modules
        self.isFunction = Array(repeating: false, count: size * size)
        self.version = (size - 17) / 4
    }

    subscript(x: Int, y: Int) -> Bool {
        get { modules[y * size + x] }
        set { modules[y * size + x] = newValue }
    }

    mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    static func alignmentPositions(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let size = 17 + 4 * version
        let numAlign = version / 7 + 2
        let step = (version * 8 + numAlign * 3 + 5) / (numAlign * 4 - 4) * 2
        var result = [6]
        var pos = size - 7
        for _ in 0..<(numAlign - 1) {
            result.insert(pos, at: 1)
            pos -= step
        }
        return result
    }

    mutating func drawFunctionPatterns() {
        // Timing patterns (§6.3.5).
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        // Finder patterns with separators (§6.3.3).
        drawFinder(3, 3)
        drawFinder(size - 4, 3)
        drawFinder(3, size - 4)
        // Alignment patterns, except where they would overlap the finders (§6.3.6).
        let positions = Self.alignmentPositions(version: version)
        let n = positions.count
        for i in 0..<n {
            for j in 0..<n {
                if (i == 0 && j == 0) || (i == 0 && j == n - 1) || (i == n - 1 && j == 0) {
                    continue
                }
                drawAlignment(positions[i], positions[j])
            }
        }
        // Reserve the format areas (overwritten later) and draw version information.
        drawFormatBits(ecl: .medium, mask: 0)
        drawVersion()
    }

    mutating func drawFinder(_ cx: Int, _ cy: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = cx + dx
                let y = cy + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let dist = max(abs(dx), abs(dy))
                setFunction(x, y, dist != 2 && dist != 4)
            }
        }
    }

    mutating func drawAlignment(_ cx: Int, _ cy: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// 15-bit format information: level and mask, BCH(15,5), XOR 0x5412 (§7.9).
    static func formatBits(ecl: QRErrorCorrection, mask: Int) -> Int {
        let data = ecl.formatBits << 3 | mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        return (data << 10 | rem) ^ 0x5412
    }

    /// 18-bit version information: version and BCH(18,6) remainder (§7.10).
    static func versionBits(version: Int) -> Int {
        var rem = version
        for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
        return version << 12 | rem
    }

    mutating func drawFormatBits(ecl: QRErrorCorrection, mask: Int) {
        let bits = Self.formatBits(ecl: ecl, mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 != 0 }
        // Around the top-left finder.
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        // Split between the top-right and bottom-left finders.
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)  // the dark module
    }

    mutating func drawVersion() {
        guard version >= 7 else { return }
        let bits = Self.versionBits(version: version)
        for i in 0..<18 {
            let dark = (bits >> i) & 1 != 0
            let a = size - 11 + i % 3
            let b = i / 3
            setFunction(a, b, dark)
            setFunction(b, a, dark)
        }
    }

    /// Places codewords in the two-module-wide zigzag from the bottom-right corner (§7.7.3).
    mutating func drawCodewords(_ data: [UInt8]) {
        var i = 0
        let totalBits = data.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }  // skip the vertical timing pattern
            let upward = (right + 1) & 2 == 0
            for vert in 0..<size {
                let y = upward ? size - 1 - vert : vert
                for j in 0..<2 {
                    let x = right - j
                    if !isFunction[y * size + x] && i < totalBits {
                        self[x, y] = (data[i >> 3] >> (7 - UInt8(i & 7))) & 1 != 0
                        i += 1
                    }
                    // Remainder bits stay light.
                }
            }
            right -= 2
        }
    }

    static func maskBit(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskBit(mask, x: x, y: y) {
                modules[y * size + x].toggle()
            }
        }
    }

    /// Penalty score (§7.8.3): N1 runs, N2 2×2 blocks, N3 finder-like patterns, N4 balance.
    func penalty() -> Int {
        var result = 0
        var line = [Bool](repeating: false, count: size)
        for horizontal in [true, false] {
            for a in 0..<size {
                for b in 0..<size { line[b] = horizontal ? self[b, a] : self[a, b] }
                result += Self.linePenalty(line)
            }
        }
        // N2: each 2×2 block of one colour.
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = self[x, y]
                if c == self[x + 1, y] && c == self[x, y + 1] && c == self[x + 1, y + 1] {
                    result += 3
                }
            }
        }
        // N4: 10 points for each full 5 % the dark share deviates from 50 %.
        let dark = modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        let total = size * size
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        result += k * 10
        return result
    }

    /// N1 (runs of five or more: 3 + extra) and N3 (1:1:3:1:1 with four light modules on
    /// one side; outside the symbol counts as light) for one row or column.
    static func linePenalty(_ line: [Bool]) -> Int {
        var result = 0
        var runColor = line[0]
        var runLength = 0
        for m in line {
            if m == runColor {
                runLength += 1
            } else {
                if runLength >= 5 { result += 3 + runLength - 5 }
                runColor = m
                runLength = 1
            }
        }
        if runLength >= 5 { result += 3 + runLength - 5 }

        let n = line.count
        func at(_ i: Int) -> Bool { i >= 0 && i < n ? line[i] : false }
        let core: [Bool] = [true, false, true, true, true, false, true]
        for start in 0...(n - 7) {
            var matches = true
            for k in 0..<7 where line[start + k] != core[k] {
                matches = false
                break
            }
            guard matches else { continue }
            let lightBefore = (1...4).allSatisfy { !at(start - $0) }
            let lightAfter = (0..<4).allSatisfy { !at(start + 7 + $0) }
            if lightBefore { result += 40 }
            if lightAfter { result += 40 }
        }
        return result
    }
}

// MARK: - Reed–Solomon over GF(2⁸) with the polynomial x⁸ + x⁴ + x³ + x² + 1

enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z: Int = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> UInt8(i)) & 1) * Int(x)
        }
        return UInt8(z)
    }

    /// Coefficients of ∏(x − αⁱ) for i in 0..<degree, highest first, leading 1 omitted.
    static func generator(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in 0..<divisor.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}

// MARK: - Helpers

struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        guard count > 0 else { return }
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 != 0) }
    }

    func bytes() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, bit) in bits.enumerated() where bit { out[i >> 3] |= 0x80 >> UInt8(i & 7) }
        return out
    }
}

enum PNG {
    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            let final: UInt8 = offset + length == data.count ? 1 : 0
            out.append(final)  // BFINAL, BTYPE = 00
            out += [UInt8(length & 0xFF), UInt8(length >> 8)]
            out += [UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[offset..<(offset + length)]
            offset += length
        } while offset < data.count
        out.appendBigEndian(adler32(data))
        return out
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        png.appendBigEndian(UInt32(data.count))
        let typeAndData = Array(type.utf8) + data
        png += typeAndData
        png.appendBigEndian(crc32(typeAndData))
    }
}

extension [UInt8] {
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }
}
