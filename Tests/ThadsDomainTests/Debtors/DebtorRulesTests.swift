import Testing

@testable import ThadsDomain

private func day(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

private let rules = DebtorRules(deadlines: CaseDeadlines())

@Suite("Re-verification of debtors without conditions")
struct ReverificationTests {
    @Test("Six months after the last verification, a year for the long-term circumstances")
    func intervals() {
        let facts = NoConditionsFacts(decidedOn: day("2026-01-05"), verificationsSince: [day("2026-03-04")])
        #expect(rules.reverificationDue(facts) == day("2026-09-04"))
        var prison = facts
        prison.circumstance = .imprisonedLongTerm
        #expect(rules.reverificationDue(prison) == day("2027-03-04"))
        var unknown = facts
        unknown.circumstance = .addressUnknown
        #expect(rules.reverificationDue(unknown) == day("2027-03-04"))
    }

    @Test("Counted from the decision when no verification followed it; a last day off moves to the next working day")
    func fromDecision() {
        // 2026-04-04 + 6 months = 2026-10-04, a Sunday: the period ends on Monday 05/10.
        let facts = NoConditionsFacts(decidedOn: day("2026-04-04"))
        #expect(rules.reverificationDue(facts) == day("2026-10-05"))
    }
}

@Suite("Separate tracking book (Decree 62/2015 Art. 9.5)")
struct SeparateBookTests {
    let decided = day("2025-03-10")

    @Test("One year and two verifications: eligible, transfer within 3 working days")
    func ordinary() {
        let facts = NoConditionsFacts(decidedOn: decided, verificationsSince: [day("2025-09-01"), day("2026-02-02")])
        if case .notYet(let reason) = rules.separateBook(facts, today: day("2026-03-09")) {
            #expect(reason.contains("1 năm"))
        } else {
            Issue.record("a day short of the year must not be eligible")
        }
        // 10/03/2026 is a Tuesday: 3 working days later is Friday 13/03.
        #expect(
            rules.separateBook(facts, today: day("2026-03-10"))
                == .eligible(since: day("2026-03-10"), transferDue: day("2026-03-13")))
    }

    @Test("Two years for a debtor in prison with two years or more left, or at an unknown address")
    func longTerm() {
        for circumstance in [DebtorCircumstance.imprisonedLongTerm, .addressUnknown] {
            let facts = NoConditionsFacts(
                decidedOn: decided, verificationsSince: [day("2025-09-01"), day("2026-02-02")],
                circumstance: circumstance)
            if case .notYet = rules.separateBook(facts, today: day("2027-03-09")) {
            } else {
                Issue.record("\(circumstance): eligible before two years")
            }
            if case .eligible(let since, _) = rules.separateBook(facts, today: day("2027-03-10")) {
                #expect(since == day("2027-03-10"))
            } else {
                Issue.record("\(circumstance): not eligible after two years")
            }
        }
    }

    @Test("Fewer than two verifications: not yet, however long; the second one starts the eligibility")
    func verifications() {
        let once = NoConditionsFacts(decidedOn: decided, verificationsSince: [day("2025-09-01")])
        if case .notYet(let reason) = rules.separateBook(once, today: day("2028-01-01")) {
            #expect(reason.contains("1 lần") && reason.contains("2 lần"))
        } else {
            Issue.record("one verification must not be enough")
        }
        let late = NoConditionsFacts(decidedOn: decided, verificationsSince: [day("2025-09-01"), day("2026-06-15")])
        if case .eligible(let since, _) = rules.separateBook(late, today: day("2026-07-01")) {
            #expect(since == day("2026-06-15"))
        } else {
            Issue.record("eligible from the second verification")
        }
        // A verification before the decision does not count.
        let before = NoConditionsFacts(decidedOn: decided, verificationsSince: [day("2025-01-01"), day("2025-09-01")])
        if case .eligible = rules.separateBook(before, today: day("2027-01-01")) {
            Issue.record("a verification before the decision counted")
        }
    }

    @Test("New information after the decision keeps the case out of the book, or brings it back")
    func newInformation() {
        let facts = NoConditionsFacts(
            decidedOn: decided, verificationsSince: [day("2025-09-01"), day("2026-02-02")],
            newInformationOn: day("2026-05-04"))
        #expect(rules.separateBook(facts, today: day("2026-06-01")) == .newInformation(on: day("2026-05-04")))
    }
}

@Suite("Exemption and reduction (Art. 61)")
struct ExemptionTests {
    let decided = day("2016-01-04")

    func facts(owed: Int64, paid: Int64 = 0, decided: LocalDate? = nil, assets: Bool = false, verified: String? = nil)
        -> DebtorRules.ExemptionFacts
    {
        DebtorRules.ExemptionFacts(
            owed: owed, paid: paid, enforcementDecidedOn: decided ?? self.decided, hasAssets: assets,
            lastVerifiedOn: verified.map(day))
    }

    @Test("Full exemption, tier 1: under 2,000,000 đ and 5 years")
    func fullTier1() {
        let fiveYears = day("2021-01-04")
        #expect(rules.exemption(facts(owed: 1_999_999), today: fiveYears)?.band == .fullTier1)
        #expect(rules.exemption(facts(owed: 1_999_999), today: day("2021-01-03")) == nil, "a day short of 5 years")
        #expect(rules.exemption(facts(owed: 2_000_000), today: fiveYears) == nil, "the threshold itself is not under")
    }

    @Test("Full exemption, tier 2: 2,000,000 to under 5,000,000 đ and 10 years")
    func fullTier2() {
        let tenYears = day("2026-01-04")
        #expect(rules.exemption(facts(owed: 4_999_999), today: tenYears)?.band == .fullTier2)
        #expect(rules.exemption(facts(owed: 4_999_999), today: day("2026-01-03")) == nil)
        #expect(rules.exemption(facts(owed: 5_000_000), today: tenYears) == nil)
        #expect(rules.exemption(facts(owed: 2_000_000), today: tenYears)?.band == .fullTier2)
    }

    @Test("After paying at least 1/50: the remainder under 5,000,000 đ at 5 years, under 10,000,000 đ at 10 years")
    func remainder() {
        // 100,000,000 owed, 2,000,000 paid (exactly 1/50): 98,000,000 remain — too much for either tier.
        #expect(rules.exemption(facts(owed: 100_000_000, paid: 2_000_000), today: day("2021-01-04")) == nil)
        // 6,000,000 owed, 1,000,001 paid: 4,999,999 remain, tier 1 at 5 years.
        let tier1 = rules.exemption(facts(owed: 6_000_000, paid: 1_000_001), today: day("2021-01-04"))
        #expect(tier1?.band == .remainderTier1)
        #expect(tier1?.rule.contains("1/50") == true)
        #expect(rules.exemption(facts(owed: 6_000_000, paid: 1_000_001), today: day("2021-01-03")) == nil)
        // 5,000,000 remain: tier 2, which needs 10 years.
        #expect(rules.exemption(facts(owed: 6_000_000, paid: 1_000_000), today: day("2021-01-04")) == nil)
        #expect(
            rules.exemption(facts(owed: 6_000_000, paid: 1_000_000), today: day("2026-01-04"))?.band == .remainderTier2)
        #expect(
            rules.exemption(facts(owed: 20_000_000, paid: 10_000_001), today: day("2026-01-04"))?.band
                == .remainderTier2)
        #expect(
            rules.exemption(facts(owed: 20_000_000, paid: 10_000_000), today: day("2026-01-04"))?.band == .reduction)
    }

    @Test("Paying less than 1/50 is not a partial payment: the full-exemption tiers apply to what is owed")
    func belowOneFiftieth() {
        // 4,000,000 owed, 79,999 paid (< 80,000 = 1/50): 3,920,001 remain; full tier 2 at 10 years only.
        #expect(rules.exemption(facts(owed: 4_000_000, paid: 79_999), today: day("2021-01-04")) == nil)
        #expect(rules.exemption(facts(owed: 4_000_000, paid: 79_999), today: day("2026-01-04"))?.band == .fullTier2)
        #expect(
            rules.exemption(facts(owed: 4_000_000, paid: 80_000), today: day("2021-01-04"))?.band == .remainderTier1)
    }

    @Test("Reduction of a larger remainder after 10 years, not before")
    func reduction() {
        #expect(rules.exemption(facts(owed: 50_000_000, paid: 1_000_000), today: day("2026-01-03")) == nil)
        let found = rules.exemption(facts(owed: 50_000_000, paid: 1_000_000), today: day("2026-01-04"))
        #expect(found?.band == .reduction)
    }

    @Test("Assets found, nothing owed: no band")
    func none() {
        #expect(rules.exemption(facts(owed: 1_000_000, assets: true), today: day("2026-01-04")) == nil)
        #expect(rules.exemption(facts(owed: 1_000_000, paid: 1_000_000), today: day("2026-01-04")) == nil)
    }

    @Test("The verification report for the file may be at most 3 months old")
    func reportAge() {
        let today = day("2026-01-04")
        #expect(rules.exemption(facts(owed: 1_000_000, verified: "2025-10-04"), today: today)?.reportTooOld == false)
        #expect(rules.exemption(facts(owed: 1_000_000, verified: "2025-10-03"), today: today)?.reportTooOld == true)
        #expect(rules.exemption(facts(owed: 1_000_000), today: today)?.reportTooOld == true)
    }

    @Test("A threshold changed from a later date does not affect today's evaluation")
    func futureParameter() {
        let raised = LegalParameterSet(
            LegalParameterName.seed + [
                LegalParameterValue(
                    name: LegalParameterName.exemptionFullTier1MaxDong, value: 3_000_000, unit: .dong,
                    effectiveFrom: day("2027-01-01"), source: "test", verified: false)
            ])
        let future = DebtorRules(deadlines: CaseDeadlines(parameters: raised))
        let owed = facts(owed: 2_500_000, decided: day("2020-01-02"))
        #expect(future.exemption(owed, today: day("2026-06-01")) == nil)
        #expect(future.exemption(owed, today: day("2027-01-01"))?.band == .fullTier1)
    }
}
