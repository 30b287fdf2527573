import Foundation

/// What kind of day a date is for working-day counting.
public enum DayKind: String, Sendable, Codable {
    /// A Monday–Friday working day.
    case working
    /// Saturday or Sunday, not worked.
    case weekend
    /// A public holiday of the Labour Code (Art. 112) falling on a weekday.
    case holiday
    /// Another weekday off: compensatory day (nghỉ bù) or a day off announced by the Government.
    case dayOff
    /// A Saturday or Sunday worked to make up for a day off (làm bù).
    case makeUpWorkingDay
}

/// One date as the working calendar sees it.
public struct CalendarDayInfo: Sendable, Hashable {
    public var date: LocalDate
    public var isWorkingDay: Bool
    public var kind: DayKind
    /// Vietnamese reason for a holiday, day off or make-up day (also set on a weekend day that an
    /// official decision lists as part of a holiday).
    public var reason: String?

    public init(date: LocalDate, isWorkingDay: Bool, kind: DayKind, reason: String? = nil) {
        self.date = date
        self.isWorkingDay = isWorkingDay
        self.kind = kind
        self.reason = reason
    }
}

/// A date with a reason.
public struct DatedReason: Sendable, Codable, Hashable {
    public var date: LocalDate
    public var reason: String

    public init(date: LocalDate, reason: String) {
        self.date = date
        self.reason = reason
    }
}

/// The Government's official decision on days off and make-up working days for one year.
public struct YearDecision: Sendable, Codable, Hashable {
    public var year: Int
    /// Dates off (weekend dates may be listed too: they are then shown with the reason).
    public var daysOff: [DatedReason]
    /// Saturdays or Sundays that are worked.
    public var makeUpWorkingDays: [DatedReason]
    /// When true, the computed holiday defaults of the year (holidays and compensatory days) are
    /// replaced by exactly `daysOff`; when false, `daysOff` is added to them.
    public var replacesDefaults: Bool
    /// The document announcing it.
    public var source: String

    public init(
        year: Int, daysOff: [DatedReason], makeUpWorkingDays: [DatedReason] = [],
        replacesDefaults: Bool = true, source: String
    ) {
        self.year = year
        self.daysOff = daysOff
        self.makeUpWorkingDays = makeUpWorkingDays
        self.replacesDefaults = replacesDefaults
        self.source = source
    }
}

extension YearDecision {
    /// 2026 as announced (DOMAIN.md, "Working days"): 1–4/1 off, Sat 10/1 worked; Tết 14–22/2 off
    /// (lunar new year Tue 17/2); Mon 27/4 off (Hùng Kings on Sun 26/4); 30/4–1/5 off; 29/8–2/9 off,
    /// Sat 22/8 worked.
    public static let vietnam2026: YearDecision = {
        func d(_ month: Int, _ day: Int) -> LocalDate {
            LocalDate(uncheckedYear: 2026, month: month, day: day)
        }
        func range(_ month: Int, _ days: ClosedRange<Int>, _ reason: String) -> [DatedReason] {
            days.map { DatedReason(date: d(month, $0), reason: reason) }
        }
        var off: [DatedReason] = []
        off.append(DatedReason(date: d(1, 1), reason: HolidayRules.Reason.newYear))
        off.append(DatedReason(date: d(1, 2), reason: "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)"))
        off += range(1, 3...4, HolidayRules.Reason.newYear)
        off += range(2, 14...22, HolidayRules.Reason.tet)
        off.append(DatedReason(date: d(4, 26), reason: HolidayRules.Reason.hungKings))
        off.append(
            DatedReason(
                date: d(4, 27),
                reason: HolidayRules.Reason.compensatory(for: HolidayRules.Reason.hungKings)))
        off.append(DatedReason(date: d(4, 30), reason: HolidayRules.Reason.reunification))
        off.append(DatedReason(date: d(5, 1), reason: HolidayRules.Reason.labourDay))
        off += range(8, 29...30, HolidayRules.Reason.nationalDay)
        off.append(DatedReason(date: d(8, 31), reason: "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)"))
        off += range(9, 1...2, HolidayRules.Reason.nationalDay)
        return YearDecision(
            year: 2026,
            daysOff: off,
            makeUpWorkingDays: [
                DatedReason(date: d(1, 10), reason: "Làm bù cho ngày nghỉ 02/01/2026"),
                DatedReason(date: d(8, 22), reason: "Làm bù cho ngày nghỉ 31/08/2026"),
            ],
            replacesDefaults: true,
            source:
                "Lịch nghỉ lễ, Tết năm 2026 do Chính phủ công bố (theo shared/DOMAIN.md, mục Working days)"
        )
    }()
}

/// The statutory holidays of the Labour Code 2019 (Art. 112) and the weekly-rest compensation rule,
/// computed per year as defaults when no official decision replaces them.
///
/// - 1/1 (Tết Dương lịch);
/// - Tết Nguyên đán, 5 days: by default the last day of the ending lunar year plus the first 4
///   days of the new one (the usual practice; the Government may distribute them differently,
///   which is then recorded as a `YearDecision`) — see `tetDaysBefore`;
/// - 10/3 lunar (Giỗ Tổ Hùng Vương);
/// - 30/4 and 1/5;
/// - 2/9 plus one adjacent day (1/9 or 3/9; the day after unless configured otherwise);
/// - a holiday on a Saturday or Sunday gives a compensatory day off on the next weekday that is
///   neither a holiday nor already a compensatory day (Art. 111(3)).
public struct HolidayRules: Sendable, Hashable {
    /// Which day accompanies 2/9.
    public enum NationalDayExtra: String, Sendable, Codable, Hashable {
        case dayBefore
        case dayAfter
    }

    /// Number of Tết days (5 under the Labour Code 2019).
    public var tetDays: Int
    /// How many of the Tết days lie before mùng 1 (1 = only the last day of the lunar year).
    public var tetDaysBefore: Int
    public var nationalDayExtra: NationalDayExtra
    /// Whether holidays falling on a weekend give compensatory weekdays.
    public var compensateWeekendHolidays: Bool

    public init(
        tetDays: Int = 5, tetDaysBefore: Int = 1, nationalDayExtra: NationalDayExtra = .dayAfter,
        compensateWeekendHolidays: Bool = true
    ) {
        self.tetDays = tetDays
        self.tetDaysBefore = tetDaysBefore
        self.nationalDayExtra = nationalDayExtra
        self.compensateWeekendHolidays = compensateWeekendHolidays
    }

    /// The reasons shown for each day (Vietnamese).
    public enum Reason {
        public static let newYear = "Tết Dương lịch"
        public static let tet = "Tết Nguyên đán"
        public static let hungKings = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
        public static let reunification = "Ngày Chiến thắng 30/4"
        public static let labourDay = "Quốc tế Lao động 1/5"
        public static let nationalDay = "Quốc khánh 2/9"
        public static let compensatoryPrefix = "Nghỉ bù"
        public static let makeUpPrefix = "Làm bù"

        /// "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)": always starts with "Nghỉ bù".
        public static func compensatory(for holiday: String) -> String {
            "\(compensatoryPrefix) \(holiday)"
        }
    }

    /// The statutory holiday dates of `year` (weekend dates included), without compensation.
    public func statutoryHolidays(in year: Int) -> [DatedReason] {
        func d(_ month: Int, _ day: Int) -> LocalDate {
            LocalDate(uncheckedYear: year, month: month, day: day)
        }
        var result: [DatedReason] = [DatedReason(date: d(1, 1), reason: Reason.newYear)]
        let newYear = VietnameseLunarCalendar.newYear(of: year)
        for offset in 0..<tetDays {
            result.append(
                DatedReason(date: newYear.adding(days: offset - tetDaysBefore), reason: Reason.tet))
        }
        if let hung = VietnameseLunarCalendar.solarDate(
            for: LunarDate(year: year, month: 3, day: 10))
        {
            result.append(DatedReason(date: hung, reason: Reason.hungKings))
        }
        result.append(DatedReason(date: d(4, 30), reason: Reason.reunification))
        result.append(DatedReason(date: d(5, 1), reason: Reason.labourDay))
        result.append(DatedReason(date: d(9, 2), reason: Reason.nationalDay))
        result.append(
            DatedReason(
                date: d(9, nationalDayExtra == .dayBefore ? 1 : 3), reason: Reason.nationalDay))
        return result.sorted { $0.date < $1.date }
    }

    /// Dates that are statutory holiday dates in any variant of the rules (both days beside 2/9),
    /// used to tell a holiday from another day off in an official decision.
    func statutoryCandidates(in year: Int) -> Set<LocalDate> {
        var dates = Set(statutoryHolidays(in: year).map(\.date))
        dates.insert(LocalDate(uncheckedYear: year, month: 9, day: 1))
        dates.insert(LocalDate(uncheckedYear: year, month: 9, day: 3))
        return dates
    }

    /// The computed non-working days of `year`: statutory holidays and compensatory days, by date.
    public func defaultDaysOff(in year: Int) -> [DatedReason] {
        defaultEntries(in: year).map { DatedReason(date: $0.date, reason: $0.reason) }
    }

    func defaultEntries(in year: Int) -> [(date: LocalDate, reason: String, statutory: Bool)] {
        let holidays = statutoryHolidays(in: year)
        var taken = Set(holidays.map(\.date))
        var entries = holidays.map { (date: $0.date, reason: $0.reason, statutory: true) }
        if compensateWeekendHolidays {
            for holiday in holidays where holiday.date.isWeekend {
                var candidate = holiday.date.adding(days: 1)
                while candidate.isWeekend || taken.contains(candidate) {
                    candidate = candidate.adding(days: 1)
                }
                taken.insert(candidate)
                entries.append((candidate, Reason.compensatory(for: holiday.reason), false))
            }
        }
        return entries.sorted { $0.date < $1.date }
    }
}
