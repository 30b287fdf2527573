import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Writes and keeps the operations log (F4). Backups, drills and the job runner's runs write here themselves;
/// operators add entries by hand.
enum OperationsLog {
    static let automatic = "tự động"
    static let manual = "thủ công"

    /// Appends an entry inside the caller's transaction.
    static func append(
        actor: String, task: String, result: String, notes: String = "", source: String = automatic, at: Date,
        on db: any Database
    ) async throws {
        let entry = OperationsLogEntry()
        entry.id = UUID()
        entry.at = at
        entry.actor = actor
        entry.task = task
        entry.result = result
        entry.notes = String(notes.prefix(2000))
        entry.source = source
        try await entry.create(on: db)
    }

    static func actorName(_ ctx: ActionContext) -> String {
        switch ctx.actor {
        case .staff(let user): user.account.username
        case .system(let task): "hệ thống (\(task))"
        case .visitor: "khách"
        case .connectedSystem(let name): "hệ thống kết nối: " + name
        }
    }

    /// An operator's own entry (a hardware change, a call to the provider).
    static func record(task: String, result: String, notes: String, in ctx: ActionContext) async throws {
        try await ctx.write { db in
            try await append(
                actor: actorName(ctx), task: task, result: result, notes: notes, source: manual, at: ctx.now, on: db)
            try await ctx.audit(
                AuditEntry(action: "operations.logEntry", objectType: "operationsLog", summary: task), on: db)
        }
    }

    struct RetentionRefused: Error, CustomStringConvertible {
        let cutoff: Date
        var description: String { "Nhật ký vận hành phải được lưu ít nhất 2 năm" }
    }

    /// Deletes entries older than `before`; refuses any cut-off that would reach into the last two years (Art. 17).
    @discardableResult
    static func purge(before: Date, in ctx: ActionContext) async throws -> Int {
        guard OperationsRetention.mayDelete(before: before, now: ctx.now) else {
            throw RetentionRefused(cutoff: before)
        }
        return try await ctx.write { db in
            let old = try await OperationsLogEntry.query(on: db).filter(\.$at < before).count()
            try await OperationsLogEntry.query(on: db).filter(\.$at < before).delete()
            try await ctx.audit(
                AuditEntry(
                    action: "operations.logPurged", objectType: "operationsLog", summary: "Xóa \(old) dòng cũ"), on: db)
            return old
        }
    }

    /// The job runner's runs since an instant, as log lines: the log reads `job_runs` rather than copying it.
    static func jobRuns(since: Date, on db: any Database) async throws -> [JobRun] {
        try await JobRun.query(on: db).filter(\.$startedAt >= since).sort(\.$startedAt, .descending).limit(200).all()
    }
}
