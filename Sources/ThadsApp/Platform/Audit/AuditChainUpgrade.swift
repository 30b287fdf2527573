import Fluent
import SQLKit

/// The keyed upgrade of the audit log (issue 16):
/// - `actor_unit_id`: the acting account's unit, so reads of the log can be scoped like other data. Old events get
///   their actor's present unit (the best that is known); it is outside their legacy hash, and only decides who
///   may read an event, never what it says.
/// - `mac`: each event's HMAC under a key derived from the master key (`KeyStore.auditChainKey`).
/// - `audit_chain.keyed_from`: the first sequence number that must carry an HMAC. Older events still verify by
///   their plain hash chain; every later one, and every checkpoint, is checked against the key. A new installation
///   is keyed from event 1.
/// - `audit_checkpoints`: the chain head written daily (`AuditCheckpoints`), also appended to a file outside the
///   database.
struct AuditChainUpgrade: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .field("actor_unit_id", .uuid)
            .update()
        try await database.schema(AuditEvent.schema)
            .field("mac", .string)
            .update()
        try await database.schema("audit_chain")
            .field("keyed_from", .int64)
            .update()
        let sql = try database.sql
        try await sql.raw("UPDATE audit_chain SET keyed_from = last_seq + 1").run()
        try await sql.raw(
            """
            UPDATE audit_events SET actor_unit_id = (SELECT a.unit_id FROM accounts a WHERE a.id = audit_events.actor_id)
            WHERE actor_id IS NOT NULL
            """
        ).run()
        try await sql.raw("CREATE INDEX audit_events_actor_unit_id ON audit_events (actor_unit_id)").run()
        try await database.schema(AuditCheckpoint.schema)
            .id()
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .field("mac", .string, .required)
            .field("keyed_from", .int64, .required)
            .field("written_at_ms", .int64, .required)
            .field("line_mac", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditCheckpoint.schema).delete()
        try await (try database.sql).raw("DROP INDEX audit_events_actor_unit_id").run()
        try await database.schema("audit_chain").deleteField("keyed_from").update()
        try await database.schema(AuditEvent.schema).deleteField("mac").deleteField("actor_unit_id").update()
    }
}
