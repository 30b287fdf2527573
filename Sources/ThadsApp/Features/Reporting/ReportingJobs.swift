import Fluent
import Foundation
import Vapor

/// What keeps the statistics current: the case spans follow every change in its transaction; a nightly rebuild
/// catches the bulk writers that bypass the observer; a daily pass locks the periods whose grace day has passed.
enum Reporting {
    static func start(_ app: Application) {
        app.changeObservers.observe(.enforcementCase) { caseID, _, db in
            try await CaseStates.rebuild(caseIDs: [caseID], on: db)
        }
    }

    static let rebuildJob = ScheduledJob(
        name: "reports.rebuild-states", schedule: .daily(hour: 0, minute: 45), workingDaysOnly: false,
        run: { ctx in
            try await ctx.write { db in try await CaseStates.rebuild(on: db) }
            return try await CaseStates.count(on: ctx.db)
        })

    static let lockJob = ScheduledJob(
        name: "reports.lock-periods", schedule: .daily(hour: 1, minute: 0), workingDaysOnly: false,
        run: { ctx in try await StatisticsService.lockDuePeriods(in: ctx) })
}

/// `thads reports-rebuild`: rebuilds every case's spans now (after an import or a bulk load) and prints the time.
struct ReportsRebuildCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Tính lại ngay dữ liệu trạng thái theo ngày của mọi hồ sơ, dùng cho báo cáo thống kê." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        try await app.write(on: app.db) { db in try await CaseStates.rebuild(on: db) }
        let seconds = (ContinuousClock.now - started).seconds
        let rows = try await CaseStates.count(on: app.db)
        context.console.print("Đã tính lại \(rows) khoảng trạng thái trong \(String(format: "%.1f", seconds)) giây.")
    }
}
