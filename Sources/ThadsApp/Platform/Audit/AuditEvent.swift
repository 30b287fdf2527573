import Fluent
import Foundation
import SQLKit
import Vapor

/// One row of the append-only audit log (A9, H3). Rows are never updated or deleted by the
/// application; each carries the hash of the previous one so `thads audit-verify` finds tampering, and — from the
/// keyed upgrade on (`AuditChainUpgrade`) — an HMAC under a key kept outside the database, so that a rewrite with
/// recomputed hashes is found too.
final class AuditEvent: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $seq, $occurredAtMs, $actorID, $actorUsername, $unitID, $actorUnitID, $action, $objectType, $objectID,
            $summary, $beforeData, $afterData, $ip, $purpose, $prevHash, $hash, $mac,
        ]
    }
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "seq") var seq: Int64
    /// Milliseconds since 1970 (UTC): an integer so both databases store exactly what was hashed.
    @Field(key: "occurred_at_ms") var occurredAtMs: Int64
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "actor_username") var actorUsername: String?
    /// The unit the event concerns: the object's unit when the service names one, else the actor's.
    @OptionalField(key: "unit_id") var unitID: UUID?
    /// The acting account's unit: with `unitID`, what scopes who may read the event.
    @OptionalField(key: "actor_unit_id") var actorUnitID: UUID?
    @Field(key: "action") var action: String
    @OptionalField(key: "object_type") var objectType: String?
    @OptionalField(key: "object_id") var objectID: String?
    @OptionalField(key: "summary") var summary: String?
    @OptionalField(key: "before_data") var beforeData: String?
    @OptionalField(key: "after_data") var afterData: String?
    @OptionalField(key: "ip") var ip: String?
    @OptionalField(key: "purpose") var purpose: String?
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String
    /// HMAC-SHA256 (hex) of the keyed canonical form; nil only on events written before the keyed upgrade.
    @OptionalField(key: "mac") var mac: String?

    init() {}

    var occurredAt: Date { Date(timeIntervalSince1970: Double(occurredAtMs) / 1000) }
}

/// The bytes an event's hash and HMAC are computed over. Built from the UTF-8 bytes of each text column exactly as
/// stored: `AuditLog.record` from the values it writes, `AuditLog.verify` from the bytes the database hands back
/// (read as hex on both drivers, so a NUL or any other byte cannot be cut off or changed on the way).
struct AuditCanonical {
    var seq: Int64
    var occurredAtMs: Int64
    var actorID: UUID?
    var unitID: UUID?
    var actorUnitID: UUID?
    /// actor_username, action, object_type, object_id, summary, before_data, after_data, ip, purpose, prev_hash.
    var texts: [[UInt8]]

    static let textColumns = [
        "actor_username", "action", "object_type", "object_id", "summary", "before_data", "after_data", "ip",
        "purpose", "prev_hash",
    ]

    init(seq: Int64, occurredAtMs: Int64, actorID: UUID?, unitID: UUID?, actorUnitID: UUID?, texts: [[UInt8]]) {
        precondition(texts.count == Self.textColumns.count)
        self.seq = seq
        self.occurredAtMs = occurredAtMs
        self.actorID = actorID
        self.unitID = unitID
        self.actorUnitID = actorUnitID
        self.texts = texts
    }

    init(_ event: AuditEvent) {
        let values: [String?] = [
            event.actorUsername, event.action, event.objectType, event.objectID, event.summary, event.beforeData,
            event.afterData, event.ip, event.purpose, event.prevHash,
        ]
        self.init(
            seq: event.seq, occurredAtMs: event.occurredAtMs, actorID: event.actorID, unitID: event.unitID,
            actorUnitID: event.actorUnitID, texts: values.map { Array(($0 ?? "").utf8) })
    }

    private func uuid(_ id: UUID?) -> [UInt8] { Array((id?.uuidString ?? "").utf8) }

    /// Before the keyed upgrade: every field separated by a unit separator (kept so old chains still verify).
    var legacy: [UInt8] {
        let fields: [[UInt8]] =
            [Array(String(seq).utf8), Array(String(occurredAtMs).utf8), uuid(actorID), texts[0], uuid(unitID)]
            + texts[1...]
        return Array(fields.joined(separator: [0x1F]))
    }

    /// From the keyed upgrade on: a version tag, then every field (the actor's unit too) with its byte length in
    /// front, so no byte inside a field can shift where the next one starts.
    var keyed: [UInt8] {
        let fields: [[UInt8]] =
            [
                Array(String(seq).utf8), Array(String(occurredAtMs).utf8), uuid(actorID), uuid(unitID),
                uuid(actorUnitID),
            ] + texts
        var bytes = Array("thads-audit-v2".utf8)
        for field in fields {
            bytes += Array("\n\(field.count):".utf8)
            bytes += field
        }
        return bytes
    }
}

struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("seq", .int64, .required)
            .field("occurred_at_ms", .int64, .required)
            .field("actor_id", .uuid)
            .field("actor_username", .string)
            .field("unit_id", .uuid)
            .field("action", .string, .required)
            .field("object_type", .string)
            .field("object_id", .string)
            .field("summary", .string)
            .field("before_data", .string)
            .field("after_data", .string)
            .field("ip", .string)
            .field("purpose", .string)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "seq")
            .create()
        try await database.schema("audit_chain")
            .field("id", .int, .identifier(auto: false))
            .field("last_seq", .int64, .required)
            .field("last_hash", .string, .required)
            .create()
        try await (try database.sql).raw(
            "INSERT INTO audit_chain (id, last_seq, last_hash) VALUES (1, 0, \(bind: AuditLog.genesisHash))"
        ).run()
        for column in ["occurred_at_ms", "actor_id", "action", "unit_id"] {
            try await (try database.sql).raw(
                "CREATE INDEX \(unsafeRaw: "audit_events_" + column) ON audit_events (\(unsafeRaw: column))"
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_chain").delete()
        try await database.schema(AuditEvent.schema).delete()
    }
}
