import Fluent
import Foundation
import SQLKit
import Vapor

/// One row of the append-only audit log (A9, H3). Rows are never updated or deleted by the
/// application; each carries the hash of the previous one so `thads audit-verify` finds tampering.
final class AuditEvent: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $seq, $occurredAtMs, $actorID, $actorUsername, $unitID, $action, $objectType, $objectID, $summary,
            $beforeData, $afterData, $ip, $purpose, $prevHash, $hash,
        ]
    }
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "seq") var seq: Int64
    /// Milliseconds since 1970 (UTC): an integer so both databases store exactly what was hashed.
    @Field(key: "occurred_at_ms") var occurredAtMs: Int64
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "actor_username") var actorUsername: String?
    @OptionalField(key: "unit_id") var unitID: UUID?
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

    init() {}

    var occurredAt: Date { Date(timeIntervalSince1970: Double(occurredAtMs) / 1000) }

    /// The hashed form: every field, in a fixed order, separated by a unit separator.
    var canonical: String {
        let fields: [String] = [
            String(seq), String(occurredAtMs), actorID?.uuidString ?? "", actorUsername ?? "",
            unitID?.uuidString ?? "", action, objectType ?? "", objectID ?? "", summary ?? "",
            beforeData ?? "", afterData ?? "", ip ?? "", purpose ?? "", prevHash,
        ]
        return fields.joined(separator: "\u{1F}")
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
