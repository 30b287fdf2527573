import Crypto
import Foundation

/// The body's digest in the `Content-Digest` field (RFC 9530), sha-256 only: the signature covers this field, so
/// the body is bound to the signature without signing the body itself.
public enum ContentDigest {
    public static func header<D: DataProtocol>(for body: D) -> String {
        "sha-256=:" + Data(SHA256.hash(data: Data(body))).base64EncodedString() + ":"
    }

    /// Whether the field carries a sha-256 digest that matches the body. Other algorithms in the same field are
    /// ignored (a sender may add them), but a sha-256 member must be present.
    public static func matches<D: DataProtocol>(_ field: String, body: D) -> Bool {
        let expected = Data(SHA256.hash(data: Data(body)))
        for member in field.split(separator: ",") {
            let parts = member.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0] == "sha-256" else { continue }
            let value = parts[1]
            guard value.count > 2, value.first == ":", value.last == ":",
                let data = Data(base64Encoded: String(value.dropFirst().dropLast()))
            else { return false }
            return data == expected
        }
        return false
    }
}
