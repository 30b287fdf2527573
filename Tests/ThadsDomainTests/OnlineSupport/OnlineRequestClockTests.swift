import Foundation
import Testing
import ThadsDomain

/// Due instants of the online processes (C5), counted by hand on the calendar.
@Suite struct OnlineRequestClockTests {
    static let calendar2026 = WorkingCalendar(decisions: [.vietnam2026])

    /// Tết 2027 for the test: the lunar new year falls on Saturday 6/2/2027; off Thursday 4/2 (evening of the
    /// 28th is worked, the 29th off) … Wednesday 10/2, back to work Thursday 11/2.
    static let tet2027 = YearDecision(
        year: 2027,
        daysOff: (4...10).map {
            DatedReason(date: LocalDate(year: 2027, month: 2, day: $0)!, reason: "Tết Nguyên đán")
        },
        makeUpWorkingDays: [], replacesDefaults: true, source: "Quyết định giả định cho kiểm thử")
    static let calendar2027 = WorkingCalendar(decisions: [tet2027])

    /// Local Vietnam time.
    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        LocalDate(year: year, month: month, day: day)!.startOfDay(in: .vietnam)
            .addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    /// The end of a local day: what a due instant is.
    static func endOf(_ year: Int, _ month: Int, _ day: Int) -> Date {
        LocalDate(year: year, month: month, day: day)!.adding(days: 1).startOfDay(in: .vietnam).addingTimeInterval(
            -0.001)
    }

    @Test func stepDueAcrossAWeekend() {
        let machine = StepMachine.onlineEnforcementRequest
        // Friday 4/12/2026 10:00 → Monday 7/12.
        #expect(
            machine.dueInstant(of: "receive", enteredAt: Self.at(2026, 12, 4, 10), calendar: Self.calendar2026)
                == Self.endOf(2026, 12, 7))
        // Friday after 15:00 counts from Monday → Tuesday 8/12.
        #expect(
            machine.dueInstant(of: "check", enteredAt: Self.at(2026, 12, 4, 15, 30), calendar: Self.calendar2026)
                == Self.endOf(2026, 12, 8))
        // Saturday → counts from Monday → Tuesday.
        #expect(
            machine.dueInstant(of: "receive", enteredAt: Self.at(2026, 12, 5, 9), calendar: Self.calendar2026)
                == Self.endOf(2026, 12, 8))
        // The whole request: 5 working days from Friday 4/12 → Friday 11/12.
        let clock = OnlineRequestClock(submittedAt: Self.at(2026, 12, 4, 10), pauses: [])
        #expect(clock.dueInstant(calendar: Self.calendar2026) == Self.endOf(2026, 12, 11))
    }

    @Test func dueAcrossTet2027() {
        let machine = StepMachine.onlineResultConfirmation
        // Wednesday 3/2/2027 10:00: the next working day is Thursday 11/2.
        #expect(
            machine.dueInstant(of: "receive", enteredAt: Self.at(2027, 2, 3, 10), calendar: Self.calendar2027)
                == Self.endOf(2027, 2, 11))
        // Wednesday 3/2 at 16:00 counts from 11/2 → Friday 12/2.
        #expect(
            machine.dueInstant(of: "receive", enteredAt: Self.at(2027, 2, 3, 16), calendar: Self.calendar2027)
                == Self.endOf(2027, 2, 12))
        // Whole request from Wednesday 3/2 10:00: 11, 12, 15, 16, 17 → Wednesday 17/2.
        let clock = OnlineRequestClock(submittedAt: Self.at(2027, 2, 3, 10), pauses: [])
        #expect(clock.dueInstant(calendar: Self.calendar2027) == Self.endOf(2027, 2, 17))
        // A submission during Tết counts from Thursday 11/2.
        #expect(
            OnlineRequestClock(submittedAt: Self.at(2027, 2, 8, 9), pauses: []).dueInstant(calendar: Self.calendar2027)
                == Self.endOf(2027, 2, 18))
    }

    @Test func petitionSigningHasNoFixedLimit() {
        #expect(
            StepMachine.onlinePetition.dueInstant(
                of: "approval", enteredAt: Self.at(2026, 12, 7, 9), calendar: Self.calendar2026) == nil)
        #expect(
            StepMachine.onlinePetition.dueInstant(
                of: "handling", enteredAt: Self.at(2026, 12, 7, 9), calendar: Self.calendar2026)
                == Self.endOf(2026, 12, 8))
    }

    @Test func pauseStopsTheClockAndResumeMovesTheDueDate() {
        let submitted = Self.at(2026, 12, 7, 9)  // Monday
        let pauseStart = Self.at(2026, 12, 8, 10)  // Tuesday
        let resumed = Self.at(2026, 12, 10, 9)  // Thursday
        let waiting = OnlineRequestClock(submittedAt: submitted, pauses: [.init(start: pauseStart, end: nil)])
        #expect(waiting.isPaused)
        #expect(waiting.dueInstant(calendar: Self.calendar2026) == nil)
        // The paused step itself has no limit.
        #expect(
            StepMachine.onlineEnforcementRequest.dueInstant(
                of: "awaiting-submitter", enteredAt: pauseStart, calendar: Self.calendar2026) == nil)

        let back = OnlineRequestClock(submittedAt: submitted, pauses: [.init(start: pauseStart, end: resumed)])
        #expect(!back.isPaused)
        #expect(back.pausedWorkingDays(calendar: Self.calendar2026) == 2)
        // 5 + 2 working days after Monday 7/12 → Wednesday 16/12.
        #expect(back.dueInstant(calendar: Self.calendar2026) == Self.endOf(2026, 12, 16))
        // The step the request returns to gets its full working day again: Thursday → Friday 11/12.
        #expect(
            StepMachine.onlineEnforcementRequest.dueInstant(
                of: "check", enteredAt: resumed, calendar: Self.calendar2026) == Self.endOf(2026, 12, 11))
        // A pause over a weekend costs only its working days: Friday 11/12 → Monday 14/12 is one.
        let overWeekend = OnlineRequestClock(
            submittedAt: submitted, pauses: [.init(start: Self.at(2026, 12, 11, 9), end: Self.at(2026, 12, 14, 9))])
        #expect(overWeekend.pausedWorkingDays(calendar: Self.calendar2026) == 1)
        #expect(overWeekend.dueInstant(calendar: Self.calendar2026) == Self.endOf(2026, 12, 15))
    }

    @Test func dueStates() {
        let cal = Self.calendar2026
        let due = Self.endOf(2026, 12, 8)  // Tuesday
        #expect(OnlineDueState.of(due: nil, now: Self.at(2026, 12, 7, 9), calendar: cal) == .none)
        #expect(OnlineDueState.of(due: due, now: Self.at(2026, 12, 7, 9), calendar: cal) == .onTime)
        #expect(OnlineDueState.of(due: due, now: Self.at(2026, 12, 8, 9), calendar: cal) == .nearDue)
        #expect(OnlineDueState.of(due: due, now: Self.at(2026, 12, 9, 0, 1), calendar: cal) == .overdue)
        // On Saturday a step due Monday is near due (Monday is the next day to act).
        #expect(
            OnlineDueState.of(due: Self.endOf(2026, 12, 7), now: Self.at(2026, 12, 5, 9), calendar: cal) == .nearDue)
    }
}
