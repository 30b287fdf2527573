import Foundation
import ThadsDomain
import Vapor

/// The working-day calendar and the legal parameters in force, which every feature's deadlines use. The Calendar and
/// LegalParameters features record changes and reload them here.
extension Application {
    private struct CalendarKey: StorageKey {
        typealias Value = WorkingCalendar
    }

    private struct ParametersKey: StorageKey {
        typealias Value = LegalParameterSet
    }

    /// Computed holidays plus the recorded yearly decisions.
    public var workingCalendar: WorkingCalendar {
        get { storage[CalendarKey.self] ?? WorkingCalendar(decisions: [.vietnam2026]) }
        set { storage[CalendarKey.self] = newValue }
    }

    /// Reloaded after every edit.
    public var legalParameters: LegalParameterSet {
        get { storage[ParametersKey.self] ?? .seeded }
        set { storage[ParametersKey.self] = newValue }
    }

    /// The due instant of a duty that starts at `start` and lasts the named number of working days.
    func dueInstant(startingAt start: Date, workingDaysParameter name: String) -> Date {
        let today = LocalDate(date: start, in: .vietnam)
        let days = legalParameters.value(name, on: today).map { Int($0.value) } ?? 1
        let cutoff = legalParameters.value(LegalParameterName.cutoffHour, on: today).map { Int($0.value) } ?? 15
        return workingCalendar.dueInstant(startingAt: start, workingDays: days, cutoffHour: cutoff)
    }
}
