import Fluent
import Foundation

/// A registered job's next slot: the row the runners claim.
final class ScheduledJobState: Model, @unchecked Sendable {
    var properties: [any AnyProperty] { [$id, $nextDueAt] }
    static let schema = "scheduled_jobs"
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "next_due_at") var nextDueAt: Date

    init() {}
}

/// One run of a job, for the operations log: which slot, on which server, from when to when, how it ended and how
/// many rows it touched.
final class JobRun: Model, @unchecked Sendable {
    enum Result: String, Codable, Sendable {
        case running, succeeded, failed
    }

    var properties: [any AnyProperty] {
        [$id, $job, $runner, $slot, $startedAt, $finishedAt, $result, $rowsTouched, $failure]
    }
    static let schema = "job_runs"
    @ID(key: .id) var id: UUID?
    @Field(key: "job") var job: String
    @Field(key: "runner") var runner: String
    @Field(key: "slot") var slot: Date
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @Field(key: "result") var result: Result
    @OptionalField(key: "rows_touched") var rowsTouched: Int?
    @OptionalField(key: "failure") var failure: String?

    init() {}
}

struct CreateJobRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ScheduledJobState.schema)
            .field("id", .string, .identifier(auto: false))
            .field("next_due_at", .datetime, .required)
            .create()
        try await database.schema(JobRun.schema)
            .id()
            .field("job", .string, .required)
            .field("runner", .string, .required)
            .field("slot", .datetime, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("result", .string, .required)
            .field("rows_touched", .int)
            .field("failure", .string)
            .unique(on: "job", "slot")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JobRun.schema).delete()
        try await database.schema(ScheduledJobState.schema).delete()
    }
}
