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
