import Crypto
import Foundation
import Testing
import ThadsDomain

@Suite("Exchange rules")
struct ExchangeRulesTests {
    @Test("Content-Digest matches RFC 9530's example and refuses an altered body")
    func digest() {
        let body = Data(#"{"hello": "world"}"#.utf8)
        #expect(ContentDigest.header(for: body) == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
        #expect(ContentDigest.matches("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body: body))
        #expect(!ContentDigest.matches(ContentDigest.header(for: body), body: Data(#"{"hello": "World"}"#.utf8)))
        #expect(!ContentDigest.matches("sha-512=:abc=:", body: body))
        #expect(!ContentDigest.matches("sha-256=abc", body: body))
        #expect(!ContentDigest.matches("", body: body))
    }

    static func values(_ path: String = "/api/v1/cases", query: String = "?limit=5", body: Data = Data()) -> [String:
        String]
    {
        ["@method": "GET", "@path": path, "@query": query, "content-digest": ContentDigest.header(for: body)]
    }

    @Test("a signature made with the client's key verifies; any other key, value or component set is refused")
    func signatures() throws {
        let key = P256.Signing.PrivateKey()
        let parameters = MessageSignature.Parameters(
            components: MessageSignature.requestComponents, created: 1_700_000_000, nonce: "n-1", keyID: "client-1",
            algorithm: MessageSignature.algorithm)
        let signed = try MessageSignature.sign(parameters, values: Self.values(), key: key)
        #expect(
            signed.input
                == #"sig1=("@method" "@path" "@query" "content-digest");created=1700000000;nonce="n-1";keyid="client-1";alg="ecdsa-p256-sha256""#
        )
        let read = try MessageSignature.verify(
            input: signed.input, signature: signed.signature, values: Self.values(), key: key.publicKey)
        #expect(read == parameters)
        #expect(throws: MessageSignature.Failure.badSignature) {
            try MessageSignature.verify(
                input: signed.input, signature: signed.signature, values: Self.values(query: "?limit=6"),
                key: key.publicKey)
        }
        #expect(throws: MessageSignature.Failure.badSignature) {
            try MessageSignature.verify(
                input: signed.input, signature: signed.signature, values: Self.values(),
                key: P256.Signing.PrivateKey().publicKey)
        }
        #expect(throws: MessageSignature.Failure.badSignature) {
            try MessageSignature.verify(
                input: signed.input, signature: signed.signature,
                values: Self.values(body: Data("altered".utf8)), key: key.publicKey)
        }
        var partial = parameters
        partial.components = ["@method", "@path"]
        let unsafe = try MessageSignature.sign(partial, values: Self.values(), key: key)
        #expect(throws: MessageSignature.Failure.wrongComponents) {
            try MessageSignature.verify(
                input: unsafe.input, signature: unsafe.signature, values: Self.values(), key: key.publicKey)
        }
        #expect(throws: MessageSignature.Failure.missing) {
            try MessageSignature.verify(
                input: nil, signature: signed.signature, values: Self.values(), key: key.publicKey)
        }
        for junk in ["sig1=", "sig1=(\"@method\";created=1", "sig1=(@method);created=1", "sig1=();created=x", "x"] {
            #expect(throws: MessageSignature.Failure.self) { _ = try MessageSignature.parseInput(junk) }
        }
        #expect(throws: MessageSignature.Failure.self) { _ = try MessageSignature.parseSignature("sig1=:%%%:") }
    }

    @Test("a signature's created time is accepted within five minutes back and one minute ahead")
    func signatureAge() {
        #expect(SignatureAge.acceptable(created: 1000, now: 1000))
        #expect(SignatureAge.acceptable(created: 700, now: 1000))
        #expect(!SignatureAge.acceptable(created: 699, now: 1000))
        #expect(SignatureAge.acceptable(created: 1060, now: 1000))
        #expect(!SignatureAge.acceptable(created: 1061, now: 1000))
    }

    @Test("a client assertion verifies only with the right key, audience, lifetime and algorithm")
    func assertions() throws {
        let key = P256.Signing.PrivateKey()
        let jwt = try ClientAssertion.make(
            clientID: "toa-an", audience: "https://thads.example/api/v1/token", jti: "j1", now: 1000, key: key)
        #expect(try ClientAssertion.claimedClient(jwt) == "toa-an")
        let read = try ClientAssertion.verify(jwt, key: key.publicKey, audience: "/api/v1/token", now: 1000)
        #expect(read == ClientAssertion(clientID: "toa-an", jti: "j1", expires: 1120))
        #expect(throws: ClientAssertion.Failure.badSignature) {
            try ClientAssertion.verify(
                jwt, key: P256.Signing.PrivateKey().publicKey, audience: "/api/v1/token", now: 1000)
        }
        #expect(throws: ClientAssertion.Failure.wrongAudience) {
            try ClientAssertion.verify(jwt, key: key.publicKey, audience: "/other", now: 1000)
        }
        #expect(throws: ClientAssertion.Failure.expired) {
            try ClientAssertion.verify(jwt, key: key.publicKey, audience: "/api/v1/token", now: 1120)
        }
        #expect(throws: ClientAssertion.Failure.tooLong) {
            try ClientAssertion.verify(jwt, key: key.publicKey, audience: "/api/v1/token", now: 500)
        }
        let parts = jwt.split(separator: ".").map(String.init)
        let none = Base64URL.encode(Data(#"{"alg":"none"}"#.utf8)) + "." + parts[1] + "." + parts[2]
        #expect(throws: ClientAssertion.Failure.wrongAlgorithm) {
            try ClientAssertion.verify(none, key: key.publicKey, audience: "/api/v1/token", now: 1000)
        }
        for junk in ["", "a.b", "a.b.c", "....", "e30.e30.e30"] {
            #expect(throws: ClientAssertion.Failure.self) {
                try ClientAssertion.verify(junk, key: key.publicKey, audience: "/api/v1/token", now: 1000)
            }
        }
    }

    @Test("an agreement is in force between its dates, for its units and resources")
    func agreement() {
        let hanoi = UUID()
        let agreement = ExchangeAgreement(
            units: [hanoi], read: [.cases, .catalogs], write: [.judgments], callsPerMinute: 10,
            validFrom: isoDate("2026-01-01"), validTo: isoDate("2026-12-31"), revealsIDNumbers: false)
        #expect(agreement.validity(on: isoDate("2025-12-31")) == .notYetValid)
        #expect(agreement.validity(on: isoDate("2026-01-01")) == nil)
        #expect(agreement.validity(on: isoDate("2026-12-31")) == nil)
        #expect(agreement.validity(on: isoDate("2027-01-01")) == .expired)
        #expect(agreement.admits(.cases, writing: false))
        #expect(!agreement.admits(.cases, writing: true))
        #expect(agreement.admits(.judgments, writing: true))
        #expect(!agreement.admits(.changes, writing: false))
        #expect(agreement.covers(unit: hanoi))
        #expect(!agreement.covers(unit: UUID()))
        var national = agreement
        national.units = []
        national.validTo = nil
        #expect(national.covers(unit: UUID()))
        #expect(national.validity(on: isoDate("2100-01-01")) == nil)
        #expect(ExchangeAgreement.Refusal.tooFrequent(retryAfter: 3).status == 429)
        #expect(ExchangeAgreement.Refusal.expired.status == 403)
    }

    @Test("the call window admits N calls a minute and tells when to retry")
    func frequency() {
        #expect(CallWindow.minute(of: 119) == 1)
        #expect(CallWindow.check(callNumber: 10, limit: 10, epochSeconds: 65) == nil)
        #expect(CallWindow.check(callNumber: 11, limit: 10, epochSeconds: 65) == .tooFrequent(retryAfter: 55))
    }

    @Test("cursors round-trip and anything else is refused")
    func cursors() {
        for value in [0, 1, 42, 9_999_999_999] {
            let text = ExchangeCursor.encode(.changes, value)
            #expect(ExchangeCursor.decode(text, as: .changes) == value)
            #expect(ExchangeCursor.decode(text, as: .page) == nil)
        }
        for junk in [
            "", "abc", "%%%", Base64URL.encode(Data("v1.c.-1".utf8)), Base64URL.encode(Data("v1.c.01".utf8)),
            Base64URL.encode(Data("v2.c.1".utf8)), String(repeating: "A", count: 300),
        ] {
            #expect(ExchangeCursor.decode(junk, as: .changes) == nil)
        }
    }
}
