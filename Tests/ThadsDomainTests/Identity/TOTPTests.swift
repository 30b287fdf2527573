import Foundation
import Testing

@testable import ThadsDomain

@Suite("Base32")
struct Base32Tests {
    @Test(arguments: [
        ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"),
        ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Array(plain.utf8))
    }

    @Test func decodeIsLenient() {
        #expect(Base32.decode("mzxw6ytboi") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW 6YTB OI") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW6YQ=") == Array("foob".utf8))
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("mzxw-6ytb-oi") == Array("foobar".utf8))
    }

    @Test func decodeRejectsGarbage() {
        #expect(Base32.decode("MZ1W") == nil)  // 1 is not in the alphabet
        #expect(Base32.decode("MZ8W") == nil)
        #expect(Base32.decode("MZ@W") == nil)
        #expect(Base32.decode("M") == nil)  // impossible lengths
        #expect(Base32.decode("MZX") == nil)
        #expect(Base32.decode("MZXW6Y") == nil)
    }

    @Test func roundTripsEveryLength() {
        var rng = SystemRandomNumberGenerator()
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let encoded = Base32.encode(bytes)
            #expect(encoded.count == (length * 8 + 4) / 5)
            #expect(!encoded.contains("="))
            #expect(Base32.decode(encoded) == bytes)
            #expect(Base32.decode(encoded.lowercased()) == bytes)
        }
    }

    @Test func totpSecretEncoding() {
        #expect(
            Base32.encode(Array("12345678901234567890".utf8)) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    }
}

@Suite("TOTP")
struct TOTPTests {
    static let rfcSecret = Array("12345678901234567890".utf8)

    /// RFC 6238 Appendix B, SHA-1 rows.
    @Test(arguments: [
        (59 as TimeInterval, 0x1 as Int64, "94287082"),
        (1_111_111_109, 0x23523EC, "07081804"),
        (1_111_111_111, 0x23523ED, "14050471"),
        (1_234_567_890, 0x273EF07, "89005924"),
        (2_000_000_000, 0x3F940AA, "69279037"),
        (20_000_000_000, 0x27BC_86AA, "65353130"),
    ])
    func rfc6238Vectors(time: TimeInterval, counter: Int64, code: String) {
        let totp = TOTP(secret: Self.rfcSecret, digits: 8)
        let date = Date(timeIntervalSince1970: time)
        #expect(totp.counter(at: date) == counter)
        #expect(totp.code(at: date) == code)
        // Six digits are the low six digits of the same truncated value.
        #expect(TOTP(secret: Self.rfcSecret).code(at: date) == String(code.suffix(6)))
        #expect(totp.matchingCounter(code, at: date) == counter)
    }

    /// RFC 4226 Appendix D (HOTP, the same secret, counters 0–9).
    @Test func rfc4226Vectors() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ]
        let totp = TOTP(secret: Self.rfcSecret)
        for (counter, code) in expected.enumerated() {
            #expect(totp.code(counter: Int64(counter)) == code)
        }
    }

    @Test func codesAreZeroPadded() {
        let totp = TOTP(secret: Self.rfcSecret, digits: 8)
        #expect(totp.code(at: Date(timeIntervalSince1970: 1_111_111_109)) == "07081804")
        let six = TOTP(secret: Self.rfcSecret)
        for step in Int64(0)..<200 {
            #expect(six.code(counter: step).count == 6)
        }
    }

    @Test func periodBoundaries() {
        let totp = TOTP(secret: Self.rfcSecret)
        #expect(totp.counter(at: Date(timeIntervalSince1970: 0)) == 0)
        #expect(totp.counter(at: Date(timeIntervalSince1970: 29.999)) == 0)
        #expect(totp.counter(at: Date(timeIntervalSince1970: 30)) == 1)
        let sixty = TOTP(secret: Self.rfcSecret, period: 60)
        #expect(sixty.counter(at: Date(timeIntervalSince1970: 119)) == 1)
    }

    @Test func windowAcceptsNeighbouringStepsOnly() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let current = totp.counter(at: now)
        let codes = (-3...3).map { totp.code(counter: current + Int64($0)) }
        // codes[3] is the current step.
        #expect(totp.matchingCounter(codes[3], at: now) == current)
        #expect(totp.matchingCounter(codes[2], at: now) == current - 1)
        #expect(totp.matchingCounter(codes[4], at: now) == current + 1)
        #expect(totp.matchingCounter(codes[1], at: now) == nil)
        #expect(totp.matchingCounter(codes[5], at: now) == nil)
        #expect(totp.matchingCounter(codes[1], at: now, window: 2) == current - 2)
        #expect(totp.matchingCounter(codes[6], at: now, window: 3) == current + 3)
        #expect(totp.matchingCounter(codes[2], at: now, window: 0) == nil)
        #expect(totp.matchingCounter(codes[3], at: now, window: 0) == current)
    }

    @Test func rejectsMalformedCodes() {
        let totp = TOTP(secret: Self.rfcSecret, digits: 8)
        let date = Date(timeIntervalSince1970: 59)
        #expect(totp.matchingCounter("9428708", at: date) == nil)
        #expect(totp.matchingCounter("942870822", at: date) == nil)
        #expect(totp.matchingCounter("9428708a", at: date) == nil)
        #expect(totp.matchingCounter("", at: date) == nil)
        #expect(totp.matchingCounter("9428 7082", at: date) == 1)
        #expect(totp.matchingCounter("00000000", at: date) == nil)
    }

    /// The caller stores the last matched counter and refuses any code whose counter is not newer.
    @Test func replayCanBeRefusedWithTheMatchedCounter() {
        let totp = TOTP(secret: TOTP.generateSecret())
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let code = totp.code(at: t0)
        var lastUsed: Int64 = -1
        func login(_ code: String, at date: Date) -> Bool {
            guard let step = totp.matchingCounter(code, at: date), step > lastUsed else {
                return false
            }
            lastUsed = step
            return true
        }
        #expect(login(code, at: t0))
        #expect(!login(code, at: t0.addingTimeInterval(5)))
        #expect(!login(code, at: t0.addingTimeInterval(30)))  // still within the window
        #expect(login(totp.code(at: t0.addingTimeInterval(30)), at: t0.addingTimeInterval(31)))
    }

    @Test func generatedSecretsAreTwentyRandomBytes() {
        let a = TOTP.generateSecret()
        let b = TOTP.generateSecret()
        #expect(a.count == 20)
        #expect(b.count == 20)
        #expect(a != b)
        #expect(Set((0..<20).map { _ in TOTP.generateSecret() }).count == 20)
    }

    @Test func provisioningURI() {
        let totp = TOTP(secret: Self.rfcSecret)
        #expect(
            totp.provisioningURI(account: "nguyen.van.a", issuer: "THADS")
                == "otpauth://totp/THADS:nguyen.van.a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=THADS&algorithm=SHA1&digits=6&period=30")
        #expect(
            TOTP(secret: Self.rfcSecret, digits: 8, period: 60).provisioningURI(
                account: "a", issuer: "X"
            ).hasSuffix("&algorithm=SHA1&digits=8&period=60"))
    }

    @Test func provisioningURIPercentEncodes() throws {
        let totp = TOTP(secret: Self.rfcSecret)
        let uri = totp.provisioningURI(account: "đức@thads.gov.vn", issuer: "Cục THADS")
        #expect(
            uri.hasPrefix(
                "otpauth://totp/C%E1%BB%A5c%20THADS:%C4%91%E1%BB%A9c%40thads.gov.vn?secret="))
        #expect(uri.contains("&issuer=C%E1%BB%A5c%20THADS&"))
        #expect(!uri.contains(" "))
        let components = try #require(URLComponents(string: uri))
        #expect(components.scheme == "otpauth")
        #expect(components.host == "totp")
        #expect(components.path == "/Cục THADS:đức@thads.gov.vn")
        let items = Dictionary(
            uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items["secret"] == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(items["issuer"] == "Cục THADS")
        #expect(Base32.decode(items["secret"] ?? "") == Self.rfcSecret)
    }

    @Test func decomposedIssuerIsEncodedAsNFC() {
        let totp = TOTP(secret: Self.rfcSecret)
        let a = totp.provisioningURI(account: "x", issuer: "Cục")
        let b = totp.provisioningURI(
            account: "x", issuer: "Cục".decomposedStringWithCanonicalMapping)
        #expect(a == b)
    }
}
