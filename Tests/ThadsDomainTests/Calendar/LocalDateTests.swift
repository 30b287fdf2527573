import Foundation
import Testing
import ThadsDomain

/// Builds a date the test knows to be valid.
func isoDate(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

@Suite("LocalDate")
struct LocalDateTests {
    @Test("validates year, month and day")
    func validation() {
        #expect(LocalDate(year: 2026, month: 2, day: 28) != nil)
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2028, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2026, month: 13, day: 1) == nil)
        #expect(LocalDate(year: 2026, month: 0, day: 1) == nil)
        #expect(LocalDate(year: 2026, month: 4, day: 31) == nil)
        #expect(LocalDate(year: 2026, month: 1, day: 0) == nil)
        #expect(LocalDate(year: 0, month: 1, day: 1) == nil)
    }

    @Test("ISO text round trip and strict parsing")
    func iso() {
        let date = LocalDate(year: 2026, month: 2, day: 13)!
        #expect(date.iso == "2026-02-13")
        #expect(date.description == "2026-02-13")
        #expect(LocalDate(iso: "2026-02-13") == date)
        for bad in [
            "2026-2-13", "26-02-13", "2026/02/13", "2026-02-30", "2026-02-1a", "", "2026-02-13 ",
            "+026-02-13",
        ] {
            #expect(LocalDate(iso: bad) == nil, "\(bad)")
        }
    }

    @Test("display text dd/MM/yyyy")
    func display() {
        let date = LocalDate(year: 2026, month: 2, day: 13)!
        #expect(date.display == "13/02/2026")
        #expect(LocalDate(display: "13/02/2026") == date)
        #expect(LocalDate(display: "3/9/2026") == LocalDate(year: 2026, month: 9, day: 3))
        #expect(LocalDate(display: " 02/09/2026 ") == LocalDate(year: 2026, month: 9, day: 2))
        for bad in [
            "2026-02-13", "13/02/26", "31/04/2026", "13-02-2026", "13/002/2026", "a/02/2026",
        ] {
            #expect(LocalDate(display: bad) == nil, "\(bad)")
        }
    }

    @Test("ISO weekday, 1 = Monday … 7 = Sunday")
    func weekday() {
        #expect(isoDate("2026-02-16").weekday == 1)
        #expect(isoDate("2026-02-17").weekday == 2)
        #expect(isoDate("2026-02-13").weekday == 5)
        #expect(isoDate("2026-02-14").weekday == 6)
        #expect(isoDate("2026-02-15").weekday == 7)
        #expect(isoDate("1970-01-01").weekday == 4)
        #expect(isoDate("1900-01-01").weekday == 1)
        #expect(isoDate("2000-01-01").weekday == 6)
        #expect(isoDate("1969-12-31").weekday == 3)
        #expect(isoDate("2026-02-14").isWeekend)
        #expect(!isoDate("2026-02-13").isWeekend)
    }

    @Test("day arithmetic agrees with Foundation's Gregorian calendar")
    func daysMatchFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let epoch = Date(timeIntervalSince1970: 0)
        for offset in stride(from: -80_000, through: 80_000, by: 97) {
            let date = LocalDate(daysSinceEpoch: offset)
            let c = calendar.dateComponents(
                [.year, .month, .day], from: epoch.addingTimeInterval(Double(offset) * 86_400))
            #expect(date.year == c.year && date.month == c.month && date.day == c.day)
            #expect(date.daysSinceEpoch == offset)
        }
    }

    @Test("adding days, days until, ordering")
    func arithmetic() {
        let d = isoDate("2026-02-13")
        #expect(d.adding(days: 10) == isoDate("2026-02-23"))
        #expect(d.adding(days: -44) == isoDate("2025-12-31"))
        #expect(d.adding(days: 0) == d)
        #expect(d.days(until: isoDate("2027-02-13")) == 365)
        #expect(isoDate("2028-02-13").days(until: isoDate("2029-02-13")) == 366)
        #expect(isoDate("2026-03-01").days(until: d) == -16)
        #expect(isoDate("2025-12-31") < isoDate("2026-01-01"))
        #expect(isoDate("2026-01-31") < isoDate("2026-02-01"))
        #expect(
            [isoDate("2026-03-01"), isoDate("2025-12-31"), d].sorted() == [
                isoDate("2025-12-31"), d, isoDate("2026-03-01"),
            ])
        #expect(isoDate("2026-01-01").dayOfYear == 1)
        #expect(isoDate("2028-12-31").dayOfYear == 366)
        #expect(LocalDate(julianDayNumber: 2_451_545) == isoDate("2000-01-01"))
        #expect(isoDate("2000-01-01").julianDayNumber == 2_451_545)
    }

    @Test("adding months and years clamps to the month end")
    func months() {
        #expect(isoDate("2026-01-31").adding(months: 1) == isoDate("2026-02-28"))
        #expect(isoDate("2028-01-31").adding(months: 1) == isoDate("2028-02-29"))
        #expect(isoDate("2026-03-31").adding(months: -1) == isoDate("2026-02-28"))
        #expect(isoDate("2026-05-31").adding(months: 6) == isoDate("2026-11-30"))
        #expect(isoDate("2026-11-15").adding(months: 3) == isoDate("2027-02-15"))
        #expect(isoDate("2026-02-15").adding(months: -14) == isoDate("2024-12-15"))
        #expect(isoDate("2028-02-29").adding(years: 1) == isoDate("2029-02-28"))
        #expect(isoDate("2028-02-29").adding(years: 4) == isoDate("2032-02-29"))
        #expect(isoDate("2026-07-01").adding(years: -5) == isoDate("2021-07-01"))
        #expect(isoDate("2026-02-13").firstDayOfMonth == isoDate("2026-02-01"))
        #expect(isoDate("2026-02-13").lastDayOfMonth == isoDate("2026-02-28"))
    }

    @Test("Codable as the ISO string")
    func codable() throws {
        struct Box: Codable, Equatable { var date: LocalDate }
        let data = try JSONEncoder().encode(Box(date: isoDate("2026-02-13")))
        #expect(String(decoding: data, as: UTF8.self) == #"{"date":"2026-02-13"}"#)
        #expect(try JSONDecoder().decode(Box.self, from: data) == Box(date: isoDate("2026-02-13")))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Box.self, from: Data(#"{"date":"13/02/2026"}"#.utf8))
        }
    }

    @Test("instants in Asia/Ho_Chi_Minh")
    func instants() {
        #expect(
            TimeZone.vietnam.secondsFromGMT(for: Date(timeIntervalSince1970: 1_770_000_000)) == 7
                * 3600)
        // 2026-02-13T16:59:59Z is 23:59:59 on the 13th in Vietnam; a second later it is the 14th.
        let lastSecond = Date(timeIntervalSince1970: 1_771_001_999)
        #expect(LocalDate(date: lastSecond, in: .vietnam) == isoDate("2026-02-13"))
        #expect(
            LocalDate(date: lastSecond.addingTimeInterval(1), in: .vietnam) == isoDate("2026-02-14")
        )
        #expect(
            LocalDate(date: lastSecond, in: TimeZone(secondsFromGMT: 0)!) == isoDate("2026-02-13"))
        #expect(
            AppClock.fixed(lastSecond.addingTimeInterval(1)).today == isoDate("2026-02-14"))
        #expect(AppClock.fixed(lastSecond).today == isoDate("2026-02-13"))
        #expect(AppClock.fixed(isoDate("2026-02-13"), hour: 9).now == lastSecond.addingTimeInterval(-15 * 3600 + 1))
        #expect(isoDate("2026-02-14").startOfDay(in: .vietnam) == lastSecond.addingTimeInterval(1))
        #expect(
            isoDate("2026-02-14").startOfDay(in: TimeZone(secondsFromGMT: 0)!).timeIntervalSince1970
                == 1_771_027_200)
        #expect(
            isoDate("1969-12-31").startOfDay(in: TimeZone(secondsFromGMT: 0)!).timeIntervalSince1970
                == -86_400)
        // A zone with daylight saving time.
        if let paris = TimeZone(identifier: "Europe/Paris") {
            let start = isoDate("2026-07-01").startOfDay(in: paris)
            #expect(start.timeIntervalSince1970 == 1_782_856_800)
            #expect(LocalDate(date: start, in: paris) == isoDate("2026-07-01"))
            #expect(
                LocalDate(date: start.addingTimeInterval(-1), in: paris) == isoDate("2026-06-30"))
        }
    }

    @Test func typedDatesAcceptBothFormsAndNothingElse() {
        let expected = LocalDate(year: 2026, month: 9, day: 3)
        #expect(LocalDate(typed: " 03/09/2026 ") == expected)
        #expect(LocalDate(typed: "3/9/2026") == expected)
        #expect(LocalDate(typed: "2026-09-03 ") == expected)
        for junk in ["", "31/02/2026", "2026/09/03", "03-09-2026", "03/09/26", "hôm nay", "2026-9-3"] {
            #expect(LocalDate(typed: junk) == nil, "\(junk)")
        }
    }
}
