import Testing

@testable import ThadsDomain

/// A date the test knows to be valid ("yyyy-MM-dd").
private func day(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

/// Calendar facts used below (WorkingCalendar.vietnam):
/// - Tết 2027 (mùng 1 = Sat 06/02/2027), computed defaults: Fri 05/02 – Tue 09/02 off, Wed 10/02 and
///   Thu 11/02 compensatory days off; Fri 12/02 is the first working day after.
/// - 2026 decision: Sat 22/08/2026 worked; Sat 29/08 – Wed 02/09 off (Mon 31/08 swapped).
@Suite("Case deadlines")
struct CaseDeadlinesTests {
    let deadlines = CaseDeadlines()

    @Test("calendar facts the expectations rely on")
    func calendarFacts() {
        let calendar = WorkingCalendar.vietnam
        for iso in ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2026-08-31"] {
            #expect(!calendar.isWorkingDay(day(iso)), "\(iso)")
        }
        for iso in ["2027-02-04", "2027-02-12", "2026-08-22", "2026-09-03"] {
            #expect(calendar.isWorkingDay(day(iso)), "\(iso)")
        }
    }

    @Test("enforcement decision: 5 working days, across Tết 2027")
    func enforcementDecision() {
        // Wed 03/02: Thu 04, [Tết 05–11], Fri 12, Mon 15, Tue 16, Wed 17.
        #expect(deadlines.enforcementDecisionDue(from: day("2027-02-03")) == day("2027-02-17"))
        // Ordinary week: Mon 08/06/2026 → Mon 15/06.
        #expect(deadlines.enforcementDecisionDue(from: day("2026-06-08")) == day("2026-06-15"))
        // Start on a Saturday: the first day is not counted; Mon–Fri are the 5 days.
        #expect(deadlines.enforcementDecisionDue(from: day("2026-06-13")) == day("2026-06-19"))
    }

    @Test("refusal of a request: 5 working days, across Tết 2027")
    func refusal() {
        // Thu 04/02/2027: Fri 12, Mon 15, Tue 16, Wed 17, Thu 18.
        #expect(deadlines.refusalDue(requestReceived: day("2027-02-04")) == day("2027-02-18"))
    }

    @Test("state-change decision: 5 working days, with the make-up Saturday 22/08/2026")
    func stateDecision() {
        // Wed 19/08: Thu 20, Fri 21, Sat 22 (worked), Mon 24, Tue 25.
        #expect(deadlines.stateDecisionDue(grounds: day("2026-08-19")) == day("2026-08-25"))
        // Wed 26/08: Thu 27, Fri 28, [29/08–02/09 off], Thu 03, Fri 04, Mon 07.
        #expect(deadlines.stateDecisionDue(grounds: day("2026-08-26")) == day("2026-09-07"))
    }

    @Test("document notification: 3 working days")
    func documentNotification() {
        // Thu 20/08/2026: Fri 21, Sat 22 (worked), Mon 24.
        #expect(deadlines.documentNotificationDue(issued: day("2026-08-20")) == day("2026-08-24"))
        // Thu 04/02/2027: Fri 12, Mon 15, Tue 16.
        #expect(deadlines.documentNotificationDue(issued: day("2027-02-04")) == day("2027-02-16"))
    }

    @Test("voluntary period: 10 days, Civil Code roll-over")
    func voluntaryPeriod() {
        // Ends on a working day: Fri 12/06/2026 + 10 = Mon 22/06.
        #expect(deadlines.voluntaryPeriodEnd(notified: day("2026-06-12")) == day("2026-06-22"))
        // Ends on a Saturday: Wed 10/06 + 10 = Sat 20/06 → Mon 22/06.
        #expect(deadlines.voluntaryPeriodEnd(notified: day("2026-06-10")) == day("2026-06-22"))
        // Ends on the worked Saturday 22/08/2026: no roll-over.
        #expect(deadlines.voluntaryPeriodEnd(notified: day("2026-08-12")) == day("2026-08-22"))
        // Ends Sat 29/08/2026 (National Day break) → Thu 03/09.
        #expect(deadlines.voluntaryPeriodEnd(notified: day("2026-08-19")) == day("2026-09-03"))
        // Ends Sat 06/02/2027 (Tết) → Fri 12/02.
        #expect(deadlines.voluntaryPeriodEnd(notified: day("2027-01-27")) == day("2027-02-06").adding(days: 6))
    }

    @Test("verification: 10 days after the voluntary period")
    func verification() {
        // Voluntary period ends Tue 26/01/2027: + 10 = Fri 05/02 (Tết) → Fri 12/02.
        #expect(deadlines.verificationDue(voluntaryPeriodEnd: day("2027-01-26")) == day("2027-02-12"))
        // Chained: notified Wed 27/01/2027 → voluntary end Fri 12/02 → verification Mon 22/02.
        let end = deadlines.voluntaryPeriodEnd(notified: day("2027-01-27"))
        #expect(deadlines.verificationDue(voluntaryPeriodEnd: end) == day("2027-02-22"))
    }

    @Test("payout: 10 days from collection")
    func payout() {
        // Sun 31/01/2027 + 10 = Wed 10/02 (compensatory day off) → Fri 12/02.
        #expect(deadlines.payoutDue(collected: day("2027-01-31")) == day("2027-02-12"))
        // Fri 21/08/2026 + 10 = Mon 31/08 (swapped day off) → Thu 03/09.
        #expect(deadlines.payoutDue(collected: day("2026-08-21")) == day("2026-09-03"))
        // Mon 01/06/2026 + 10 = Thu 11/06.
        #expect(deadlines.payoutDue(collected: day("2026-06-01")) == day("2026-06-11"))
    }

    @Test("request limitation: 5 years from the judgment's effective date")
    func requestLimitation() {
        // Ordinary: Wed 10/06/2026 + 5 years = Mon 10/06/2031.
        #expect(deadlines.requestLimitationEnd(judgmentEffective: day("2026-06-10")) == day("2031-06-10"))
        // Lands on Sat 06/02/2027 (Tết) → Fri 12/02/2027.
        #expect(deadlines.requestLimitationEnd(judgmentEffective: day("2022-02-06")) == day("2027-02-12"))
        // Lands on the worked Saturday 22/08/2026: stays.
        #expect(deadlines.requestLimitationEnd(judgmentEffective: day("2021-08-22")) == day("2026-08-22"))
        // 29/02/2024 → 28/02/2029 (no 29/02 in 2029; a Wednesday).
        #expect(deadlines.requestLimitationEnd(judgmentEffective: day("2024-02-29")) == day("2029-02-28"))
    }

    @Test("a parameter changed on 2026-07-01 applies by the start date")
    func parameterChange() {
        let from = LegalParameterName.newLawEffective
        #expect(from == day("2026-07-01"))
        func value(_ name: String, _ value: Int64, _ unit: ParameterUnit, _ start: LocalDate) -> LegalParameterValue {
            LegalParameterValue(
                name: name, value: value, unit: unit, effectiveFrom: start, source: "test", verified: false)
        }
        let old = LegalParameterName.oldLawEffective
        let parameters = LegalParameterSet([
            value(LegalParameterName.voluntaryPaymentDays, 10, .days, old),
            value(LegalParameterName.voluntaryPaymentDays, 15, .days, from),
            value(LegalParameterName.stateDecisionWorkingDays, 5, .workingDays, old),
            value(LegalParameterName.stateDecisionWorkingDays, 3, .workingDays, from),
            value(LegalParameterName.payoutDays, 10, .days, old),
            value(LegalParameterName.payoutDays, 7, .workingDays, from),
        ])
        let deadlines = CaseDeadlines(parameters: parameters)
        // Tue 30/06/2026: old 10 days → Fri 10/07. Wed 01/07: new 15 days → Thu 16/07.
        #expect(deadlines.voluntaryPeriodEnd(notified: day("2026-06-30")) == day("2026-07-10"))
        #expect(deadlines.voluntaryPeriodEnd(notified: day("2026-07-01")) == day("2026-07-16"))
        // Old 5 working days from 30/06 → Tue 07/07; new 3 from 01/07 → Mon 06/07 (earlier).
        #expect(deadlines.stateDecisionDue(grounds: day("2026-06-30")) == day("2026-07-07"))
        #expect(deadlines.stateDecisionDue(grounds: day("2026-07-01")) == day("2026-07-06"))
        // The unit changes too: 10 days from 30/06 → Fri 10/07; 7 working days from 01/07 → Fri 10/07,
        // from Fri 03/07 → Tue 14/07 (10 calendar days would give Mon 13/07).
        #expect(deadlines.payoutDue(collected: day("2026-06-30")) == day("2026-07-10"))
        #expect(deadlines.payoutDue(collected: day("2026-07-01")) == day("2026-07-10"))
        #expect(deadlines.payoutDue(collected: day("2026-07-03")) == day("2026-07-14"))
        // Missing from the set: the seeded value (refusal: 5 working days).
        #expect(deadlines.refusalDue(requestReceived: day("2026-07-01")) == day("2026-07-08"))
        #expect(deadlines.period(LegalParameterName.refusalWorkingDays, on: from)?.value == 5)
        // Before any value: the earliest seeded value.
        #expect(
            CaseDeadlines(parameters: LegalParameterSet([])).period(
                LegalParameterName.payoutDays, on: day("2010-01-01"))?.value == 10)
        #expect(deadlines.period("unknownParameter", on: from) == nil)
    }

    @Test("due states around the make-up Saturday and Tết")
    func dueStates() {
        let calendar = WorkingCalendar.vietnam
        let due = day("2026-08-25")  // Tue
        func state(_ today: String, soon: Int = 1) -> DueState {
            DueState.state(due: due, today: day(today), calendar: calendar, soonWorkingDays: soon)
        }
        #expect(state("2026-08-25") == .dueToday)
        #expect(state("2026-08-24") == .dueSoon(daysLeft: 1))
        // Fri 21/08: Sat 22 (worked), Mon 24, Tue 25 → 3 working days left.
        #expect(state("2026-08-21") == .notDue)
        #expect(state("2026-08-21", soon: 3) == .dueSoon(daysLeft: 3))
        #expect(state("2026-08-22", soon: 2) == .dueSoon(daysLeft: 2))
        #expect(state("2026-08-26") == .overdue(days: 1))
        #expect(state("2026-08-31") == .overdue(days: 6))
        // Across Tết 2027: Thu 04/02 → Fri 12/02 is one working day away.
        #expect(
            DueState.state(due: day("2027-02-12"), today: day("2027-02-04"), calendar: calendar)
                == .dueSoon(daysLeft: 1))
        // A due date on a non-working day the next day still counts as one day left.
        #expect(
            DueState.state(due: day("2026-08-23"), today: day("2026-08-22"), calendar: calendar)
                == .dueSoon(daysLeft: 1))
        #expect(DueState.notDue.label == "Chưa đến hạn")
        #expect(DueState.dueSoon(daysLeft: 2).label == "Sắp đến hạn (còn 2 ngày làm việc)")
        #expect(DueState.dueToday.label == "Đến hạn hôm nay")
        #expect(DueState.overdue(days: 3).label == "Quá hạn 3 ngày")
    }
}
