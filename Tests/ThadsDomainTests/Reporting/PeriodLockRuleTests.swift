import Testing

@testable import ThadsDomain

@Suite("Period lock rule")
struct PeriodLockRuleTests {
    private let calendar = WorkingCalendar()

    @Test("A period locks after the first working day that follows its end: a weekend and New Year's Day push it out")
    func graceDay() throws {
        // 2 months of 2027 end on Monday 30/11/2026: records of that day may still come on Tuesday 01/12.
        let two = try #require(ReportingPeriod(year: 2027, months: 2))
        #expect(PeriodLockRule.lastEntryDay(of: two, calendar: calendar) == LocalDate(year: 2026, month: 12, day: 1))
        // 3 months end on Thursday 31/12/2026; 01/01/2027 is New Year's Day, so Monday 04/01/2027.
        let three = try #require(ReportingPeriod(year: 2027, months: 3))
        #expect(PeriodLockRule.lastEntryDay(of: three, calendar: calendar) == LocalDate(year: 2027, month: 1, day: 4))
        // 5 months end on Sunday 28/02/2027, within no holiday: Monday 01/03/2027.
        let five = try #require(ReportingPeriod(year: 2027, months: 5))
        #expect(PeriodLockRule.lastEntryDay(of: five, calendar: calendar) == LocalDate(year: 2027, month: 3, day: 1))
    }

    @Test("Lockable periods: none on the grace day itself, the ended ones after it, most recent first")
    func lockable() {
        let onGraceDay = PeriodLockRule.lockable(
            on: LocalDate(year: 2026, month: 12, day: 1)!, year: 2027, calendar: calendar)
        #expect(onGraceDay.map(\.months) == [1])
        let dayAfter = PeriodLockRule.lockable(
            on: LocalDate(year: 2026, month: 12, day: 2)!, year: 2027, calendar: calendar)
        #expect(dayAfter.map(\.months) == [2, 1])
        #expect(
            PeriodLockRule.lockable(on: LocalDate(year: 2026, month: 10, day: 15)!, year: 2027, calendar: calendar)
                .isEmpty)
        #expect(
            PeriodLockRule.lockable(on: LocalDate(year: 2027, month: 10, day: 5)!, year: 2027, calendar: calendar)
                .count == 12)
    }
}

@Suite("Months ended in the statistical year")
struct MonthsEndedTests {
    @Test("0 in October, 2 on 2 December, 11 on 30 September, 12 is never reached within the year")
    func monthsEnded() {
        #expect(ReportingPeriod.monthsEnded(on: LocalDate(year: 2026, month: 10, day: 15)!) == 0)
        #expect(ReportingPeriod.monthsEnded(on: LocalDate(year: 2026, month: 12, day: 2)!) == 2)
        #expect(ReportingPeriod.monthsEnded(on: LocalDate(year: 2027, month: 1, day: 1)!) == 3)
        #expect(ReportingPeriod.monthsEnded(on: LocalDate(year: 2027, month: 9, day: 30)!) == 11)
    }
}
