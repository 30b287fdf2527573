import Foundation
import Testing
import ThadsDomain

/// The expected behaviour of the two approval flows, written out by hand, independently of
/// `StepMachine`'s rules. Every (outcome, actor) pair at "pending" has exactly one row; final states
/// refuse everything with `alreadyFinished`; any other state is unknown.
private enum Expected {
    static let accountPermission: Permission = .approveAccountRequests
    static let correctionPermission: Permission = .approveCaseCorrections

    /// States asked about: the machine's, an unknown one, and a wrong-case spelling (ids are exact).
    static let states = ["pending", "approved", "rejected", "draft", "Pending", ""]
    /// Outcomes asked about: the machine's and one it does not have at all.
    static let outcomes = ["approve", "reject", "resume"]
    static let finals: Set<String> = ["approved", "rejected"]

    static let account: [DecisionRow] = [
        DecisionRow("pending", "approve", .holder, .success("approved")),
        DecisionRow("pending", "approve", .nonHolder, .failure(.missingPermission(.approveAccountRequests))),
        DecisionRow("pending", "approve", .initiator, .failure(.initiatorMayNotDecide)),
        DecisionRow("pending", "approve", .system, .success("approved")),
        DecisionRow(
            "pending", "reject", .holder, .success("rejected"), .failure(.noteRequired(outcomeLabel: "Từ chối"))),
        DecisionRow("pending", "reject", .nonHolder, .failure(.missingPermission(.approveAccountRequests))),
        DecisionRow("pending", "reject", .initiator, .failure(.initiatorMayNotDecide)),
        DecisionRow(
            "pending", "reject", .system, .success("rejected"), .failure(.noteRequired(outcomeLabel: "Từ chối"))),
        DecisionRow(
            "pending", "resume", .holder, .failure(.outcomeNotAllowed(outcome: "resume", stepLabel: "Chờ phê duyệt"))),
        DecisionRow(
            "pending", "resume", .nonHolder,
            .failure(.outcomeNotAllowed(outcome: "resume", stepLabel: "Chờ phê duyệt"))),
        DecisionRow(
            "pending", "resume", .initiator,
            .failure(.outcomeNotAllowed(outcome: "resume", stepLabel: "Chờ phê duyệt"))),
        DecisionRow(
            "pending", "resume", .system, .failure(.outcomeNotAllowed(outcome: "resume", stepLabel: "Chờ phê duyệt"))),
    ]

    static let correction: [DecisionRow] = [
        DecisionRow("pending", "approve", .holder, .success("approved")),
        DecisionRow("pending", "approve", .nonHolder, .failure(.missingPermission(.approveCaseCorrections))),
        DecisionRow("pending", "approve", .initiator, .failure(.initiatorMayNotDecide)),
        DecisionRow("pending", "approve", .system, .success("approved")),
        DecisionRow(
            "pending", "reject", .holder, .success("rejected"), .failure(.noteRequired(outcomeLabel: "Từ chối"))),
        DecisionRow("pending", "reject", .nonHolder, .failure(.missingPermission(.approveCaseCorrections))),
        DecisionRow("pending", "reject", .initiator, .failure(.initiatorMayNotDecide)),
        DecisionRow(
            "pending", "reject", .system, .success("rejected"), .failure(.noteRequired(outcomeLabel: "Từ chối"))),
        DecisionRow(
            "pending", "resume", .holder, .failure(.outcomeNotAllowed(outcome: "resume", stepLabel: "Chờ duyệt"))),
        DecisionRow(
            "pending", "resume", .nonHolder, .failure(.outcomeNotAllowed(outcome: "resume", stepLabel: "Chờ duyệt"))),
        DecisionRow(
            "pending", "resume", .initiator, .failure(.outcomeNotAllowed(outcome: "resume", stepLabel: "Chờ duyệt"))),
        DecisionRow(
            "pending", "resume", .system, .failure(.outcomeNotAllowed(outcome: "resume", stepLabel: "Chờ duyệt"))),
    ]

    /// The outcomes each actor is offered at "pending" (none anywhere else), in this order.
    static let offered: [WorkflowFixtures.ActorKind: [String]] = [
        .holder: ["approve", "reject"],
        .nonHolder: [],
        .initiator: [],
        .system: ["approve", "reject"],
    ]

    static func result(
        _ rows: [DecisionRow], state: String, outcome: String, actor: WorkflowFixtures.ActorKind,
        note: WorkflowFixtures.NoteKind
    ) -> Result<String, WorkflowError> {
        if let row = rows.first(where: { $0.state == state && $0.outcome == outcome && $0.actor == actor }) {
            return row.expected(for: note)
        }
        return finals.contains(state) ? .failure(.alreadyFinished(state)) : .failure(.unknownState(state))
    }
}

private typealias Fixtures = WorkflowFixtures

@Suite("Approval flows")
struct FlowsTests {
    @Test("the tables list every (outcome, actor) pair at pending exactly once")
    func tablesAreComplete() {
        for rows in [Expected.account, Expected.correction] {
            let keys = Set(rows.map { "\($0.state)|\($0.outcome)|\($0.actor)" })
            #expect(keys.count == rows.count)
            #expect(rows.count == Expected.outcomes.count * Fixtures.ActorKind.allCases.count)
            #expect(rows.allSatisfy { $0.state == "pending" })
        }
    }

    @Test(
        "account request: every (state, outcome, actor, note) against the table", arguments: Expected.states,
        Expected.outcomes)
    func accountRequestDecisions(state: String, outcome: String) {
        for actor in Fixtures.ActorKind.allCases {
            for note in Fixtures.NoteKind.allCases {
                let result = StepMachine.accountRequest.decide(
                    outcome, at: state, by: Fixtures.actor(actor, for: Expected.accountPermission),
                    initiatorID: Fixtures.initiatorID, note: Fixtures.note(note))
                let expected = Expected.result(
                    Expected.account, state: state, outcome: outcome, actor: actor, note: note)
                #expect(result == expected, "\(state) \(outcome) by \(actor), note \(note)")
            }
        }
    }

    @Test(
        "case correction: every (state, outcome, actor, note) against the table", arguments: Expected.states,
        Expected.outcomes)
    func caseCorrectionDecisions(state: String, outcome: String) {
        for actor in Fixtures.ActorKind.allCases {
            for note in Fixtures.NoteKind.allCases {
                let result = StepMachine.caseCorrection.decide(
                    outcome, at: state, by: Fixtures.actor(actor, for: Expected.correctionPermission),
                    initiatorID: Fixtures.initiatorID, note: Fixtures.note(note))
                let expected = Expected.result(
                    Expected.correction, state: state, outcome: outcome, actor: actor, note: note)
                #expect(result == expected, "\(state) \(outcome) by \(actor), note \(note)")
            }
        }
    }

    @Test("outcomes offered by state and actor", arguments: Expected.states, Fixtures.ActorKind.allCases)
    func offeredOutcomes(state: String, actor: WorkflowFixtures.ActorKind) {
        let expected = state == "pending" ? Expected.offered[actor]! : []
        let account = StepMachine.accountRequest.outcomes(
            at: state, for: Fixtures.actor(actor, for: Expected.accountPermission), initiatorID: Fixtures.initiatorID)
        #expect(account.map(\.id) == expected)
        let correction = StepMachine.caseCorrection.outcomes(
            at: state, for: Fixtures.actor(actor, for: Expected.correctionPermission),
            initiatorID: Fixtures.initiatorID)
        #expect(correction.map(\.id) == expected)
    }

    @Test("one flow's permission does not open the other")
    func permissionsDoNotCross() {
        let accountApprover = StepActor(id: Fixtures.holderID, permissions: [.approveAccountRequests])
        let head = StepActor(id: Fixtures.holderID, permissions: [.approveCaseCorrections])
        #expect(StepMachine.caseCorrection.outcomes(at: "pending", for: accountApprover, initiatorID: nil).isEmpty)
        #expect(StepMachine.accountRequest.outcomes(at: "pending", for: head, initiatorID: nil).isEmpty)
        #expect(
            StepMachine.accountRequest.decide("approve", at: "pending", by: head, initiatorID: nil, note: nil)
                == .failure(.missingPermission(.approveAccountRequests)))
    }

    @Test("separation of duties depends on who started the request")
    func initiator() {
        let machine = StepMachine.accountRequest
        let starter = Fixtures.actor(.initiator, for: .approveAccountRequests)
        // Without a recorded initiator (started by the system), nobody is the initiator.
        #expect(
            machine.decide("approve", at: "pending", by: starter, initiatorID: nil, note: nil) == .success("approved"))
        #expect(machine.outcomes(at: "pending", for: starter, initiatorID: nil).map(\.id) == ["approve", "reject"])
        // Someone else's request.
        #expect(
            machine.decide("reject", at: "pending", by: starter, initiatorID: Fixtures.otherID, note: "Sai đơn vị")
                == .success("rejected"))
        // The initiator without the permission is refused for the permission first.
        let starterWithout = StepActor(id: Fixtures.initiatorID, permissions: [.requestAccountChanges])
        #expect(
            machine.decide("approve", at: "pending", by: starterWithout, initiatorID: Fixtures.initiatorID, note: nil)
                == .failure(.missingPermission(.approveAccountRequests)))
        // A person without an id cannot show they are not the initiator.
        let anonymous = StepActor(id: nil, permissions: [.approveAccountRequests])
        #expect(
            machine.decide("approve", at: "pending", by: anonymous, initiatorID: Fixtures.initiatorID, note: nil)
                == .failure(.initiatorMayNotDecide))
        #expect(
            machine.decide("approve", at: "pending", by: anonymous, initiatorID: nil, note: nil) == .success("approved")
        )
        // The system is never the initiator, whatever id it is given.
        #expect(
            machine.decide("approve", at: "pending", by: .system, initiatorID: Fixtures.initiatorID, note: nil)
                == .success("approved"))
    }

    @Test("the descriptions as specified")
    func descriptions() throws {
        let account = StepMachine.accountRequest
        #expect(account.name == "account-request")
        #expect(account.initial == "pending")
        #expect(account.steps.map(\.id) == ["pending", "approved", "rejected"])
        let pending = try #require(account.step("pending"))
        #expect(pending.label == "Chờ phê duyệt")
        #expect(pending.kind == .active)
        #expect(pending.actor == .approveAccountRequests)
        #expect(pending.workingDayLimit == 1)
        #expect(
            pending.outcomes == [
                StepMachine.Outcome(id: "approve", label: "Phê duyệt", target: "approved", initiatorMayTake: false),
                StepMachine.Outcome(
                    id: "reject", label: "Từ chối", target: "rejected", needsNote: true, initiatorMayTake: false),
            ])
        #expect(account.step("approved") == StepMachine.Step(id: "approved", label: "Đã phê duyệt", kind: .final))
        #expect(account.step("rejected") == StepMachine.Step(id: "rejected", label: "Đã từ chối", kind: .final))

        let correction = StepMachine.caseCorrection
        #expect(correction.name == "case-correction")
        #expect(correction.initial == "pending")
        #expect(correction.steps.map(\.id) == ["pending", "approved", "rejected"])
        let waiting = try #require(correction.step("pending"))
        #expect(waiting.label == "Chờ duyệt")
        #expect(waiting.kind == .active)
        #expect(waiting.actor == .approveCaseCorrections)
        #expect(waiting.workingDayLimit == nil)
        #expect(
            waiting.outcomes == [
                StepMachine.Outcome(id: "approve", label: "Duyệt", target: "approved", initiatorMayTake: false),
                StepMachine.Outcome(
                    id: "reject", label: "Từ chối", target: "rejected", needsNote: true, initiatorMayTake: false),
            ])
        #expect(correction.step("approved") == StepMachine.Step(id: "approved", label: "Đã duyệt", kind: .final))
        #expect(correction.step("rejected") == StepMachine.Step(id: "rejected", label: "Từ chối", kind: .final))

        // The descriptions pass validation when rebuilt (the static lets use `try!`).
        #expect(throws: Never.self) {
            _ = try StepMachine(name: account.name, initial: account.initial, steps: account.steps)
            _ = try StepMachine(name: correction.name, initial: correction.initial, steps: correction.steps)
        }
    }

    /// The default calendar knows no 2027 decision, so 2027 uses the computed defaults: Tết (mùng 1 on
    /// Sat 6/2/2027) is Fri 5/2 to Tue 9/2, and the two weekend Tết days give Wed 10/2 and Thu 11/2 off
    /// in lieu. 4/2/2027 is a Thursday; 15/1/2027 a Friday.
    @Test("account request due dates: 1 working day, 15:00 cut-off, weekends and Tết")
    func accountRequestDueDates() {
        let machine = StepMachine.accountRequest
        for calendar in [WorkingCalendar(), WorkingCalendar.vietnam] {
            func due(_ text: String) -> LocalDate? {
                machine.dueDate(of: "pending", enteredAt: Fixtures.instant(text), calendar: calendar)
            }
            // Thu 4/2 before 15:00: the next working day after Tết and the days in lieu is Fri 12/2.
            #expect(due("2027-02-04T10:00:00+07:00") == Fixtures.day(2027, 2, 12))
            #expect(due("2027-02-04T14:59:59+07:00") == Fixtures.day(2027, 2, 12))
            // From 15:00 the count starts on Fri 12/2, so the day is Mon 15/2.
            #expect(due("2027-02-04T15:00:00+07:00") == Fixtures.day(2027, 2, 15))
            // Entered on a Tết day (Fri 5/2): counted from Fri 12/2 as well.
            #expect(due("2027-02-05T09:00:00+07:00") == Fixtures.day(2027, 2, 15))
            // 10:00 in Vietnam is 03:00 UTC: the same instant written in UTC.
            #expect(due("2027-02-04T03:00:00Z") == Fixtures.day(2027, 2, 12))
            // 23:00 UTC on Wed 3/2 is already Thu 4/2 06:00 in Vietnam.
            #expect(due("2027-02-03T23:00:00Z") == Fixtures.day(2027, 2, 12))
            // Across a weekend: Fri 15/1 → Mon 18/1; after the cut-off or on Sat 16/1 → Tue 19/1.
            #expect(due("2027-01-15T10:00:00+07:00") == Fixtures.day(2027, 1, 18))
            #expect(due("2027-01-15T16:00:00+07:00") == Fixtures.day(2027, 1, 19))
            #expect(due("2027-01-16T09:00:00+07:00") == Fixtures.day(2027, 1, 19))
            // The overdue instant is the end of the due day in Vietnam.
            #expect(
                machine.dueInstant(
                    of: "pending", enteredAt: Fixtures.instant("2027-02-04T10:00:00+07:00"), calendar: calendar)
                    == Fixtures.instant("2027-02-13T00:00:00+07:00").addingTimeInterval(-0.001))
        }
    }

    /// The calendar passed in is the one used: 2/1/2026 is a working Friday under the computed defaults,
    /// but a day off (with the weekend of 3–4/1) under the 2026 decision.
    @Test("the due date follows the calendar given")
    func dueDateUsesTheCalendar() {
        let start = Fixtures.instant("2025-12-31T10:00:00+07:00")
        #expect(
            StepMachine.accountRequest.dueDate(of: "pending", enteredAt: start, calendar: WorkingCalendar())
                == Fixtures.day(2026, 1, 2))
        #expect(
            StepMachine.accountRequest.dueDate(of: "pending", enteredAt: start, calendar: .vietnam)
                == Fixtures.day(2026, 1, 5))
    }

    @Test("no due date without a limit, at a final step or at an unknown state")
    func noDueDate() {
        let start = Fixtures.instant("2027-02-04T10:00:00+07:00")
        let calendar = WorkingCalendar()
        for state in ["approved", "rejected", "draft"] {
            #expect(StepMachine.accountRequest.dueDate(of: state, enteredAt: start, calendar: calendar) == nil)
            #expect(StepMachine.accountRequest.dueInstant(of: state, enteredAt: start, calendar: calendar) == nil)
        }
        for state in ["pending", "approved", "rejected", "draft"] {
            #expect(StepMachine.caseCorrection.dueDate(of: state, enteredAt: start, calendar: calendar) == nil)
            #expect(StepMachine.caseCorrection.dueInstant(of: state, enteredAt: start, calendar: calendar) == nil)
        }
    }
}
