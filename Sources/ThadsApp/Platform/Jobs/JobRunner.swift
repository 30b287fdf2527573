import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// Runs the registered jobs when they are due. Any number of servers run this loop against one database: a due
/// job is claimed in a short transaction that moves its next slot on (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so a
/// second server passes over the row another is claiming; SQLite: the single writer's lock), so each slot runs on
/// exactly one server. Each run is recorded with its start, end, result and the rows it touched.
enum JobRunner {
    static let pollInterval: Duration = .seconds(30)

    /// One pass: claims and runs every job due now; returns the runs this runner made.
    @discardableResult
    static func runDue(_ app: Application, runner: String) async throws -> [JobRun] {
        try await ensureScheduled(app)
        var runs: [JobRun] = []
        while let (job, run) = try await claimNext(app, runner: runner) {
            runs.append(try await execute(job, run: run, app: app))
        }
        return runs
    }

    /// Every registered job has its row; a new job is first due now.
    static func ensureScheduled(_ app: Application) async throws {
        let known = Set(try await ScheduledJobState.query(on: app.db).all(\.$id))
        for job in app.jobs.all where !known.contains(job.name) {
            try await app.write(on: app.db) { db in
                try await db.sql.raw(
                    """
                    INSERT INTO scheduled_jobs (id, next_due_at) VALUES (\(bind: job.name), \(bind: app.clock.now))
                    ON CONFLICT (id) DO NOTHING
                    """
                ).run()
            }
        }
    }

    private static func claimNext(_ app: Application, runner: String) async throws -> (ScheduledJob, JobRun)? {
        let now = app.clock.now
        let calendar = app.workingCalendar
        let names = app.jobs.all.map(\.name)
        guard !names.isEmpty else { return nil }
        return try await app.write(on: app.db) { db -> (ScheduledJob, JobRun)? in
            struct Due: Decodable {
                let id: String
                let nextDueAt: Date
                enum CodingKeys: String, CodingKey {
                    case id
                    case nextDueAt = "next_due_at"
                }
            }
            let sql = try db.sql
            var query = SQLQueryString(
                "SELECT id, next_due_at FROM scheduled_jobs WHERE next_due_at <= \(bind: now) AND \(sql.isOneOf("id", names))"
            )
            query.appendLiteral(" ORDER BY next_due_at LIMIT 1" + (try sql.kind.claimClause))
            guard let due = try await sql.raw(query).first(decoding: Due.self),
                let job = app.jobs.job(named: due.id)
            else { return nil }
            // The next slot counts from the one that was due, not from now, so a job keeps its time of day; a server
            // that was down for days runs a missed job once, not once per missed slot.
            var next = job.schedule.next(after: due.nextDueAt, workingDaysOnly: job.workingDaysOnly, calendar: calendar)
            while next <= now {
                next = job.schedule.next(after: next, workingDaysOnly: job.workingDaysOnly, calendar: calendar)
            }
            try await sql.raw(
                "UPDATE scheduled_jobs SET next_due_at = \(bind: next) WHERE id = \(bind: due.id)"
            ).run()
            let run = JobRun()
            run.id = UUID()
            run.job = job.name
            run.runner = runner
            run.slot = due.nextDueAt
            run.startedAt = now
            run.result = .running
            try await run.create(on: db)
            return (job, run)
        }
    }

    private static func execute(_ job: ScheduledJob, run: JobRun, app: Application) async throws -> JobRun {
        let ctx = ActionContext.system(app, task: job.name)
        do {
            run.rowsTouched = try await job.run(ctx)
            run.result = .succeeded
        } catch {
            run.result = .failed
            // The error's type only: messages may carry personal data (addresses, names) and logs must not.
            run.failure = String(reflecting: type(of: error))
            app.logger.warning("job failed", metadata: ["job": "\(job.name)", "error": "\(run.failure ?? "")"])
        }
        run.finishedAt = app.clock.now
        try await app.write(on: app.db) { db in try await run.save(on: db) }
        return run
    }
}

/// Starts the runner's loop when the server boots and stops it at shutdown.
final class JobRunnerLifecycle: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?
    private let runner = ProcessInfo.processInfo.hostName + ":" + String(ProcessInfo.processInfo.processIdentifier)

    func didBootAsync(_ app: Application) async throws {
        task = Task { [app, runner] in
            while !Task.isCancelled {
                do {
                    try await JobRunner.runDue(app, runner: runner)
                } catch {
                    app.logger.warning(
                        "job runner pass failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                }
                try? await Task.sleep(for: JobRunner.pollInterval)
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        _ = await task?.value
    }
}
