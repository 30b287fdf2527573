import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import ThadsDomain
import Vapor

/// Backups on restic (F1): one snapshot holds a consistent database copy, the files directory and a manifest;
/// every run, good or bad, goes into the backup log and the operations log, and a failure raises an alert.
enum BackupService {
    static let manifestFile = "manifest.json"
    static let checkpointsFile = "audit-checkpoints.log"

    struct Outcome: Sendable {
        var run: BackupRun
        var manifest: BackupManifest?
    }

    /// One backup at a time per process: the staging directory is fixed (so restic finds the previous snapshot of
    /// the same paths and reads only changed files).
    static let lock = NIOLockedValueBox(false)

    struct Busy: Error, CustomStringConvertible {
        var description: String { "Một lượt sao lưu khác đang chạy" }
    }

    static func primary(_ settings: AppSettings) -> Restic {
        Restic(repository: settings.backupRepository, settings: settings)
    }

    /// Takes a snapshot of `kind` (incremental, full or archive); a full one then reads the whole repository back and
    /// prunes by the retention settings; a second repository, when set, receives a copy.
    @discardableResult
    static func run(_ kind: BackupKind, trigger: String, in ctx: ActionContext) async throws -> Outcome {
        precondition(kind.takesSnapshot)
        let acquired = lock.withLockedValue { busy -> Bool in
            if busy { return false }
            busy = true
            return true
        }
        guard acquired else { throw Busy() }
        defer { lock.withLockedValue { $0 = false } }
        let started = ctx.now
        let timer = ContinuousClock.now
        let settings = ctx.settings
        let staging = settings.dataDirectory + "/backups/staging"
        var components: [String] = []
        do {
            let restic = primary(settings)
            try await restic.prepare()
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.createDirectory(
                atPath: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // The database first, then the files: every attachment a copied row names was written before its row.
            let facts = try await DatabaseCopy.take(ctx.app, into: staging)
            components.append("cơ sở dữ liệu")
            let attachments = try linkTree(from: settings.filesDirectory, to: staging + "/files")
            components.append("tệp (\(attachments) tệp đính kèm)")
            let checkpoints = settings.dataDirectory + "/" + checkpointsFile
            if FileManager.default.fileExists(atPath: checkpoints) {
                try FileManager.default.copyItem(atPath: checkpoints, toPath: staging + "/" + checkpointsFile)
            }
            let manifest = BackupManifest(
                application: ThadsDomainVersion.name, createdAt: started, kind: kind.rawValue,
                database: ctx.app.databaseKind == .sqlite ? "sqlite" : "postgresql", databaseFile: facts.file,
                migrations: facts.migrations, rowCounts: facts.rowCounts, attachments: attachments,
                keyFingerprint: ctx.keys.fingerprint, auditLastSeq: facts.auditLastSeq, schema: facts.schema)
            try FileStore.writePrivate(try manifestEncoder.encode(manifest), to: staging + "/" + manifestFile)
            components.append("bản kê")
            let summary = try await restic.backup(directory: staging, kind: kind.rawValue)
            try? FileManager.default.removeItem(atPath: staging)
            if kind.readsAllData {
                try await restic.check(readData: true)
                components.append("kiểm tra toàn bộ kho")
                try await restic.forget(
                    BackupRetention(
                        keepDaily: settings.operations.keepDaily, keepWeekly: settings.operations.keepWeekly,
                        keepMonthly: settings.operations.keepMonthly
                    ).resticArguments)
                components.append("dọn theo chính sách lưu giữ")
            }
            if let second = settings.operations.copyRepository {
                try await restic.copy(summary.snapshotId, to: Restic(repository: second, settings: settings))
                components.append("bản sao ở kho thứ hai")
            }
            let run = try await log(
                kind, trigger: trigger, started: started, timer: timer, components: components,
                snapshot: summary.snapshotId, bytesAdded: summary.dataAdded, error: nil, in: ctx)
            return Outcome(run: run, manifest: manifest)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            try await log(
                kind, trigger: trigger, started: started, timer: timer, components: components, snapshot: nil,
                bytesAdded: 0, error: error, in: ctx)
            throw error
        }
    }

    /// `restic check --read-data` over the whole repository: a damaged pack is reported, logged and alerted.
    @discardableResult
    static func verify(trigger: String, in ctx: ActionContext) async throws -> BackupRun {
        let started = ctx.now
        let timer = ContinuousClock.now
        do {
            try await primary(ctx.settings).check(readData: true)
            return try await log(
                .verify, trigger: trigger, started: started, timer: timer, components: ["toàn bộ kho"], snapshot: nil,
                bytesAdded: 0, error: nil, in: ctx)
        } catch {
            try await log(
                .verify, trigger: trigger, started: started, timer: timer, components: ["toàn bộ kho"], snapshot: nil,
                bytesAdded: 0, error: error, in: ctx)
            throw error
        }
    }

    static func snapshots(_ settings: AppSettings) async throws -> [Restic.Snapshot] {
        try await primary(settings).snapshots()
    }

    /// Restores a snapshot (an id, or "latest") into `directory`. For SQLite the directory is then a data directory
    /// (database, files, checkpoint file) that needs only the key files beside it; for PostgreSQL it holds the dump.
    static func restore(_ snapshot: String, to directory: String, settings: AppSettings) async throws -> BackupManifest
    {
        try await primary(settings).restore(snapshot, to: directory)
        return try manifestDecoder.decode(
            BackupManifest.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + manifestFile)))
    }

    /// Loads a restored PostgreSQL dump into the database of `DATABASE_URL`, replacing the schema it was taken from.
    static func loadPostgres(from directory: String, settings: AppSettings) async throws {
        guard let url = settings.databaseURL else { throw Abort(.badRequest, reason: "DATABASE_URL is not set") }
        let connection = PostgresConnectionArguments(url: url)
        try await ExternalProgram.check(
            "pg_restore",
            [
                "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                "--dbname=" + connection.dbname, directory + "/" + DatabaseCopy.postgresFile,
            ],
            environment: connection.environment)
    }

    // MARK: Log

    @discardableResult
    static func log(
        _ kind: BackupKind, trigger: String, started: Date, timer: ContinuousClock.Instant, components: [String],
        snapshot: String?, bytesAdded: Int64, error: (any Error)?, detail: String? = nil, in ctx: ActionContext
    ) async throws -> BackupRun {
        let run = BackupRun()
        run.id = UUID()
        run.startedAt = started
        run.durationMs = Int64(((ContinuousClock.now - timer).seconds * 1000).rounded())
        run.finishedAt = started.addingTimeInterval(Double(run.durationMs) / 1000)
        run.kind = kind.rawValue
        run.trigger = trigger
        run.components = components.joined(separator: ", ")
        run.snapshot = snapshot
        run.bytesAdded = bytesAdded
        run.succeeded = error == nil
        run.detail = error.map { String(String(describing: $0).prefix(1000)) } ?? detail
        try await ctx.write { db in
            try await run.create(on: db)
            try await OperationsLog.append(
                actor: trigger, task: kind.label, result: error == nil ? "thành công" : "thất bại",
                notes: ([run.components] + (run.detail.map { [$0] } ?? [])).joined(separator: " — "), at: ctx.now,
                on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "operations.backup", objectType: "backupRun", objectID: run.id?.uuidString,
                    summary: "\(kind.label): \(error == nil ? "thành công" : "thất bại")"), on: db)
            if error != nil {
                let rule: AlertRule = kind == .verify ? .verifyFailed : .backupFailed
                try await OperationsAlerts.raise(
                    rule: rule, subject: kind.rawValue,
                    summary: "\(kind.label) lúc \(Format.dateTime(started)) thất bại: \(run.detail ?? "")", in: ctx,
                    on: db)
            }
        }
        if error != nil { await ctx.deliverMail() }
        return run
    }

    // MARK: Files

    /// Mirrors a directory tree with hard links (a copy where links are impossible): attachments are written once
    /// and never changed, so a link is as good as a copy and costs nothing.
    static func linkTree(from source: String, to target: String) throws -> Int {
        let manager = FileManager.default
        try manager.createDirectory(atPath: target, withIntermediateDirectories: true)
        guard let walker = manager.enumerator(atPath: source) else { return 0 }
        var attachments = 0
        while let relative = walker.nextObject() as? String {
            let from = source + "/" + relative
            let to = target + "/" + relative
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: from, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try manager.createDirectory(atPath: to, withIntermediateDirectories: true)
                continue
            }
            // A file half written by an upload in progress is not part of any committed row yet.
            if (relative as NSString).lastPathComponent.hasPrefix(".") { continue }
            do { try manager.linkItem(atPath: from, toPath: to) } catch {
                try manager.copyItem(atPath: from, toPath: to)
            }
            if relative.hasPrefix("attachments/") { attachments += 1 }
        }
        return attachments
    }

    static let manifestEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let manifestDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
