import Foundation

/// The whole request's clock (C5): 5 working days from submission, stopped while the request waits for the
/// submitter. A pause moves the due date on by the working days it lasted, counted as the calendar counts any
/// period (the day the pause starts not counted), so a guidance notice sent on Monday and answered on Wednesday
/// gives the body two more working days.
public struct OnlineRequestClock: Sendable, Hashable {
    public struct Pause: Sendable, Hashable {
        public let start: Date
        /// Nil while the request still waits.
        public let end: Date?

        public init(start: Date, end: Date?) {
            self.start = start
            self.end = end
        }
    }

    public let submittedAt: Date
    public let pauses: [Pause]

    public init(submittedAt: Date, pauses: [Pause]) {
        self.submittedAt = submittedAt
        self.pauses = pauses
    }

    /// Whether the clock is stopped now.
    public var isPaused: Bool { pauses.last.map { $0.end == nil } ?? false }

    /// Working days spent waiting for the submitter in finished pauses.
    public func pausedWorkingDays(calendar: WorkingCalendar) -> Int {
        pauses.reduce(0) { total, pause in
            guard let end = pause.end else { return total }
            return total + calendar.workingDaysBetween(pause.start, end)
        }
    }

    /// The instant the whole request becomes late; nil while paused (no deadline runs).
    public func dueInstant(calendar: WorkingCalendar) -> Date? {
        guard !isPaused else { return nil }
        return calendar.dueInstant(
            startingAt: submittedAt,
            workingDays: OnlineProcedure.totalWorkingDays + pausedWorkingDays(calendar: calendar))
    }
}

/// Where a step stands against its due instant, for the queue's highlighting.
public enum OnlineDueState: String, Sendable, CaseIterable, Hashable {
    case onTime = "dung-han"
    /// Due within the next working day's end: act today.
    case nearDue = "sap-den-han"
    case overdue = "qua-han"
    /// No deadline runs (paused, final, or a step without a limit).
    case none = "khong-tinh"

    public var label: String {
        switch self {
        case .onTime: "Trong hạn"
        case .nearDue: "Sắp đến hạn"
        case .overdue: "Quá hạn"
        case .none: "Không tính hạn"
        }
    }

    /// Overdue once `now` passes `due`; near due when `due` falls on the current working day (or, on a day off,
    /// the next one): the last day to act.
    public static func of(due: Date?, now: Date, calendar: WorkingCalendar) -> OnlineDueState {
        guard let due else { return .none }
        if now > due { return .overdue }
        let today = LocalDate(date: now, in: .vietnam)
        let workingDay = calendar.isWorkingDay(today) ? today : calendar.nextWorkingDay(after: today)
        let horizon = workingDay.adding(days: 1).startOfDay(in: .vietnam)
        return due < horizon ? .nearDue : .onTime
    }
}
