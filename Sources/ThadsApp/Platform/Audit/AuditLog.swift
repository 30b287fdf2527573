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
            ])
        for (entry, actor) in entries {
            seq += 1
            let event = AuditEvent()
            event.id = UUID()
            event.seq = seq
            event.occurredAtMs = occurredAtMs
            event.actorID = actor.accountID
            event.actorUsername = actor.username
            event.unitID = entry.unitID ?? actor.unitID
            event.action = entry.action
            event.objectType = entry.objectType
            event.objectID = entry.objectID
            event.summary = entry.summary
            event.beforeData = entry.before
            event.afterData = entry.after
            event.ip = actor.ip
            event.purpose = entry.purpose
            event.prevHash = previousHash
            event.hash = hash(of: event)
            rows.add([
                event.id, event.seq, event.occurredAtMs, event.actorID, event.actorUsername, event.unitID, event.action,
                event.objectType, event.objectID, event.summary, event.beforeData, event.afterData, event.ip,
                event.purpose, event.prevHash, event.hash,
            ])
            previousHash = event.hash
        }
        try await rows.flush(on: sql)
        try await sql.raw("UPDATE audit_chain SET last_hash = \(bind: previousHash) WHERE id = 1").run()
    }

    static func hash(of event: AuditEvent) -> String {
        SHA256.hex(Data(event.canonical.utf8))
    }

    public struct VerificationResult: Sendable, Equatable {
        public var checked: Int
        /// The sequence number of the first event that breaks the chain, and why.
        public var firstBadSeq: Int64?
        public var problem: String?
        public var isIntact: Bool { firstBadSeq == nil && problem == nil }
    }

    /// Walks the chain in sequence order and reports the first event that was edited, removed or moved.
    public static func verify(on db: any Database, batchSize: Int = 1000) async throws -> VerificationResult {
        var expectedSeq: Int64 = 1
        var previousHash = genesisHash
        var checked = 0
        while true {
            let batch = try await AuditEvent.query(on: db)
                .filter(\.$seq >= expectedSeq)
                .sort(\.$seq)
                .limit(batchSize)
                .all()
            if batch.isEmpty { break }
            for event in batch {
                if event.seq != expectedSeq {
                    return .init(
                        checked: checked, firstBadSeq: expectedSeq,
                        problem: "thiếu sự kiện số \(expectedSeq) (bị xóa hoặc đổi thứ tự)")
                }
                if event.prevHash != previousHash {
                    return .init(
                        checked: checked, firstBadSeq: event.seq,
                        problem: "mã băm liên kết không khớp sự kiện trước (bị xóa, chèn hoặc đổi thứ tự)")
                }
                if hash(of: event) != event.hash {
                    return .init(checked: checked, firstBadSeq: event.seq, problem: "nội dung đã bị sửa")
                }
                previousHash = event.hash
                expectedSeq += 1
                checked += 1
            }
        }
        if let head = try await db.sql.raw("SELECT last_seq, last_hash FROM audit_chain WHERE id = 1")
            .first(decoding: ChainHead.self),
            head.lastSeq != expectedSeq - 1 || head.lastHash != previousHash
        {
            return .init(
                checked: checked, firstBadSeq: expectedSeq,
                problem: "sự kiện cuối cùng (số \(head.lastSeq)) đã bị xóa")
        }
        return .init(checked: checked, firstBadSeq: nil, problem: nil)
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
        if application.settings.trustProxyHeaders,
            let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").first
        {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "không rõ"
    }

    public func audit(_ entry: AuditEntry, on db: any Database) async throws {
        try await AuditLog.record(entry, actor: auditActor, at: application.clock.now, on: db)
    }
}
