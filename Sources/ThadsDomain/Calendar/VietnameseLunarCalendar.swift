import Foundation

/// A date of the Vietnamese lunisolar calendar (âm lịch).
public struct LunarDate: Hashable, Sendable, CustomStringConvertible {
    /// Lunar year, numbered like the Gregorian year in which it mostly falls (Tết 2026 starts 2026).
    public var year: Int
    /// 1…12.
    public var month: Int
    /// 1…30.
    public var day: Int
    /// True for the intercalary month (tháng nhuận) that follows the regular month of the same number.
    public var isLeapMonth: Bool

    public init(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }

    /// "10/3 năm Bính Ngọ", "15/4 nhuận năm Canh Tý".
    public var description: String {
        "\(day)/\(month)\(isLeapMonth ? " nhuận" : "") năm \(VietnameseLunarCalendar.yearName(year))"
    }
}

/// The Vietnamese lunisolar calendar, computed astronomically for UTC+7 (the meridian 105° E, used
/// for the Vietnamese calendar since 1968; this implementation applies it to every year).
///
/// Rules (the same as those published by Hồ Ngọc Đức for the Vietnamese calendar):
/// - a month begins on the local day that contains the new moon;
/// - the month containing the winter solstice is month 11;
/// - when 13 months start between two months 11, the first month after month 11 that contains
///   no major solar term (trung khí: Sun's longitude a multiple of 30°) is a leap month, carrying
///   the number of the month before it;
/// - a day is tested at local midnight: a term "in" a month crosses between the midnights that
///   begin that month and the next one.
///
/// The astronomy is Meeus's (see `Astronomy`); results are cached for Gregorian years 1899–2101
/// and computed on demand outside them. Meant for 1900–2100.
public enum VietnameseLunarCalendar {
    /// Hours east of Greenwich used for the calendar.
    public static let timeZoneHours = 7.0

    /// The supported range, in which dates are checked in the tests.
    public static let supportedYears: ClosedRange<Int> = 1900...2100

    // MARK: Public API

    /// The lunar date of a Gregorian date.
    public static func lunarDate(for date: LocalDate) -> LunarDate {
        let dayNumber = date.julianDayNumber
        var sui = sui(endingIn: date.year)
        if dayNumber >= sui.end {
            sui = Self.sui(endingIn: date.year + 1)
        }
        var index = sui.months.count - 1
        while index > 0 && sui.months[index].start > dayNumber { index -= 1 }
        let month = sui.months[index]
        return LunarDate(
            year: month.lunarYear, month: month.number, day: dayNumber - month.start + 1,
            isLeapMonth: month.isLeap)
    }

    /// The Gregorian date of a lunar date, or nil when it does not exist (no such leap month that
    /// year, or day 30 of a 29-day month).
    public static func solarDate(for lunar: LunarDate) -> LocalDate? {
        guard (1...12).contains(lunar.month), (1...30).contains(lunar.day),
            let (start, length) = monthInfo(
                year: lunar.year, month: lunar.month, isLeap: lunar.isLeapMonth),
            lunar.day <= length
        else { return nil }
        return LocalDate(julianDayNumber: start + lunar.day - 1)
    }

    /// The first day of lunar year `lunarYear` (mùng 1 Tết).
    public static func newYear(of lunarYear: Int) -> LocalDate {
        let sui = sui(endingIn: lunarYear)
        let first = sui.months.first { $0.number == 1 && !$0.isLeap && $0.lunarYear == lunarYear }!
        return LocalDate(julianDayNumber: first.start)
    }

    /// The last day of lunar year `lunarYear` (ngày 30 or 29 tháng Chạp, tất niên).
    public static func lastDay(of lunarYear: Int) -> LocalDate {
        newYear(of: lunarYear + 1).adding(days: -1)
    }

    /// The leap month of `lunarYear` (1…12), or nil in a common year.
    public static func leapMonth(in lunarYear: Int) -> Int? {
        for endYear in [lunarYear, lunarYear + 1] {
            if let leap = sui(endingIn: endYear).months.first(where: {
                $0.isLeap && $0.lunarYear == lunarYear
            }) {
                return leap.number
            }
        }
        return nil
    }

    /// Number of days (29 or 30) of a lunar month, or nil when the month does not exist.
    public static func daysInMonth(year: Int, month: Int, isLeap: Bool = false) -> Int? {
        monthInfo(year: year, month: month, isLeap: isLeap)?.length
    }

    /// The sexagenary name of a lunar year: 2026 → "Bính Ngọ".
    public static func yearName(_ lunarYear: Int) -> String {
        let stems = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"]
        let branches = [
            "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
        ]
        func mod(_ a: Int, _ n: Int) -> Int { ((a % n) + n) % n }
        return stems[mod(lunarYear + 6, 10)] + " " + branches[mod(lunarYear + 8, 12)]
    }

    // MARK: Months of a "suì" (from one month 11 to the next)

    struct Month: Sendable {
        /// Julian Day Number of the first day.
        var start: Int
        var number: Int
        var isLeap: Bool
        var lunarYear: Int
    }

    struct Sui: Sendable {
        /// The months from month 11 of lunar year Y−1 (containing the December solstice of
        /// Gregorian year Y−1) up to, not including, the next month 11.
        var months: [Month]
        /// Julian Day Number of the next month 11 (exclusive end).
        var end: Int
    }

    private static let cachedYears = 1899...2101
    private static let cache: [Sui] = cachedYears.map { computeSui(endingIn: $0) }

    /// The suì that ends with the month 11 containing the December solstice of Gregorian `year`.
    static func sui(endingIn year: Int) -> Sui {
        if cachedYears.contains(year) { return cache[year - cachedYears.lowerBound] }
        return computeSui(endingIn: year)
    }

    private static func monthInfo(year: Int, month: Int, isLeap: Bool) -> (start: Int, length: Int)? {
        for endYear in [year, year + 1] {
            let sui = sui(endingIn: endYear)
            for (i, m) in sui.months.enumerated()
            where m.lunarYear == year && m.number == month && m.isLeap == isLeap {
                let next = i + 1 < sui.months.count ? sui.months[i + 1].start : sui.end
                return (m.start, next - m.start)
            }
        }
        return nil
    }

    // MARK: Astronomy in local days

    /// Julian Day Number of the local (UTC+7) day containing the new moon `k`.
    static func newMoonDay(_ k: Int) -> Int {
        Int((Astronomy.newMoon(k) + 0.5 + timeZoneHours / 24).rounded(.down))
    }

    /// The Sun's apparent longitude at the local midnight that begins day `dayNumber`.
    static func sunLongitude(atStartOf dayNumber: Int) -> Double {
        Astronomy.sunLongitude(jd: Double(dayNumber) - 0.5 - timeZoneHours / 24)
    }

    /// Lunation number of the month 11 that contains the December solstice of `year`.
    private static func month11Lunation(_ year: Int) -> Int {
        let dec31 = LocalDate(uncheckedYear: year, month: 12, day: 31).julianDayNumber
        var k =
            Int(((Double(dec31) - Astronomy.newMoonEpoch) / Astronomy.synodicMonth).rounded(.down))
            + 1
        while newMoonDay(k) > dec31 { k -= 1 }
        // The month beginning at new moon k contains the solstice unless the Sun has already
        // reached 270° at the midnight that begins it.
        if sunLongitude(atStartOf: newMoonDay(k)) >= 270 { k -= 1 }
        return k
    }

    private static func computeSui(endingIn year: Int) -> Sui {
        let firstK = month11Lunation(year - 1)
        let endK = month11Lunation(year)
        let starts = (firstK...endK).map(newMoonDay)
        let count = endK - firstK
        var leapIndex: Int?
        if count == 13 {
            let terms = starts.map { Int(sunLongitude(atStartOf: $0) / 30) }
            leapIndex = (1..<count).first { terms[$0] == terms[$0 + 1] }
        }
        var months: [Month] = []
        var number = 10
        var lunarYear = year - 1
        for i in 0..<count {
            let isLeap = i == leapIndex
            if !isLeap {
                number = number % 12 + 1
                if number == 1 { lunarYear = year }
            }
            months.append(
                Month(start: starts[i], number: number, isLeap: isLeap, lunarYear: lunarYear))
        }
        return Sui(months: months, end: starts[count])
    }
}
