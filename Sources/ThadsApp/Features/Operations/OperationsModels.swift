import Fluent
import Foundation

/// One backup, verification or drill (F1, F2): when, what, how much it added, how long it took, who or which
/// schedule started it, and how it ended.
final class BackupRun: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [
            $id, $startedAt, $finishedAt, $kind, $trigger, $components, $snapshot, $bytesAdded, $durationMs, $succeeded,
            $detail,
        ]
    }
    static let schema = "backup_runs"
    @ID(key: .id) var id: UUID?
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "finished_at") var finishedAt: Date
    @Field(key: "kind") var kind: String
    /// "lịch" for the job runner, otherwise the operator's username or the command.
    @Field(key: "trigger") var trigger: String
    @Field(key: "components") var components: String
    @OptionalField(key: "snapshot") var snapshot: String?
    @Field(key: "bytes_added") var bytesAdded: Int64
    @Field(key: "duration_ms") var durationMs: Int64
    @Field(key: "succeeded") var succeeded: Bool
    @OptionalField(key: "detail") var detail: String?

    init() {}
}

/// An alert raised by a rule evaluated in the application (F3, H3), kept until someone acknowledges it with a note.
final class OperationsAlert: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [$id, $raisedAt, $rule, $subject, $summary, $acknowledgedAt, $acknowledgedBy, $note, $incidentID]
    }
    static let schema = "operations_alerts"
    @ID(key: .id) var id: UUID?
    @Field(key: "raised_at") var raisedAt: Date
    @Field(key: "rule") var rule: String
    /// What the alert is about (an account id, "backup", "disk"), so one cause raises one open alert.
    @Field(key: "subject") var subject: String
    @Field(key: "summary") var summary: String
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    @OptionalField(key: "acknowledged_by") var acknowledgedBy: String?
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "incident_id") var incidentID: UUID?

    init() {}
}

/// The operations log (F4): who did which task when, how it ended, and notes. Kept at least two years.
final class OperationsLogEntry: Model, @unchecked Sendable {
    var properties: [any AnyProperty] { [$id, $at, $actor, $task, $result, $notes, $source] }
    static let schema = "operations_log"
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @Field(key: "task") var task: String
    @Field(key: "result") var result: String
    @Field(key: "notes") var notes: String
    /// "tự động" for entries the platform wrote, "thủ công" for an operator's own.
    @Field(key: "source") var source: String

    init() {}
}

struct CreateOperations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BackupRun.schema)
            .id()
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime, .required)
            .field("kind", .string, .required)
            .field("trigger", .string, .required)
            .field("components", .string, .required)
            .field("snapshot", .string)
            .field("bytes_added", .int64, .required)
            .field("duration_ms", .int64, .required)
            .field("succeeded", .bool, .required)
            .field("detail", .string)
            .create()
        try await database.schema(OperationsAlert.schema)
            .id()
            .field("raised_at", .datetime, .required)
            .field("rule", .string, .required)
            .field("subject", .string, .required)
            .field("summary", .string, .required)
            .field("acknowledged_at", .datetime)
            .field("acknowledged_by", .string)
            .field("note", .string)
            .field("incident_id", .uuid)
            .create()
        try await database.schema(OperationsLogEntry.schema)
            .id()
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("task", .string, .required)
            .field("result", .string, .required)
            .field("notes", .string, .required)
            .field("source", .string, .required)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX backup_runs_started ON backup_runs (started_at)").run()
        try await sql.raw("CREATE INDEX operations_log_at ON operations_log (at)").run()
        try await sql.raw("CREATE INDEX operations_alerts_raised ON operations_alerts (raised_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OperationsLogEntry.schema).delete()
        try await database.schema(OperationsAlert.schema).delete()
        try await database.schema(BackupRun.schema).delete()
    }
}
