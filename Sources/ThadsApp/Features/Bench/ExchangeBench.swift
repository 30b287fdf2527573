import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import ThadsDomain
import Vapor

/// `thads bench --exchange`: the change feed read through the API (changes/s) and signed single-case reads under
/// 32 concurrent connections (requests/s, p50/p99). wrk cannot sign each request with a fresh nonce, so the load
/// comes from in-process tasks that sign like a client would: the signing shares the two cores with the server,
/// which the figure includes.
enum ExchangeBench {
    /// A registered bench system with its key and a token.
    struct Client: Sendable {
        let id: String
        let key: P256.Signing.PrivateKey
        let token: String
    }

    static func measure(
        _ app: Application, base: String, caseIDs: [UUID], seconds: Int, connections: Int, feedLimit: Int,
        print: (String) -> Void
    ) async throws -> [BenchFigure] {
        let backfilled = try await ExchangeFeed.backfill(app)
        if backfilled > 0 { print("Dòng thay đổi: đã ghi \(backfilled) thay đổi cho các hồ sơ có sẵn") }
        let client = try await register(app, base: base)
        var figures = [try await feed(app, base: base, client: client, limit: feedLimit)]
        figures.append(
            try await signedReads(
                app, base: base, client: client, caseIDs: caseIDs, seconds: seconds, connections: connections))
        return figures
    }

    static func register(_ app: Application, base: String) async throws -> Client {
        let key = P256.Signing.PrivateKey()
        let id = "bench-" + String(UUID().uuidString.prefix(8)).lowercased()
        let today = app.clock.today
        let draft = ConnectedSystems.Draft(
            clientID: id, name: "thads bench", operatorName: "thads bench", reference: "BENCH", agreementDate: today,
            units: [], read: ExchangeResource.allCases, write: [], callsPerMinute: 100_000_000,
            responsibilities: "Đo hiệu năng.", validFrom: today, validTo: today.adding(days: 1),
            revealsIDNumbers: false,
            publicKeyPEM: key.publicKey.pemRepresentation)
        _ = try await ConnectedSystems.registerUnchecked(draft, in: .system(app, task: "bench"))
        let assertion = try ClientAssertion.make(
            clientID: id, audience: base + "/api/v1/token", jti: UUID().uuidString,
            now: Int(app.clock.now.timeIntervalSince1970), key: key)
        let response = try await app.client.post(URI(string: base + "/api/v1/token")) { req in
            try req.content.encode(
                [
                    "grant_type": "client_credentials", "client_assertion_type": ExchangeAPI.assertionType,
                    "client_assertion": assertion,
                ], as: .urlEncodedForm)
        }
        struct Token: Decodable {
            let accessToken: String
            enum CodingKeys: String, CodingKey { case accessToken = "access_token" }
        }
        guard response.status == .ok, let token = try? response.content.decode(Token.self) else {
            throw Abort(.internalServerError, reason: "bench: token → \(response.status.code)")
        }
        return Client(id: id, key: key, token: token.accessToken)
    }

    static func headers(_ client: Client, method: String, target: String, now: Date) throws -> HTTPHeaders {
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let digest = ContentDigest.header(for: Data())
        let parameters = MessageSignature.Parameters(
            components: MessageSignature.requestComponents, created: Int(now.timeIntervalSince1970),
            nonce: UUID().uuidString, keyID: client.id, algorithm: MessageSignature.algorithm)
        let signed = try MessageSignature.sign(
            parameters,
            values: [
                "@method": method, "@path": parts[0], "@query": "?" + (parts.count > 1 ? parts[1] : ""),
                "content-digest": digest,
            ], key: client.key)
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: client.token)
        headers.add(name: "Content-Digest", value: digest)
        headers.add(name: "Signature-Input", value: signed.input)
        headers.add(name: "Signature", value: signed.signature)
        return headers
    }

    /// Reads the feed from the start in pages of 500 until `limit` changes or its end.
    static func feed(_ app: Application, base: String, client: Client, limit: Int) async throws -> BenchFigure {
        struct Page: Decodable {
            struct Item: Decodable { let id: String }
            let items: [Item]
            let next: String
        }
        var read = 0
        var cursor: String?
        let started = ContinuousClock.now
        while read < limit {
            let target = "/api/v1/changes?limit=500" + (cursor.map { "&after=" + $0 } ?? "")
            let response = try await app.client.get(
                URI(string: base + target),
                headers: try headers(client, method: "GET", target: target, now: app.clock.now))
            guard response.status == .ok, let page = try? response.content.decode(Page.self) else {
                throw Abort(.internalServerError, reason: "bench: changes → \(response.status.code)")
            }
            if page.items.isEmpty { break }
            read += page.items.count
            cursor = page.next
        }
        let elapsed = (ContinuousClock.now - started).seconds
        return BenchFigure(name: "api-changes", count: read, throughput: elapsed > 0 ? Double(read) / elapsed : nil)
    }

    /// `connections` tasks, each signing and sending single-case reads one after another for `seconds`.
    static func signedReads(
        _ app: Application, base: String, client: Client, caseIDs: [UUID], seconds: Int, connections: Int
    ) async throws -> BenchFigure {
        guard !caseIDs.isEmpty else { return BenchFigure(name: "api-case-signed", count: 0) }
        let timings = NIOLockedValueBox<[Double]>([])
        let failures = NIOLockedValueBox(0)
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<connections {
                group.addTask {
                    var index = worker
                    var local: [Double] = []
                    while ContinuousClock.now < deadline {
                        let target = "/api/v1/cases/" + caseIDs[index % caseIDs.count].uuidString
                        index += connections
                        let start = ContinuousClock.now
                        let response = try await app.client.get(
                            URI(string: base + target),
                            headers: try headers(client, method: "GET", target: target, now: app.clock.now))
                        if response.status != .ok { failures.withLockedValue { $0 += 1 } }
                        local.append((ContinuousClock.now - start).seconds * 1000)
                    }
                    timings.withLockedValue { $0 += local }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = (ContinuousClock.now - started).seconds
        let sorted = timings.withLockedValue { $0 }.sorted()
        if failures.withLockedValue({ $0 }) > 0 {
            throw Abort(.internalServerError, reason: "bench: \(failures.withLockedValue { $0 }) signed reads failed")
        }
        func percentile(_ p: Double) -> Double? {
            sorted.isEmpty ? nil : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        return BenchFigure(
            name: "api-case-signed", count: sorted.count, p50Milliseconds: percentile(0.5),
            p99Milliseconds: percentile(0.99), throughput: elapsed > 0 ? Double(sorted.count) / elapsed : nil)
    }
}
