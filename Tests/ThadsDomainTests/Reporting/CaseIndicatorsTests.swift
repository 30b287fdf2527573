import Testing

@testable import ThadsDomain

private func day(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

@Suite("Reporting periods")
struct ReportingPeriodTests {
    @Test("Cumulative from 1 October: 1, 3, 6, 9 and 12 months of the year 2027")
    func periods() throws {
        let one = try #require(ReportingPeriod(year: 2027, months: 1))
        #expect(one.start == day("2026-10-01") && one.end == day("2026-10-31"))
        let three = try #require(ReportingPeriod(year: 2027, months: 3))
        #expect(three.end == day("2026-12-31"))
        let five = try #require(ReportingPeriod(year: 2027, months: 5))
        #expect(five.end == day("2027-02-28"), "February 2027 has 28 days")
        let twelve = try #require(ReportingPeriod(year: 2027, months: 12))
        #expect(twelve.end == day("2027-09-30"))
        #expect(twelve.contains(day("2026-10-01")) && !twelve.contains(day("2026-09-30")))
        #expect(ReportingPeriod(year: 2027, months: 0) == nil && ReportingPeriod(year: 2027, months: 13) == nil)
        #expect(twelve.label == "12 tháng năm 2027 (01/10/2026 – 30/09/2027)")
    }
}

@Suite("Form 01: results by cases")
struct CaseIndicatorsTests {
    @Test("The identities hold on the 9-month 2017 check figures of DOMAIN.md")
    func checkFigures() {
        var results = CaseResults()
        results.carriedOver = 290_524
        results.newlyAccepted = 446_223
        results.transferredOut = 8_520
        results.withoutConditions = 148_814
        results.completed = 300_000
        results.terminated = 69_372
        results.inProgress = 210_041
        #expect(results.totalAccepted == 736_747)
        #expect(results.totalToEnforce == 728_227)
        #expect(results.withConditions == 579_413)
        #expect(results.concluded == 369_372)
        #expect(results.completionRate.map { ($0 * 10_000).rounded() / 100 } == 63.75)
        #expect(results.carriedForward == 728_227 - 369_372)
        #expect(results.identitiesHold)
    }

    /// Ten cases whose place in the 6-month period of 2027 (01/10/2026–31/03/2027) is worked out by hand.
    static let cases: [(CaseHistory, expected: String)] = [
        (CaseHistory(openedOn: day("2026-03-01")), "carried, in progress"),
        (CaseHistory(openedOn: day("2026-03-01"), changes: [.init(on: day("2026-09-30"), status: .completed)]), "out"),
        (
            CaseHistory(openedOn: day("2026-05-01"), changes: [.init(on: day("2026-11-05"), status: .completed)]),
            "carried, completed"
        ),
        (
            CaseHistory(
                openedOn: day("2026-10-01"),
                changes: [
                    .init(on: day("2026-10-20"), status: .withConditions),
                    .init(on: day("2027-01-10"), status: .terminated),
                ]), "new, terminated"
        ),
        (
            CaseHistory(
                openedOn: day("2026-12-01"), changes: [.init(on: day("2027-02-01"), status: .withoutConditions)]),
            "new, without"
        ),
        (
            CaseHistory(
                openedOn: day("2026-12-01"), changes: [.init(on: day("2027-04-01"), status: .withoutConditions)]),
            "new, in progress (classified after the period)"
        ),
        (CaseHistory(openedOn: day("2027-04-01")), "out (accepted after the period)"),
        (
            CaseHistory(openedOn: day("2026-11-11"), changes: [.init(on: day("2027-03-31"), status: .transferred)]),
            "new, transferred"
        ),
        (
            CaseHistory(openedOn: day("2025-12-01"), changes: [.init(on: day("2026-12-01"), status: .postponed)]),
            "carried, postponed"
        ),
        (
            CaseHistory(
                openedOn: day("2025-01-01"),
                changes: [
                    .init(on: day("2025-06-01"), status: .withoutConditions),
                    .init(on: day("2027-03-01"), status: .requestReturned),
                ]), "carried, returned"
        ),
    ]

    @Test("Each case lands where the hand count puts it")
    func handCount() throws {
        let period = try #require(ReportingPeriod(year: 2027, months: 6))
        let results = CaseIndicators.results(Self.cases.map(\.0), period: period)
        #expect(results.carriedOver == 4)
        #expect(results.newlyAccepted == 4)
        #expect(results.totalAccepted == 8)
        #expect(results.transferredOut == 1)
        #expect(results.totalToEnforce == 7)
        #expect(results.withoutConditions == 1)
        #expect(results.completed == 1 && results.terminated == 1 && results.requestReturned == 1)
        #expect(results.inProgress == 2 && results.postponed == 1 && results.suspended == 0)
        #expect(results.withConditions == 6)
        #expect(results.concluded == 3 && results.carriedForward == 4)
        #expect(results.completionRate == 0.5)
        #expect(results.identitiesHold)
    }

    @Test("A period's figures are the sum of its units' figures")
    func sums() throws {
        let period = try #require(ReportingPeriod(year: 2027, months: 6))
        let all = Self.cases.map(\.0)
        let whole = CaseIndicators.results(all, period: period)
        let parts =
            CaseIndicators.results(Array(all.prefix(4)), period: period)
            + CaseIndicators.results(Array(all.dropFirst(4)), period: period)
        #expect(whole == parts)
    }

    @Test("The status on a date reads the changes dated on or before it, in recorded order within a day")
    func statusOnADate() {
        let history = CaseHistory(
            openedOn: day("2026-10-01"),
            changes: [
                .init(on: day("2026-11-01"), status: .withConditions),
                .init(on: day("2026-11-01"), status: .postponed),
            ])
        #expect(history.status(on: day("2026-09-30")) == nil)
        #expect(history.status(on: day("2026-10-31")) == .accepted)
        #expect(history.status(on: day("2026-11-01")) == .postponed)
    }
}
