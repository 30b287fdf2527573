/// A reporting period (DOMAIN.md, "Statistics"): cumulative from the first day of the statistical year (1 October)
/// through the end of its `months`-th month — 1 to 12.
public struct ReportingPeriod: Sendable, Hashable {
    public let year: Int
    public let months: Int
    public let start: LocalDate
    public let end: LocalDate

    /// Period `months` (1...12) of statistical year `year` (the year 2027 runs 01/10/2026–30/09/2027); nil outside.
    public init?(year: Int, months: Int, startMonth: Int = 10) {
        guard (1...12).contains(months) else { return nil }
        let range = StatisticalYear.range(year, startMonth: startMonth)
        self.year = year
        self.months = months
        self.start = range.lowerBound
        self.end = min(range.upperBound, range.lowerBound.adding(months: months).adding(days: -1))
    }

    public func contains(_ date: LocalDate) -> Bool { (start...end).contains(date) }

    /// "12 tháng năm 2027 (01/10/2026 – 30/09/2027)".
    public var label: String { "\(months) tháng năm \(year) (\(start.display) – \(end.display))" }
}

/// What statistics need of one case: when it was accepted, how it started, and its dated status changes (each
/// decision or verification that changed the status, on its own date — not the day it was typed in).
public struct CaseHistory: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public var on: LocalDate
        public var status: CaseStatus
        public init(on: LocalDate, status: CaseStatus) {
            self.on = on
            self.status = status
        }
    }

    public var openedOn: LocalDate
    public var changes: [Change]
    /// The day the case went into the separate tracking book (Decree 62/2015 Art. 9.5), while it is there.
    public var separateBookSince: LocalDate?

    public init(openedOn: LocalDate, changes: [Change] = [], separateBookSince: LocalDate? = nil) {
        self.openedOn = openedOn
        self.separateBookSince = separateBookSince
        // Stable: two changes on one day keep the order they were recorded in.
        self.changes = changes.enumerated().sorted { ($0.element.on, $0.offset) < ($1.element.on, $1.offset) }
            .map(\.element)
    }

    /// The status at the end of `date`; nil before the case was accepted.
    public func status(on date: LocalDate) -> CaseStatus? {
        guard openedOn <= date else { return nil }
        return changes.last { $0.on <= date }?.status ?? CaseLifecycle.initialStatus
    }

    /// In the separate tracking book at the end of `date`: without conditions then, and moved to the book by then.
    public func inSeparateBook(on date: LocalDate) -> Bool {
        guard let since = separateBookSince, since <= date else { return false }
        return status(on: date) == .withoutConditions
    }
}

/// The figures of report form 01 (results by cases) for one set of cases and one period. Every figure is counted
/// from the cases' dated histories, never typed in; the totals follow from the parts, so the identities DOMAIN.md
/// lists hold by construction and `identitiesHold` re-checks them as a reader would.
public struct CaseResults: Sendable, Hashable, Codable {
    /// Accepted before the period and still open at its start.
    public var carriedOver = 0
    /// Accepted within the period (a transfer received counts as a new case here).
    public var newlyAccepted = 0
    /// Transferred to another body within the period.
    public var transferredOut = 0
    /// Standing without conditions at the period's end.
    public var withoutConditions = 0
    /// Of those, the ones in the separate tracking book.
    public var inSeparateBook = 0
    // With conditions, by what happened to them by the period's end.
    public var completed = 0
    public var terminated = 0
    /// Request returned: closed without enforcement; counted with the concluded ones [unverified placement].
    public var requestReturned = 0
    public var inProgress = 0
    public var postponed = 0
    public var suspended = 0

    public init() {}

    public var totalAccepted: Int { carriedOver + newlyAccepted }
    public var totalToEnforce: Int { totalAccepted - transferredOut }
    public var withConditions: Int { completed + terminated + requestReturned + inProgress + postponed + suspended }
    /// Completed, terminated and returned: the cases enforcement concluded (the "completed (incl. terminated)" figure).
    public var concluded: Int { completed + terminated + requestReturned }
    public var carriedForward: Int { totalToEnforce - concluded }
    /// Concluded ÷ with conditions, nil when there are none.
    public var completionRate: Double? { withConditions == 0 ? nil : Double(concluded) / Double(withConditions) }

    /// The identities of DOMAIN.md, read back from the figures.
    public var identitiesHold: Bool {
        totalAccepted == carriedOver + newlyAccepted && totalToEnforce == totalAccepted - transferredOut
            && totalToEnforce == withConditions + withoutConditions && carriedForward == totalToEnforce - concluded
            && (0...withoutConditions).contains(inSeparateBook)
    }

    /// Places `count` cases that stand in `atEnd` at the period's end; `carried` when accepted before the period,
    /// `inSeparateBook` when they are in the separate tracking book then (which only a case without conditions is).
    public mutating func add(_ count: Int, carried: Bool, atEnd: CaseStatus, inSeparateBook: Bool = false) {
        if carried { carriedOver += count } else { newlyAccepted += count }
        switch atEnd {
        case .transferred: transferredOut += count
        case .withoutConditions:
            withoutConditions += count
            if inSeparateBook { self.inSeparateBook += count }
        case .completed: completed += count
        case .terminated: terminated += count
        case .requestReturned: requestReturned += count
        case .accepted, .withConditions: inProgress += count
        case .postponed: postponed += count
        case .suspended: suspended += count
        }
    }

    public static func + (lhs: CaseResults, rhs: CaseResults) -> CaseResults {
        var sum = lhs
        sum.carriedOver += rhs.carriedOver
        sum.newlyAccepted += rhs.newlyAccepted
        sum.transferredOut += rhs.transferredOut
        sum.withoutConditions += rhs.withoutConditions
        sum.inSeparateBook += rhs.inSeparateBook
        sum.completed += rhs.completed
        sum.terminated += rhs.terminated
        sum.requestReturned += rhs.requestReturned
        sum.inProgress += rhs.inProgress
        sum.postponed += rhs.postponed
        sum.suspended += rhs.suspended
        return sum
    }
}

public enum CaseIndicators {
    /// Form 01's figures for `cases` over `period`.
    ///
    /// A case counts when it was accepted by the period's end and was still open at its start. Its place comes
    /// from its status at the end of the period: transferred, without conditions, or one of the with-conditions
    /// parts. A case accepted and not yet classified by a verification is "in progress" with conditions
    /// [unverified: the forms do not name the not-yet-verified].
    public static func results(_ cases: [CaseHistory], period: ReportingPeriod) -> CaseResults {
        var results = CaseResults()
        let dayBefore = period.start.adding(days: -1)
        for history in cases {
            guard let atEnd = history.status(on: period.end) else { continue }
            let carried = history.openedOn < period.start
            if carried {
                guard let atStart = history.status(on: dayBefore), !atStart.isClosed else { continue }
            }
            results.add(1, carried: carried, atEnd: atEnd, inSeparateBook: history.inSeparateBook(on: period.end))
        }
        return results
    }
}
