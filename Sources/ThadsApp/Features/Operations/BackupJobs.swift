import Foundation
import ThadsDomain

/// The schedule of Art. 14: one nightly slot takes the month's archive on the 1st, the week's full backup on
/// Sundays and an incremental one on every other day; the drill runs when the last good one is four weeks old.
enum BackupJobs {
    static let trigger = "lịch"

    static let nightly = ScheduledJob(
        name: "operations.backup", schedule: .daily(hour: 2, minute: 0), workingDaysOnly: false
    ) {
        ctx in
        try await BackupService.run(BackupKind.scheduled(on: ctx.today), trigger: trigger, in: ctx)
        return 1
    }

    static let drill = ScheduledJob(
        name: "operations.drill", schedule: .daily(hour: 3, minute: 30), workingDaysOnly: false
    ) {
        ctx in
        let last = try await OperationsWatch.lastSuccess([.drill], on: ctx.db)
        if let last, ctx.now.timeIntervalSince(last.startedAt) < 28 * 86400 { return 0 }
        try await BackupDrill.run(trigger: trigger, in: ctx)
        return 1
    }
}
