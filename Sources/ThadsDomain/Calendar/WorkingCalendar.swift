import Foundation

/// Vietnamese working days: Monday–Friday, minus public holidays and announced days off, plus
/// announced make-up Saturdays/Sundays (DOMAIN.md, "Working days").
///
/// For each year the calendar uses the official `YearDecision` when one is given (replacing or
/// adding to the defaults), otherwise the defaults computed by `HolidayRules`. Per-year tables are
/// built lazily on first use and shared by copies of the calendar.
///
/// Counting follows the Civil Code (Art. 147–148): the first day is not counted.
public struct WorkingCalendar: Sendable {
    public let rules: HolidayRules
    /// The official decisions by year (when several are given for a year, the last one wins).
    public let decisions: [Int: YearDecision]
    private let cache = YearCache()

    public init(decisions: [YearDecision] = [], rules: HolidayRules = .init()) {
        self.rules = rules
        var byYear: [Int: YearDecision] = [:]
        for decision in decisions { byYear[decision.year] = decision }
        self.decisions = byYear
    }

    /// The calendar with the decisions shipped in code (`YearDecision.vietnam2026`).
    public static let vietnam = WorkingCalendar(decisions: [.vietnam2026])

    // MARK: Days

    public func info(for date: LocalDate) -> CalendarDayInfo {
        let dayNumber = date.daysSinceEpoch
        if let special = table(for: date.year).special[dayNumber] {
            return CalendarDayInfo(
                date: date, isWorkingDay: special.isWorkingDay, kind: special.kind,
                reason: special.reason)
        }
        let weekend = date.isWeekend
        return CalendarDayInfo(
            date: date, isWorkingDay: !weekend, kind: weekend ? .weekend : .working)
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        table(for: date.year).isWorkingDay(date.daysSinceEpoch)
    }

    /// The first working day strictly after `date`.
    public func nextWorkingDay(after date: LocalDate) -> LocalDate {
        adding(workingDays: 1, to: date)
    }

    /// The last working day strictly before `date`.
    public func previousWorkingDay(before date: LocalDate) -> LocalDate {
        adding(workingDays: -1, to: date)
    }

    /// The date `n` working days after `date`, the first day not counted: the n-th working day
    /// after it. `n = 0` gives `date` itself when it is a working day, else the next working day.
    /// A negative `n` counts back: the |n|-th working day before `date`.
    public func adding(workingDays n: Int, to date: LocalDate) -> LocalDate {
        var cursor = DayCursor(calendar: self, dayNumber: date.daysSinceEpoch)
        if n == 0 {
            while !cursor.isWorkingDay { cursor.step(1) }
        } else {
            let direction = n > 0 ? 1 : -1
            var remaining = abs(n)
            while remaining > 0 {
                cursor.step(direction)
                if cursor.isWorkingDay { remaining -= 1 }
            }
        }
        return LocalDate(daysSinceEpoch: cursor.dayNumber)
    }

    /// Number of working days `d` with `from < d ≤ to` (0 when `to ≤ from`).
    public func workingDays(from: LocalDate, to: LocalDate) -> Int {
        let end = to.daysSinceEpoch
        var cursor = DayCursor(calendar: self, dayNumber: from.daysSinceEpoch)
        var count = 0
        while cursor.dayNumber < end {
            cursor.step(1)
            if cursor.isWorkingDay { count += 1 }
        }
        return count
    }

    /// Working days between two instants, by their dates in Asia/Ho_Chi_Minh:
    /// `workingDays(from: date(a), to: date(b))`.
    public func workingDaysBetween(_ a: Date, _ b: Date) -> Int {
        workingDays(from: LocalDate(date: a, in: .vietnam), to: LocalDate(date: b, in: .vietnam))
    }

    /// Every day of `year`, 1 January to 31 December.
    public func year(_ y: Int) -> [CalendarDayInfo] {
        let first = LocalDate(uncheckedYear: y, month: 1, day: 1)
        let count = LocalDate.isLeapYear(y) ? 366 : 365
        return (0..<count).map { info(for: first.adding(days: $0)) }
    }

    /// The days of `year` that break the Monday–Friday pattern: weekdays off (holidays, days off,
    /// compensatory days) and worked weekend days, with their reasons.
    public func exceptions(in year: Int) -> [CalendarDayInfo] {
        let table = table(for: year)
        return table.special.keys.sorted().compactMap { dayNumber in
            let date = LocalDate(daysSinceEpoch: dayNumber)
            let info = info(for: date)
            return info.isWorkingDay == date.isWeekend ? info : nil
        }
    }

    // MARK: Deadlines

    /// The date from which a period starting at instant `start` is counted: the local date in
    /// Asia/Ho_Chi_Minh, moved to the next working day when that date is not a working day or
    /// `start` is at or after `cutoffHour`:00 local time (one-stop practice).
    public func effectiveStartDate(startingAt start: Date, cutoffHour: Int = 15) -> LocalDate {
        let day = LocalDate(date: start, in: .vietnam)
        let secondsIntoDay = start.timeIntervalSince(day.startOfDay(in: .vietnam))
        if !isWorkingDay(day) || secondsIntoDay >= Double(cutoffHour * 3600) {
            return nextWorkingDay(after: day)
        }
        return day
    }

    /// The last day of a period of `workingDays` working days that starts at instant `start`
    /// (see `effectiveStartDate`; the start day itself is not counted).
    public func dueDate(startingAt start: Date, workingDays n: Int, cutoffHour: Int = 15)
        -> LocalDate
    {
        adding(workingDays: n, to: effectiveStartDate(startingAt: start, cutoffHour: cutoffHour))
    }

    /// The instant a period of `workingDays` working days starting at `start` ends: the end of its
    /// last day in Asia/Ho_Chi_Minh, i.e. 23:59:59.999 local time — one millisecond before the next
    /// midnight — so that `now <= due` means "still in time". A start on a non-working day, or at
    /// or after `cutoffHour`:00, counts from the next working day.
    public func dueInstant(startingAt start: Date, workingDays n: Int, cutoffHour: Int = 15) -> Date {
        let last = dueDate(startingAt: start, workingDays: n, cutoffHour: cutoffHour)
        return last.adding(days: 1).startOfDay(in: .vietnam).addingTimeInterval(-0.001)
    }

    /// The last day of a period of `days` calendar days starting on `start` (first day not
    /// counted); when it falls on a non-working day the period ends on the next working day
    /// (Civil Code Art. 148).
    public func calendarPeriodEnd(startingAt start: LocalDate, days: Int) -> LocalDate {
        adding(workingDays: 0, to: start.adding(days: days))
    }

    /// The last day of a period of `months` months starting on `start` (same day number in the
    /// target month, clamped to its end), moved to the next working day when needed.
    public func monthPeriodEnd(startingAt start: LocalDate, months: Int) -> LocalDate {
        adding(workingDays: 0, to: start.adding(months: months))
    }

    // MARK: Year tables

    struct Special: Sendable {
        var isWorkingDay: Bool
        var kind: DayKind
        var reason: String?
    }

    struct YearTable: Sendable {
        /// Day numbers (days since epoch) of this year.
        var range: ClosedRange<Int>
        /// Days that differ from the plain weekday/weekend pattern, or carry a reason.
        var special: [Int: Special]

        func isWorkingDay(_ dayNumber: Int) -> Bool {
            if let entry = special[dayNumber] { return entry.isWorkingDay }
            let r = (dayNumber + 3) % 7
            return (r < 0 ? r + 7 : r) < 5
        }
    }

    func table(for year: Int) -> YearTable {
        if let table = cache.get(year) { return table }
        let table = buildTable(for: year)
        cache.set(year, table)
        return table
    }

    private func buildTable(for year: Int) -> YearTable {
        let first = LocalDate(uncheckedYear: year, month: 1, day: 1).daysSinceEpoch
        let last = LocalDate(uncheckedYear: year, month: 12, day: 31).daysSinceEpoch
        var special: [Int: Special] = [:]

        func off(_ date: LocalDate, _ reason: String, statutory: Bool) {
            guard date.year == year, special[date.daysSinceEpoch] == nil else { return }
            let kind: DayKind = date.isWeekend ? .weekend : (statutory ? .holiday : .dayOff)
            special[date.daysSinceEpoch] = Special(isWorkingDay: false, kind: kind, reason: reason)
        }

        let decision = decisions[year]
        if decision?.replacesDefaults != true {
            for entry in rules.defaultEntries(in: year) {
                off(entry.date, entry.reason, statutory: entry.statutory)
            }
        }
        if let decision {
            let statutory = rules.statutoryCandidates(in: year)
            for day in decision.daysOff {
                off(day.date, day.reason, statutory: statutory.contains(day.date))
            }
            for day in decision.makeUpWorkingDays where day.date.year == year {
                special[day.date.daysSinceEpoch] = Special(
                    isWorkingDay: true, kind: day.date.isWeekend ? .makeUpWorkingDay : .working,
                    reason: day.reason)
            }
        }
        return YearTable(range: first...last, special: special)
    }

    /// Walks day numbers, switching year tables at year boundaries.
    private struct DayCursor {
        let calendar: WorkingCalendar
        var dayNumber: Int
        var table: YearTable

        init(calendar: WorkingCalendar, dayNumber: Int) {
            self.calendar = calendar
            self.dayNumber = dayNumber
            self.table = calendar.table(for: LocalDate(daysSinceEpoch: dayNumber).year)
        }

        var isWorkingDay: Bool { table.isWorkingDay(dayNumber) }

        mutating func step(_ delta: Int) {
            dayNumber += delta
            if !table.range.contains(dayNumber) {
                table = calendar.table(for: LocalDate(daysSinceEpoch: dayNumber).year)
            }
        }
    }
}

/// Lazily built year tables, shared by copies of one `WorkingCalendar`. Every access to the
/// dictionary is under the lock, and the tables themselves are immutable values.
private final class YearCache: @unchecked Sendable {
    private let lock = NSLock()
    private var tables: [Int: WorkingCalendar.YearTable] = [:]

    func get(_ year: Int) -> WorkingCalendar.YearTable? {
        lock.lock()
        defer { lock.unlock() }
        return tables[year]
    }

    func set(_ year: Int, _ table: WorkingCalendar.YearTable) {
        lock.lock()
        defer { lock.unlock() }
        tables[year] = table
    }
}
