import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238) with HMAC-SHA1, as every authenticator app supports.
public struct TOTP: Sendable {
    public let secret: [UInt8]
    public let digits: Int
    public let period: Int

    /// - Parameters:
    ///   - secret: the shared key (``generateSecret()`` gives 20 random bytes).
    ///   - digits: code length, 6 to 10 (authenticator apps use 6; RFC 6238's test vectors use 8).
    ///   - period: time step in seconds.
    public init(secret: [UInt8], digits: Int = 6, period: Int = 30) {
        precondition((6...10).contains(digits), "TOTP digits must be 6...10")
        precondition(period > 0, "TOTP period must be positive")
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// 20 bytes (160 bits) from the system's secure random source, as RFC 4226 recommends.
    public static func generateSecret() -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }

    /// The base32 form of the secret, for manual entry in an authenticator app.
    public var base32Secret: String { Base32.encode(secret) }

    /// The time step containing `date`.
    public func counter(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(period)).rounded(.down))
    }

    /// The code shown by an authenticator at `date`.
    public func code(at date: Date) -> String {
        code(counter: counter(at: date))
    }

    /// The code for one time step (HOTP, RFC 4226 §5.3).
    public func code(counter: Int64) -> String {
        var message = [UInt8](repeating: 0, count: 8)
        let c = UInt64(bitPattern: counter)
        for i in 0..<8 { message[i] = UInt8(truncatingIfNeeded: c >> UInt64(56 - 8 * i)) }
        let mac = Array(
            HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            (UInt64(mac[offset] & 0x7F) << 24) | (UInt64(mac[offset + 1]) << 16)
            | (UInt64(mac[offset + 2]) << 8) | UInt64(mac[offset + 3])
        var modulus: UInt64 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The time step whose code equals `code`, searching `counter(at: date)` ± `window` steps
    /// (nearest first). Spaces in `code` are ignored. Returns `nil` when nothing matches.
    ///
    /// Store the returned counter and refuse any later login whose matched counter is not
    /// greater than the stored one: that stops a code from being used twice.
    public func matchingCounter(_ code: String, at date: Date, window: Int = 1) -> Int64? {
        let entered = Array(code.utf8.filter { $0 != UInt8(ascii: " ") })
        guard entered.count == digits,
            entered.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        let now = counter(at: date)
        let w = max(0, window)
        var offsets: [Int64] = [0]
        if w > 0 {
            for k in 1...w { offsets += [-Int64(k), Int64(k)] }
        }
        var found: Int64?
        for offset in offsets {
            let step = now + offset
            // Constant-time comparison; keep scanning so timing does not reveal the position.
            let expected = Array(self.code(counter: step).utf8)
            var diff: UInt8 = 0
            for i in 0..<digits { diff |= expected[i] ^ entered[i] }
            if diff == 0 && found == nil { found = step }
        }
        return found
    }

    /// An `otpauth://` URI for enrolment (the Google Authenticator key-URI format), e.g.
    /// `otpauth://totp/THADS:nva?secret=…&issuer=THADS&algorithm=SHA1&digits=6&period=30`.
    public func provisioningURI(account: String, issuer: String) -> String {
        let label = Self.percentEncode(issuer) + ":" + Self.percentEncode(account)
        return "otpauth://totp/\(label)?secret=\(base32Secret)&issuer=\(Self.percentEncode(issuer))"
            + "&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }

    /// Percent-encodes everything except RFC 3986 unreserved characters (UTF-8, NFC).
    static func percentEncode(_ s: String) -> String {
        var out = ""
        for byte in VietnameseText.nfc(s).utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
