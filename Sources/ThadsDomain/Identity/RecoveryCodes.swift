/// One-time recovery codes for when the authenticator is lost (A7).
///
/// Codes look like `7kq2-m9xd-4h` — ten symbols from Crockford's base32 alphabet in lower case
/// (`0–9 a–z` without `i l o u`), so each code carries 10 × 5 = 50 random bits. ``normalize(_:)``
/// accepts what people type: any case, spaces or missing hyphens, and `o`/`i`/`l` for `0`/`1`.
/// Store only a hash of `normalize(code)`; each code works once.
public enum RecoveryCodes {
    /// The 32 symbols (5 bits each).
    public static let alphabet: [Character] = Array("0123456789abcdefghjkmnpqrstvwxyz")
    /// Symbols per code.
    public static let symbolCount = 10
    /// Random bits per code.
    public static let bitsPerCode = 50

    /// `count` fresh random codes, distinct from each other.
    public static func generate(count: Int = 10) -> [String] {
        var rng = SystemRandomNumberGenerator()
        var codes: [String] = []
        var seen = Set<String>()
        while codes.count < count {
            var symbols: [Character] = []
            for _ in 0..<symbolCount {
                symbols.append(alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))])
            }
            let code = format(symbols)
            if seen.insert(code).inserted { codes.append(code) }
        }
        return codes
    }

    /// The canonical form of a typed code: lower case, `o` → `0`, `i`/`l` → `1`, separators
    /// (spaces, hyphens, dots, underscores) removed and the hyphens put back as `xxxx-xxxx-xx`.
    /// Input that cannot be a code is returned cleaned but unformatted, so it never matches one.
    public static func normalize(_ input: String) -> String {
        var symbols: [Character] = []
        for ch in input.lowercased() {
            switch ch {
            case " ", "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", ".", "_",
                "\t", "\n", "\r":
                continue
            case "o": symbols.append("0")
            case "i", "l": symbols.append("1")
            default: symbols.append(ch)
            }
        }
        guard symbols.count == symbolCount, symbols.allSatisfy(alphabet.contains) else {
            return String(symbols)
        }
        return format(symbols)
    }

    static func format(_ symbols: [Character]) -> String {
        String(symbols[0..<4]) + "-" + String(symbols[4..<8]) + "-" + String(symbols[8..<10])
    }
}
