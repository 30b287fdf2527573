import Crypto
import Foundation
import ThadsDomain

/// The server's side of the exchange's cryptography: short-lived access tokens (HMAC under a key derived from the
/// master key, so any instance checks them without a table) and the P-256 key that signs responses.
enum ExchangeKeys {
    /// An access token lives ten minutes: long enough for a batch, short enough that a leaked one soon dies.
    static let tokenLifetime = 600
    static let serverKeyID = "thads-server-1"

    /// `v1.<client id bytes and expiry, base64url>.<HMAC, base64url>`. The agreement is read again on every call,
    /// so the token carries only who and until when: a narrowed agreement applies at once.
    static func issueToken(client: UUID, expires: Int, keys: KeyStore) -> String {
        let payload = Base64URL.encode(Data(client.uuidString.utf8) + Data(":\(expires)".utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: keys.key(for: "exchange-token"))
        return "v1." + payload + "." + Base64URL.encode(Data(mac))
    }

    /// The client a token names, if the token is ours and not expired at `now`.
    static func readToken(_ token: String, now: Int, keys: KeyStore) -> UUID? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let mac = Base64URL.decode(parts[2]),
            HMAC<SHA256>.isValidAuthenticationCode(
                mac, authenticating: Data(parts[1].utf8), using: keys.key(for: "exchange-token")),
            let payload = Base64URL.decode(parts[1]), let text = String(data: payload, encoding: .utf8)
        else { return nil }
        let fields = text.split(separator: ":")
        guard fields.count == 2, let id = UUID(uuidString: String(fields[0])), let expires = Int(fields[1]),
            expires > now
        else { return nil }
        return id
    }

    /// The response-signing key, derived from the master key so every instance signs with the same one.
    static func serverKey(_ keys: KeyStore) -> P256.Signing.PrivateKey {
        let material = keys.key(for: "exchange-response-signing").withUnsafeBytes { Data($0) }
        // A 32-byte string is a valid P-256 scalar except with negligible probability; hash again if not.
        var seed = material
        while true {
            if let key = try? P256.Signing.PrivateKey(rawRepresentation: seed) { return key }
            seed = Data(SHA256.hash(data: seed))
        }
    }

    /// The public half as a JWK (RFC 7517), for clients that verify responses.
    static func serverJWK(_ keys: KeyStore) -> (x: String, y: String) {
        let raw = serverKey(keys).publicKey.rawRepresentation
        return (Base64URL.encode(raw.prefix(32)), Base64URL.encode(raw.suffix(32)))
    }
}
