import Foundation

extension TimeZone {
    /// Asia/Ho_Chi_Minh (UTC+7, no daylight saving). Falls back to a fixed UTC+7 zone when the
    /// time-zone database is missing (minimal Linux containers).
    public static let vietnam: TimeZone =
        TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!
}

/// A calendar date without a time or a time zone (a legal date: judgment date, decision date…),
/// in the proleptic Gregorian calendar. Codable as its ISO string "yyyy-mm-dd".
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Valid years are 1…9999.
    public static let validYears: ClosedRange<Int> = 1...9999
    /// The last day a `LocalDate` can hold: the open end of a validity range.
    public static let latest = LocalDate(uncheckedYear: 9999, month: 12, day: 31)

    public init?(year: Int, month: Int, day: Int) {
        guard Self.validYears.contains(year), (1...12).contains(month),
            day >= 1, day <= Self.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Unchecked initialiser for values known to be valid.
    init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    // MARK: Day numbers

    /// Days since 1970-01-01 (which is 0); negative before it.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01. Results outside years 1…9999 are clamped to that range.
    public init(daysSinceEpoch days: Int) {
        let clamped = min(max(days, Self.minDayNumber), Self.maxDayNumber)
        // Howard Hinnant's civil_from_days.
        let z = clamped + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(uncheckedYear: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Julian Day Number (the Julian day beginning at noon of this date).
    public var julianDayNumber: Int { daysSinceEpoch + 2_440_588 }

    public init(julianDayNumber: Int) { self.init(daysSinceEpoch: julianDayNumber - 2_440_588) }

    private static let minDayNumber = LocalDate(uncheckedYear: 1, month: 1, day: 1).daysSinceEpoch
    private static let maxDayNumber = LocalDate(uncheckedYear: 9999, month: 12, day: 31)
        .daysSinceEpoch

    // MARK: Calendar facts

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let r = (daysSinceEpoch + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    /// Day of the year, 1…366.
    public var dayOfYear: Int {
        daysSinceEpoch - LocalDate(uncheckedYear: year, month: 1, day: 1).daysSinceEpoch + 1
    }

    // MARK: Arithmetic

    public func adding(days: Int) -> LocalDate {
        days == 0 ? self : LocalDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Signed number of days from `self` to `other` (positive when `other` is later).
    public func days(until other: LocalDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// Adds calendar months; a day past the end of the target month is clamped to its last day
    /// (31/01 + 1 month = 28/02 or 29/02).
    public func adding(months: Int) -> LocalDate {
        let total = year * 12 + (month - 1) + months
        var y = total / 12
        var m = total % 12
        if m < 0 {
            m += 12
            y -= 1
        }
        y = min(max(y, Self.validYears.lowerBound), Self.validYears.upperBound)
        let month = m + 1
        return LocalDate(
            uncheckedYear: y, month: month, day: min(day, Self.daysInMonth(year: y, month: month)))
    }

    /// Adds calendar years; 29/02 becomes 28/02 in a common year.
    public func adding(years: Int) -> LocalDate { adding(months: years * 12) }

    public var firstDayOfMonth: LocalDate { LocalDate(uncheckedYear: year, month: month, day: 1) }

    public var lastDayOfMonth: LocalDate {
        LocalDate(
            uncheckedYear: year, month: month, day: Self.daysInMonth(year: year, month: month))
    }

    // MARK: Comparable

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // MARK: Text

    /// "2026-02-13".
    public var iso: String {
        Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
    }

    /// "13/02/2026" (dd/MM/yyyy), as shown to users.
    public var display: String {
        Self.pad(day, 2) + "/" + Self.pad(month, 2) + "/" + Self.pad(year, 4)
    }

    public var description: String { iso }

    /// Parses exactly "yyyy-mm-dd".
    public init?(iso: String) {
        guard let parts = Self.numbers(iso, separator: UInt8(ascii: "-"), lengths: Self.isoLengths) else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    /// Parses "dd/MM/yyyy"; one-digit day and month ("3/9/2026") are accepted too.
    /// Surrounding spaces are ignored.
    public init?(display: String) {
        let padded = Self.mayBePadded(display)
        let text = padded ? display.trimmingCharacters(in: .whitespaces) : display
        guard let parts = Self.numbers(text, separator: UInt8(ascii: "/"), lengths: Self.displayLengths) else {
            return nil
        }
        self.init(year: parts[2], month: parts[1], day: parts[0])
    }

    /// What a user typed in a date field: "dd/MM/yyyy" as shown in the UI, or "yyyy-mm-dd"; spaces around
    /// are ignored. The one parser behind every date field.
    public init?(typed text: String) {
        // Foundation's trimming is slow on Linux; most dates come without spaces around them.
        let padded = Self.mayBePadded(text)
        let trimmed = padded ? text.trimmingCharacters(in: .whitespaces) : text
        guard let date = LocalDate(display: trimmed) ?? LocalDate(iso: trimmed) else { return nil }
        self = date
    }

    /// Whether the text may start or end with whitespace (an ASCII letter or digit at both ends: surely not).
    private static func mayBePadded(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        func plain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
        return !plain(first) || !plain(last)
    }

    private static let isoLengths = [4...4, 2...2, 2...2]
    private static let displayLengths = [1...2, 1...2, 4...4]

    /// The numbers of `text` split at `separator`, each of ASCII digits with a length in its range; read byte by
    /// byte because an import parses a few million dates.
    private static func numbers(_ text: String, separator: UInt8, lengths: [ClosedRange<Int>]) -> [Int]? {
        var values: [Int] = []
        values.reserveCapacity(lengths.count)
        var value = 0
        var length = 0
        for byte in text.utf8 {
            if byte == separator {
                guard values.count < lengths.count - 1, lengths[values.count].contains(length) else { return nil }
                values.append(value)
                value = 0
                length = 0
            } else if byte >= 48 && byte <= 57 {
                length += 1
                guard length <= 4 else { return nil }
                value = value * 10 + Int(byte - 48)
            } else {
                return nil
            }
        }
        guard values.count == lengths.count - 1, lengths[values.count].contains(length) else { return nil }
        values.append(value)
        return values
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    // MARK: Codable

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected a date as yyyy-mm-dd, got \"\(text)\"")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    // MARK: Instants

    /// The local date of `date` in `tz`.
    public init(date: Date, in tz: TimeZone) {
        let offset = Double(tz.secondsFromGMT(for: date))
        let days = Int(((date.timeIntervalSince1970 + offset) / 86_400).rounded(.down))
        self.init(daysSinceEpoch: days)
    }

    /// The instant at which this date begins (local midnight) in `tz`.
    public func startOfDay(in tz: TimeZone) -> Date {
        let localMidnight = Double(daysSinceEpoch) * 86_400
        // Offset at the approximate instant, then re-check once (enough for any real zone's DST).
        var guess =
            localMidnight
            - Double(tz.secondsFromGMT(for: Date(timeIntervalSince1970: localMidnight)))
        guess = localMidnight - Double(tz.secondsFromGMT(for: Date(timeIntervalSince1970: guess)))
        return Date(timeIntervalSince1970: guess)
    }
}
