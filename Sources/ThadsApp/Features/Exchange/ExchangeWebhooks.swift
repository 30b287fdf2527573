import Fluent
import Foundation
import NIOCore
import SQLKit
import ThadsDomain
import Vapor

/// Webhooks (G4): a connected system whose agreement reads the change feed may register an address; every change in
/// its scope becomes a delivery row in the transaction of the change (`ExchangeFeed.record` calls `enqueue`), and
/// the job `exchange.webhooks` posts them, signed by the server key, retrying on `WebhookSchedule` until the
/// receiver answers 2xx or the delivery goes to the dead-letter list on the system's page.
enum ExchangeWebhooks {
    /// Delivery rows for `changes` (already numbered, same transaction) for every system that follows them.
    static func enqueue(_ changes: [ExchangeChange], at now: Date, on db: any Database) async throws {
        guard !changes.isEmpty else { return }
        let today = LocalDate(date: now, in: .vietnam)
        let followers = try await ConnectedSystem.query(on: db).filter(\.$webhookURL != nil)
            .filter(\.$status == .active).all()
            .filter { $0.agreement.admits(.changes, writing: false) && $0.agreement.validity(on: today) == nil }
        guard !followers.isEmpty else { return }
        var rows: [ExchangeDelivery] = []
        for client in followers {
            let agreement = client.agreement
            for change in changes where agreement.covers(unit: change.unitID) {
                rows.append(try ExchangeDelivery(change: change, client: client.requireID(), now: now))
            }
        }
        // Bounded batches: SQLite takes a limited number of bound values per statement.
        for start in stride(from: 0, to: rows.count, by: 500) {
            try await Array(rows[start..<min(start + 500, rows.count)]).create(on: db)
        }
    }

    static let deliveryJob = ScheduledJob(
        name: "exchange.webhooks", schedule: .every(seconds: 60), workingDaysOnly: false,
        run: { ctx in try await deliverDue(ctx.app) })

    /// Sends every delivery due now; returns the attempts made. Due rows are claimed first (pushed a lease ahead, with
    /// `SKIP LOCKED` on PostgreSQL), so a slow pass and the next one never post the same delivery twice at once.
    static func deliverDue(_ app: Application, batch: Int = 200) async throws -> Int {
        var attempts = 0
        while true {
            let claimed = try await claim(app, limit: batch)
            if claimed.isEmpty { return attempts }
            let clients = try await ConnectedSystem.query(on: app.db).filter(\.$id ~~ Set(claimed.map(\.clientRef)))
                .all()
            let byID = Dictionary(uniqueKeysWithValues: clients.map { ($0.id!, $0) })
            for delivery in claimed {
                try await attempt(delivery, client: byID[delivery.clientRef], app: app)
                attempts += 1
            }
            if claimed.count < batch { return attempts }
        }
    }

    private static func claim(_ app: Application, limit: Int) async throws -> [ExchangeDelivery] {
        let now = app.clock.now
        return try await app.write(on: app.db) { db in
            let sql = try db.sql
            struct Row: Decodable { let id: UUID }
            var query = SQLQueryString(
                """
                SELECT id FROM exchange_deliveries WHERE status = \(bind: ExchangeDelivery.Status.pending.rawValue)
                AND next_attempt_at <= \(bind: now) ORDER BY next_attempt_at, seq LIMIT \(literal: limit)
                """)
            query.appendLiteral(try sql.kind.claimClause)
            let ids = try await sql.raw(query).all(decoding: Row.self).map(\.id)
            guard !ids.isEmpty else { return [] }
            try await ExchangeDelivery.query(on: db).filter(\.$id ~~ ids)
                .set(\.$nextAttemptAt, to: now.addingTimeInterval(TimeInterval(WebhookSchedule.leaseSeconds)))
                .update()
            return try await ExchangeDelivery.query(on: db).filter(\.$id ~~ ids).sort(\.$seq).all()
        }
    }

    /// The body of a delivery: the change as the feed shows it, and the feed cursor that reads on after it.
    struct Payload: Codable, Equatable {
        let resource: String
        let id: String
        let kind: String
        let at: Date
        let version: Int
        let cursor: String
    }

    static func body(of delivery: ExchangeDelivery) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(
            Payload(
                resource: delivery.resource, id: delivery.resourceID.uuidString, kind: delivery.kind, at: delivery.at,
                version: delivery.version, cursor: ExchangeCursor.encode(.changes, delivery.seq)))
    }

    /// The headers of one attempt: Content-Digest and the server's RFC 9421 signature over `WebhookSchedule.components`,
    /// whose nonce is the delivery's id (the same on every attempt, so a receiver recognises a repeat).
    static func signedHeaders(body: Data, url: String, nonce: String, created: Int, keys: KeyStore) throws
        -> HTTPHeaders
    {
        let digest = ContentDigest.header(for: body)
        let parameters = MessageSignature.Parameters(
            components: WebhookSchedule.components, created: created, nonce: nonce,
            keyID: ExchangeKeys.serverKeyID, algorithm: MessageSignature.algorithm)
        let signed = try MessageSignature.sign(
            parameters, values: ["@method": "POST", "@target-uri": url, "content-digest": digest],
            key: ExchangeKeys.serverKey(keys))
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: "Content-Digest", value: digest)
        headers.replaceOrAdd(name: "Signature-Input", value: signed.input)
        headers.replaceOrAdd(name: "Signature", value: signed.signature)
        headers.replaceOrAdd(name: .userAgent, value: "THADS-webhook/1")
        return headers
    }

    /// One attempt: post, then record the outcome (next attempt, delivered or dead) and the exchange log's line.
    /// Neither the body nor the receiver's answer is logged; only the status or the error's type.
    private static func attempt(_ delivery: ExchangeDelivery, client: ConnectedSystem?, app: Application) async throws {
        let started = ContinuousClock.now
        var status: Int?
        var failure: String?
        var giveUp = false
        if let client, let url = client.webhookURL, client.status == .active,
            client.agreement.admits(.changes, writing: false), client.agreement.validity(on: app.clock.today) == nil
        {
            do {
                let body = try body(of: delivery)
                let headers = try signedHeaders(
                    body: body, url: url, nonce: delivery.id!.uuidString,
                    created: Int(app.clock.now.timeIntervalSince1970), keys: app.keys)
                let response = try await app.client.send(
                    ClientRequest(
                        method: .POST, url: URI(string: url), headers: headers, body: ByteBuffer(data: body),
                        timeout: .seconds(Int64(WebhookSchedule.timeoutSeconds)))
                ).get()
                status = Int(response.status.code)
                if !WebhookSchedule.isSuccess(status: Int(response.status.code)) {
                    failure = "Bên nhận trả lời \(response.status.code)"
                }
            } catch {
                failure = "Không gửi được (\(String(reflecting: type(of: error))))"
            }
        } else {
            // Nothing is sent to a system that may not receive now; the row waits in the dead-letter list.
            failure = "Hệ thống tạm dừng, hết hiệu lực, không còn được đọc dòng thay đổi hoặc đã bỏ địa chỉ nhận"
            giveUp = true
        }
        let now = app.clock.now
        delivery.attempts += 1
        delivery.lastAttemptAt = now
        delivery.lastStatus = status
        delivery.lastError = failure.map { String($0.prefix(300)) }
        if failure == nil {
            delivery.status = .delivered
            delivery.deliveredAt = now
        } else if !giveUp, let wait = WebhookSchedule.delay(afterFailedAttempts: delivery.attempts) {
            delivery.nextAttemptAt = now.addingTimeInterval(TimeInterval(wait))
        } else {
            delivery.status = .dead
        }
        let entry = ExchangeLogEntry()
        entry.at = now
        entry.clientRef = delivery.clientRef
        entry.clientName = client?.name ?? "(không còn)"
        entry.operation = "POST webhook"
        entry.resources = "changes:gửi"
        entry.unitScope = ""
        entry.records = 1
        entry.status = status ?? 0
        entry.result = failure == nil ? "thành công" : delivery.status == .dead ? "không gửi được, dừng" : "thử lại sau"
        entry.durationMs = Int((ContinuousClock.now - started).seconds * 1000)
        entry.signature = "ký bằng khóa máy chủ"
        entry.ip = nil
        try await app.write(on: app.db) { db in
            try await delivery.save(on: db)
            try await entry.create(on: db)
        }
    }

    // MARK: Central admins

    /// Sets or clears (empty) the address; refused when the agreement does not read the change feed.
    static func setURL(_ url: String, for id: UUID, in ctx: ActionContext) async throws {
        try ctx.authorize(.manageConnectedSystems)
        try await ctx.write { db in
            guard let client = try await ConnectedSystem.find(id, on: db) else { throw Abort(.notFound) }
            let new = url.isEmpty ? nil : url
            guard client.webhookURL != new else { return }
            client.webhookURL = new
            client.updatedAt = ctx.now
            try await client.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: new == nil ? "exchange.webhook.removed" : "exchange.webhook.registered",
                    objectType: "connected_system", objectID: id.uuidString, unitID: nil,
                    summary: new.map { "\(client.name): địa chỉ nhận thay đổi \($0)" }
                        ?? "\(client.name): bỏ địa chỉ nhận thay đổi"),
                on: db)
        }
    }

    /// Puts dead deliveries of a system back in the queue with a fresh schedule; nil `delivery` takes them all.
    @discardableResult
    static func redeliver(system id: UUID, delivery: UUID?, in ctx: ActionContext) async throws -> Int {
        try ctx.authorize(.manageConnectedSystems)
        return try await ctx.write { db in
            guard let client = try await ConnectedSystem.find(id, on: db) else { throw Abort(.notFound) }
            var query = ExchangeDelivery.query(on: db).filter(\.$clientRef == id).filter(\.$status == .dead)
            if let delivery { query = query.filter(\.$id == delivery) }
            let dead = try await query.all()
            if delivery != nil, dead.isEmpty { throw Abort(.notFound) }
            for row in dead {
                row.status = .pending
                row.attempts = 0
                row.nextAttemptAt = ctx.now
                try await row.save(on: db)
            }
            try await ctx.audit(
                AuditEntry(
                    action: "exchange.webhook.redelivered", objectType: "connected_system", objectID: id.uuidString,
                    unitID: nil, summary: "\(client.name): gửi lại \(dead.count) lượt thông báo thay đổi"),
                on: db)
            return dead.count
        }
    }
}
