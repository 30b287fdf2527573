import Foundation
import Testing
import ThadsDomain

/// An instant given as Vietnam local time (UTC+7).
func vietnamInstant(_ iso: String, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
    isoDate(iso).startOfDay(in: .vietnam).addingTimeInterval(
        Double(hour * 3600 + minute * 60 + second))
}

@Suite("Working calendar")
struct WorkingCalendarTests {
    let calendar = WorkingCalendar(decisions: [.vietnam2026])

    // MARK: 2026 as announced

    @Test("required results")
    func required() {
        #expect(calendar.adding(workingDays: 1, to: isoDate("2026-02-13")) == isoDate("2026-02-23"))
        #expect(calendar.adding(workingDays: 1, to: isoDate("2026-08-21")) == isoDate("2026-08-22"))
    }

    @Test(
        "every 2026 weekday off",
        arguments: [
            ("2026-01-01", DayKind.holiday), ("2026-01-02", .dayOff), ("2026-02-16", .holiday),
            ("2026-02-17", .holiday), ("2026-02-18", .holiday), ("2026-02-19", .holiday),
            ("2026-02-20", .holiday), ("2026-04-27", .dayOff), ("2026-04-30", .holiday),
            ("2026-05-01", .holiday), ("2026-08-31", .dayOff), ("2026-09-01", .holiday),
            ("2026-09-02", .holiday),
        ])
    func daysOff2026(iso: String, kind: DayKind) {
        let info = calendar.info(for: isoDate(iso))
        #expect(!info.isWorkingDay)
        #expect(info.kind == kind)
        #expect(info.reason != nil)
        #expect(!calendar.isWorkingDay(isoDate(iso)))
    }

    @Test("2026 reasons")
    func reasons2026() {
        #expect(calendar.info(for: isoDate("2026-01-01")).reason == "Tết Dương lịch")
        #expect(calendar.info(for: isoDate("2026-02-17")).reason == "Tết Nguyên đán")
        #expect(
            calendar.info(for: isoDate("2026-04-26")).reason == "Giỗ Tổ Hùng Vương (10/3 âm lịch)")
        #expect(calendar.info(for: isoDate("2026-04-27")).reason?.hasPrefix("Nghỉ bù") == true)
        #expect(calendar.info(for: isoDate("2026-04-30")).reason == "Ngày Chiến thắng 30/4")
        #expect(calendar.info(for: isoDate("2026-05-01")).reason == "Quốc tế Lao động 1/5")
        #expect(calendar.info(for: isoDate("2026-09-02")).reason == "Quốc khánh 2/9")
        #expect(calendar.info(for: isoDate("2026-01-10")).reason?.hasPrefix("Làm bù") == true)
        #expect(calendar.info(for: isoDate("2026-08-22")).reason?.hasPrefix("Làm bù") == true)
    }

    @Test("2026 make-up Saturdays are working days")
    func makeUp2026() {
        for iso in ["2026-01-10", "2026-08-22"] {
            let info = calendar.info(for: isoDate(iso))
            #expect(
                info.isWorkingDay && info.kind == .makeUpWorkingDay && isoDate(iso).weekday == 6)
        }
        #expect(!calendar.isWorkingDay(isoDate("2026-01-17")))
        #expect(calendar.info(for: isoDate("2026-01-17")).kind == .weekend)
    }

    @Test("weekend days inside the 2026 breaks carry the reason but stay weekend days")
    func weekendInsideBreaks() {
        for iso in [
            "2026-01-03", "2026-01-04", "2026-02-14", "2026-02-15", "2026-02-21", "2026-02-22",
            "2026-08-29", "2026-08-30",
        ] {
            let info = calendar.info(for: isoDate(iso))
            #expect(!info.isWorkingDay && info.kind == .weekend && info.reason != nil, "\(iso)")
        }
        #expect(calendar.info(for: isoDate("2026-02-14")).reason == "Tết Nguyên đán")
    }

    @Test("2026 decision replaces the defaults: 3/9 is worked, no computed compensation")
    func decisionReplacesDefaults() {
        #expect(calendar.isWorkingDay(isoDate("2026-09-03")))
        #expect(
            calendar.info(for: isoDate("2026-09-03"))
                == CalendarDayInfo(date: isoDate("2026-09-03"), isWorkingDay: true, kind: .working))
        #expect(calendar.isWorkingDay(isoDate("2026-02-23")))
        #expect(calendar.isWorkingDay(isoDate("2026-04-28")))
        #expect(calendar.isWorkingDay(isoDate("2026-01-05")))
        // Without the decision, the defaults give 3/9 off and Tết 16–20/2.
        let defaults = WorkingCalendar()
        #expect(!defaults.isWorkingDay(isoDate("2026-09-03")))
        #expect(defaults.isWorkingDay(isoDate("2026-09-01")))
        #expect(!defaults.isWorkingDay(isoDate("2026-04-27")))  // Hùng Kings on Sunday → Monday off
        #expect(defaults.isWorkingDay(isoDate("2026-01-02")))
        #expect(defaults.isWorkingDay(isoDate("2026-01-10")) == false)
    }

    @Test("2026 exceptions list and working-day total")
    func exceptions2026() {
        let exceptions = calendar.exceptions(in: 2026)
        #expect(
            exceptions.map(\.date.iso) == [
                "2026-01-01", "2026-01-02", "2026-01-10", "2026-02-16", "2026-02-17", "2026-02-18",
                "2026-02-19", "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-22",
                "2026-08-31", "2026-09-01", "2026-09-02",
            ])
        #expect(exceptions.allSatisfy { $0.reason != nil })
        let year = calendar.year(2026)
        #expect(year.count == 365)
        #expect(
            year.first?.date == isoDate("2026-01-01") && year.last?.date == isoDate("2026-12-31"))
        #expect(year.filter(\.isWorkingDay).count == 261 - 13 + 2)
        #expect(calendar.workingDays(from: isoDate("2025-12-31"), to: isoDate("2026-12-31")) == 250)
        #expect(calendar.year(2028).count == 366)
    }

    // MARK: Deadlines

    @Test("deadlines across Tết 2026")
    func acrossTet2026() {
        #expect(calendar.adding(workingDays: 5, to: isoDate("2026-02-11")) == isoDate("2026-02-25"))
        #expect(calendar.adding(workingDays: 3, to: isoDate("2026-02-12")) == isoDate("2026-02-24"))
        #expect(calendar.adding(workingDays: 1, to: isoDate("2026-02-17")) == isoDate("2026-02-23"))
        #expect(calendar.workingDays(from: isoDate("2026-02-13"), to: isoDate("2026-02-23")) == 1)
        #expect(calendar.workingDays(from: isoDate("2026-02-01"), to: isoDate("2026-02-28")) == 15)
    }

    @Test(
        "Tết 2027 from the computed defaults: Fri 5/2 to Tue 9/2 plus Wed 10/2 and Thu 11/2 in lieu of the weekend"
    )
    func tet2027() {
        #expect(VietnameseLunarCalendar.newYear(of: 2027) == isoDate("2027-02-06"))
        let offs = calendar.exceptions(in: 2027).filter { $0.date.month == 2 }
        #expect(
            offs.map(\.date.iso) == [
                "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
            ])
        #expect(offs.map(\.kind) == [.holiday, .holiday, .holiday, .dayOff, .dayOff])
        #expect(
            offs.filter { $0.kind == .dayOff }.allSatisfy { $0.reason == "Nghỉ bù Tết Nguyên đán" })
        #expect(calendar.info(for: isoDate("2027-02-06")).reason == "Tết Nguyên đán")
        #expect(calendar.info(for: isoDate("2027-02-06")).kind == .weekend)
        #expect(calendar.adding(workingDays: 1, to: isoDate("2027-02-04")) == isoDate("2027-02-12"))
        #expect(calendar.adding(workingDays: 5, to: isoDate("2027-02-03")) == isoDate("2027-02-17"))
        #expect(calendar.workingDays(from: isoDate("2027-02-04"), to: isoDate("2027-02-12")) == 1)
    }

    @Test("other 2027 defaults")
    func defaults2027() {
        #expect(calendar.info(for: isoDate("2027-01-01")).kind == .holiday)
        #expect(
            calendar.info(for: isoDate("2027-04-16")).reason == "Giỗ Tổ Hùng Vương (10/3 âm lịch)")
        #expect(calendar.info(for: isoDate("2027-04-30")).kind == .holiday)
        // 1/5/2027 is a Saturday → Monday 3/5 off.
        #expect(
            calendar.info(for: isoDate("2027-05-03"))
                == CalendarDayInfo(
                    date: isoDate("2027-05-03"), isWorkingDay: false, kind: .dayOff,
                    reason: "Nghỉ bù Quốc tế Lao động 1/5"))
        #expect(
            !calendar.isWorkingDay(isoDate("2027-09-02"))
                && !calendar.isWorkingDay(isoDate("2027-09-03")))
        #expect(calendar.exceptions(in: 2027).count == 11)
    }

    @Test("weekend compensation in a year without a decision (2028)")
    func compensation2028() {
        let cal = WorkingCalendar()
        // 1/1/2028 is a Saturday → Monday 3/1.
        #expect(cal.info(for: isoDate("2028-01-03")).kind == .dayOff)
        #expect(cal.info(for: isoDate("2028-01-03")).reason == "Nghỉ bù Tết Dương lịch")
        // 30/4 Sunday, 1/5 Monday (holiday) → 30/4 compensated on Tuesday 2/5.
        #expect(cal.info(for: isoDate("2028-05-01")).kind == .holiday)
        #expect(cal.info(for: isoDate("2028-05-02")).reason == "Nghỉ bù Ngày Chiến thắng 30/4")
        #expect(cal.isWorkingDay(isoDate("2028-05-03")))
        // 2/9 Saturday, 3/9 Sunday → Monday 4/9 and Tuesday 5/9.
        #expect(
            !cal.isWorkingDay(isoDate("2028-09-04")) && !cal.isWorkingDay(isoDate("2028-09-05")))
        #expect(cal.isWorkingDay(isoDate("2028-09-06")))
        // With the day before 2/9 instead: Friday 1/9 off, Saturday 2/9 compensated on Monday 4/9.
        let before = WorkingCalendar(rules: HolidayRules(nationalDayExtra: .dayBefore))
        #expect(
            !before.isWorkingDay(isoDate("2028-09-01"))
                && !before.isWorkingDay(isoDate("2028-09-04")))
        #expect(before.isWorkingDay(isoDate("2028-09-05")))
        // Without compensation.
        let none = WorkingCalendar(rules: HolidayRules(compensateWeekendHolidays: false))
        #expect(none.isWorkingDay(isoDate("2028-01-03")))
    }

    @Test("default holidays follow the rules' Tết layout")
    func tetLayout() {
        let rules = HolidayRules()
        let tet = rules.statutoryHolidays(in: 2026).filter { $0.reason == "Tết Nguyên đán" }.map(
            \.date.iso)
        #expect(tet == ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"])
        let twoBefore = HolidayRules(tetDaysBefore: 2).statutoryHolidays(in: 2026)
            .filter { $0.reason == "Tết Nguyên đán" }.map(\.date.iso)
        #expect(
            twoBefore == ["2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"])
        #expect(rules.statutoryHolidays(in: 2026).count == 11)
        #expect(rules.defaultDaysOff(in: 2026).map(\.date.iso).contains("2026-04-27"))
    }

    @Test("a decision that adds to the defaults")
    func additiveDecision() {
        let decision = YearDecision(
            year: 2028,
            daysOff: [DatedReason(date: isoDate("2028-11-24"), reason: "Nghỉ theo quyết định")],
            makeUpWorkingDays: [
                DatedReason(date: isoDate("2028-11-18"), reason: "Làm bù cho ngày 24/11")
            ],
            replacesDefaults: false, source: "test")
        let cal = WorkingCalendar(decisions: [decision])
        #expect(cal.info(for: isoDate("2028-11-24")).kind == .dayOff)
        #expect(cal.info(for: isoDate("2028-11-18")).kind == .makeUpWorkingDay)
        #expect(!cal.isWorkingDay(isoDate("2028-01-03")))  // default compensation kept
        #expect(cal.decisions[2028] == decision)
    }

    @Test("n = 0 and counting conventions")
    func conventions() {
        #expect(calendar.adding(workingDays: 0, to: isoDate("2026-02-13")) == isoDate("2026-02-13"))
        #expect(calendar.adding(workingDays: 0, to: isoDate("2026-02-14")) == isoDate("2026-02-23"))
        #expect(calendar.adding(workingDays: 2, to: isoDate("2026-03-06")) == isoDate("2026-03-10"))
        #expect(
            calendar.adding(workingDays: -1, to: isoDate("2026-02-23")) == isoDate("2026-02-13"))
        #expect(calendar.nextWorkingDay(after: isoDate("2026-02-13")) == isoDate("2026-02-23"))
        #expect(calendar.previousWorkingDay(before: isoDate("2026-01-05")) == isoDate("2025-12-31"))
        #expect(calendar.workingDays(from: isoDate("2026-03-02"), to: isoDate("2026-03-02")) == 0)
        #expect(calendar.workingDays(from: isoDate("2026-03-06"), to: isoDate("2026-03-02")) == 0)
        #expect(calendar.workingDays(from: isoDate("2026-03-06"), to: isoDate("2026-03-09")) == 1)
        // Across the year end: 31/12/2026 (Thu) + 1 → 4/1/2027 (1/1/2027 Friday holiday).
        #expect(calendar.adding(workingDays: 1, to: isoDate("2026-12-31")) == isoDate("2027-01-04"))
        #expect(calendar.workingDays(from: isoDate("2026-12-30"), to: isoDate("2027-01-04")) == 2)
    }

    @Test("adding and counting are inverse over several years")
    func inverse() {
        var date = isoDate("2025-06-02")
        for n in [1, 3, 5, 10, 22, 100, 250, 1000] {
            let end = calendar.adding(workingDays: n, to: date)
            #expect(calendar.workingDays(from: date, to: end) == n)
            #expect(calendar.isWorkingDay(end))
            #expect(calendar.workingDays(from: date, to: end.adding(days: -1)) == n - 1)
            date = date.adding(days: 37)
        }
    }

    @Test("the 15:00 cut-off")
    func cutoff() {
        // Monday 2/3/2026.
        let before = vietnamInstant("2026-03-02", 14, 59, 59)
        let at = vietnamInstant("2026-03-02", 15, 0)
        #expect(calendar.effectiveStartDate(startingAt: before) == isoDate("2026-03-02"))
        #expect(calendar.effectiveStartDate(startingAt: at) == isoDate("2026-03-03"))
        #expect(calendar.dueDate(startingAt: before, workingDays: 1) == isoDate("2026-03-03"))
        #expect(calendar.dueDate(startingAt: at, workingDays: 1) == isoDate("2026-03-04"))
        #expect(
            calendar.dueInstant(startingAt: before, workingDays: 1)
                == vietnamInstant("2026-03-04", 0, 0).addingTimeInterval(-0.001))
        #expect(
            calendar.dueInstant(startingAt: at, workingDays: 1)
                == vietnamInstant("2026-03-05", 0, 0).addingTimeInterval(-0.001))
        #expect(
            calendar.dueInstant(
                startingAt: vietnamInstant("2026-03-02", 14, 0), workingDays: 1, cutoffHour: 14)
                == vietnamInstant("2026-03-05", 0, 0).addingTimeInterval(-0.001))
        // Due is 23:59:59.999 local = 16:59:59.999 UTC.
        let due = calendar.dueInstant(startingAt: before, workingDays: 1)
        #expect(abs(due.timeIntervalSince1970 - 1_772_557_199.999) < 0.000_5)
        #expect(LocalDate(date: due, in: .vietnam) == isoDate("2026-03-03"))
        #expect(
            LocalDate(date: due.addingTimeInterval(0.001), in: .vietnam) == isoDate("2026-03-04"))
    }

    @Test("a start on a non-working day counts from the next working day")
    func startOnNonWorkingDay() {
        // Saturday 14/2/2026 (Tết break), any hour: counted from Monday 23/2.
        let saturday = vietnamInstant("2026-02-14", 9, 0)
        #expect(calendar.effectiveStartDate(startingAt: saturday) == isoDate("2026-02-23"))
        #expect(calendar.dueDate(startingAt: saturday, workingDays: 1) == isoDate("2026-02-24"))
        #expect(calendar.dueDate(startingAt: saturday, workingDays: 0) == isoDate("2026-02-23"))
        // Friday 13/2/2026 after 15:00 → also from 23/2.
        #expect(
            calendar.dueDate(startingAt: vietnamInstant("2026-02-13", 16, 30), workingDays: 5)
                == isoDate("2026-03-02"))
        // Make-up Saturday 22/8/2026 before 15:00 is a working day.
        #expect(
            calendar.effectiveStartDate(startingAt: vietnamInstant("2026-08-22", 10, 0))
                == isoDate("2026-08-22"))
        // Just after midnight local time (still the previous day in UTC).
        #expect(
            calendar.effectiveStartDate(startingAt: vietnamInstant("2026-03-03", 0, 30))
                == isoDate("2026-03-03"))
    }

    @Test("working days between instants use Vietnam dates")
    func between() {
        #expect(
            calendar.workingDaysBetween(
                vietnamInstant("2026-02-13", 10, 0), vietnamInstant("2026-02-23", 8, 0)) == 1)
        #expect(
            calendar.workingDaysBetween(
                vietnamInstant("2026-03-02", 23, 30), vietnamInstant("2026-03-03", 0, 30)) == 1)
        #expect(
            calendar.workingDaysBetween(
                vietnamInstant("2026-03-03", 10, 0), vietnamInstant("2026-03-02", 10, 0)) == 0)
    }

    @Test("calendar-day periods roll over to the next working day (Civil Code Art. 148)")
    func civilCodeRollOver() {
        // 10 days from 4/2/2026 end Saturday 14/2 (Tết break) → Monday 23/2.
        #expect(
            calendar.calendarPeriodEnd(startingAt: isoDate("2026-02-04"), days: 10)
                == isoDate("2026-02-23")
        )
        // Ending on a working day: unchanged.
        #expect(
            calendar.calendarPeriodEnd(startingAt: isoDate("2026-03-02"), days: 10)
                == isoDate("2026-03-12")
        )
        // Ending on a plain Sunday → Monday.
        #expect(
            calendar.calendarPeriodEnd(startingAt: isoDate("2026-03-05"), days: 10)
                == isoDate("2026-03-16")
        )
        // Ending on the make-up Saturday 22/8/2026: a working day.
        #expect(
            calendar.calendarPeriodEnd(startingAt: isoDate("2026-08-12"), days: 10)
                == isoDate("2026-08-22")
        )
        // Ending on 30/4/2026 → 4/5 (30/4, 1/5 holidays, then the weekend).
        #expect(
            calendar.calendarPeriodEnd(startingAt: isoDate("2026-04-20"), days: 10)
                == isoDate("2026-05-04")
        )
        #expect(
            calendar.monthPeriodEnd(startingAt: isoDate("2025-08-30"), months: 12)
                == isoDate("2026-09-03"))
    }

    /// Long spans cross several years' tables: a jump of 1000 working days lands where 1000 single steps do.
    /// (How fast it is belongs to a benchmark, not to a test.)
    @Test("1000 working days at once equal 1000 single steps")
    func longSpans() {
        let cal = WorkingCalendar(decisions: [.vietnam2026])
        for offset in [0, 1, 45, 99] {
            let start = isoDate("2026-01-01").adding(days: offset)
            var stepped = start
            for _ in 0..<1000 { stepped = cal.adding(workingDays: 1, to: stepped) }
            #expect(cal.adding(workingDays: 1000, to: start) == stepped, "from \(start)")
        }
        #expect(cal.adding(workingDays: 1000, to: isoDate("2026-01-01")) > isoDate("2029-10-01"))
    }

    @Test("safe to use from many tasks at once")
    func concurrency() async {
        let cal = WorkingCalendar(decisions: [.vietnam2026])
        let results = await withTaskGroup(of: LocalDate.self) { group in
            for i in 0..<16 {
                group.addTask {
                    cal.adding(workingDays: 300, to: isoDate("2026-03-02").adding(days: i % 2))
                }
            }
            var all: [LocalDate] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(Set(results).count == 2)
    }

    @Test("YearDecision is Codable")
    func decisionCodable() throws {
        let data = try JSONEncoder().encode(YearDecision.vietnam2026)
        let decoded = try JSONDecoder().decode(YearDecision.self, from: data)
        #expect(decoded == .vietnam2026)
        #expect(decoded.daysOff.count == 22)
        #expect(String(decoding: data, as: UTF8.self).contains("\"2026-02-14\""))
    }
}
