/// The statistical year (DOMAIN.md, "Statistics"): 1 October – 30 September under Circular 05/2024/TT-BTP. The
/// start month is the `statisticalYearStartMonth` legal parameter; callers pass the value in force.
public enum StatisticalYear {
    /// The statistical year containing `date`, named by the calendar year it ends in: the year 2027 runs
    /// 01/10/2026–30/09/2027 (startMonth 10). With startMonth 1 it is the calendar year. A startMonth outside 1...12
    /// is clamped.
    public static func of(_ date: LocalDate, startMonth: Int = 10) -> Int {
        let start = clamped(startMonth)
        return start > 1 && date.month >= start ? date.year + 1 : date.year
    }

    /// First and last day of statistical year `year` (clamped to the dates `LocalDate` can hold).
    public static func range(_ year: Int, startMonth: Int = 10) -> ClosedRange<LocalDate> {
        let start = clamped(startMonth)
        let firstYear = start > 1 ? year - 1 : year
        let first = date(year: firstYear, month: start, day: 1)
        let nextFirst = date(year: firstYear + 1, month: start, day: 1)
        let last = nextFirst.adding(days: -1)
        return first...max(first, last)
    }

    private static func clamped(_ month: Int) -> Int { min(max(month, 1), 12) }

    private static func date(year: Int, month: Int, day: Int) -> LocalDate {
        if let date = LocalDate(year: year, month: month, day: day) { return date }
        // Out of range: the first or last date LocalDate can hold (its day-number initialiser clamps).
        return LocalDate(daysSinceEpoch: year < LocalDate.validYears.lowerBound ? .min : .max)
    }
}

/// The code of a case: "<unit code>/<statistical year>/<6-digit sequence>".
///
/// The sequence restarts every statistical year within a unit, as the registers (sổ thụ lý) do, so the code reads
/// like the register entry; it is unique nationwide because unit codes are.
public enum CaseCode {
    /// "<unit code>/<statistical year>/<6-digit sequence>", e.g. "01-03/2027/000042" — unique nationwide because
    /// unit codes are. Sequences above 999999 are written with all their digits.
    public static func make(unitCode: String, year: Int, sequence: Int) -> String {
        let digits = String(sequence)
        let padded = digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
        return "\(unitCode)/\(year)/\(padded)"
    }

    /// Parses a code back (nil when malformed). Only the exact form `make` writes is accepted: a unit code without
    /// "/" or whitespace, a 4-digit year, a sequence of at least 1 written with 6 digits (more only without a
    /// leading zero), so that every code has one spelling.
    public static func parse(_ code: String) -> (unitCode: String, year: Int, sequence: Int)? {
        let parts = code.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        let unitCode = String(parts[0])
        guard !unitCode.isEmpty, !unitCode.contains(where: { $0.isWhitespace }),
            parts[1].count == 4, let year = digits(parts[1]),
            parts[2].count >= 6, let sequence = digits(parts[2]), sequence >= 1
        else { return nil }
        guard make(unitCode: unitCode, year: year, sequence: sequence) == code else { return nil }
        return (unitCode, year, sequence)
    }

    /// The value of an all-ASCII-digit string (nil for anything else or an overflow).
    private static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }
}

/// Whether record entries are made on time (the "Sống" share of the quality score): an event must be entered
/// within `lateEntryWorkingDays` working days of the day it happened.
public enum EntryTimeliness {
    /// The last day an event of `eventOn` may be entered on time: `lateEntryWorkingDays` (parameter in force on
    /// eventOn, default 1) working days after eventOn.
    public static func lastOnTimeDay(eventOn: LocalDate, deadlines: CaseDeadlines) -> LocalDate {
        let name = LegalParameterName.lateEntryWorkingDays
        guard deadlines.period(name, on: eventOn) != nil else {
            return deadlines.calendar.adding(workingDays: 1, to: eventOn)
        }
        return deadlines.due(name, from: eventOn)
    }

    /// Whether entering on `enteredOn` is late (after `lastOnTimeDay`).
    public static func isLate(eventOn: LocalDate, enteredOn: LocalDate, deadlines: CaseDeadlines) -> Bool {
        enteredOn > lastOnTimeDay(eventOn: eventOn, deadlines: deadlines)
    }
}
