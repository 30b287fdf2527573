import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// The alert rules (F3, H3), evaluated by the job runner every five minutes: backups and drills overdue, disk
/// nearly full, bursts of failed logins, abnormal access (AccessWatch's threshold events, and an account's views
/// far above its own usual day and its unit's peers), and staff access at unusual hours.
enum OperationsWatch {
    static let job = ScheduledJob(name: "operations.alerts", schedule: .every(seconds: 300), workingDaysOnly: false) {
        try await evaluate($0)
    }

    static func thresholds(_ settings: AppSettings) -> AlertThresholds {
        AlertThresholds(
            failedLoginsPer15Minutes: settings.operations.failedLoginBurst,
            diskFreePercent: settings.operations.diskFreePercent, quietHours: settings.operations.quietHours)
    }

    /// Evaluates every rule and returns how many alerts it raised.
    @discardableResult
    static func evaluate(_ ctx: ActionContext) async throws -> Int {
        let limits = thresholds(ctx.settings)
        var found: [(AlertRule, String, String)] = []
        found += try await backupFindings(ctx)
        if let disk = ctx.app.diskReading(ctx.settings.dataDirectory),
            limits.diskNearlyFull(freeBytes: disk.freeBytes, totalBytes: disk.totalBytes)
        {
            found.append(
                (
                    .diskNearlyFull, "disk",
                    "Ổ dữ liệu còn \(disk.freeBytes * 100 / max(disk.totalBytes, 1))% dung lượng trống (ngưỡng "
                        + "\(limits.diskFreePercent)%)"
                ))
        }
        let nowMs = Int64((ctx.now.timeIntervalSince1970 * 1000).rounded())
        let failures = try await AuditEvent.query(on: ctx.db).filter(\.$action == "login.failure")
            .filter(\.$occurredAtMs >= nowMs - 15 * 60_000).count()
        if limits.failedLoginBurst(failures) {
            found.append(
                (
                    .failedLoginBurst, "logins",
                    "\(failures) lần đăng nhập sai trong 15 phút (ngưỡng "
                        + "\(limits.failedLoginsPer15Minutes))"
                ))
        }
        for event in try await AccessWatch.abnormalEvents(since: ctx.now.addingTimeInterval(-900), on: ctx.db) {
            found.append((.abnormalAccess, "account:" + (event.objectID ?? "?"), event.summary ?? ""))
        }
        found += try await rateFindings(ctx, limits: limits)
        found += try await quietHourFindings(ctx, limits: limits)
        guard !found.isEmpty else { return 0 }
        let findings = found
        let raised = try await ctx.write { db in
            var raised = 0
            for (rule, subject, summary) in findings {
                if try await OperationsAlerts.raise(rule: rule, subject: subject, summary: summary, in: ctx, on: db) {
                    raised += 1
                }
            }
            return raised
        }
        if raised > 0 { await ctx.deliverMail() }
        return raised
    }

    // MARK: Backups

    static func lastSuccess(_ kinds: [BackupKind], on db: any Database) async throws -> BackupRun? {
        try await BackupRun.query(on: db).filter(\.$kind ~~ kinds.map(\.rawValue)).filter(\.$succeeded == true)
            .sort(\.$startedAt, .descending).first()
    }

    static let snapshotKinds: [BackupKind] = [.incremental, .full, .archive]

    static func backupFindings(_ ctx: ActionContext) async throws -> [(AlertRule, String, String)] {
        var found: [(AlertRule, String, String)] = []
        // A new installation is given its first day before a missing backup counts as missed.
        guard let first = try await AuditEvent.query(on: ctx.db).sort(\.$seq).first(),
            ctx.now.timeIntervalSince(first.occurredAt) > BackupFreshness.backupMaxAge
        else { return [] }
        let backup = try await lastSuccess(snapshotKinds, on: ctx.db)
        if BackupFreshness.status(lastSuccess: backup?.startedAt, now: ctx.now, maxAge: BackupFreshness.backupMaxAge)
            .isOverdue
        {
            found.append(
                (
                    .backupOverdue, "backup",
                    "Bản sao lưu thành công gần nhất: \(backup.map { Format.dateTime($0.startedAt) } ?? "chưa có")"
                ))
        }
        let drill = try await lastSuccess([.drill], on: ctx.db)
        if ctx.now.timeIntervalSince(first.occurredAt) > BackupFreshness.drillMaxAge,
            BackupFreshness.status(lastSuccess: drill?.startedAt, now: ctx.now, maxAge: BackupFreshness.drillMaxAge)
                .isOverdue
        {
            found.append(
                (
                    .drillOverdue, "drill",
                    "Diễn tập khôi phục thành công gần nhất: \(drill.map { Format.dateTime($0.startedAt) } ?? "chưa có")"
                ))
        }
        return found
    }

    // MARK: Access

    struct DayCount: Decodable, Sendable {
        let actorId: UUID
        let actorUnitId: UUID?
        let day: Int64
        let n: Int
    }

    static let dayMs: Int64 = 86_400_000
    static let vietnamOffsetMs: Int64 = 7 * 3_600_000

    /// Views of case data and exports per account and Vietnam day over the last 15 days. The day's constants are
    /// written into the statement (they are ours, not input) and grouped by position: PostgreSQL does not match a
    /// GROUP BY expression to a select expression whose parameters are numbered differently.
    static func dailyViews(until now: Date, on db: any Database) async throws -> [DayCount] {
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded())
        let from = nowMs - 15 * dayMs
        return try await db.sql.raw(
            """
            SELECT actor_id, actor_unit_id, (occurred_at_ms + \(unsafeRaw: String(vietnamOffsetMs))) / \(unsafeRaw: String(dayMs)) AS day,
                count(*) AS n
            FROM audit_events
            WHERE occurred_at_ms >= \(bind: from) AND occurred_at_ms <= \(bind: nowMs) AND actor_id IS NOT NULL
                AND (object_type = 'case' OR action LIKE '%export%')
            GROUP BY 1, 2, 3
            """
        ).all(decoding: DayCount.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
    }

    static func rateFindings(_ ctx: ActionContext, limits: AlertThresholds) async throws -> [(
        AlertRule, String, String
    )] {
        let rows = try await dailyViews(until: ctx.now, on: ctx.db)
        let nowMs = Int64((ctx.now.timeIntervalSince1970 * 1000).rounded())
        let today = (nowMs + vietnamOffsetMs) / dayMs
        let todays = rows.filter { $0.day == today }
        return todays.compactMap { row in
            let own = rows.filter { $0.actorId == row.actorId && $0.day < today }.map(\.n)
            let peers = todays.filter { $0.actorUnitId == row.actorUnitId && $0.actorId != row.actorId }.map(\.n)
            guard limits.abnormalRate(today: row.n, ownHistory: own, peersToday: peers) else { return nil }
            return (
                .abnormalAccess, "rate:\(row.actorId.uuidString):\(today)",
                "Một tài khoản xem/trích xuất \(row.n) lượt hồ sơ hôm nay, vượt xa mức thường ngày của chính tài khoản "
                    + "và của đồng nghiệp cùng đơn vị"
            )
        }
    }

    static func quietHourFindings(_ ctx: ActionContext, limits: AlertThresholds) async throws
        -> [(AlertRule, String, String)]
    {
        let nowMs = Int64((ctx.now.timeIntervalSince1970 * 1000).rounded())
        let recent = try await AuditEvent.query(on: ctx.db).filter(\.$actorID != nil)
            .filter(\.$occurredAtMs >= nowMs - 15 * 60_000).filter(\.$occurredAtMs <= nowMs)
            .sort(\.$seq, .descending).limit(2000).all()
        var seen = Set<String>()
        var found: [(AlertRule, String, String)] = []
        for event in recent {
            let localMs = event.occurredAtMs + vietnamOffsetMs
            let hour = Int((localMs % dayMs) / 3_600_000)
            guard limits.isQuiet(hour: hour), let actor = event.actorID else { continue }
            let subject = "hours:\(actor.uuidString):\(localMs / dayMs)"
            guard seen.insert(subject).inserted else { continue }
            found.append(
                (.unusualHours, subject, "Tài khoản \(event.actorUsername ?? "?") truy cập lúc \(hour) giờ (ngoài giờ)")
            )
        }
        return found
    }
}

/// Free and total bytes of the file system holding a directory.
struct DiskReading: Sendable, Equatable {
    var freeBytes: Int64
    var totalBytes: Int64

    /// The machine's own figures; nil when the file system does not answer.
    static func measure(_ path: String) -> DiskReading? {
        guard let disk = try? FileManager.default.attributesOfFileSystem(forPath: path),
            let free = (disk[.systemFreeSize] as? NSNumber)?.int64Value,
            let total = (disk[.systemSize] as? NSNumber)?.int64Value
        else { return nil }
        return DiskReading(freeBytes: free, totalBytes: total)
    }
}

extension Application {
    private struct DiskReadingKey: StorageKey {
        typealias Value = @Sendable (String) -> DiskReading?
    }

    /// How the disk rule reads the data directory's file system: the real reading, unless a test puts a nearly full
    /// disk in its place.
    var diskReading: @Sendable (String) -> DiskReading? {
        get { storage[DiskReadingKey.self] ?? { DiskReading.measure($0) } }
        set { storage[DiskReadingKey.self] = newValue }
    }
}
