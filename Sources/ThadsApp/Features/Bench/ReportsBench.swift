import Fluent
import Foundation
import ThadsDomain
import Vapor

/// `thads bench-reports`: times the statistics on the data in the database (generate it with
/// `thads demo-data --cases N`): the full rebuild of the case spans, and forms 01/02 for the whole country, for one
/// province with its offices and for one office, over the current statistical year's latest full period and the
/// last year's 12 months. The figures are read the way the report page reads them (`StatisticsService.report`).
struct ReportsBenchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "runs", help: "Reports per figure (default 20)")
        var runs: Int?
        @Flag(name: "skip-rebuild", help: "Do not time the full rebuild of the spans (they must be current)")
        var skipRebuild: Bool
    }

    var help: String { "Đo thời gian lập báo cáo thống kê (mẫu 01, 02) và tính lại dữ liệu trạng thái theo ngày." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let runs = max(3, signature.runs ?? 20)
        let size = try await BenchData.size(app)
        context.console.print(
            "Dữ liệu: \(size.cases) hồ sơ (\(app.databaseKind == .postgres ? "PostgreSQL" : "SQLite"))")
        if !signature.skipRebuild {
            let started = ContinuousClock.now
            try await app.write(on: app.db) { db in try await CaseStates.rebuild(on: db) }
            let seconds = (ContinuousClock.now - started).seconds
            let spans = try await CaseStates.count(on: app.db)
            context.console.print(
                String(
                    format: "rebuild-states    %.1f s, %d spans, %.0f cases/s", seconds, spans,
                    Double(size.cases) / max(seconds, 0.001)))
        }
        let central = try await EnforcementUnit.query(on: app.db).filter(\.$level == .central).first()
        let province = try await EnforcementUnit.query(on: app.db).filter(\.$level == .province).sort(\.$code).first()
        guard let central, let province else {
            context.console.print("Chưa có danh mục đơn vị.")
            return
        }
        let office = try await EnforcementUnit.query(on: app.db).filter(\.$parentID == province.id!).first()
        // Closing the ended periods stores each unit's figures: the reports of a closed period read those.
        let closing = ContinuousClock.now
        let locks = try await StatisticsService.lockDuePeriods(in: ActionContext.system(app, task: "bench-reports"))
        context.console.print(
            String(
                format: "lock-periods      %.1f s, %d unit-periods locked", (ContinuousClock.now - closing).seconds,
                locks))
        _ = try await BenchData.sessions(app)
        let ctx = try await BenchData.readerContext(app)
        let today = app.clock.today
        let year = StatisticalYear.of(today)
        let periods = [
            ReportingPeriod(year: year - 1, months: 12)!,
            ReportingPeriod(year: year, months: max(1, ReportingPeriod.monthsEnded(on: today)))!,
        ]
        var cases = 0
        for period in periods {
            var targets: [(String, UUID, Bool)] = [("country", central.id!, true), ("province", province.id!, true)]
            if let office { targets.append(("office", office.id!, false)) }
            for (label, unitID, withSubunits) in targets {
                var timings: [Double] = []
                for _ in 0..<runs {
                    let started = ContinuousClock.now
                    let report = try await StatisticsService.report(
                        unitID: unitID, withSubunits: withSubunits, period: period,
                        detail: .init(money: false, officers: false), in: ctx)
                    timings.append((ContinuousClock.now - started).seconds * 1000)
                    cases = report.total.cases.totalAccepted
                }
                let locked =
                    try await PeriodLock.query(on: app.db).filter(\.$unitID == unitID).filter(\.$year == period.year)
                    .filter(\.$months == period.months).count() > 0
                context.console.print(
                    Self.line(
                        "form-01 \(locked ? "closed" : "live  ") \(label)", period: period, timings: timings,
                        note: "\(cases) việc thụ lý"))
            }
            // The same national figures read live from the spans, as an open period is read: counts, then money.
            for money in [false, true] {
                var timings: [Double] = []
                var rows = 0
                for _ in 0..<runs {
                    let started = ContinuousClock.now
                    rows = try await ReportFigures.rows(
                        period, units: nil, detail: .init(money: money, officers: false), on: app.db
                    ).count
                    timings.append((ContinuousClock.now - started).seconds * 1000)
                }
                context.console.print(
                    Self.line(
                        "form-\(money ? "02" : "01") live   country", period: period, timings: timings,
                        note: "\(rows) nhóm"))
            }
        }
    }
}

extension BenchData {
    /// The bench reader (a central inspector: every unit in scope) as a service sees a signed-in request of it.
    static func readerContext(_ app: Application) async throws -> ActionContext {
        guard let account = try await Account.query(on: app.db).filter(\.$username == "bench.reader").first(),
            let unit = try await EnforcementUnit.find(account.unitID, on: app.db)
        else { throw Abort(.internalServerError, reason: "bench.reader missing") }
        let session = UserSession()
        session.id = UUID()
        session.accountID = account.id!
        session.createdAt = app.clock.now
        session.lastSeenAt = app.clock.now
        session.mfaPassed = true
        let scope = try await DataScopeResolver.resolve(account: account, unit: unit, on: app.db)
        let user = CurrentUser(account: account, session: session, unit: unit, scope: scope, now: app.clock.now)
        return ActionContext(actor: .staff(user), scope: scope, db: app.db, clock: app.clock, ip: nil, app: app)
    }
}

extension ReportsBenchCommand {
    static func line(_ name: String, period: ReportingPeriod, timings: [Double], note: String) -> String {
        let sorted = timings.sorted()
        let p50 = sorted[sorted.count / 2]
        let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        return name.padding(toLength: 24, withPad: " ", startingAt: 0) + " \(period.months) tháng \(period.year)"
            + String(format: "  p50 %8.1f ms  p99 %8.1f ms", p50, p99) + "  (\(note), n=\(sorted.count))"
    }
}
