import Crypto
import Foundation

/// HTTP Message Signatures (RFC 9421) as the exchange API uses them: one signature labelled `sig1`, algorithm
/// `ecdsa-p256-sha256`, over `@method`, `@path`, `@query` and `content-digest` on requests (`@status` and
/// `content-digest` on responses), with `created`, `nonce` and `keyid` parameters.
public enum MessageSignature {
    public static let label = "sig1"
    public static let algorithm = "ecdsa-p256-sha256"
    public static let requestComponents = ["@method", "@path", "@query", "content-digest"]
    public static let responseComponents = ["@status", "content-digest"]

    /// The parameters of a signature, as carried in `Signature-Input`.
    public struct Parameters: Equatable, Sendable {
        public var components: [String]
        public var created: Int
        public var nonce: String?
        public var keyID: String?
        public var algorithm: String?

        public init(components: [String], created: Int, nonce: String?, keyID: String?, algorithm: String?) {
            self.components = components
            self.created = created
            self.nonce = nonce
            self.keyID = keyID
            self.algorithm = algorithm
        }

        /// The serialised inner list with its parameters, exactly as it appears after `sig1=` and as the last line
        /// of the signature base (`@signature-params`).
        public var serialized: String {
            var text = "(" + components.map { "\"\($0)\"" }.joined(separator: " ") + ");created=\(created)"
            if let nonce { text += ";nonce=\"\(nonce)\"" }
            if let keyID { text += ";keyid=\"\(keyID)\"" }
            if let algorithm { text += ";alg=\"\(algorithm)\"" }
            return text
        }
    }

    public enum Failure: Error, Equatable, Sendable {
        case missing
        case malformed
        case wrongComponents
        case wrongAlgorithm
        case badSignature
    }

    /// The signature base (RFC 9421 §2.5): one line per covered component, then `@signature-params`.
    public static func base(_ parameters: Parameters, values: [String: String]) throws -> String {
        var lines: [String] = []
        for component in parameters.components {
            guard let value = values[component] else { throw Failure.malformed }
            lines.append("\"\(component)\": \(value)")
        }
        lines.append("\"@signature-params\": " + parameters.serialized)
        return lines.joined(separator: "\n")
    }

    /// Reads `sig1` from `Signature-Input`. Only the subset this API emits is accepted: a string-item list and the
    /// parameters `created` (integer), `nonce`, `keyid`, `alg`, `expires` (ignored beyond its syntax).
    public static func parseInput(_ field: String) throws -> Parameters {
        guard let range = field.range(of: label + "=(") else { throw Failure.missing }
        let rest = field[range.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { throw Failure.malformed }
        let list = rest[..<close]
        var components: [String] = []
        for item in list.split(separator: " ", omittingEmptySubsequences: true) {
            guard item.count >= 2, item.first == "\"", item.last == "\"" else { throw Failure.malformed }
            components.append(String(item.dropFirst().dropLast()))
        }
        var params = rest[rest.index(after: close)...]
        if let comma = params.firstIndex(of: ",") { params = params[..<comma] }
        var created: Int?
        var nonce: String?
        var keyID: String?
        var algorithm: String?
        for pair in params.split(separator: ";", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw Failure.malformed }
            let key = kv[0].trimmingCharacters(in: .whitespaces)
            let raw = kv[1]
            func string() throws -> String {
                guard raw.count >= 2, raw.first == "\"", raw.last == "\"" else { throw Failure.malformed }
                return String(raw.dropFirst().dropLast())
            }
            switch key {
            case "created":
                guard let value = Int(raw) else { throw Failure.malformed }
                created = value
            case "nonce": nonce = try string()
            case "keyid": keyID = try string()
            case "alg": algorithm = try string()
            case "expires": guard Int(raw) != nil else { throw Failure.malformed }
            default: throw Failure.malformed
            }
        }
        guard let created else { throw Failure.malformed }
        return Parameters(components: components, created: created, nonce: nonce, keyID: keyID, algorithm: algorithm)
    }

    /// Reads the bytes of `sig1` from `Signature` (`sig1=:base64:`).
    public static func parseSignature(_ field: String) throws -> Data {
        guard let range = field.range(of: label + "=:") else { throw Failure.missing }
        let rest = field[range.upperBound...]
        guard let end = rest.firstIndex(of: ":"), let data = Data(base64Encoded: String(rest[..<end])) else {
            throw Failure.malformed
        }
        return data
    }

    /// Verifies a request's signature with the client's key. The covered components must be exactly
    /// `requestComponents`, so no client can leave the body digest or the query out.
    public static func verify(
        input: String?, signature: String?, values: [String: String], key: P256.Signing.PublicKey,
        components required: [String] = requestComponents
    ) throws -> Parameters {
        guard let input, let signature else { throw Failure.missing }
        let parameters = try parseInput(input)
        guard parameters.components == required else { throw Failure.wrongComponents }
        if let algorithm = parameters.algorithm, algorithm != Self.algorithm { throw Failure.wrongAlgorithm }
        let bytes = try parseSignature(signature)
        let base = try base(parameters, values: values)
        guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: bytes),
            key.isValidSignature(ecdsa, for: Data(base.utf8))
        else { throw Failure.badSignature }
        return parameters
    }

    /// Signs: returns the `Signature-Input` and `Signature` field values.
    public static func sign(
        _ parameters: Parameters, values: [String: String], key: P256.Signing.PrivateKey
    ) throws -> (input: String, signature: String) {
        let base = try base(parameters, values: values)
        let signature = try key.signature(for: Data(base.utf8))
        return (
            label + "=" + parameters.serialized, label + "=:" + signature.rawRepresentation.base64EncodedString() + ":"
        )
    }
}
