/// The debtor's circumstance that lengthens the legal intervals (DOMAIN.md, "Debtors without conditions"): in prison
/// with at least two years left to serve, or moved to an address no one knows. Recorded on each verification.
public enum DebtorCircumstance: String, Sendable, Codable, CaseIterable {
    case ordinary
    case imprisonedLongTerm
    case addressUnknown

    public var label: String {
        switch self {
        case .ordinary: "Thông thường"
        case .imprisonedLongTerm: "Đang chấp hành hình phạt tù, thời gian còn lại từ 2 năm trở lên"
        case .addressUnknown: "Không xác định được địa chỉ, nơi cư trú mới"
        }
    }

    public var isLongTerm: Bool { self != .ordinary }
}

/// What the register knows of a case under a no-conditions decision, for the rules below.
public struct NoConditionsFacts: Sendable, Hashable {
    /// The day of the (latest) no-conditions decision.
    public var decidedOn: LocalDate
    /// The days of the verifications after that decision, and the circumstance the latest one recorded.
    public var verificationsSince: [LocalDate]
    public var circumstance: DebtorCircumstance
    /// The first day new information about the debtor's means was recorded after the decision, if any.
    public var newInformationOn: LocalDate?

    public init(
        decidedOn: LocalDate, verificationsSince: [LocalDate] = [], circumstance: DebtorCircumstance = .ordinary,
        newInformationOn: LocalDate? = nil
    ) {
        self.decidedOn = decidedOn
        self.verificationsSince = verificationsSince.sorted()
        self.circumstance = circumstance
        self.newInformationOn = newInformationOn
    }

    /// The last verification, or the decision itself when none has followed it.
    public var lastVerifiedOn: LocalDate { verificationsSince.last ?? decidedOn }
}

/// The rules for debtors without conditions, read from the legal parameters in force (`CaseDeadlines`).
public struct DebtorRules: Sendable {
    public let deadlines: CaseDeadlines

    public init(deadlines: CaseDeadlines) { self.deadlines = deadlines }

    // MARK: Re-verification (D5)

    /// The last day of the next verification: 6 months after the last one, or 12 when the debtor is in prison with
    /// two years or more left or at an unknown address (the interval in force on the last verification's day).
    public func reverificationDue(_ facts: NoConditionsFacts) -> LocalDate {
        let name =
            facts.circumstance.isLongTerm
            ? LegalParameterName.reverificationMonthsLongTerm : LegalParameterName.reverificationMonths
        return deadlines.due(name, from: facts.lastVerifiedOn)
    }

    // MARK: Separate tracking book (D3, Decree 62/2015 Art. 9.5)

    public enum SeparateBook: Sendable, Hashable {
        /// A condition does not hold yet; `reason` says which, in Vietnamese.
        case notYet(reason: String)
        /// All three hold since `since`: move the case by `transferDue`.
        case eligible(since: LocalDate, transferDue: LocalDate)
        /// New information about the debtor's means: the case leaves (or may not enter) the book.
        case newInformation(on: LocalDate)
    }

    /// Whether a case meets, on `today`, the three conditions for the separate tracking book: (a) a year since the
    /// decision (two for the long-term circumstances), (b) verified at least twice since, (c) no new information.
    public func separateBook(_ facts: NoConditionsFacts, today: LocalDate) -> SeparateBook {
        if let newInformation = facts.newInformationOn, newInformation >= facts.decidedOn {
            return .newInformation(on: newInformation)
        }
        let yearsName =
            facts.circumstance.isLongTerm
            ? LegalParameterName.separateBookYearsLongTerm : LegalParameterName.separateBookYears
        let years = deadlines.period(yearsName, on: today)?.value ?? 1
        let needed = deadlines.period(LegalParameterName.separateBookMinVerifications, on: today)?.value ?? 2
        let timeHeld = facts.decidedOn.adding(years: years)
        // The verification that grounded the decision does not count: the law asks for two after it.
        let verified = facts.verificationsSince.filter { $0 > facts.decidedOn }
        guard verified.count >= needed else {
            return .notYet(reason: "Mới xác minh \(verified.count) lần sau quyết định; cần ít nhất \(needed) lần.")
        }
        let since = max(timeHeld, verified[needed - 1])
        guard today >= since else {
            return .notYet(reason: "Chưa đủ \(years) năm kể từ quyết định chưa có điều kiện (đủ từ \(since.display)).")
        }
        return .eligible(
            since: since, transferDue: deadlines.due(LegalParameterName.separateBookTransferWorkingDays, from: since))
    }

    // MARK: Exemption and reduction (D4, Art. 61)

    public struct ExemptionFacts: Sendable, Hashable {
        /// What the state-budget obligations amounted to, and what has been paid of them.
        public var owed: Int64
        public var paid: Int64
        public var enforcementDecidedOn: LocalDate
        public var hasAssets: Bool
        public var lastVerifiedOn: LocalDate?

        public init(
            owed: Int64, paid: Int64, enforcementDecidedOn: LocalDate, hasAssets: Bool, lastVerifiedOn: LocalDate?
        ) {
            self.owed = owed
            self.paid = paid
            self.enforcementDecidedOn = enforcementDecidedOn
            self.hasAssets = hasAssets
            self.lastVerifiedOn = lastVerifiedOn
        }

        public var remaining: Int64 { max(0, owed - paid) }
    }

    public enum ExemptionBand: String, Sendable, Hashable, CaseIterable {
        case fullTier1
        case fullTier2
        case remainderTier1
        case remainderTier2
        case reduction

        public var label: String {
            switch self {
            case .fullTier1, .fullTier2: "Miễn toàn bộ nghĩa vụ"
            case .remainderTier1, .remainderTier2: "Miễn phần nghĩa vụ còn lại"
            case .reduction: "Giảm một phần nghĩa vụ còn lại"
            }
        }
    }

    public struct Exemption: Sendable, Hashable {
        public var band: ExemptionBand
        /// The rule that makes the case eligible, with the values in force, in Vietnamese.
        public var rule: String
        /// True when the last verification report is too old for the file to the court (over 3 months).
        public var reportTooOld: Bool
    }

    /// The band a state-budget obligation falls in on `today`, or nil when none applies. The thresholds and years in
    /// force on `today` apply (a value dated later does not), to the amount still owed.
    public func exemption(_ facts: ExemptionFacts, today: LocalDate) -> Exemption? {
        let remaining = facts.remaining
        guard remaining > 0, !facts.hasAssets else { return nil }
        func number(_ name: String) -> Int64 { Int64(deadlines.period(name, on: today)?.value ?? 0) }
        let elapsed = { (years: Int64) in facts.enforcementDecidedOn.adding(years: Int(years)) <= today }
        let denominator = max(1, number(LegalParameterName.partialPaymentFractionDenominator))
        let partlyPaid = facts.paid > 0 && facts.paid * denominator >= facts.owed
        let bands: [(ExemptionBand, String, String)] =
            partlyPaid
            ? [
                (
                    .remainderTier1, LegalParameterName.exemptionRemainderTier1MaxDong,
                    LegalParameterName.exemptionRemainderTier1Years
                ),
                (
                    .remainderTier2, LegalParameterName.exemptionRemainderTier2MaxDong,
                    LegalParameterName.exemptionRemainderTier2Years
                ),
            ]
            : [
                (.fullTier1, LegalParameterName.exemptionFullTier1MaxDong, LegalParameterName.exemptionFullTier1Years),
                (.fullTier2, LegalParameterName.exemptionFullTier2MaxDong, LegalParameterName.exemptionFullTier2Years),
            ]
        let tooOld =
            facts.lastVerifiedOn.map { report in
                let months = Int(number(LegalParameterName.verificationReportMaxAgeMonths))
                return report.adding(months: months) < today
            } ?? true
        for (band, maxName, yearsName) in bands {
            let limit = number(maxName)
            let years = number(yearsName)
            if remaining < limit && elapsed(years) {
                let paidText = partlyPaid ? "đã thi hành ít nhất 1/\(denominator), " : ""
                return Exemption(
                    band: band,
                    rule: "\(band.label): \(paidText)còn dưới \(MoneyText.dong(limit)) và đã \(years) năm "
                        + "kể từ quyết định thi hành án (\(facts.enforcementDecidedOn.display)) — Điều 61.",
                    reportTooOld: tooOld)
            }
        }
        let reductionYears = number(LegalParameterName.reductionMinYears)
        if partlyPaid, remaining >= number(LegalParameterName.exemptionRemainderTier2MaxDong),
            elapsed(reductionYears)
        {
            return Exemption(
                band: .reduction,
                rule: "\(ExemptionBand.reduction.label): đã thi hành ít nhất 1/\(denominator), còn từ "
                    + "\(MoneyText.dong(number(LegalParameterName.exemptionRemainderTier2MaxDong))) trở lên và đã "
                    + "\(reductionYears) năm kể từ quyết định thi hành án — Điều 61.",
                reportTooOld: tooOld)
        }
        return nil
    }
}
