import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The monthly security summary for the central department (H4): compiled on the first working day of each
/// month for the month before, shown as a page and a printable view, and logged.
enum SecuritySummary {
    struct Figures: Sendable, Equatable {
        var logins = 0
        var loginFailures = 0
        var lockouts = 0
        var alertsRaised = 0
        var alertsAcknowledged = 0
        var incidents = 0
        var severeIncidents = 0
        var severeRemediedInTime = 0
        var backupsSucceeded = 0
        var backupsFailed = 0
        var drillsSucceeded = 0
        var drillsFailed = 0
        var accountsCreated = 0
        var accountsLocked = 0
        var accountsRevoked = 0
        var abnormalAccess = 0

        var rows: [(String, Int)] {
            [
                ("Đăng nhập thành công", logins), ("Đăng nhập sai", loginFailures), ("Tài khoản bị khóa tạm", lockouts),
                ("Cảnh báo phát sinh", alertsRaised), ("Cảnh báo đã xử lý", alertsAcknowledged),
                ("Sự cố", incidents), ("Sự cố nghiêm trọng", severeIncidents),
                ("Sự cố nghiêm trọng khắc phục trong 24 giờ", severeRemediedInTime),
                ("Sao lưu thành công", backupsSucceeded), ("Sao lưu thất bại", backupsFailed),
                ("Diễn tập khôi phục đạt", drillsSucceeded), ("Diễn tập khôi phục không đạt", drillsFailed),
                ("Tài khoản được tạo", accountsCreated), ("Tài khoản bị khóa", accountsLocked),
                ("Tài khoản bị thu hồi", accountsRevoked), ("Trường hợp truy cập bất thường", abnormalAccess),
            ]
        }
    }

    static func window(_ month: SummaryMonth) -> (start: Date, end: Date) {
        (month.first.startOfDay(in: .vietnam), month.next.first.startOfDay(in: .vietnam))
    }

    static func compile(_ month: SummaryMonth, on db: any Database) async throws -> Figures {
        let (start, end) = window(month)
        let startMs = Int64((start.timeIntervalSince1970 * 1000).rounded())
        let endMs = Int64((end.timeIntervalSince1970 * 1000).rounded())
        func events(_ actions: [String]) async throws -> Int {
            try await AuditEvent.query(on: db).filter(\.$action ~~ actions).filter(\.$occurredAtMs >= startMs)
                .filter(\.$occurredAtMs < endMs).count()
        }
        var figures = Figures()
        figures.logins = try await events(["login.success"])
        figures.loginFailures = try await events(["login.failure"])
        figures.lockouts = try await events(["account.lockout"])
        figures.accountsCreated = try await events(["account.create", "account.created"])
        figures.accountsLocked = try await events(["account.lock"])
        figures.accountsRevoked = try await events(["account.revoke"])
        let alerts = try await OperationsAlert.query(on: db).filter(\.$raisedAt >= start).filter(\.$raisedAt < end)
            .all()
        figures.alertsRaised = alerts.count
        figures.alertsAcknowledged = alerts.filter { $0.acknowledgedAt != nil }.count
        let abnormalRules = [AlertRule.abnormalAccess.rawValue, AlertRule.unusualHours.rawValue]
        figures.abnormalAccess =
            try await events([AccessWatch.abnormalAction])
            + alerts.filter { abnormalRules.contains($0.rule) && !$0.subject.hasPrefix("account:") }.count
        let incidents = try await Incident.query(on: db).filter(\.$detectedAt >= start).filter(\.$detectedAt < end)
            .all()
        figures.incidents = incidents.count
        let severe = incidents.filter { $0.severity == IncidentSeverity.severe.rawValue }
        figures.severeIncidents = severe.count
        figures.severeRemediedInTime =
            severe.filter { incident in
                guard let closed = incident.closedAt, let due = incident.dueAt else { return false }
                return closed <= due
            }.count
        let runs = try await BackupRun.query(on: db).filter(\.$startedAt >= start).filter(\.$startedAt < end).all()
        let snapshots = runs.filter { BackupKind(rawValue: $0.kind)?.takesSnapshot == true }
        figures.backupsSucceeded = snapshots.filter(\.succeeded).count
        figures.backupsFailed = snapshots.filter { !$0.succeeded }.count
        let drills = runs.filter { $0.kind == BackupKind.drill.rawValue }
        figures.drillsSucceeded = drills.filter(\.succeeded).count
        figures.drillsFailed = drills.filter { !$0.succeeded }.count
        return figures
    }

    static func task(_ month: SummaryMonth) -> String { "Tổng hợp an ninh tháng \(month.display)" }

    /// The daily job's work: on the first working day of a month, compiles the month before once, logs it and mails
    /// the figures (counts only, no names) to the central administrators.
    static let job = ScheduledJob(
        name: "operations.security-summary", schedule: .daily(hour: 7, minute: 0), workingDaysOnly: true
    ) { ctx in
        guard let month = SummaryMonth.due(on: ctx.today, calendar: ctx.calendar) else { return 0 }
        return try await deliver(month, in: ctx) ? 1 : 0
    }

    @discardableResult
    static func deliver(_ month: SummaryMonth, in ctx: ActionContext) async throws -> Bool {
        let done = try await OperationsLogEntry.query(on: ctx.db).filter(\.$task == task(month)).count()
        guard done == 0 else { return false }
        let figures = try await compile(month, on: ctx.db)
        try await ctx.write { db in
            try await OperationsLog.append(
                actor: OperationsLog.actorName(ctx), task: task(month), result: "đã lập",
                notes: figures.rows.map { "\($0.0): \($0.1)" }.joined(separator: "; "), at: ctx.now, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "operations.securitySummary", objectType: "securitySummary", objectID: month.display),
                on: db)
            let admins = try await Account.query(on: db).filter(\.$accountClass == .centralAdmin)
                .filter(\.$status == .active).all()
            for admin in admins {
                try await ctx.enqueueMail(
                    to: admin.email, subject: "[THADS] " + task(month),
                    body: figures.rows.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
                        + "\n\n\(ctx.settings.publicURL.absoluteString)/van-hanh/tong-hop?thang=\(month.display)",
                    on: db)
            }
        }
        await ctx.deliverMail()
        return true
    }
}
