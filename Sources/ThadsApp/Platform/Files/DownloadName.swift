import Foundation
import Vapor

/// The one way a download names its file (RFC 6266): control and invisible format characters removed, the
/// Vietnamese name kept in `filename*` (RFC 8187, UTF-8) and an ASCII fallback without marks in `filename` for
/// clients that read only that.
enum DownloadName {
    static func attachment(fileName: String) -> String {
        let name = clean(fileName)
        return "attachment; filename=\"\(asciiFallback(name))\"; filename*=UTF-8''\(percentEncoded(name))"
    }

    /// NFC, without control characters (C0, DEL, C1), format characters (bidi overrides, zero-width) or path
    /// separators; "tai-lieu" when nothing is left.
    static func clean(_ fileName: String) -> String {
        let kept = fileName.precomposedStringWithCanonicalMapping.unicodeScalars.filter { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                return false
            default:
                return scalar != "/" && scalar != "\\"
            }
        }
        let name = String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespaces)
        return name.isEmpty || name == "." || name == ".." ? "tai-lieu" : String(name.prefix(200))
    }

    /// Vietnamese letters without their marks (đ → d), anything else outside printable ASCII or a quote → "_".
    static func asciiFallback(_ name: String) -> String {
        let folded = name.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
        return String(
            folded.map { scalar -> Character in
                (0x20...0x7E).contains(scalar.value) && scalar != "\"" && scalar != "\\" && scalar != "%"
                    ? Character(scalar) : "_"
            })
    }

    /// RFC 8187 `attr-char` kept, every other byte of the UTF-8 percent-encoded.
    static func percentEncoded(_ name: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        return name.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
            .joined()
    }
}

extension HTTPHeaders {
    /// Marks the response as a download named `fileName`.
    mutating func setAttachment(fileName: String) {
        replaceOrAdd(name: .contentDisposition, value: DownloadName.attachment(fileName: fileName))
    }
}
