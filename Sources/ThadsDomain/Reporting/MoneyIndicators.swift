/// What form 02 needs of one case besides its dated history: the money it orders paid and the collections with
/// their dates (amounts in đồng).
public struct CaseMoney: Sendable, Hashable {
    public struct Collection: Sendable, Hashable {
        public var on: LocalDate
        public var amount: Int64
        public init(on: LocalDate, amount: Int64) {
            self.on = on
            self.amount = amount
        }
    }

    public var history: CaseHistory
    /// The money obligations' amounts, summed.
    public var ordered: Int64
    /// Of `ordered`, what goes to the state budget (court fees, fines, confiscations).
    public var stateBudget: Int64
    public var collections: [Collection]

    public init(history: CaseHistory, ordered: Int64, stateBudget: Int64 = 0, collections: [Collection] = []) {
        self.history = history
        self.ordered = ordered
        self.stateBudget = min(stateBudget, ordered)
        self.collections = collections
    }

    /// The state budget's part of a case's figures (form 03): what it was owed at `start` and collected within the
    /// period. Collections pay the private creditors first and the state budget after them (Art. 47.1 puts
    /// maintenance, wages and damages to life and health first) [unverified placement: the form's instructions are
    /// not in the seeds], so the budget is owed the last `stateBudget` đồng of what is outstanding.
    public func stateBudgetPart(in start: LocalDate, _ end: LocalDate) -> (owed: Int64, collected: Int64) {
        Self.stateBudgetPart(
            owed: outstanding(before: start), collected: collected(in: start, end), stateBudget: stateBudget)
    }

    /// The same split over figures already summed per case (the report's reads do it in SQL the same way).
    public static func stateBudgetPart(owed: Int64, collected: Int64, stateBudget: Int64) -> (
        owed: Int64, collected: Int64
    ) {
        let budgetOwed = min(owed, stateBudget)
        return (budgetOwed, max(0, collected - (owed - budgetOwed)))
    }

    /// Still owed at the start of `date` (never below zero: an over-collection does not make the case owe less than nothing).
    public func outstanding(before date: LocalDate) -> Int64 {
        max(0, ordered - collections.filter { $0.on < date }.reduce(0) { $0 + $1.amount })
    }

    /// Collected from `start` through `end`, at most what was owed at `start`.
    public func collected(in start: LocalDate, _ end: LocalDate) -> Int64 {
        min(
            outstanding(before: start),
            collections.filter { start <= $0.on && $0.on <= end }.reduce(0) { $0 + $1.amount })
    }
}

/// The figures of report form 02 (results by money) for one set of cases and one period, in đồng. The same
/// identities as form 01 hold by money (DOMAIN.md, "Statistics").
///
/// How a case's money is placed [unverified placement; the form's instructions are not in the seeds]: it brings the
/// amount still owed at the period's start (all of it when accepted within the period). Money collected within the
/// period counts as completed, within "with conditions", whatever the case's status at the end; the rest goes where
/// the case stands at the end — all of it to "completed" when the case is completed, to "transferred out" when it
/// was transferred (a transferred case takes its whole amount, collections included, to the other body).
public struct MoneyResults: Sendable, Hashable, Codable {
    public var carriedOver: Int64 = 0
    public var newlyAccepted: Int64 = 0
    public var transferredOut: Int64 = 0
    public var withoutConditions: Int64 = 0
    /// Of `withoutConditions`, what the cases in the separate tracking book still owe.
    public var inSeparateBook: Int64 = 0
    public var completed: Int64 = 0
    public var terminated: Int64 = 0
    public var requestReturned: Int64 = 0
    public var inProgress: Int64 = 0
    public var postponed: Int64 = 0
    public var suspended: Int64 = 0

    public init() {}

    public var totalAccepted: Int64 { carriedOver + newlyAccepted }
    public var totalToEnforce: Int64 { totalAccepted - transferredOut }
    public var withConditions: Int64 { completed + terminated + requestReturned + inProgress + postponed + suspended }
    public var concluded: Int64 { completed + terminated + requestReturned }
    public var carriedForward: Int64 { totalToEnforce - concluded }
    public var completionRate: Double? { withConditions == 0 ? nil : Double(concluded) / Double(withConditions) }

    public var identitiesHold: Bool {
        totalAccepted == carriedOver + newlyAccepted && totalToEnforce == totalAccepted - transferredOut
            && totalToEnforce == withConditions + withoutConditions && carriedForward == totalToEnforce - concluded
            && (0...withoutConditions).contains(inSeparateBook)
    }

    /// Places one case's money: `owed` at the start, `collected` within the period, `atEnd` its status then.
    public mutating func add(
        owed: Int64, collected: Int64, carried: Bool, atEnd: CaseStatus, inSeparateBook: Bool = false
    ) {
        if carried { carriedOver += owed } else { newlyAccepted += owed }
        let rest = owed - collected
        switch atEnd {
        case .transferred:
            transferredOut += owed
            return
        case .completed:
            completed += owed
            return
        case .withoutConditions:
            withoutConditions += rest
            if inSeparateBook { self.inSeparateBook += rest }
        case .terminated: terminated += rest
        case .requestReturned: requestReturned += rest
        case .accepted, .withConditions: inProgress += rest
        case .postponed: postponed += rest
        case .suspended: suspended += rest
        }
        completed += collected
    }
}

extension CaseIndicators {
    /// Form 02's figures for `cases` over `period`: the same cases as form 01 counts, placed by money.
    public static func money(_ cases: [CaseMoney], period: ReportingPeriod, stateBudget: Bool = false) -> MoneyResults {
        var results = MoneyResults()
        let dayBefore = period.start.adding(days: -1)
        for item in cases {
            let history = item.history
            guard let atEnd = history.status(on: period.end) else { continue }
            let carried = history.openedOn < period.start
            if carried {
                guard let atStart = history.status(on: dayBefore), !atStart.isClosed else { continue }
            }
            let figures =
                stateBudget
                ? item.stateBudgetPart(in: period.start, period.end)
                : (item.outstanding(before: period.start), item.collected(in: period.start, period.end))
            results.add(
                owed: figures.0, collected: figures.1, carried: carried, atEnd: atEnd,
                inSeparateBook: history.inSeparateBook(on: period.end))
        }
        return results
    }

    /// Form 03's figures (state-budget collections): form 02 over the state budget's part of each case's money.
    public static func stateBudget(_ cases: [CaseMoney], period: ReportingPeriod) -> MoneyResults {
        money(cases, period: period, stateBudget: true)
    }
}
