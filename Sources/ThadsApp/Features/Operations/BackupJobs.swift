import Foundation
import ThadsDomain

/// The schedule of Art. 14: one nightly slot takes the month's archive on the 1st, the week's full backup on
/// Sundays and an incremental one on every other day; the drill runs when the last good one is four weeks old.
enum BackupJobs {
    static let trigger = "lịch"

    /// The job runner makes a new job due at once; a backup or a drill taken then (a `thads docs` run, the first
    /// start in office hours) would load the server by day or be cut off when a command ends, so both act only in
    /// their night window and otherwise let the slot pass to the next night.
    static func inWindow(_ ctx: ActionContext, from hour: Int) -> Bool {
        BackupWindow(startHour: hour).contains(localHour: Calendar.vietnamHour(ctx.now))
    }

    static let nightly = ScheduledJob(
        name: "operations.backup", schedule: .daily(hour: 2, minute: 0), workingDaysOnly: false
    ) { ctx in
        guard inWindow(ctx, from: 2) else { return 0 }
        try await BackupService.run(BackupKind.scheduled(on: ctx.today), trigger: trigger, in: ctx)
        return 1
    }

    static let drill = ScheduledJob(
        name: "operations.drill", schedule: .daily(hour: 3, minute: 30), workingDaysOnly: false
    ) { ctx in
        guard inWindow(ctx, from: 3) else { return 0 }
        let last = try await OperationsWatch.lastSuccess([.drill], on: ctx.db)
        if let last, ctx.now.timeIntervalSince(last.startedAt) < 28 * 86400 { return 0 }
        try await BackupDrill.run(trigger: trigger, in: ctx)
        return 1
    }
}

extension Calendar {
    static func vietnamHour(_ instant: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .vietnam
        return calendar.component(.hour, from: instant)
    }
}
