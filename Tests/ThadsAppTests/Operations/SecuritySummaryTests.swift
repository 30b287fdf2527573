import Fluent
import Foundation
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct SecuritySummaryTests {
    /// November 2026 in Vietnam time, as UTC instants written out by hand: 31/10 17:00Z to 30/11 17:00Z.
    static let start = ISO8601DateFormatter().date(from: "2026-10-31T17:00:00Z")!
    static let end = ISO8601DateFormatter().date(from: "2026-11-30T17:00:00Z")!

    @Test func theMonthlyFiguresMatchCountsTakenFromTheTables() async throws {
        try await withTestApp { app async throws in
            let admin = try await Fixtures.account(app, "qt.anninh", class: .centralAdmin)
            let actor = AuditActor(accountID: nil, username: "x", unitID: nil, ip: nil)
            // Events inside November, and on both edges just outside it.
            let instants = [
                Self.start.addingTimeInterval(-1), Self.start, Self.start.addingTimeInterval(86400 * 10),
                Self.end.addingTimeInterval(-1), Self.end,
            ]
            for (index, instant) in instants.enumerated() {
                let actions = ["login.success", "login.failure", "account.lockout", "account.create", "account.revoke"]
                try await app.write(on: app.db) { db in
                    for action in actions.prefix(index + 1) {
                        try await AuditLog.record(AuditEntry(action: action), actor: actor, at: instant, on: db)
                    }
                    try await AuditLog.record(
                        AuditEntry(action: AccessWatch.abnormalAction), actor: actor, at: instant, on: db)
                }
                let ctx = ActionContext.system(app, task: "test").withClock(.fixed(instant))
                try await BackupService.log(
                    index % 2 == 0 ? .incremental : .drill, trigger: "lịch", started: instant,
                    timer: ContinuousClock.now, components: [], snapshot: nil, bytesAdded: 0,
                    error: index == 2 ? Self.Failure() : nil, in: ctx)
                try await OperationsAlerts.raise(
                    rule: .failedLoginBurst, subject: "logins-\(index)", summary: "x", in: ctx)
                _ = try await IncidentService.register(
                    .init(
                        kind: index % 2 == 0 ? .attack : .hardware, severity: index % 2 == 0 ? .severe : .minor,
                        detectedAt: instant, systems: "x", course: "x"), in: ctx)
            }
            let incidents = try await Incident.query(on: app.db).sort(\.$detectedAt).all()
            try await IncidentService.saveReport(
                incidents[2].id!,
                .init(cause: "", damage: "", remedy: "", prevention: "", markReported: true, close: true),
                in: ActionContext.system(app, task: "test").withClock(
                    .fixed(incidents[2].detectedAt.addingTimeInterval(3600))))

            let month = SummaryMonth(year: 2026, month: 11)!
            let figures = try await SecuritySummary.compile(month, on: app.db)

            struct Count: Decodable { let n: Int }
            let sql = try app.db.sql
            let startMs = Int64(Self.start.timeIntervalSince1970 * 1000)
            let endMs = Int64(Self.end.timeIntervalSince1970 * 1000)
            func audit(_ action: String) async throws -> Int {
                let row: Count? = try await sql.raw(
                    "SELECT count(*) AS n FROM audit_events WHERE action = \(bind: action) AND occurred_at_ms >= \(bind: startMs) AND occurred_at_ms < \(bind: endMs)"
                ).first(decoding: Count.self)
                return row?.n ?? -1
            }
            func rows(_ query: SQLQueryString) async throws -> Int {
                let row: Count? = try await sql.raw("SELECT count(*) AS n FROM " + query).first(decoding: Count.self)
                return row?.n ?? -1
            }
            let inMonth: @Sendable (String) -> SQLQueryString = { column in
                "\(ident: column) >= \(bind: Self.start) AND \(ident: column) < \(bind: Self.end)"
            }
            #expect(figures.logins == (try await audit("login.success")))
            #expect(figures.loginFailures == (try await audit("login.failure")))
            #expect(figures.lockouts == (try await audit("account.lockout")))
            #expect(
                figures.accountsCreated == (try await audit("account.create")) + (try await audit("account.created")))
            #expect(figures.accountsRevoked == (try await audit("account.revoke")))
            #expect(figures.abnormalAccess == (try await audit(AccessWatch.abnormalAction)))
            #expect(figures.alertsRaised == (try await rows("operations_alerts WHERE " + inMonth("raised_at"))))
            #expect(figures.incidents == (try await rows("incidents WHERE " + inMonth("detected_at"))))
            #expect(
                figures.severeIncidents
                    == (try await rows("incidents WHERE severity = 'severe' AND " + inMonth("detected_at"))))
            #expect(
                figures.backupsFailed
                    == (try await rows(
                        "backup_runs WHERE kind IN ('incremental','full','archive') AND succeeded = \(bind: false) AND "
                            + inMonth("started_at"))))
            #expect(
                figures.drillsSucceeded
                    == (try await rows(
                        "backup_runs WHERE kind = 'drill' AND succeeded = \(bind: true) AND " + inMonth("started_at"))))
            // And the figures themselves, counted by hand: three instants of the five fall in November.
            #expect(figures.logins == 3 && figures.loginFailures == 3 && figures.lockouts == 2)
            #expect(figures.accountsCreated == 1 && figures.accountsRevoked == 0)
            #expect(figures.incidents == 3 && figures.severeIncidents == 1 && figures.severeRemediedInTime == 1)
            #expect(figures.backupsFailed == 1 && figures.backupsSucceeded == 0 && figures.drillsSucceeded == 2)
            // Three login-burst alerts and the alert of the failed backup.
            #expect(figures.alertsRaised == 4)

            // Compiled and logged once, on the first working day of December (Tuesday 1/12/2026).
            let ctx = ActionContext.system(app, task: "test").withClock(.fixed(LocalDate(iso: "2026-12-01")!, hour: 7))
            #expect(SummaryMonth.due(on: ctx.today, calendar: ctx.calendar) == month)
            #expect(try await SecuritySummary.deliver(month, in: ctx))
            #expect(!(try await SecuritySummary.deliver(month, in: ctx)))
            #expect(
                try await OperationsLogEntry.query(on: app.db).filter(\.$task == SecuritySummary.task(month)).count()
                    == 1)
            let mailed = try await OutboxMail.query(on: app.db).filter(\.$recipient == admin.account.email).all()
            #expect(mailed.contains { $0.subject.contains("Tổng hợp an ninh tháng 11/2026") })
            let (client, _) = try await Fixtures.signedIn(app, "qt.vanhanh", class: .centralAdmin)
            let page = try await client.get("/van-hanh/tong-hop?thang=11/2026")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Đã lập và gửi Cục"))
            #expect(try await client.get("/van-hanh/tong-hop?thang=99/2026").status == .badRequest)
        }
    }

    struct Failure: Error {}
}

extension ActionContext {
    /// The same actor and database at another time: events of a test dated where it needs them.
    func withClock(_ clock: AppClock) -> ActionContext {
        ActionContext(actor: actor, scope: scope, db: db, clock: clock, ip: ip, app: app)
    }
}
