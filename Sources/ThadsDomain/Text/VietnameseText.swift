import Foundation

/// Vietnamese text normalisation and search folding.
///
/// - ``nfc(_:)`` is the form text is stored in (as typed, composed).
/// - ``fold(_:)`` is the search form: lower case, no tone or vowel marks, `đ` → `d`,
///   whitespace collapsed. "Nguyễn Văn Đức", "nguyen van duc" and a decomposed
///   "NGUYỄN VĂN ĐỨC" all fold to `"nguyen van duc"`. Old and new tone placement
///   ("hoà" / "hòa") fold to the same string because every mark is removed.
public enum VietnameseText {
    /// Unicode canonical composition (NFC).
    public static func nfc(_ s: String) -> String {
        // Text made only of scalars that are composed and never recombine is already NFC: ASCII, Latin-1 and
        // Latin Extended (below the combining marks at U+0300), the precomposed Vietnamese letters (U+1E00–U+1EFF),
        // dashes and quotes. Skipping Foundation for it matters when an import reads millions of fields.
        if s.unicodeScalars.allSatisfy({
            $0.value < 0x300 || (0x1E00...0x1EFF).contains($0.value)
                || (0x2010...0x2027).contains($0.value)
        }) {
            return s
        }
        return s.precomposedStringWithCanonicalMapping
    }

    /// The text as typed with its marks, for ranking exact-diacritics matches first: NFC, lower case, whitespace
    /// collapsed. "Nguyễn  Văn An" and a decomposed "NGUYỄN VĂN AN" both give "nguyễn văn an".
    public static func exact(_ s: String) -> String {
        nfc(s).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The search form of `s`: NFC-independent, lower case, without any diacritics, `đ` → `d`,
    /// runs of whitespace collapsed to one space and trimmed at both ends.
    public static func fold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        var nonASCII = false

        @inline(__always) func emit(_ scalar: Unicode.Scalar) {
            if pendingSpace {
                if !out.isEmpty { out.append(" ") }
                pendingSpace = false
            }
            out.append(scalar)
        }

        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                switch v {
                case 0x41...0x5A:  // A-Z
                    emit(Unicode.Scalar(UInt8(v + 0x20)))
                case 0x20, 0x09...0x0D:
                    pendingSpace = true
                default:
                    emit(scalar)
                }
                continue
            }
            if isCombiningMark(v) { continue }
            if let mapped = FoldTable.shared.lookup(v) {
                emit(Unicode.Scalar(mapped))
                continue
            }
            if scalar.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            // Rare path: anything outside the precomputed Latin ranges.
            for folded in slowFold(scalar) {
                if folded.value >= 0x80 { nonASCII = true }
                emit(folded)
            }
        }
        let result = String(out)
        // Only text outside the Vietnamese alphabet can leave non-ASCII behind; recompose it so
        // NFC and NFD input give the same result (e.g. Hangul jamo).
        return nonASCII ? result.precomposedStringWithCanonicalMapping : result
    }

    /// The folded words of `s`: maximal runs of letters and digits in ``fold(_:)``'s result.
    /// Punctuation and whitespace separate words, so "Nguyễn-Văn Đức" gives `["nguyen", "van", "duc"]`.
    public static func words(_ s: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in fold(s).unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    // MARK: - Internals

    @inline(__always)
    static func isCombiningMark(_ v: UInt32) -> Bool {
        (0x0300...0x036F).contains(v) || (0x1AB0...0x1AFF).contains(v)
            || (0x1DC0...0x1DFF).contains(v) || (0x20D0...0x20FF).contains(v)
            || (0xFE20...0xFE2F).contains(v)
    }

    /// Lower-cases, decomposes and strips marks from a single scalar outside the table.
    static func slowFold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let lower = String(scalar).lowercased().decomposedStringWithCanonicalMapping
        return lower.unicodeScalars.filter { !isCombiningMark($0.value) }
    }
}

/// Scalar → ASCII lowercase base letter, precomputed for the Latin-1 Supplement, Latin
/// Extended-A/B and Latin Extended Additional blocks (which hold every precomposed Vietnamese
/// letter). A zero entry means "not a simple letter", handled by the slow path.
struct FoldTable: Sendable {
    static let shared = FoldTable()

    static let latinRange: ClosedRange<UInt32> = 0x00C0...0x024F
    static let additionalRange: ClosedRange<UInt32> = 0x1E00...0x1EFF

    let latin: [UInt8]
    let additional: [UInt8]

    init() {
        latin = Self.build(Self.latinRange)
        additional = Self.build(Self.additionalRange)
    }

    @inline(__always)
    func lookup(_ v: UInt32) -> UInt8? {
        let b: UInt8
        if Self.latinRange.contains(v) {
            b = latin[Int(v - Self.latinRange.lowerBound)]
        } else if Self.additionalRange.contains(v) {
            b = additional[Int(v - Self.additionalRange.lowerBound)]
        } else {
            return nil
        }
        return b == 0 ? nil : b
    }

    private static func build(_ range: ClosedRange<UInt32>) -> [UInt8] {
        range.map { v -> UInt8 in
            // đ Đ (and the look-alike African D) do not decompose.
            if v == 0x0110 || v == 0x0111 || v == 0x0189 { return UInt8(ascii: "d") }
            guard let scalar = Unicode.Scalar(v) else { return 0 }
            let base = VietnameseText.slowFold(scalar)
            if base.count == 1, let only = base.first, only.isASCII,
                only.properties.isAlphabetic
            {
                return UInt8(only.value)
            }
            return 0
        }
    }
}
