import Crypto
import Foundation

/// The signed JWT a connected system presents at the token endpoint (RFC 7523 §2.2, `private_key_jwt`): ES256,
/// `iss` = `sub` = its client id, `aud` = the token endpoint, a short `exp` and a `jti` never seen before.
public struct ClientAssertion: Equatable, Sendable {
    public let clientID: String
    public let jti: String
    public let expires: Int

    public init(clientID: String, jti: String, expires: Int) {
        self.clientID = clientID
        self.jti = jti
        self.expires = expires
    }

    public enum Failure: Error, Equatable, Sendable {
        case malformed
        case wrongAlgorithm
        case badSignature
        case wrongIssuer
        case wrongAudience
        case expired
        case tooLong
    }

    /// The longest lifetime accepted, so a stolen assertion is useless soon and its `jti` need be kept only so long.
    public static let maxLifetime = 300

    /// The client id it claims, read before the key is known (to find the key); nothing in it is trusted yet.
    public static func claimedClient(_ jwt: String) throws -> String {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]),
            let claims = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
            let issuer = claims["iss"] as? String
        else { throw Failure.malformed }
        return issuer
    }

    /// Verifies signature and claims at `now` (seconds since 1970).
    public static func verify(
        _ jwt: String, key: P256.Signing.PublicKey, audience: String, now: Int
    ) throws -> ClientAssertion {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]),
            let payload = Base64URL.decode(parts[1]), let signature = Base64URL.decode(parts[2]),
            let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
            let claims = try? JSONSerialization.jsonObject(with: payload) as? [String: Any]
        else { throw Failure.malformed }
        guard header["alg"] as? String == "ES256" else { throw Failure.wrongAlgorithm }
        guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
            key.isValidSignature(ecdsa, for: Data((parts[0] + "." + parts[1]).utf8))
        else { throw Failure.badSignature }
        guard let issuer = claims["iss"] as? String, claims["sub"] as? String == issuer else {
            throw Failure.wrongIssuer
        }
        let audiences: [String] =
            if let one = claims["aud"] as? String { [one] } else { claims["aud"] as? [String] ?? [] }
        guard audiences.contains(where: { $0 == audience || $0.hasSuffix(audience) }) else {
            throw Failure.wrongAudience
        }
        guard let exp = (claims["exp"] as? NSNumber)?.intValue, let jti = claims["jti"] as? String, !jti.isEmpty,
            jti.count <= 200
        else { throw Failure.malformed }
        guard exp > now else { throw Failure.expired }
        guard exp - now <= maxLifetime else { throw Failure.tooLong }
        return ClientAssertion(clientID: issuer, jti: jti, expires: exp)
    }

    /// Builds an assertion (tests, the bench and the documented client do the same in Python).
    public static func make(clientID: String, audience: String, jti: String, now: Int, key: P256.Signing.PrivateKey)
        throws -> String
    {
        let header = Base64URL.encode(Data(#"{"alg":"ES256","typ":"JWT"}"#.utf8))
        let claims: [String: Any] = ["iss": clientID, "sub": clientID, "aud": audience, "jti": jti, "exp": now + 120]
        let payload = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let signature = try key.signature(for: Data((header + "." + payload).utf8))
        return header + "." + payload + "." + Base64URL.encode(signature.rawRepresentation)
    }
}
