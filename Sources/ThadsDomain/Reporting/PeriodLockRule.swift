/// When a reporting period's figures lock (B7; seed 001 Art. 7.3–7.4: data are entered within the period, and
/// after it ends a change needs the central department's permission).
///
/// The periods are cumulative, so the lock of period k covers every day from 1 October through the end of month k.
/// A period locks at the end of the first working day after it ends: that is the B6 deadline for a record of its
/// last day (data from outside are entered within 1 working day), so a record made on time is never refused.
public enum PeriodLockRule {
    /// The last day records of `period` may still be entered without an amendment.
    public static func lastEntryDay(of period: ReportingPeriod, calendar: WorkingCalendar) -> LocalDate {
        calendar.nextWorkingDay(after: period.end)
    }

    /// The periods that have ended and whose grace day has passed on `today`, most recent first within the
    /// statistical year `year` (a later period covers every earlier one, but each is locked with its own figures).
    public static func lockable(on today: LocalDate, year: Int, calendar: WorkingCalendar) -> [ReportingPeriod] {
        (1...12).compactMap { ReportingPeriod(year: year, months: $0) }
            .filter { lastEntryDay(of: $0, calendar: calendar) < today }
            .reversed()
    }
}

extension ReportingPeriod {
    /// How many whole months of the statistical year have ended by `date` (0 in October): the latest full period.
    public static func monthsEnded(on date: LocalDate, startMonth: Int = 10) -> Int {
        let start = StatisticalYear.range(StatisticalYear.of(date, startMonth: startMonth), startMonth: startMonth)
            .lowerBound
        return (date.year - start.year) * 12 + date.month - start.month
    }
}
