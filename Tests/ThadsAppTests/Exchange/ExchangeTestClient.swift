import Crypto
import Foundation
import NIOCore
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// A connected system as the tests drive it: its own P-256 key, a registration, a token, and requests signed as
/// docs/api.md tells a client to sign them.
final class ExchangeTestClient: @unchecked Sendable {
    let app: Application
    let key: P256.Signing.PrivateKey
    let system: ConnectedSystem
    var token = ""
    private var nonceCounter = 0

    init(app: Application, key: P256.Signing.PrivateKey, system: ConnectedSystem) {
        self.app = app
        self.key = key
        self.system = system
    }

    static func register(
        _ app: Application, id: String = "he-thong-thu", units: [UUID] = [],
        read: [ExchangeResource] = ExchangeResource.allCases, write: [ExchangeResource] = [], calls: Int = 10_000,
        validFrom: LocalDate? = nil, validTo: LocalDate? = nil, reveals: Bool = false
    ) async throws -> ExchangeTestClient {
        let key = P256.Signing.PrivateKey()
        let today = app.clock.today
        let draft = ConnectedSystems.Draft(
            clientID: id, name: "Hệ thống thử " + id, operatorName: "Đơn vị thử", reference: "01/TT-" + id,
            agreementDate: today, units: units, read: read, write: write, callsPerMinute: calls,
            responsibilities: "Bảo mật dữ liệu nhận được.", validFrom: validFrom ?? today.adding(days: -30),
            validTo: validTo, revealsIDNumbers: reveals, publicKeyPEM: key.publicKey.pemRepresentation)
        let system = try await ConnectedSystems.registerUnchecked(draft, in: .system(app, task: "test"))
        let client = ExchangeTestClient(app: app, key: key, system: system)
        let response = try await client.requestToken()
        #expect(response.status == .ok, "token: \(response.body.string)")
        struct Token: Decodable {
            let accessToken: String
            enum CodingKeys: String, CodingKey { case accessToken = "access_token" }
        }
        client.token = try JSONDecoder().decode(Token.self, from: Data(response.body.readableBytesView)).accessToken
        return client
    }

    func requestToken(jti: String = UUID().uuidString, signingKey: P256.Signing.PrivateKey? = nil) async throws
        -> TestingHTTPResponse
    {
        let assertion = try ClientAssertion.make(
            clientID: system.clientID, audience: "http://localhost/api/v1/token", jti: jti,
            now: Int(app.clock.now.timeIntervalSince1970), key: signingKey ?? key)
        let form =
            "grant_type=client_credentials&client_assertion_type="
            + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertion
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await app.testing().performTest(
            request: TestingHTTPRequest(
                method: .POST, url: URI(path: "/api/v1/token"), headers: headers, body: ByteBuffer(string: form)))
    }

    /// What a request carries, so a test can spoil one part of it.
    struct Signed {
        var headers: HTTPHeaders
        var body: Data
    }

    func sign(
        _ method: HTTPMethod, _ target: String, body: Data = Data(), nonce: String? = nil,
        created: Int? = nil, with signingKey: P256.Signing.PrivateKey? = nil
    ) throws -> Signed {
        nonceCounter += 1
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let digest = ContentDigest.header(for: body)
        let parameters = MessageSignature.Parameters(
            components: MessageSignature.requestComponents,
            created: created ?? Int(app.clock.now.timeIntervalSince1970),
            nonce: nonce ?? UUID().uuidString, keyID: system.clientID, algorithm: MessageSignature.algorithm)
        let signed = try MessageSignature.sign(
            parameters,
            values: [
                "@method": method.rawValue, "@path": parts[0], "@query": "?" + (parts.count > 1 ? parts[1] : ""),
                "content-digest": digest,
            ], key: signingKey ?? key)
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        headers.replaceOrAdd(name: "Content-Digest", value: digest)
        headers.replaceOrAdd(name: "Signature-Input", value: signed.input)
        headers.replaceOrAdd(name: "Signature", value: signed.signature)
        if !body.isEmpty { headers.contentType = .json }
        return Signed(headers: headers, body: body)
    }

    func send(_ method: HTTPMethod, _ target: String, _ signed: Signed) async throws -> TestingHTTPResponse {
        try await app.testing().performTest(
            request: TestingHTTPRequest(
                method: method, url: URI(string: target), headers: signed.headers,
                body: ByteBuffer(bytes: signed.body)))
    }

    func call(_ method: HTTPMethod, _ target: String, json: String? = nil) async throws -> TestingHTTPResponse {
        let body = Data((json ?? "").utf8)
        return try await send(method, target, try sign(method, target, body: body))
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: TestingHTTPResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(response.body.readableBytesView))
    }
}
