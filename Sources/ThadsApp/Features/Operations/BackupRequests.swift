import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// A backup, verification or drill an operator asked for from the operator page. The request only queues the work:
/// the job runner takes it on its next pass (so the server's request ends at once and one runner, not the web
/// process that took the form, does it), and the run goes into the backup log like a scheduled one.
final class BackupRequest: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [$id, $kind, $requestedAt, $requestedBy, $startedAt, $finishedAt, $succeeded]
    }
    static let schema = "backup_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "requested_at") var requestedAt: Date
    @Field(key: "requested_by") var requestedBy: String
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "succeeded") var succeeded: Bool?

    init() {}
}

struct CreateBackupRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BackupRequest.schema)
            .id()
            .field("kind", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("requested_by", .string, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .field("succeeded", .bool)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BackupRequest.schema).delete()
    }
}

enum BackupRequests {
    /// What an operator may start by hand.
    static let kinds: [BackupKind] = [.incremental, .full, .archive, .verify, .drill]

    struct AlreadyQueued: Error {}

    /// Queues `kind`, audited and written to the operations log; refuses a second request of the same kind while one
    /// waits or runs.
    @discardableResult
    static func request(_ kind: BackupKind, in ctx: ActionContext) async throws -> BackupRequest {
        let user = try ctx.staff
        return try await ctx.write { db in
            let waiting = try await BackupRequest.query(on: db).filter(\.$kind == kind.rawValue)
                .filter(\.$finishedAt == nil).count()
            guard waiting == 0 else { throw AlreadyQueued() }
            let request = BackupRequest()
            request.id = UUID()
            request.kind = kind.rawValue
            request.requestedAt = ctx.now
            request.requestedBy = user.account.username
            try await request.create(on: db)
            try await OperationsLog.append(
                actor: user.account.username, task: "Yêu cầu: " + kind.label, result: "đã xếp hàng",
                at: ctx.now, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "operations.backupRequested", objectType: "backupRequest",
                    objectID: request.id?.uuidString, summary: kind.label), on: db)
            return request
        }
    }

    static func pending(on db: any Database) async throws -> [BackupRequest] {
        try await BackupRequest.query(on: db).filter(\.$finishedAt == nil).sort(\.$requestedAt).all()
    }

    /// Polled by the job runner; each request is claimed by one `UPDATE … WHERE started_at IS NULL`, so two runners
    /// never both run it.
    static let job = ScheduledJob(
        name: "operations.backupRequests", schedule: .every(seconds: 60), workingDaysOnly: false
    ) { ctx in
        var done = 0
        while let request = try await claim(ctx) {
            let kind = BackupKind(rawValue: request.kind) ?? .incremental
            let trigger = request.requestedBy
            var succeeded = true
            do {
                switch kind {
                case .verify: try await BackupService.verify(trigger: trigger, in: ctx)
                case .drill: _ = try await BackupDrill.run(trigger: trigger, in: ctx)
                default: try await BackupService.run(kind, trigger: trigger, in: ctx)
                }
            } catch {
                // The backup log, the operations log and the alert already hold the failure.
                succeeded = false
            }
            request.finishedAt = ctx.now
            request.succeeded = succeeded
            try await ctx.write { db in try await request.save(on: db) }
            done += 1
        }
        return done
    }

    static func claim(_ ctx: ActionContext) async throws -> BackupRequest? {
        try await ctx.write { db -> BackupRequest? in
            // Oldest first; of requests made in the same instant a snapshot goes before the drill that restores it.
            let order = { (request: BackupRequest) in
                kinds.firstIndex { $0.rawValue == request.kind } ?? kinds.count
            }
            guard
                let next = try await BackupRequest.query(on: db).filter(\.$startedAt == nil).all()
                    .min(by: { ($0.requestedAt, order($0)) < ($1.requestedAt, order($1)) })
            else { return nil }
            struct Claimed: Decodable { let id: UUID }
            let claimed = try await db.sql.raw(
                """
                UPDATE backup_requests SET started_at = \(bind: ctx.now)
                WHERE id = \(bind: next.id!) AND started_at IS NULL RETURNING id
                """
            ).first(decoding: Claimed.self)
            guard claimed != nil else { return nil }
            next.startedAt = ctx.now
            return next
        }
    }
}
