import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// Who did it, from where: taken from the request, or `.system` for commands and jobs.
public struct AuditActor: Sendable {
    public var accountID: UUID?
    public var username: String?
    public var unitID: UUID?
    public var ip: String?

    public static let system = AuditActor(accountID: nil, username: "hệ thống", unitID: nil, ip: nil)
}

public struct AuditEntry: Sendable {
    public var action: String
    public var objectType: String?
    public var objectID: String?
    public var unitID: UUID?
    public var summary: String?
    public var before: String?
    public var after: String?
    public var purpose: String?

    public init(
        action: String, objectType: String? = nil, objectID: String? = nil, unitID: UUID? = nil,
        summary: String? = nil, before: String? = nil, after: String? = nil, purpose: String? = nil
    ) {
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.unitID = unitID
        self.summary = summary
        self.before = before
        self.after = after
        self.purpose = purpose
    }

    /// Encodes a snapshot as sorted-key JSON so before/after compare field by field.
    public static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

public enum AuditLog {
    static let genesisHash = String(repeating: "0", count: 64)

    /// The key the events of this transaction are sealed with. `Application.write` sets it from the key store for
    /// every transaction, so no service passes it and an event written outside a write transaction fails loudly.
    @TaskLocal static var sealingKey: SymmetricKey?

    struct SealingKeyMissing: Error, CustomStringConvertible {
        var description: String { "audit event written outside Application.write (no audit chain key)" }
    }

    /// The single row that holds the last sequence number and hash of the chain.
    struct ChainHead: Decodable {
        let lastSeq: Int64
        let lastHash: String
        enum CodingKeys: String, CodingKey {
            case lastSeq = "last_seq"
            case lastHash = "last_hash"
        }
    }

    /// Appends one event inside the caller's transaction.
    public static func record(_ entry: AuditEntry, actor: AuditActor, at now: Date, on db: any Database) async throws {
        try await record([(entry, actor)], at: now, on: db)
    }

    /// Appends events in order inside the caller's transaction. The chain head row is updated first, which takes
    /// its row lock on PostgreSQL, so concurrent writers line up in one order.
    static func record(_ entries: [(entry: AuditEntry, actor: AuditActor)], at now: Date, on db: any Database)
        async throws
    {
        guard !entries.isEmpty else { return }
        guard let key = sealingKey else { throw SealingKeyMissing() }
        let sql = try db.sql
        guard
            let head = try await sql.raw(
                """
                UPDATE audit_chain SET last_seq = last_seq + \(bind: entries.count) WHERE id = 1
                RETURNING last_seq, last_hash
                """
            ).first(decoding: ChainHead.self)
        else { throw Abort(.internalServerError, reason: "audit chain head missing") }
        var seq = head.lastSeq - Int64(entries.count)
        var previousHash = head.lastHash
        let occurredAtMs = Int64((now.timeIntervalSince1970 * 1000).rounded())
        // One statement for the whole batch: a group commit of page views holds its connection briefly.
        var rows = BulkInsert(
            AuditEvent.schema,
            [
                "id", "seq", "occurred_at_ms", "actor_id", "actor_username", "unit_id", "action", "object_type",
                "object_id", "summary", "before_data", "after_data", "ip", "purpose", "prev_hash", "hash",
                "actor_unit_id", "mac",
            ])
        for (entry, actor) in entries {
            seq += 1
            let event = AuditEvent()
            event.id = UUID()
            event.seq = seq
            event.occurredAtMs = occurredAtMs
            event.actorID = actor.accountID
            event.actorUsername = storable(actor.username)
            event.unitID = entry.unitID ?? actor.unitID
            event.actorUnitID = actor.unitID
            event.action = storable(entry.action) ?? ""
            event.objectType = storable(entry.objectType)
            event.objectID = storable(entry.objectID)
            event.summary = storable(entry.summary)
            event.beforeData = storable(entry.before)
            event.afterData = storable(entry.after)
            event.ip = storable(actor.ip)
            event.purpose = storable(entry.purpose)
            event.prevHash = previousHash
            let canonical = AuditCanonical(event).keyed
            event.hash = SHA256.hex(canonical)
            event.mac = mac(canonical, key: key)
            rows.add([
                event.id, event.seq, event.occurredAtMs, event.actorID, event.actorUsername, event.unitID, event.action,
                event.objectType, event.objectID, event.summary, event.beforeData, event.afterData, event.ip,
                event.purpose, event.prevHash, event.hash, event.actorUnitID, event.mac,
            ])
            previousHash = event.hash
        }
        try await rows.flush(on: sql)
        try await sql.raw("UPDATE audit_chain SET last_hash = \(bind: previousHash) WHERE id = 1").run()
    }

    /// PostgreSQL refuses a NUL in text and SQLite's driver reads text only up to one: a NUL that reached an event
    /// (inputs refuse it, but the log must never fail to record) is stored, hashed and shown as U+FFFD.
    static func storable(_ text: String?) -> String? {
        guard let text, text.utf8.contains(0) else { return text }
        return text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
    }

    static func mac(_ canonical: [UInt8], key: SymmetricKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: canonical, using: key)).hexString
    }
}

extension Request {
    /// The actor of this request, for audit events.
    public var auditActor: AuditActor {
        AuditActor(
            accountID: currentUser?.account.id, username: currentUser?.account.username,
            unitID: currentUser?.account.unitID, ip: clientIP)
    }

    public var clientIP: String {
        // The trusted proxy appends the address it saw to whatever the client sent, so only the last entry is its
        // word: the first ones are the client's own, and would let anyone pick the address the throttles count.
        if application.settings.trustProxyHeaders,
            let forwarded = headers[.xForwardedFor].flatMap({ $0.split(separator: ",") }).last?
                .trimmingCharacters(in: .whitespaces), !forwarded.isEmpty
        {
            return forwarded
        }
        return remoteAddress?.ipAddress ?? "không rõ"
    }

    public func audit(_ entry: AuditEntry, on db: any Database) async throws {
        try await AuditLog.record(entry, actor: auditActor, at: application.clock.now, on: db)
    }
}
