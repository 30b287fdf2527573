import Testing

@testable import ThadsDomain

private func day(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

@Suite("Form 02: results by money")
struct MoneyIndicatorsTests {
    private static let sixMonths = ReportingPeriod(year: 2027, months: 6)!  // 01/10/2026–31/03/2027

    @Test("A case carried over brings what it still owed on 1 October; collections in the period count as completed")
    func carriedOverPartlyPaid() {
        let money = CaseMoney(
            history: CaseHistory(
                openedOn: day("2026-03-01"), changes: [.init(on: day("2026-04-01"), status: .withConditions)]),
            ordered: 10_000_000,
            collections: [
                .init(on: day("2026-06-01"), amount: 3_000_000), .init(on: day("2026-12-01"), amount: 2_000_000),
            ]
        )
        let results = CaseIndicators.money([money], period: Self.sixMonths)
        #expect(results.carriedOver == 7_000_000)
        #expect(results.completed == 2_000_000)
        #expect(results.inProgress == 5_000_000)
        #expect(results.carriedForward == 5_000_000)
        #expect(results.identitiesHold)
    }

    @Test("Each end status places the rest where the case stands; completed and transferred take the whole amount")
    func placementByStatus() {
        let opened = day("2026-10-10")
        func place(_ status: CaseStatus) -> MoneyResults {
            let money = CaseMoney(
                history: CaseHistory(openedOn: opened, changes: [.init(on: day("2027-01-10"), status: status)]),
                ordered: 1_000, collections: [.init(on: day("2026-12-01"), amount: 100)])
            return CaseIndicators.money([money], period: Self.sixMonths)
        }
        #expect(place(.completed).completed == 1_000)
        #expect(place(.transferred).transferredOut == 1_000 && place(.transferred).completed == 0)
        #expect(place(.withoutConditions).withoutConditions == 900 && place(.withoutConditions).completed == 100)
        #expect(place(.terminated).terminated == 900)
        #expect(place(.requestReturned).requestReturned == 900)
        #expect(place(.postponed).postponed == 900)
        #expect(place(.suspended).suspended == 900)
        #expect(place(.withConditions).inProgress == 900)
        for status in CaseStatus.allCases {
            #expect(place(status).identitiesHold, "\(status)")
            #expect(place(status).newlyAccepted == 1_000, "\(status)")
        }
    }

    @Test("Over-collection never makes a case owe less than nothing; a case closed before the period is left out")
    func edges() {
        let overpaid = CaseMoney(
            history: CaseHistory(openedOn: day("2026-01-01")), ordered: 500,
            collections: [.init(on: day("2026-02-01"), amount: 800)])
        #expect(overpaid.outstanding(before: day("2026-10-01")) == 0)
        #expect(overpaid.collected(in: day("2026-10-01"), day("2027-03-31")) == 0)
        let closedBefore = CaseMoney(
            history: CaseHistory(
                openedOn: day("2026-01-01"), changes: [.init(on: day("2026-09-30"), status: .completed)]),
            ordered: 500)
        let accepted30th = CaseMoney(history: CaseHistory(openedOn: day("2027-03-31")), ordered: 700)
        let acceptedAfter = CaseMoney(history: CaseHistory(openedOn: day("2027-04-01")), ordered: 900)
        let results = CaseIndicators.money(
            [overpaid, closedBefore, accepted30th, acceptedAfter], period: Self.sixMonths)
        #expect(results.carriedOver == 0)
        #expect(results.newlyAccepted == 700)
        #expect(results.identitiesHold)
    }

    @Test("A collection within the period of more than was owed at its start counts only up to what was owed")
    func collectedIsCapped() {
        let money = CaseMoney(
            history: CaseHistory(
                openedOn: day("2026-11-01"), changes: [.init(on: day("2027-02-01"), status: .completed)]),
            ordered: 1_000, collections: [.init(on: day("2026-12-01"), amount: 1_500)])
        #expect(money.collected(in: Self.sixMonths.start, Self.sixMonths.end) == 1_000)
        let results = CaseIndicators.money([money], period: Self.sixMonths)
        #expect(results.completed == 1_000 && results.identitiesHold)
    }
}

@Suite("Form 03 and the separate book")
struct StateBudgetAndSeparateBookTests {
    private static let sixMonths = ReportingPeriod(year: 2027, months: 6)!  // 01/10/2026–31/03/2027

    @Test("The state budget is owed the last of what is outstanding and is paid after the private creditors")
    func budgetPaidLast() {
        // 10 m ordered, 4 m of it to the budget; 3 m paid before the period, 5 m within it.
        let money = CaseMoney(
            history: CaseHistory(openedOn: day("2026-03-01")), ordered: 10_000_000, stateBudget: 4_000_000,
            collections: [
                .init(on: day("2026-06-01"), amount: 3_000_000), .init(on: day("2026-12-01"), amount: 5_000_000),
            ])
        let part = money.stateBudgetPart(in: Self.sixMonths.start, Self.sixMonths.end)
        #expect(part.owed == 4_000_000, "7 m outstanding: the budget's 4 m is all still owed")
        #expect(part.collected == 2_000_000, "5 m collected: 3 m clears the creditor, 2 m reaches the budget")
        let results = CaseIndicators.stateBudget([money], period: Self.sixMonths)
        #expect(results.carriedOver == 4_000_000 && results.completed == 2_000_000 && results.inProgress == 2_000_000)
        #expect(results.identitiesHold)
    }

    @Test("Edges of the split: nothing to the budget, all to the budget, over-collection, budget above ordered")
    func splitEdges() {
        #expect(CaseMoney.stateBudgetPart(owed: 5, collected: 5, stateBudget: 0) == (0, 0))
        #expect(CaseMoney.stateBudgetPart(owed: 5, collected: 3, stateBudget: 5) == (5, 3))
        #expect(CaseMoney.stateBudgetPart(owed: 5, collected: 1, stateBudget: 2) == (2, 0))
        #expect(CaseMoney.stateBudgetPart(owed: 5, collected: 4, stateBudget: 2) == (2, 1))
        #expect(CaseMoney.stateBudgetPart(owed: 3, collected: 0, stateBudget: 9) == (3, 0))
        let capped = CaseMoney(history: CaseHistory(openedOn: day("2026-11-01")), ordered: 1, stateBudget: 9)
        #expect(capped.stateBudget == 1, "a budget part above the ordered total is capped")
    }

    @Test("In the separate book at the period's end only when moved by then and still without conditions")
    func separateBook() {
        let history = CaseHistory(
            openedOn: day("2025-01-10"), changes: [.init(on: day("2025-03-01"), status: .withoutConditions)],
            separateBookSince: day("2026-11-20"))
        #expect(!history.inSeparateBook(on: day("2026-11-19")))
        #expect(history.inSeparateBook(on: day("2026-11-20")))
        let cases = CaseIndicators.results([history], period: Self.sixMonths)
        #expect(cases.withoutConditions == 1 && cases.inSeparateBook == 1 && cases.identitiesHold)
        let before = CaseIndicators.results([history], period: ReportingPeriod(year: 2027, months: 1)!)
        #expect(before.withoutConditions == 1 && before.inSeparateBook == 0, "October ends before the move")
        let reopened = CaseHistory(
            openedOn: day("2025-01-10"),
            changes: [
                .init(on: day("2025-03-01"), status: .withoutConditions),
                .init(on: day("2027-01-05"), status: .withConditions),
            ], separateBookSince: day("2026-11-20"))
        #expect(!reopened.inSeparateBook(on: day("2027-03-31")), "with conditions again: out of the book's figure")
        let money = CaseIndicators.money(
            [CaseMoney(history: history, ordered: 8_000_000, collections: [])], period: Self.sixMonths)
        #expect(money.withoutConditions == 8_000_000 && money.inSeparateBook == 8_000_000 && money.identitiesHold)
        var broken = CaseResults()
        broken.inSeparateBook = 1
        #expect(!broken.identitiesHold, "more in the book than without conditions breaks the identities")
    }
}
