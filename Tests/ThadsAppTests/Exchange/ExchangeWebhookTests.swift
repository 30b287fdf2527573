import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// A webhook receiver on a free local port, a second Vapor application: it answers the first `failures` attempts of
/// each delivery (told apart by the signature's nonce) with 500, then 200, and keeps what it received.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let headers: HTTPHeaders
        let body: Data
    }

    let app: Application
    let url: String
    private let state: NIOLockedValueBox<(received: [Received], failures: Int, seen: [String: Int])>

    private init(
        app: Application, url: String,
        state: NIOLockedValueBox<(received: [Received], failures: Int, seen: [String: Int])>
    ) {
        self.app = app
        self.url = url
        self.state = state
    }

    static func start(failures: Int) async throws -> WebhookReceiver {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        let state = NIOLockedValueBox<(received: [Received], failures: Int, seen: [String: Int])>(([], failures, [:]))
        // Routes first: the server freezes its responder when it starts.
        app.post("thads", "hook") { req async -> Response in
            let body = req.body.data.map { Data(buffer: $0) } ?? Data()
            let nonce =
                (try? MessageSignature.parseInput(req.headers.first(name: "Signature-Input") ?? ""))?.nonce ?? ""
            let fail = state.withLockedValue { state in
                state.received.append(Received(headers: req.headers, body: body))
                state.seen[nonce, default: 0] += 1
                return state.seen[nonce]! <= state.failures
            }
            return Response(status: fail ? .internalServerError : .ok)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try #require(app.http.server.shared.localAddress?.port)
        return WebhookReceiver(app: app, url: "http://127.0.0.1:\(port)/thads/hook?k=1", state: state)
    }

    var received: [Received] { state.withLockedValue { $0.received } }

    func failAlways(_ always: Bool) { state.withLockedValue { $0.failures = always ? Int.max : 0 } }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

@Suite struct ExchangeWebhookTests {
    static func pass(_ app: Application) async throws -> Int {
        let job = try #require(app.jobs.job(named: "exchange.webhooks"))
        return try await job.run(.system(app, task: job.name))
    }

    static func register(_ app: Application, units: [UUID], url: String) async throws -> ExchangeTestClient {
        let client = try await ExchangeTestClient.register(app, units: units, read: [.changes, .cases])
        let (admin, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
        let path = "/he-thong-ket-noi/\(client.system.id!.uuidString)"
        let bad = try await admin.post(path + "/dia-chi-nhan", [("webhookURL", "http://toa-an.example.vn/hook")])
        #expect(bad.status == .badRequest)
        #expect(bad.body.string.contains("Địa chỉ nhận phải dùng https"))
        #expect(try await admin.post(path + "/dia-chi-nhan", [("webhookURL", url)]).status == .seeOther)
        #expect(try await ConnectedSystem.find(client.system.id, on: app.db)?.webhookURL == url)
        #expect(
            try await AuditEvent.query(on: app.db).filter(\.$action == "exchange.webhook.registered").count() == 1)
        return client
    }

    /// The "Done when" line: 500, 500, then 200 — one delivery, taken on the third attempt, with the back-off between
    /// attempts and a signature the receiver can check with the server key.
    @Test func aReceiverThatFailsTwiceGetsTheDeliveryOnTheThirdTry() async throws {
        let receiver = try await WebhookReceiver.start(failures: 2)
        do {
            try await withTestApp { app async throws in
                let clock = ManualClock(AppClock.system.now)
                app.clock = clock.clock
                let hanoi = try await Fixtures.unit(app, code: "01")
                let hcm = try await Fixtures.unit(app, code: "79")
                let client = try await Self.register(app, units: [hanoi.id!], url: receiver.url)
                let caseID = UUID()
                try await app.write(on: app.db) { db in
                    try await ExchangeFeed.record(
                        resource: "case", id: caseID, unit: hanoi.id!, at: app.clock.now, on: db)
                    try await ExchangeFeed.record(
                        resource: "case", id: UUID(), unit: hcm.id!, at: app.clock.now, on: db)
                }
                let delivery = try #require(
                    try await ExchangeDelivery.query(on: app.db).all().first, "one delivery, in the agreement's unit")
                #expect(try await ExchangeDelivery.query(on: app.db).count() == 1)
                #expect(delivery.resourceID == caseID && delivery.clientRef == client.system.id)

                #expect(try await Self.pass(app) == 1)
                #expect(try await Self.pass(app) == 0, "not again before the first wait")
                clock.advance(by: 60)
                #expect(try await Self.pass(app) == 1)
                clock.advance(by: 299)
                #expect(try await Self.pass(app) == 0, "the second wait is five minutes")
                clock.advance(by: 1)
                #expect(try await Self.pass(app) == 1)
                clock.advance(by: 86_400)
                #expect(try await Self.pass(app) == 0, "delivered: never sent again")

                let done = try #require(try await ExchangeDelivery.find(delivery.id, on: app.db))
                #expect(done.status == .delivered)
                #expect(done.attempts == 3)
                #expect(done.lastStatus == 200)
                let received = receiver.received
                #expect(received.count == 3)
                let last = try #require(received.last)
                let digest = try #require(last.headers.first(name: "Content-Digest"))
                #expect(ContentDigest.matches(digest, body: last.body))
                let parameters = try MessageSignature.verify(
                    input: last.headers.first(name: "Signature-Input"),
                    signature: last.headers.first(name: "Signature"),
                    values: ["@method": "POST", "@target-uri": receiver.url, "content-digest": digest],
                    key: ExchangeKeys.serverKey(app.keys).publicKey, components: WebhookSchedule.components)
                #expect(parameters.keyID == ExchangeKeys.serverKeyID)
                #expect(parameters.nonce == delivery.id!.uuidString)
                // A receiver that checks against another address (a replay elsewhere) finds the signature wrong.
                #expect(throws: MessageSignature.Failure.badSignature) {
                    try MessageSignature.verify(
                        input: last.headers.first(name: "Signature-Input"),
                        signature: last.headers.first(name: "Signature"),
                        values: [
                            "@method": "POST", "@target-uri": "https://khac.example.vn/", "content-digest": digest,
                        ],
                        key: ExchangeKeys.serverKey(app.keys).publicKey, components: WebhookSchedule.components)
                }
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let payload = try decoder.decode(ExchangeWebhooks.Payload.self, from: last.body)
                #expect(payload.id == caseID.uuidString && payload.kind == "created" && payload.version == 1)
                #expect(ExchangeCursor.decode(payload.cursor, as: .changes) == delivery.seq)
                let logged = try await ExchangeLogEntry.query(on: app.db).filter(\.$operation == "POST webhook")
                    .sort(\.$at).all()
                #expect(logged.map(\.status) == [500, 500, 200])
            }
        } catch {
            try await receiver.stop()
            throw error
        }
        try await receiver.stop()
    }

    /// A case opened through the case form reaches the webhook through the feed's observer; a receiver that always
    /// fails ends in the dead-letter list after the last wait, and "Gửi lại" sends it again.
    @Test func aReceiverThatAlwaysFailsEndsInTheDeadLetterListAndIsRedelivered() async throws {
        let receiver = try await WebhookReceiver.start(failures: Int.max)
        do {
            try await withTestApp { app async throws in
                let clock = ManualClock(AppClock.system.now)
                app.clock = clock.clock
                let hanoi = try await Fixtures.unit(app, code: "01")
                let client = try await Self.register(app, units: [hanoi.id!], url: receiver.url)
                let scene = try await CaseScene.make(app)
                let caseID = try await scene.open()
                let queued = try await ExchangeDelivery.query(on: app.db).all()
                #expect(!queued.isEmpty && queued.allSatisfy { $0.resourceID == caseID })
                #expect(
                    queued.count == (try await ExchangeChange.query(on: app.db).filter(\.$resourceID == caseID).count())
                )

                var attempts = 0
                for wait in [0] + WebhookSchedule.delays {
                    clock.advance(by: TimeInterval(wait))
                    attempts += try await Self.pass(app)
                }
                #expect(attempts == queued.count * WebhookSchedule.maxAttempts)
                clock.advance(by: 86_400)
                #expect(try await Self.pass(app) == 0)
                let dead = try await ExchangeDelivery.query(on: app.db).filter(\.$status == .dead).all()
                #expect(dead.count == queued.count)
                #expect(dead.allSatisfy { $0.attempts == WebhookSchedule.maxAttempts && $0.lastStatus == 500 })

                let (admin, _) = try await Fixtures.signedIn(app, "qt.cuc2", class: .centralAdmin)
                let path = "/he-thong-ket-noi/\(client.system.id!.uuidString)"
                let page = try await admin.get(path)
                #expect(page.body.string.contains("id=\"dead-letters\""))
                #expect(page.body.string.contains(caseID.uuidString))
                #expect(page.body.string.contains("Bên nhận trả lời 500"))
                let index = try await admin.get("/he-thong-ket-noi")
                #expect(index.body.string.contains("\(path)#webhook\">\(dead.count)</a>"))
                receiver.failAlways(false)
                let one = try #require(dead.first)
                #expect(try await admin.post(path + "/gui-lai", [("delivery", one.id!.uuidString)]).status == .seeOther)
                #expect(try await ExchangeDelivery.find(one.id, on: app.db)?.status == .pending)
                #expect(try await admin.post(path + "/gui-lai", [("delivery", UUID().uuidString)]).status == .notFound)
                #expect(try await Self.pass(app) == 1)
                #expect(try await ExchangeDelivery.find(one.id, on: app.db)?.status == .delivered)
                #expect(
                    try await AuditEvent.query(on: app.db).filter(\.$action == "exchange.webhook.redelivered").count()
                        == 1)

                // A suspended system is sent nothing: what was queued goes to the dead-letter list unsent.
                try await app.write(on: app.db) { db in
                    try await ExchangeFeed.record(
                        resource: "case", id: caseID, unit: hanoi.id!, at: app.clock.now, on: db)
                }
                #expect(try await admin.post(path + "/tam-dung").status == .seeOther)
                let sent = receiver.received.count
                #expect(try await Self.pass(app) == 1)
                #expect(receiver.received.count == sent)
                let latest = try #require(
                    try await ExchangeDelivery.query(on: app.db).sort(\.$seq, .descending).first())
                #expect(latest.status == .dead && latest.lastError?.contains("tạm dừng") == true)
            }
        } catch {
            try await receiver.stop()
            throw error
        }
        try await receiver.stop()
    }
}
