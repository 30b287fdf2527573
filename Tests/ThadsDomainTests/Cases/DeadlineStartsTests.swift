import Foundation
import Testing

@testable import ThadsDomain

/// A date the test knows to be valid ("yyyy-MM-dd").
private func day(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

/// `hour`:`minute` on `iso` in Asia/Ho_Chi_Minh.
private func at(_ iso: String, _ hour: Int, _ minute: Int = 0) -> Date {
    day(iso).startOfDay(in: .vietnam).addingTimeInterval(Double(hour * 3600 + minute * 60))
}

private let deadlines = CaseDeadlines(calendar: .vietnam, parameters: .seeded)

private func snapshot(
    startMode: CaseStartMode = .exOfficio, requestReceivedOn: LocalDate? = nil, effective: LocalDate?,
    received: LocalDate?, provisionalReceivedAt: Date? = nil, decisions: [CaseSnapshot.Decision] = []
) -> CaseSnapshot {
    CaseSnapshot(
        status: .accepted, startMode: startMode, requestReceivedOn: requestReceivedOn, officerAssigned: true,
        judgment: .init(
            courtCode: "TAND", number: "7/2027/DS-ST", judgmentDate: day("2026-12-01"), effectiveDate: effective,
            receivedOn: received, provisionalReceivedAt: provisionalReceivedAt),
        decisions: decisions)
}

private func enforcement(_ decided: String) -> CaseSnapshot.Decision {
    .init(kind: .enforcement, decidedOn: day(decided))
}

/// Every deadline counted from the day (or the hour) the law names, not from a neighbouring date.
///
/// Calendar facts (asserted below): Tết 2027 keeps Fri 05/02 – Thu 11/02/2027 off; Fri 29/01/2027 is the last
/// Friday worked before it, Thu 04/02 the last working day; Fri 12/02 the first working day after.
@Suite("Deadlines from their own starting day")
struct DeadlineStartsTests {
    @Test("calendar facts the expectations rely on")
    func calendarFacts() {
        let calendar = WorkingCalendar.vietnam
        #expect(day("2027-01-29").weekday == 5)
        #expect(day("2026-06-13").weekday == 6)
        for iso in ["2027-01-29", "2027-02-01", "2027-02-02", "2027-02-03", "2027-02-04", "2027-02-12"] {
            #expect(calendar.isWorkingDay(day(iso)), "\(iso)")
        }
        for iso in ["2027-01-30", "2027-01-31", "2027-02-05", "2027-02-08", "2027-02-10", "2027-02-11"] {
            #expect(!calendar.isWorkingDay(day(iso)), "\(iso)")
        }
    }

    @Test("ex officio: 5 working days from receipt on the Friday before Tết 2027, not from the effective date")
    func exOfficioFromReceipt() {
        // Received Fri 29/01/2027: Mon 01 (1), Tue 02 (2), Wed 03 (3), Thu 04 (4), [Tết 05–11/02], Fri 12/02 (5).
        // The judgment took effect on Mon 04/01/2027: counted from that day it would be Mon 11/01.
        let s = snapshot(effective: day("2027-01-04"), received: day("2027-01-29"))
        #expect(CaseDuties.enforcementDecisionDue(for: s, deadlines: deadlines) == day("2027-02-12"))
        #expect(deadlines.enforcementDecisionDue(from: day("2027-01-04")) == day("2027-01-11"))
        // Decided on Fri 12/02: in time; a decision on 11/01 was never the test of timeliness.
        var decided = s
        decided.decisions = [enforcement("2027-02-12")]
        #expect(!CaseDuties.enforcementDecisionLate(for: decided, deadlines: deadlines))
        decided.decisions = [enforcement("2027-02-15")]
        #expect(CaseDuties.enforcementDecisionLate(for: decided, deadlines: deadlines))
        // No receipt recorded: no due date, whatever the effective date.
        #expect(
            CaseDuties.enforcementDecisionDue(
                for: snapshot(effective: day("2027-01-04"), received: nil), deadlines: deadlines) == nil)
    }

    @Test("on request: 5 working days from the request, for the decision and for a refusal")
    func onRequestFromRequest() {
        // Request Fri 29/01/2027 → Fri 12/02, as above; the judgment's receipt (a year earlier) does not count.
        let s = snapshot(
            startMode: .onRequest, requestReceivedOn: day("2027-01-29"), effective: day("2025-12-15"),
            received: day("2026-01-05"))
        #expect(CaseDuties.enforcementDecisionDue(for: s, deadlines: deadlines) == day("2027-02-12"))
        #expect(deadlines.refusalDue(requestReceived: day("2027-01-29")) == day("2027-02-12"))
    }

    @Test("provisional emergency measure received 16:00 on a Saturday: due 16:00 on the Sunday")
    func provisionalMeasure() {
        // Sat 13/06/2026 16:00 (after the 15:00 cut-off, on a weekend: neither moves an hour deadline).
        let received = at("2026-06-13", 16)
        let due = deadlines.provisionalMeasureDecisionDue(received: received)
        #expect(due == at("2026-06-14", 16))
        #expect(due.timeIntervalSince(received) == 24 * 3600)
        #expect(CaseDuties.instantText(due) == "16:00 ngày 14/06/2026")
        let s = snapshot(effective: day("2026-06-12"), received: day("2026-06-13"), provisionalReceivedAt: received)
        #expect(CaseDuties.enforcementDecisionDueAt(for: s, deadlines: deadlines) == at("2026-06-14", 16))
        // The day shown is the Sunday, not 5 working days from Saturday (Fri 19/06).
        #expect(CaseDuties.enforcementDecisionDue(for: s, deadlines: deadlines) == day("2026-06-14"))
        var decided = s
        decided.decisions = [enforcement("2026-06-14")]
        #expect(!CaseDuties.enforcementDecisionLate(for: decided, deadlines: deadlines))
        decided.decisions = [enforcement("2026-06-15")]
        #expect(CaseDuties.enforcementDecisionLate(for: decided, deadlines: deadlines))
        // On the first day of Tết too: Sat 06/02/2027 16:00 → Sun 07/02 16:00.
        #expect(deadlines.provisionalMeasureDecisionDue(received: at("2027-02-06", 16)) == at("2027-02-07", 16))
        // A transfer in follows the transfer, not the receipt.
        var transferred = s
        transferred.startMode = .transferredIn
        #expect(CaseDuties.enforcementDecisionDueAt(for: transferred, deadlines: deadlines) == nil)
    }

    @Test("the provisional-measure period is a seeded parameter in hours")
    func provisionalParameter() {
        let found = LegalParameterSet.seeded.value(
            LegalParameterName.provisionalMeasureDecisionHours, on: day("2026-06-13"))
        #expect(found?.value == 24)
        #expect(found?.unit == .hour)
    }

    @Test("state decisions: 5 working days from their grounds, late the day after")
    func stateDecisionsFromGrounds() {
        // Grounds Fri 29/01/2027 → Fri 12/02 (across Tết). Grounds Wed 19/08/2026 → Tue 25/08 (Sat 22/08 worked).
        let decisions: [CaseSnapshot.Decision] = [
            .init(kind: .enforcement, decidedOn: day("2026-06-01")),
            .init(kind: .postponement, decidedOn: day("2027-02-12"), groundsOn: day("2027-01-29")),
            .init(kind: .suspension, decidedOn: day("2026-08-26"), groundsOn: day("2026-08-19")),
            .init(kind: .termination, decidedOn: day("2026-09-01")),
            .init(kind: .resumption, decidedOn: day("2026-09-02"), groundsOn: day("2026-01-02")),
        ]
        let s = snapshot(effective: nil, received: nil, decisions: decisions)
        let found = CaseDuties.stateDecisionDeadlines(for: s, deadlines: deadlines)
        #expect(found.map(\.decision.kind) == [.postponement, .suspension])
        #expect(found.map(\.due) == [day("2027-02-12"), day("2026-08-25")])
        #expect(found.map(\.late) == [false, true])
        #expect(
            CaseDecisionKind.allCases.filter(\.runsFromGrounds)
                == [.postponement, .suspension, .termination, .returnOfRequest, .transfer])
    }

    @Test("request limitation: 5 years from the effective date, checked against the request")
    func requestLimitation() {
        // Effective Fri 29/01/2021 → Thu 29/01/2026 (a working day).
        let end = deadlines.requestLimitationEnd(judgmentEffective: day("2021-01-29"))
        #expect(end == day("2026-01-29"))
        #expect(day("2026-01-29") <= end)
        #expect(day("2026-01-30") > end)
    }
}
