import Foundation

/// The due dates of a case's steps (DOMAIN.md, "A case and its lifecycle"), from the working
/// calendar and the legal parameters.
///
/// Each function reads its parameter in force on the period's start date, falling back to the
/// seeded value (`LegalParameterSet.seeded`) when the set has none, and counts by the parameter's
/// unit: working days with `WorkingCalendar.adding(workingDays:to:)` (the start day not counted),
/// calendar days, months or years ending on the next working day when the last day is not one
/// (Civil Code Art. 147–148). Start dates are dates, not instants: a submission after the cut-off
/// hour or on a non-working day is moved by the caller (`WorkingCalendar.effectiveStartDate`).
public struct CaseDeadlines: Sendable {
    public let calendar: WorkingCalendar
    public let parameters: LegalParameterSet

    public init(calendar: WorkingCalendar = .vietnam, parameters: LegalParameterSet = .seeded) {
        self.calendar = calendar
        self.parameters = parameters
    }

    /// Last day to issue the enforcement decision: 5 working days from the day the body receives the
    /// judgment (ex officio, Art. 36.1 — not its effective date) or the request (on request).
    public func enforcementDecisionDue(from start: LocalDate) -> LocalDate {
        due(LegalParameterName.enforcementDecisionWorkingDays, from: start)
    }

    /// The instant by which the enforcement decision on a decision applying provisional emergency
    /// measures is due: 24 clock hours from its receipt. The law counts hours here, so weekends and
    /// holidays are not skipped and the cut-off hour does not apply.
    public func provisionalMeasureDecisionDue(received: Date) -> Date {
        let receivedOn = LocalDate(date: received, in: .vietnam)
        let hours = period(LegalParameterName.provisionalMeasureDecisionHours, on: receivedOn)?.value ?? 24
        return received.addingTimeInterval(Double(hours) * 3600)
    }

    /// Last day to refuse an enforcement request: 5 working days from its receipt.
    public func refusalDue(requestReceived: LocalDate) -> LocalDate {
        due(LegalParameterName.refusalWorkingDays, from: requestReceived)
    }

    /// Last day of the voluntary payment period: 10 days from the day the debtor receives or is
    /// notified of the enforcement decision, moved to the next working day when needed.
    public func voluntaryPeriodEnd(notified: LocalDate) -> LocalDate {
        due(LegalParameterName.voluntaryPaymentDays, from: notified)
    }

    /// Last day to verify the debtor's means: 10 days after the voluntary period ends.
    public func verificationDue(voluntaryPeriodEnd: LocalDate) -> LocalDate {
        due(LegalParameterName.verificationDaysAfterVoluntary, from: voluntaryPeriodEnd)
    }

    /// Last day for a postponement, suspension, termination, return of request or transfer
    /// decision: 5 working days from the day its grounds arise.
    public func stateDecisionDue(grounds: LocalDate) -> LocalDate {
        due(LegalParameterName.stateDecisionWorkingDays, from: grounds)
    }

    /// Last day to pay out collected money: 10 days from its collection.
    public func payoutDue(collected: LocalDate) -> LocalDate {
        due(LegalParameterName.payoutDays, from: collected)
    }

    /// Last day to notify a document on enforcement: 3 working days from its issue.
    public func documentNotificationDue(issued: LocalDate) -> LocalDate {
        due(LegalParameterName.documentNotificationWorkingDays, from: issued)
    }

    /// Last day to request enforcement: 5 years from the date the judgment takes effect (the same
    /// day of the last year, the last day of the month when there is none, then the next working
    /// day). Periods that do not count (force majeure, postponement) are not deducted here.
    public func requestLimitationEnd(judgmentEffective: LocalDate) -> LocalDate {
        due(LegalParameterName.requestLimitationYears, from: judgmentEffective)
    }

    // MARK: Parameters

    /// The value and unit of `name` in force on `date`: from `parameters`, else the seeded value
    /// on that date, else the earliest seeded value (dates before the seed), else `nil`.
    public func period(_ name: String, on date: LocalDate) -> (value: Int, unit: ParameterUnit)? {
        let seeded = LegalParameterSet.seeded
        guard
            let found = parameters.value(name, on: date) ?? seeded.value(name, on: date)
                ?? seeded.history(name).first
        else { return nil }
        return (Int(found.value), found.unit)
    }

    /// The end of the period `name` starting on `start`, counted in the parameter's unit.
    public func due(_ name: String, from start: LocalDate) -> LocalDate {
        let (value, unit) = period(name, on: start) ?? (0, .days)
        switch unit {
        case .workingDays: return calendar.adding(workingDays: value, to: start)
        case .months: return calendar.monthPeriodEnd(startingAt: start, months: value)
        case .years: return calendar.monthPeriodEnd(startingAt: start, months: value * 12)
        case .days, .dong, .count, .hour: return calendar.calendarPeriodEnd(startingAt: start, days: value)
        }
    }
}

/// Where a due date stands on a given day.
public enum DueState: Sendable, Hashable {
    /// More than the "soon" threshold of working days left.
    case notDue
    /// Due within the threshold: `daysLeft` working days after today up to and including the due
    /// date (at least 1).
    case dueSoon(daysLeft: Int)
    /// Due today.
    case dueToday
    /// Past due by `days` calendar days (at least 1).
    case overdue(days: Int)

    /// The state of `due` on `today`; "soon" means at most `soonWorkingDays` working days left.
    public static func state(
        due: LocalDate, today: LocalDate, calendar: WorkingCalendar, soonWorkingDays: Int = 1
    ) -> DueState {
        if today == due { return .dueToday }
        if today > due { return .overdue(days: due.days(until: today)) }
        let left = max(1, calendar.workingDays(from: today, to: due))
        return left <= soonWorkingDays ? .dueSoon(daysLeft: left) : .notDue
    }

    /// Vietnamese label.
    public var label: String {
        switch self {
        case .notDue: "Chưa đến hạn"
        case .dueSoon(let daysLeft): "Sắp đến hạn (còn \(daysLeft) ngày làm việc)"
        case .dueToday: "Đến hạn hôm nay"
        case .overdue(let days): "Quá hạn \(days) ngày"
        }
    }
}
