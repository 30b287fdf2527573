/// The one rule for text that comes in from outside (forms, import cells, JSON fields), so that nothing stored can
/// break a reader further on: the SQLite driver reads text only up to a NUL, a bidi override turns a name around on
/// screen, a zero-width character makes two names look the same, and a "200-character" limit counted in graphemes
/// lets one letter carry 60,000 combining marks.
///
/// - Text is checked in NFC (``normalized(_:)``), the form it is stored in.
/// - Control characters (C0, DEL, C1) are refused; a multi-line field accepts line feed and tab (a browser's CRLF
///   is turned into LF by ``normalized(_:)``).
/// - Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are refused in every field; zero-width
///   characters (U+200B–U+200D, U+2060, U+FEFF) in single-line fields (names, codes, reasons on one line).
/// - Length is counted in Unicode scalars, and the UTF-8 size is capped too (3 bytes a scalar: every Vietnamese
///   letter in NFC takes at most 3), so a limit bounds what is stored whatever the script.
public enum TextInput {
    public enum Lines: Sendable {
        case single
        case multi
    }

    public enum Refusal: Equatable, Sendable {
        case controlCharacter
        case directionOverride
        case invisibleCharacter
        case tooLong(max: Int)
        case tooManyBytes(max: Int)
    }

    /// Bytes allowed per scalar of the limit.
    public static let bytesPerScalar = 3

    /// The stored form: Unicode canonical composition.
    public static func normalized(_ value: String) -> String {
        let composed = VietnameseText.nfc(value)
        guard composed.utf8.contains(0x0D) else { return composed }
        return composed.split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n")
    }

    /// Why `value` (already normalised) is refused, or nil. The byte cap is looked at first: it is the cheap bound
    /// on anything else this function does.
    public static func refusal(_ value: String, lines: Lines = .single, maxScalars: Int) -> Refusal? {
        let maxBytes = maxScalars * bytesPerScalar
        if value.utf8.count > maxBytes {
            return value.unicodeScalars.count > maxScalars ? .tooLong(max: maxScalars) : .tooManyBytes(max: maxBytes)
        }
        var count = 0
        for scalar in value.unicodeScalars {
            count += 1
            if isControl(scalar, lines: lines) { return .controlCharacter }
            if isDirectionControl(scalar) { return .directionOverride }
            if lines == .single && isZeroWidth(scalar) { return .invisibleCharacter }
        }
        return count > maxScalars ? .tooLong(max: maxScalars) : nil
    }

    /// The message shown next to the field, in Vietnamese.
    public static func message(_ refusal: Refusal, label: String) -> String {
        switch refusal {
        case .controlCharacter:
            return "\(label) chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy gõ lại ô này."
        case .directionOverride:
            return "\(label) chứa ký tự đảo chiều văn bản (bidi) không được phép; hãy gõ lại ô này."
        case .invisibleCharacter:
            return "\(label) chứa ký tự vô hình (độ rộng bằng 0) không được phép; hãy gõ lại ô này."
        case .tooLong(let max):
            return "\(label) tối đa \(max) ký tự."
        case .tooManyBytes(let max):
            return "\(label) quá dài (tối đa \(max) byte)."
        }
    }

    /// C0 controls, DEL and C1 controls (Unicode category Cc is exactly these); a multi-line field keeps its line
    /// breaks and tabs.
    public static func isControl(_ scalar: Unicode.Scalar, lines: Lines) -> Bool {
        let v = scalar.value
        guard v < 0x20 || (0x7F...0x9F).contains(v) else { return false }
        if lines == .multi && (v == 0x0A || v == 0x09) { return false }
        return true
    }

    public static func isDirectionControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    public static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        (0x200B...0x200D).contains(scalar.value) || scalar.value == 0x2060 || scalar.value == 0xFEFF
    }
}
