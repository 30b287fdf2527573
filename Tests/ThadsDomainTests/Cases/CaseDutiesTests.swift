import Foundation
import Testing

@testable import ThadsDomain

/// A date the test knows to be valid ("yyyy-MM-dd").
private func day(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

private let deadlines = CaseDeadlines(calendar: .vietnam, parameters: .seeded)

/// An ex officio case whose judgment took effect on `effective` and was received on `received`, with the given
/// records.
private func snapshot(
    status: CaseStatus = .accepted, startMode: CaseStartMode = .exOfficio, requestReceivedOn: LocalDate? = nil,
    effective: LocalDate? = day("2026-05-20"), received: LocalDate? = day("2026-06-08"),
    provisionalReceivedAt: Date? = nil, decisions: [CaseSnapshot.Decision] = [],
    verifications: [CaseSnapshot.Verification] = [], money: [CaseSnapshot.Money] = []
) -> CaseSnapshot {
    CaseSnapshot(
        status: status, startMode: startMode, requestReceivedOn: requestReceivedOn, officerAssigned: true,
        judgment: .init(
            courtCode: "TAND", number: "1/2026/HS-ST", judgmentDate: day("2026-05-01"), effectiveDate: effective,
            receivedOn: received, provisionalReceivedAt: provisionalReceivedAt),
        parties: [.init(role: .debtor, kind: .person, fullName: "Lê Văn Cường", birthYear: 1975)],
        obligations: [.init(mode: .money, amount: 5_000_000, beneficiary: .stateBudget)],
        decisions: decisions, verifications: verifications, money: money)
}

private func enforcement(_ decided: String, notified: String? = nil) -> CaseSnapshot.Decision {
    .init(kind: .enforcement, decidedOn: day(decided), notifiedOn: notified.map(day))
}

private func collected(_ amount: Int64, _ on: String) -> CaseSnapshot.Money {
    .init(direction: .collected, amount: amount, occurredOn: day(on))
}

private func paidOut(_ amount: Int64, _ on: String) -> CaseSnapshot.Money {
    .init(direction: .paidOut, amount: amount, occurredOn: day(on))
}

/// Calendar facts (WorkingCalendar.vietnam): Mon 08/06/2026 is an ordinary week; Tết 2027 keeps Fri 05/02 – Thu
/// 11/02/2027 off, Fri 12/02 is the first working day after.
@Suite("Case duties")
struct CaseDutiesTests {
    @Test("calendar facts the expectations rely on")
    func calendarFacts() {
        let calendar = WorkingCalendar.vietnam
        #expect(day("2026-06-08").weekday == 1)
        #expect(day("2026-06-11").weekday == 4)
        for iso in ["2027-02-05", "2027-02-08", "2027-02-11", "2026-06-13", "2026-06-14"] {
            #expect(!calendar.isWorkingDay(day(iso)), "\(iso)")
        }
        for iso in ["2027-02-04", "2027-02-12", "2026-06-12", "2026-06-15", "2026-07-02"] {
            #expect(calendar.isWorkingDay(day(iso)), "\(iso)")
        }
    }

    @Test("notify the enforcement decision: 3 working days, across a weekend")
    func notifyAcrossWeekend() {
        // Thu 11/06/2026: Fri 12, Mon 15, Tue 16.
        let duties = CaseDuties.duties(for: snapshot(decisions: [enforcement("2026-06-11")]), deadlines: deadlines)
        #expect(duties.map(\.kind) == [.notifyEnforcementDecision])
        #expect(duties.first?.due == day("2026-06-16"))
        #expect(duties.first?.detail == "Giao, thông báo quyết định thi hành án ngày 11/06/2026 cho đương sự.")
    }

    @Test("notify the enforcement decision: across Tết 2027")
    func notifyAcrossTet() {
        // Wed 03/02/2027: Thu 04, [Tết 05–11], Fri 12, Mon 15.
        let duties = CaseDuties.duties(for: snapshot(decisions: [enforcement("2027-02-03")]), deadlines: deadlines)
        #expect(duties.map(\.due) == [day("2027-02-15")])
        // Thu 04/02/2027: Fri 12, Mon 15, Tue 16.
        let next = CaseDuties.duties(for: snapshot(decisions: [enforcement("2027-02-04")]), deadlines: deadlines)
        #expect(next.map(\.due) == [day("2027-02-16")])
    }

    @Test("the earliest enforcement decision counts")
    func earliestEnforcement() {
        let decisions = [enforcement("2026-06-15", notified: "2026-06-16"), enforcement("2026-06-11")]
        let duties = CaseDuties.duties(for: snapshot(decisions: decisions), deadlines: deadlines)
        #expect(duties.map(\.kind) == [.notifyEnforcementDecision])
        #expect(duties.first?.due == day("2026-06-16"))
    }

    @Test("once notified: voluntary period end and verification, while accepted and not verified")
    func voluntaryAndVerification() {
        // Notified Fri 12/06/2026: + 10 days = Mon 22/06; verification + 10 days = Thu 02/07.
        let notified = [enforcement("2026-06-11", notified: "2026-06-12")]
        let duties = CaseDuties.duties(for: snapshot(decisions: notified), deadlines: deadlines)
        #expect(duties.map(\.kind) == [.voluntaryPeriodEnds, .verifyMeans])
        #expect(duties.map(\.due) == [day("2026-06-22"), day("2026-07-02")])
        #expect(duties.allSatisfy { !$0.detail.isEmpty })

        let verified = snapshot(
            decisions: notified, verifications: [.init(verifiedOn: day("2026-06-25"), outcome: .noMeans)])
        #expect(CaseDuties.duties(for: verified, deadlines: deadlines).isEmpty)
        for status in [CaseStatus.withConditions, .withoutConditions] {
            #expect(CaseDuties.duties(for: snapshot(status: status, decisions: notified), deadlines: deadlines).isEmpty)
        }
    }

    @Test("a case without an enforcement decision has no notification duty")
    func noDecision() {
        let other = [CaseSnapshot.Decision(kind: .postponement, decidedOn: day("2026-06-11"))]
        #expect(CaseDuties.duties(for: snapshot(status: .postponed, decisions: other), deadlines: deadlines).isEmpty)
        #expect(CaseDuties.duties(for: snapshot(received: nil), deadlines: deadlines).isEmpty)
    }

    @Test("payout: first in, first out, regardless of entry order")
    func payoutFIFO() {
        // Entered out of order: Fri 05/06 (2,000,000 đ) before Mon 01/06 (1,000,000 đ).
        let collections = [collected(2_000_000, "2026-06-05"), collected(1_000_000, "2026-06-01")]
        func payOut(_ paid: [CaseSnapshot.Money]) -> CaseDuty? {
            CaseDuties.duties(
                for: snapshot(status: .withConditions, money: collections + paid), deadlines: deadlines
            ).first { $0.kind == .payOut }
        }
        // Nothing paid: the 01/06 collection is due first, Thu 11/06.
        let none = payOut([])
        #expect(none?.due == day("2026-06-11"))
        #expect(none?.detail.contains("3.000.000 đ") == true)
        #expect(none?.detail.contains("01/06/2026") == true)
        // Part of the first paid: still due on its date.
        let part = payOut([paidOut(500_000, "2026-06-03")])
        #expect(part?.due == day("2026-06-11"))
        #expect(part?.detail.contains("2.500.000 đ") == true)
        // The first exactly covered: the 05/06 collection, Fri 05/06 + 10 = Mon 15/06.
        let first = payOut([paidOut(1_000_000, "2026-06-03")])
        #expect(first?.due == day("2026-06-15"))
        #expect(
            first?.detail
                == "Chi trả 2.000.000 đ đã thu chưa chi trả (khoản thu sớm nhất chưa chi trả hết: ngày 05/06/2026).")
        // All paid out, in two payments: no duty.
        #expect(payOut([paidOut(1_000_000, "2026-06-03"), paidOut(2_000_000, "2026-06-09")]) == nil)
        // No collection: no duty.
        #expect(CaseDuties.duties(for: snapshot(status: .withConditions), deadlines: deadlines).isEmpty)
    }

    @Test("duties come earliest first")
    func ordering() {
        let s = snapshot(
            decisions: [enforcement("2026-06-11", notified: "2026-06-12")],
            money: [collected(1_000_000, "2026-06-01")])
        let duties = CaseDuties.duties(for: s, deadlines: deadlines)
        #expect(duties.map(\.kind) == [.payOut, .voluntaryPeriodEnds, .verifyMeans])
        #expect(duties.map(\.due) == duties.map(\.due).sorted())
    }

    @Test("closed cases have no duties", arguments: CaseStatus.allCases.filter(\.isClosed))
    func closed(status: CaseStatus) {
        let s = snapshot(
            status: status, decisions: [enforcement("2026-06-11")], money: [collected(1_000_000, "2026-06-01")])
        #expect(CaseDuties.duties(for: s, deadlines: deadlines).isEmpty)
    }

    @Test("paused cases keep only the payout", arguments: [CaseStatus.postponed, .suspended])
    func paused(status: CaseStatus) {
        let unnotified = snapshot(
            status: status, decisions: [enforcement("2026-06-11")], money: [collected(1_000_000, "2026-06-01")])
        #expect(CaseDuties.duties(for: unnotified, deadlines: deadlines).map(\.kind) == [.payOut])
        let notified = snapshot(status: status, decisions: [enforcement("2026-06-11", notified: "2026-06-12")])
        #expect(CaseDuties.duties(for: notified, deadlines: deadlines).isEmpty)
    }

    @Test("enforcement decision due: from the receipt (ex officio) or the request (on request), never the effect")
    func enforcementDecisionDue() {
        // Received Mon 08/06/2026 → Mon 15/06; it took effect on Wed 20/05, which does not count (Art. 36.1).
        #expect(CaseDuties.enforcementDecisionDue(for: snapshot(), deadlines: deadlines) == day("2026-06-15"))
        // Request Wed 03/02/2027 → Wed 17/02 (across Tết); the judgment's dates do not matter.
        let onRequest = snapshot(startMode: .onRequest, requestReceivedOn: day("2027-02-03"))
        #expect(CaseDuties.enforcementDecisionDue(for: onRequest, deadlines: deadlines) == day("2027-02-17"))
        // Missing start dates, and transfers in: unknown. An effective date alone starts nothing.
        #expect(CaseDuties.enforcementDecisionDue(for: snapshot(received: nil), deadlines: deadlines) == nil)
        #expect(CaseDuties.enforcementDecisionDue(for: snapshot(startMode: .onRequest), deadlines: deadlines) == nil)
        let transferred = snapshot(startMode: .transferredIn, requestReceivedOn: day("2026-06-08"))
        #expect(CaseDuties.enforcementDecisionDue(for: transferred, deadlines: deadlines) == nil)
    }

    @Test("enforcement decision late: on the last day is in time, the day after is late")
    func enforcementDecisionLate() {
        func late(_ s: CaseSnapshot) -> Bool { CaseDuties.enforcementDecisionLate(for: s, deadlines: deadlines) }
        #expect(!late(snapshot(decisions: [enforcement("2026-06-15")])))
        #expect(late(snapshot(decisions: [enforcement("2026-06-16")])))
        #expect(!late(snapshot(decisions: [enforcement("2026-06-08")])))
        let request = day("2027-02-03")
        #expect(
            !late(snapshot(startMode: .onRequest, requestReceivedOn: request, decisions: [enforcement("2027-02-17")])))
        #expect(
            late(snapshot(startMode: .onRequest, requestReceivedOn: request, decisions: [enforcement("2027-02-18")])))
        // Unknown due date or no decision: not late.
        #expect(!late(snapshot()))
        #expect(!late(snapshot(received: nil, decisions: [enforcement("2027-01-01")])))
        #expect(!late(snapshot(startMode: .transferredIn, decisions: [enforcement("2027-01-01")])))
    }

    @Test("duty labels")
    func labels() {
        #expect(DutyKind.notifyEnforcementDecision.label == "Giao, thông báo quyết định thi hành án")
        #expect(DutyKind.payOut.label == "Chi trả tiền thi hành án")
        #expect(Set(DutyKind.allCases.map(\.label)).count == DutyKind.allCases.count)
    }
}
