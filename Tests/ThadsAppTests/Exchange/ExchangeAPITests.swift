import Crypto
import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct ExchangeAPITests {
    /// The repository root, from this file's place in it.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func generatedCodeIsCurrentWithTheDocument() throws {
        let yaml = try Data(contentsOf: Self.root.appendingPathComponent("openapi/thads-v1.yaml"))
        let recorded = try String(
            contentsOf: Self.root.appendingPathComponent("Sources/ThadsExchangeAPI/openapi.sha256"),
            encoding: .utf8
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            SHA256.hex(yaml) == recorded,
            "openapi/thads-v1.yaml changed without regenerating: run scripts/generate-api.sh (docs/api.md)")
        let served = try Data(
            contentsOf: Self.root.appendingPathComponent("Sources/ThadsApp/Resources/openapi/thads-v1.yaml"))
        #expect(served == yaml, "the served copy differs from openapi/thads-v1.yaml: run scripts/generate-api.sh")
    }

    @Test func theDocumentAndItsReferenceAreServed() async throws {
        try await withTestApp { app async throws in
            let client = TestClient(app)
            let document = try await client.get("/api/v1/openapi.yaml")
            #expect(document.status == .ok)
            #expect(document.body.string.hasPrefix("openapi: 3.1.0"))
            let reference = try await client.get("/api/v1/reference")
            #expect(reference.status == .ok)
            #expect(reference.body.string.contains("/api/v1/changes"))
            #expect(reference.body.string.contains("Những thay đổi sau một con trỏ"))
        }
    }

    @Test func aSignedCallIsAnsweredAndTheAnswerIsSignedByTheServer() async throws {
        try await withTestApp { app async throws in
            let client = try await ExchangeTestClient.register(app)
            let response = try await client.call(.GET, "/api/v1/agreement")
            #expect(response.status == .ok, "\(response.body.string)")
            #expect(response.body.string.contains("he-thong-thu"))
            // The response's signature verifies with the published server key.
            let keyResponse = try await TestClient(app).get("/api/v1/server-key")
            struct JWK: Decodable {
                let x: String
                let y: String
            }
            let jwk = try client.decode(JWK.self, keyResponse)
            let serverKey = try P256.Signing.PublicKey(
                rawRepresentation: Base64URL.decode(jwk.x)! + Base64URL.decode(jwk.y)!)
            let body = Data(response.body.readableBytesView)
            let digest = try #require(response.headers.first(name: "Content-Digest"))
            #expect(ContentDigest.matches(digest, body: body))
            let parameters = try MessageSignature.verify(
                input: response.headers.first(name: "Signature-Input"),
                signature: response.headers.first(name: "Signature"),
                values: ["@status": "200", "content-digest": digest], key: serverKey,
                components: MessageSignature.responseComponents)
            #expect(parameters.keyID == ExchangeKeys.serverKeyID)
            let logged = try await ExchangeLogEntry.query(on: app.db).filter(\.$operation == "GET /api/v1/agreement")
                .all()
            #expect(logged.count == 1)
            #expect(logged.first?.signature == "hợp lệ")
            #expect(logged.first?.clientRef == client.system.id)
        }
    }

    /// Each refusal is answered with a problem document and written to the exchange log with its verdict.
    @Test func forgedReplayedAlteredAndUnsignedRequestsAreRefusedAndLogged() async throws {
        try await withTestApp { app async throws in
            let client = try await ExchangeTestClient.register(app)
            func expectRefused(_ response: TestingHTTPResponse, _ verdict: String, status: HTTPStatus = .unauthorized)
                async throws
            {
                #expect(response.status == status, "\(verdict): \(response.status.code) \(response.body.string)")
                #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                #expect(response.body.string.contains("\"title\""))
                let last = try await ExchangeLogEntry.query(on: app.db).sort(\.$at, .descending).first()
                #expect(last?.status == Int(status.code))
                #expect(last?.signature == verdict, "logged \(last?.signature ?? "nothing")")
            }
            // Forged: signed with a key that is not the registered one.
            let forged = try client.sign(.GET, "/api/v1/agreement", with: P256.Signing.PrivateKey())
            try await expectRefused(try await client.send(.GET, "/api/v1/agreement", forged), "chữ ký sai")
            // Replayed: the same signed request twice.
            let once = try client.sign(.GET, "/api/v1/catalogs", nonce: "nonce-1")
            #expect(try await client.send(.GET, "/api/v1/catalogs", once).status == .ok)
            try await expectRefused(try await client.send(.GET, "/api/v1/catalogs", once), "nonce dùng lại")
            // Altered body: the digest and signature are of another body.
            var altered = try client.sign(.POST, "/api/v1/parties/lookup", body: Data(#"{"idNumber":"001"}"#.utf8))
            altered.body = Data(#"{"idNumber":"002"}"#.utf8)
            try await expectRefused(
                try await client.send(.POST, "/api/v1/parties/lookup", altered), "sai tóm lược nội dung")
            // Altered query: the signature covers it.
            let query = try client.sign(.GET, "/api/v1/cases?limit=5")
            try await expectRefused(try await client.send(.GET, "/api/v1/cases?limit=6", query), "chữ ký sai")
            // Stale: created ten minutes ago.
            let stale = try client.sign(
                .GET, "/api/v1/agreement", created: Int(app.clock.now.timeIntervalSince1970) - 600)
            try await expectRefused(try await client.send(.GET, "/api/v1/agreement", stale), "sai thời điểm ký")
            // Unsigned, and without a token.
            var unsigned = try client.sign(.GET, "/api/v1/agreement")
            unsigned.headers.remove(name: "Signature")
            try await expectRefused(try await client.send(.GET, "/api/v1/agreement", unsigned), "thiếu chữ ký")
            var anonymous = try client.sign(.GET, "/api/v1/agreement")
            anonymous.headers.remove(name: .authorization)
            try await expectRefused(
                try await client.send(.GET, "/api/v1/agreement", anonymous), "không kiểm tra (thiếu mã truy cập)")
            // An assertion replayed at the token endpoint, and one signed by another key.
            #expect(try await client.requestToken(jti: "j-1").status == .ok)
            #expect(try await client.requestToken(jti: "j-1").status == .unauthorized)
            #expect(try await client.requestToken(signingKey: P256.Signing.PrivateKey()).status == .unauthorized)
        }
    }

    @Test func anExpiredAgreementASuspendedClientAndAnOutOfScopeUnitAreRefused() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let hcm = try await Fixtures.unit(app, code: "79")
            let client = try await ExchangeTestClient.register(app, id: "so-tu-phap-ha-noi", units: [hanoi.id!])
            #expect(try await client.call(.GET, "/api/v1/cases?unit=\(hanoi.id!.uuidString)").status == .ok)
            let outside = try await client.call(.GET, "/api/v1/cases?unit=\(hcm.id!.uuidString)")
            #expect(outside.status == .forbidden)
            #expect(outside.body.string.contains("Đơn vị nằm ngoài phạm vi thỏa thuận"))
            // A case of another unit does not exist for this system.
            let account = try await Fixtures.account(app, "cb.hcm", unit: "79", roles: [.secretary]).account
            let other = try await CaseQualityServiceTests.makeCase(
                app, unit: hcm, account: account, number: "12/2026/DS-ST")
            #expect(try await client.call(.GET, "/api/v1/cases/\(other.id!.uuidString)").status == .notFound)
            // Suspended: refused at the next call, with the token it already holds.
            try await ConnectedSystems.setStatus(
                client.system.id!, to: .suspended, in: try await Self.centralContext(app))
            let suspended = try await client.call(.GET, "/api/v1/agreement")
            #expect(suspended.status == .forbidden)
            #expect(suspended.body.string.contains("tạm dừng"))
            // Expired: the agreement ended yesterday.
            let expired = try await ExchangeTestClient.register(app, id: "het-han")
            let row = try #require(try await ConnectedSystem.find(expired.system.id, on: app.db))
            row.validTo = app.clock.today.adding(days: -1).iso
            try await row.save(on: app.db)
            let late = try await expired.call(.GET, "/api/v1/agreement")
            #expect(late.status == .forbidden)
            #expect(late.body.string.contains("hết hiệu lực"))
            let refused = try await ExchangeLogEntry.query(on: app.db).filter(\.$status == 403).count()
            #expect(refused == 3)
        }
    }

    @Test func beyondItsFrequencyTheAgreementAnswers429() async throws {
        try await withTestApp { app async throws in
            let client = try await ExchangeTestClient.register(app, calls: 2)
            // The token call counts too: one call left in this minute (or two if the minute turned).
            var statuses: [UInt] = []
            for _ in 0..<4 { statuses.append(try await client.call(.GET, "/api/v1/agreement").status.code) }
            #expect(statuses.contains(429))
            let refused = try await client.call(.GET, "/api/v1/agreement")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers.first(name: .retryAfter) != nil)
        }
    }

    struct Codes: Decodable {
        struct Item: Decodable { let code: String }
        let items: [Item]
    }

    @Test func idNumbersAreMaskedUnlessTheAgreementGrantsThem() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let account = try await Fixtures.account(app, "cb.hn", unit: "01", roles: [.secretary]).account
            let found = try await CaseQualityServiceTests.makeCase(
                app, unit: hanoi, account: account, number: "5/2026/DS-ST")
            try await CaseQualityServiceTests.addDebtor(
                app, to: found, name: "Nguyễn Văn Đức", birthYear: 1980, account: account, idNumber: "001080012345")
            let masked = try await ExchangeTestClient.register(app, id: "che")
            let whole = try await ExchangeTestClient.register(app, id: "day-du", reveals: true)
            let maskedCase = try await masked.call(.GET, "/api/v1/cases/\(found.id!.uuidString)")
            #expect(maskedCase.status == .ok, "\(maskedCase.body.string)")
            #expect(maskedCase.body.string.contains("*********345"))
            #expect(!maskedCase.body.string.contains("001080012345"))
            let wholeCase = try await whole.call(.GET, "/api/v1/cases/\(found.id!.uuidString)")
            #expect(wholeCase.body.string.contains("001080012345"))
            let lookup = try await masked.call(.POST, "/api/v1/parties/lookup", json: #"{"idNumber":"001080012345"}"#)
            #expect(lookup.status == .ok, "\(lookup.body.string)")
            #expect(try masked.decode(Codes.self, lookup).items.map(\.code) == [found.code])
            #expect(!lookup.body.string.contains("001080012345"))
            let wholeLookup = try await whole.call(
                .POST, "/api/v1/parties/lookup", json: #"{"idNumber":"001080012345"}"#)
            #expect(wholeLookup.body.string.contains("001080012345"))
            let search = try await masked.call(.GET, "/api/v1/cases?name=nguyen%20van%20duc")
            #expect(try masked.decode(Codes.self, search).items.map(\.code).contains(found.code))
        }
    }

    @Test func catalogsCarryVersionsAndValidity() async throws {
        try await withTestApp { app async throws in
            let client = try await ExchangeTestClient.register(app, read: [.catalogs])
            let list = try await client.call(.GET, "/api/v1/catalogs")
            #expect(list.status == .ok, "\(list.body.string)")
            for name in APISchemas.CatalogName.allCases {
                let catalog = try await client.call(.GET, "/api/v1/catalogs/\(name.rawValue)")
                #expect(catalog.status == .ok, "\(name.rawValue): \(catalog.body.string)")
                #expect(catalog.body.string.contains("\"version\""))
            }
            #expect(try await client.call(.GET, "/api/v1/catalogs/khong-co").status == .badRequest)
            // A resource the agreement does not grant.
            #expect(try await client.call(.GET, "/api/v1/changes").status == .forbidden)
            #expect(try await client.call(.GET, "/api/v1/cases?cursor=abc").status == .forbidden)
        }
    }

    static func centralContext(_ app: Application) async throws -> ActionContext {
        let admin = try await Fixtures.account(app, "qt.trung-uong", class: .centralAdmin)
        return try await ActionContext.staff(admin.account, app)
    }
}
