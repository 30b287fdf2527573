import Foundation

/// Opaque paging cursors: a kind letter and a number, base64url-encoded, so clients pass them back unchanged and
/// never build them (the meaning may change between versions without breaking anyone).
public enum ExchangeCursor {
    public enum Kind: String, Sendable {
        /// The change feed: the last sequence number read.
        case changes = "c"
        /// A search: the page to read next.
        case page = "p"
    }

    public static func encode(_ kind: Kind, _ value: Int) -> String {
        Base64URL.encode(Data("v1.\(kind.rawValue).\(value)".utf8))
    }

    /// nil for anything this server did not hand out in that kind.
    public static func decode(_ text: String, as kind: Kind) -> Int? {
        guard text.count <= 200, let data = Base64URL.decode(text), let plain = String(data: data, encoding: .utf8)
        else { return nil }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", parts[1] == kind.rawValue, let value = Int(parts[2]), value >= 0,
            String(value) == parts[2]
        else { return nil }
        return value
    }
}
