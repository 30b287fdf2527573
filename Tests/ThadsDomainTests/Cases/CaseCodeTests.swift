import Testing

@testable import ThadsDomain

/// A date the test knows to be valid ("yyyy-MM-dd").
private func day(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

@Suite("Statistical year")
struct StatisticalYearTests {
    @Test("30/09 and 01/10 fall in different years")
    func boundary() {
        #expect(StatisticalYear.of(day("2026-09-30")) == 2026)
        #expect(StatisticalYear.of(day("2026-10-01")) == 2027)
        #expect(StatisticalYear.of(day("2026-12-31")) == 2027)
        #expect(StatisticalYear.of(day("2027-01-01")) == 2027)
        #expect(StatisticalYear.of(day("2027-09-30")) == 2027)
        #expect(StatisticalYear.of(day("2027-10-01")) == 2028)
    }

    @Test("the start month follows the parameter; 1 is the calendar year")
    func startMonth() {
        #expect(
            LegalParameterSet.seeded.int(LegalParameterName.statisticalYearStartMonth, on: day("2026-06-01")) == 10)
        #expect(StatisticalYear.of(day("2026-12-31"), startMonth: 1) == 2026)
        #expect(StatisticalYear.of(day("2026-01-01"), startMonth: 1) == 2026)
        #expect(StatisticalYear.of(day("2026-06-30"), startMonth: 7) == 2026)
        #expect(StatisticalYear.of(day("2026-07-01"), startMonth: 7) == 2027)
        #expect(StatisticalYear.range(2026, startMonth: 1) == day("2026-01-01")...day("2026-12-31"))
        // Out-of-range months are clamped.
        #expect(StatisticalYear.of(day("2026-12-31"), startMonth: 0) == 2026)
        #expect(StatisticalYear.of(day("2026-12-31"), startMonth: 13) == 2027)
    }

    @Test("range: 01/10 of the previous year to 30/09")
    func range() {
        #expect(StatisticalYear.range(2027) == day("2026-10-01")...day("2027-09-30"))
        // Leap day at the end of a year starting in March.
        #expect(StatisticalYear.range(2024, startMonth: 3) == day("2023-03-01")...day("2024-02-29"))
        #expect(StatisticalYear.range(2025, startMonth: 3) == day("2024-03-01")...day("2025-02-28"))
    }

    @Test("every day of a range belongs to that year, and the neighbours do not")
    func rangeMatchesOf() {
        for startMonth in [1, 7, 10] {
            let range = StatisticalYear.range(2027, startMonth: startMonth)
            var date = range.lowerBound
            while date <= range.upperBound {
                #expect(StatisticalYear.of(date, startMonth: startMonth) == 2027)
                date = date.adding(days: 1)
            }
            #expect(StatisticalYear.of(range.lowerBound.adding(days: -1), startMonth: startMonth) == 2026)
            #expect(StatisticalYear.of(range.upperBound.adding(days: 1), startMonth: startMonth) == 2028)
        }
    }
}

@Suite("Case code")
struct CaseCodeTests {
    @Test("make pads the sequence to 6 digits")
    func make() {
        #expect(CaseCode.make(unitCode: "01-03", year: 2027, sequence: 42) == "01-03/2027/000042")
        #expect(CaseCode.make(unitCode: "79", year: 2026, sequence: 1) == "79/2026/000001")
        #expect(CaseCode.make(unitCode: "01-03", year: 2027, sequence: 999_999) == "01-03/2027/999999")
        #expect(CaseCode.make(unitCode: "01-03", year: 2027, sequence: 1_234_567) == "01-03/2027/1234567")
    }

    @Test("parse round trip")
    func roundTrip() {
        for (unit, year, sequence) in [
            ("01-03", 2027, 42), ("79", 2026, 1), ("01-03", 2027, 1_234_567), ("C", 2030, 999_999),
        ] {
            let code = CaseCode.make(unitCode: unit, year: year, sequence: sequence)
            let parsed = CaseCode.parse(code)
            #expect(parsed?.unitCode == unit)
            #expect(parsed?.year == year)
            #expect(parsed?.sequence == sequence)
        }
    }

    @Test(
        "malformed codes are rejected",
        arguments: [
            "", "01-03/2027", "01-03/2027/000042/1", "01-03/2027/42", "01-03/27/000042", "01-03/02027/000042",
            "/2027/000042", "01 03/2027/000042", " 01-03/2027/000042", "01-03/2027/000042 ", "01-03/2027/00004a",
            "01-03/2027/0000042", "01-03/2027/000000", "01-03/2027/+00042", "01-03/2027/-00042",
            "01-03/٢٠٢٧/000042", "01-03/2027/٠٠٠٠٤٢", "01-03//000042", "01-03/2027/",
        ])
    func malformed(code: String) {
        #expect(CaseCode.parse(code) == nil)
    }
}

@Suite("Entry timeliness")
struct EntryTimelinessTests {
    let deadlines = CaseDeadlines(calendar: .vietnam, parameters: .seeded)

    @Test("seeded: 1 working day")
    func seeded() {
        let value = LegalParameterSet.seeded.value(LegalParameterName.lateEntryWorkingDays, on: day("2026-06-01"))
        #expect(value?.value == 1)
        #expect(value?.unit == .workingDays)
    }

    @Test("on the last on-time day is not late; the next working day is")
    func boundary() {
        // Mon 08/06/2026 → Tue 09/06.
        let event = day("2026-06-08")
        #expect(EntryTimeliness.lastOnTimeDay(eventOn: event, deadlines: deadlines) == day("2026-06-09"))
        #expect(!EntryTimeliness.isLate(eventOn: event, enteredOn: event, deadlines: deadlines))
        #expect(!EntryTimeliness.isLate(eventOn: event, enteredOn: day("2026-06-09"), deadlines: deadlines))
        #expect(EntryTimeliness.isLate(eventOn: event, enteredOn: day("2026-06-10"), deadlines: deadlines))
    }

    @Test("an event on Friday entered on Monday is on time; Tuesday is late")
    func weekend() {
        let friday = day("2026-06-12")
        #expect(friday.weekday == 5)
        #expect(EntryTimeliness.lastOnTimeDay(eventOn: friday, deadlines: deadlines) == day("2026-06-15"))
        #expect(!EntryTimeliness.isLate(eventOn: friday, enteredOn: day("2026-06-13"), deadlines: deadlines))
        #expect(!EntryTimeliness.isLate(eventOn: friday, enteredOn: day("2026-06-15"), deadlines: deadlines))
        #expect(EntryTimeliness.isLate(eventOn: friday, enteredOn: day("2026-06-16"), deadlines: deadlines))
        // An event on Saturday: Monday is its first working day after.
        #expect(EntryTimeliness.lastOnTimeDay(eventOn: day("2026-06-13"), deadlines: deadlines) == day("2026-06-15"))
    }

    @Test("across Tết 2027")
    func tet() {
        // Thu 04/02/2027 → Fri 12/02 (05–11 off).
        let event = day("2027-02-04")
        #expect(EntryTimeliness.lastOnTimeDay(eventOn: event, deadlines: deadlines) == day("2027-02-12"))
        #expect(!EntryTimeliness.isLate(eventOn: event, enteredOn: day("2027-02-10"), deadlines: deadlines))
        #expect(EntryTimeliness.isLate(eventOn: event, enteredOn: day("2027-02-15"), deadlines: deadlines))
    }

    @Test("the parameter in force on the event's day applies")
    func parameterChange() {
        func value(_ days: Int64, from: LocalDate) -> LegalParameterValue {
            LegalParameterValue(
                name: LegalParameterName.lateEntryWorkingDays, value: days, unit: .workingDays, effectiveFrom: from,
                source: "test", verified: false)
        }
        let custom = CaseDeadlines(
            calendar: .vietnam,
            parameters: LegalParameterSet([
                value(1, from: LegalParameterName.oldLawEffective), value(3, from: day("2026-07-01")),
            ]))
        // Tue 30/06/2026 (1 day) → Wed 01/07; Wed 01/07 (3 days) → Thu 02, Fri 03, Mon 06.
        #expect(EntryTimeliness.lastOnTimeDay(eventOn: day("2026-06-30"), deadlines: custom) == day("2026-07-01"))
        #expect(EntryTimeliness.lastOnTimeDay(eventOn: day("2026-07-01"), deadlines: custom) == day("2026-07-06"))
        // Without the parameter in the set, the seeded value (1) applies.
        let empty = CaseDeadlines(calendar: .vietnam, parameters: LegalParameterSet([]))
        #expect(EntryTimeliness.lastOnTimeDay(eventOn: day("2026-07-01"), deadlines: empty) == day("2026-07-02"))
    }
}
