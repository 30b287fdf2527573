import Foundation
import NIOConcurrencyHelpers
import ThadsDomain
import Vapor

/// When a job is due.
enum JobSchedule: Sendable, Hashable {
    /// Every so many seconds after the previous slot.
    case every(seconds: Int)
    /// Once a day at this time, Vietnam time.
    case daily(hour: Int, minute: Int)

    /// The first slot after `instant`; with `workingDaysOnly`, the first on a working day (a daily job that falls on
    /// Tết runs on the first working day after it).
    func next(after instant: Date, workingDaysOnly: Bool, calendar: WorkingCalendar) -> Date {
        var candidate: Date
        switch self {
        case .every(let seconds):
            candidate = instant.addingTimeInterval(TimeInterval(seconds))
        case .daily(let hour, let minute):
            let offset = TimeInterval(hour * 3600 + minute * 60)
            let day = LocalDate(date: instant, in: .vietnam)
            candidate = day.startOfDay(in: .vietnam).addingTimeInterval(offset)
            if candidate <= instant { candidate = day.adding(days: 1).startOfDay(in: .vietnam) + offset }
        }
        guard workingDaysOnly else { return candidate }
        let day = LocalDate(date: candidate, in: .vietnam)
        if calendar.isWorkingDay(day) { return candidate }
        let next = calendar.nextWorkingDay(after: day)
        if case .daily = self {
            return next.startOfDay(in: .vietnam) + candidate.timeIntervalSince(day.startOfDay(in: .vietnam))
        }
        return next.startOfDay(in: .vietnam)
    }
}

/// Scheduled work a feature hands to the one job runner: a name (kept in the run log), when it is due, and what it
/// does with a system context. It returns the number of rows it touched, for the operations log.
struct ScheduledJob: Sendable {
    let name: String
    let schedule: JobSchedule
    let workingDaysOnly: Bool
    let run: @Sendable (ActionContext) async throws -> Int
}

/// The jobs features registered at start.
final class JobRegistry: Sendable {
    private let jobs = NIOLockedValueBox<[String: ScheduledJob]>([:])

    func register(_ job: ScheduledJob) {
        jobs.withLockedValue { jobs in
            precondition(jobs[job.name] == nil, "job \(job.name) registered twice")
            jobs[job.name] = job
        }
    }

    var all: [ScheduledJob] { jobs.withLockedValue { Array($0.values) }.sorted { $0.name < $1.name } }

    func job(named name: String) -> ScheduledJob? { jobs.withLockedValue { $0[name] } }
}

extension Application {
    private struct RegistryKey: StorageKey {
        typealias Value = JobRegistry
    }

    var jobs: JobRegistry {
        if let registry = storage[RegistryKey.self] { return registry }
        let registry = JobRegistry()
        storage[RegistryKey.self] = registry
        return registry
    }
}
