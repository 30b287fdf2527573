import Foundation
import Testing
import ThadsDomain

private typealias Step = StepMachine.Step
private typealias Outcome = StepMachine.Outcome
private typealias DemoActor = WorkflowFixtures.DemoActor
private typealias Fixtures = WorkflowFixtures
private let demo = WorkflowFixtures.demo

/// The demonstration flow's expected results, by hand: (state, outcome) → actor → (with a note,
/// without one). Outcomes of other steps are refused with `outcomeNotAllowed`; final states with
/// `alreadyFinished`.
private enum DemoExpected {
    typealias Expectation = (withNote: Result<String, WorkflowError>, withoutNote: Result<String, WorkflowError>)

    static let missingEntry = WorkflowError.missingPermission(.enterCaseData)
    static let missingApproval = WorkflowError.missingPermission(.approveCaseCorrections)
    static let systemOnly = WorkflowError.systemOnly(stepLabel: "Chờ bổ sung")

    static func same(_ result: Result<String, WorkflowError>) -> Expectation { (result, result) }
    static func noted(_ target: String, _ label: String) -> Expectation {
        (.success(target), .failure(.noteRequired(outcomeLabel: label)))
    }

    static let table: [String: [String: [DemoActor: Expectation]]] = [
        "review": [
            "forward": [
                .clerk: same(.success("approval")), .head: same(.failure(missingEntry)),
                .initiator: same(.success("approval")), .outsider: same(.failure(missingEntry)),
                .system: same(.success("approval")),
            ],
            "ask-supplement": [
                .clerk: noted("awaiting-supplement", "Yêu cầu bổ sung"), .head: same(.failure(missingEntry)),
                .initiator: noted("awaiting-supplement", "Yêu cầu bổ sung"), .outsider: same(.failure(missingEntry)),
                .system: noted("awaiting-supplement", "Yêu cầu bổ sung"),
            ],
        ],
        "awaiting-supplement": [
            "resume": [
                .clerk: same(.failure(systemOnly)), .head: same(.failure(systemOnly)),
                .initiator: same(.failure(systemOnly)), .outsider: same(.failure(systemOnly)),
                .system: same(.success("review")),
            ],
            "expire": [
                .clerk: same(.failure(systemOnly)), .head: same(.failure(systemOnly)),
                .initiator: same(.failure(systemOnly)), .outsider: same(.failure(systemOnly)),
                .system: noted("rejected", "Hết hạn bổ sung"),
            ],
        ],
        "approval": [
            "approve": [
                .clerk: same(.failure(missingApproval)), .head: same(.success("approved")),
                .initiator: same(.failure(.initiatorMayNotDecide)), .outsider: same(.failure(missingApproval)),
                .system: same(.success("approved")),
            ],
            "reject": [
                .clerk: same(.failure(missingApproval)), .head: noted("rejected", "Từ chối"),
                .initiator: same(.failure(.initiatorMayNotDecide)), .outsider: same(.failure(missingApproval)),
                .system: noted("rejected", "Từ chối"),
            ],
            "return": [
                .clerk: same(.failure(missingApproval)), .head: noted("review", "Trả lại"),
                .initiator: noted("review", "Trả lại"), .outsider: same(.failure(missingApproval)),
                .system: noted("review", "Trả lại"),
            ],
        ],
    ]

    static let labels = [
        "review": "Chờ xem xét", "awaiting-supplement": "Chờ bổ sung", "approval": "Chờ phê duyệt",
    ]
    static let finals: Set<String> = ["approved", "rejected"]
    static let states = ["review", "awaiting-supplement", "approval", "approved", "rejected", "closed"]
    static let outcomes = ["forward", "ask-supplement", "resume", "expire", "approve", "reject", "return", "delete"]

    /// (state, actor) → the outcomes offered, in order; absent: none.
    static let offered: [String: [DemoActor: [String]]] = [
        "review": [
            .clerk: ["forward", "ask-supplement"], .initiator: ["forward", "ask-supplement"],
            .system: ["forward", "ask-supplement"],
        ],
        "awaiting-supplement": [.system: ["resume", "expire"]],
        "approval": [
            .head: ["approve", "reject", "return"], .initiator: ["return"], .system: ["approve", "reject", "return"],
        ],
    ]

    static func result(_ state: String, _ outcome: String, _ actor: DemoActor, noted: Bool)
        -> Result<String, WorkflowError>
    {
        if finals.contains(state) { return .failure(.alreadyFinished(state)) }
        guard let row = table[state] else { return .failure(.unknownState(state)) }
        guard let expectation = row[outcome]?[actor] else {
            return .failure(.outcomeNotAllowed(outcome: outcome, stepLabel: labels[state]!))
        }
        return noted ? expectation.withNote : expectation.withoutNote
    }
}

@Suite("Step machine")
struct StepMachineTests {
    // MARK: Validation

    private static let done = Step(id: "done", label: "Xong", kind: .final)

    private static func go(_ target: String, id: String = "go") -> Outcome {
        Outcome(id: id, label: "Chuyển", target: target, initiatorMayTake: true)
    }

    private static func build(_ steps: [Step], initial: String = "a") -> Result<StepMachine, StepMachineError> {
        Result { () throws(StepMachineError) -> StepMachine in
            try StepMachine(name: "test", initial: initial, steps: steps)
        }
    }

    private static func error(_ steps: [Step], initial: String = "a") -> StepMachineError? {
        guard case .failure(let error) = build(steps, initial: initial) else { return nil }
        return error
    }

    @Test("a malformed description is refused with its problem")
    func validation() {
        let a = Step(id: "a", label: "A", actor: .viewCases, outcomes: [Self.go("done")])
        #expect(Self.error([a, Self.done]) == nil)

        #expect(Self.error([a, Self.done], initial: "start") == .unknownInitial("start"))
        #expect(Self.error([a, Self.done, Self.done]) == .duplicateStep("done"))
        #expect(
            Self.error([Step(id: "a", label: "A", outcomes: [Self.go("nowhere")]), Self.done])
                == .unknownTarget(step: "a", outcome: "go", target: "nowhere"))
        #expect(
            Self.error([a, Step(id: "done", label: "Xong", kind: .final, outcomes: [Self.go("a")])])
                == .finalStepWithOutcomes("done"))
        #expect(
            Self.error([a, Step(id: "done", label: "Xong", kind: .final, workingDayLimit: 1)])
                == .finalStepWithLimit("done"))
        #expect(
            Self.error([
                Step(id: "a", label: "A", outcomes: [Self.go("done"), Self.go("b", id: "wait")]),
                Step(id: "b", label: "B", kind: .paused), Self.done,
            ]) == .stepWithoutOutcomes("b"))
        #expect(Self.error([Step(id: "a", label: "A"), Self.done]) == .stepWithoutOutcomes("a"))
        #expect(
            Self.error([Step(id: "a", label: "A", outcomes: [Self.go("done"), Self.go("a")]), Self.done])
                == .duplicateOutcome(step: "a", outcome: "go"))
        for limit in [0, -1] {
            #expect(
                Self.error([Step(id: "a", label: "A", workingDayLimit: limit, outcomes: [Self.go("done")]), Self.done])
                    == .invalidWorkingDayLimit(step: "a", limit: limit))
        }
        #expect(
            Self.error([a, Self.done, Step(id: "orphan", label: "Mồ côi", kind: .final)]) == .unreachableStep("orphan"))
        // An unreachable loop is unreachable too (reported before it is found unable to finish).
        #expect(
            Self.error([
                a, Self.done, Step(id: "x", label: "X", outcomes: [Self.go("y")]),
                Step(id: "y", label: "Y", outcomes: [Self.go("x")]),
            ]) == .unreachableStep("x"))
        // b and c only lead to each other: an instance entering them could never finish.
        #expect(
            Self.error([
                Step(id: "a", label: "A", outcomes: [Self.go("done"), Self.go("b", id: "detour")]),
                Step(id: "b", label: "B", outcomes: [Self.go("c")]),
                Step(id: "c", label: "C", kind: .paused, outcomes: [Self.go("b")]), Self.done,
            ]) == .cannotFinish("b"))
        // No final step at all.
        #expect(Self.error([Step(id: "a", label: "A", outcomes: [Self.go("a")])]) == .cannotFinish("a"))
    }

    @Test("several problems: the first in the documented order is reported")
    func validationOrder() {
        // Duplicate step before an unknown initial.
        #expect(Self.error([Self.done, Self.done], initial: "start") == .duplicateStep("done"))
        // Unknown initial before any step's own problem.
        #expect(Self.error([Step(id: "a", label: "A"), Self.done], initial: "start") == .unknownInitial("start"))
        // Steps in order: b's problem is found before c's.
        #expect(
            Self.error([
                Step(id: "a", label: "A", outcomes: [Self.go("b")]),
                Step(id: "b", label: "B", outcomes: [Self.go("nowhere")]),
                Step(id: "c", label: "C", kind: .final, outcomes: [Self.go("a")]),
            ]) == .unknownTarget(step: "b", outcome: "go", target: "nowhere"))
        // Within a step: a duplicate outcome id is reported where it occurs, before a later unknown target.
        #expect(
            Self.error([
                Step(id: "a", label: "A", outcomes: [Self.go("done"), Self.go("done"), Self.go("x", id: "other")]),
                Self.done,
            ]) == .duplicateOutcome(step: "a", outcome: "go"))
    }

    @Test("valid shapes: a self-loop, a machine that starts finished")
    func validShapes() throws {
        // A reminder that stays on the step.
        let loop = try StepMachine(
            name: "loop", initial: "a",
            steps: [Step(id: "a", label: "A", outcomes: [Self.go("a", id: "remind"), Self.go("done")]), Self.done])
        #expect(loop.decide("remind", at: "a", by: .system, initiatorID: nil, note: nil) == .success("a"))
        // A machine that is born finished.
        let finished = try StepMachine(name: "finished", initial: "done", steps: [Self.done])
        #expect(
            finished.decide("go", at: "done", by: .system, initiatorID: nil, note: nil)
                == .failure(.alreadyFinished("done")))
        #expect(finished.outcomes(at: "done", for: .system, initiatorID: nil).isEmpty)
    }

    // MARK: Decisions (demonstration flow)

    @Test("demo flow: every (state, outcome, actor, note) against the table", arguments: DemoExpected.states)
    func demoDecisions(state: String) {
        for outcome in DemoExpected.outcomes {
            for actor in DemoActor.allCases {
                for note in Fixtures.NoteKind.allCases {
                    let result = demo.decide(
                        outcome, at: state, by: actor.actor, initiatorID: Fixtures.initiatorID,
                        note: Fixtures.note(note))
                    let expected = DemoExpected.result(state, outcome, actor, noted: note == .given)
                    #expect(result == expected, "\(state) \(outcome) by \(actor), note \(note)")
                }
            }
        }
    }

    @Test("demo flow: outcomes offered by state and actor", arguments: DemoExpected.states, DemoActor.allCases)
    func demoOffered(state: String, actor: WorkflowFixtures.DemoActor) {
        let offered = demo.outcomes(at: state, for: actor.actor, initiatorID: Fixtures.initiatorID)
        #expect(offered.map(\.id) == DemoExpected.offered[state]?[actor] ?? [])
    }

    @Test("demo table covers every outcome of every working step for every actor")
    func demoTableComplete() {
        for step in demo.steps where !step.isFinal {
            #expect(Set(DemoExpected.table[step.id]?.keys.map { $0 } ?? []) == Set(step.outcomes.map(\.id)))
            for outcome in step.outcomes {
                #expect(Set(DemoExpected.table[step.id]?[outcome.id]?.keys.map { $0 } ?? []) == Set(DemoActor.allCases))
            }
        }
    }

    @Test("a paused step's outcomes lead on like any other: review → supplement → review → approval → approved")
    func demoWalk() throws {
        let clerk = DemoActor.clerk.actor
        var state = demo.initial
        state = try demo.decide(
            "ask-supplement", at: state, by: clerk, initiatorID: Fixtures.initiatorID, note: "Thiếu bản án"
        ).get()
        #expect(demo.step(state)?.kind == .paused)
        state = try demo.decide("resume", at: state, by: .system, initiatorID: Fixtures.initiatorID, note: nil).get()
        state = try demo.decide("forward", at: state, by: clerk, initiatorID: Fixtures.initiatorID, note: nil).get()
        state = try demo.decide(
            "approve", at: state, by: DemoActor.head.actor, initiatorID: Fixtures.initiatorID, note: nil
        ).get()
        #expect(state == "approved")
        #expect(
            demo.decide("approve", at: state, by: DemoActor.head.actor, initiatorID: Fixtures.initiatorID, note: nil)
                == .failure(.alreadyFinished("approved")))
    }

    /// Whatever the machine, actor and initiator: an outcome is offered exactly when `decide` accepts it
    /// with a note.
    @Test(
        "offered outcomes and decide agree",
        arguments: ["demo", "account", "correction"])
    func offeredMatchesDecide(machineName: String) {
        let machine =
            switch machineName {
            case "demo": demo
            case "account": StepMachine.accountRequest
            default: StepMachine.caseCorrection
            }
        let outcomeIDs = Set(machine.steps.flatMap { $0.outcomes.map(\.id) }).union(["unknown"])
        let actors =
            DemoActor.allCases.map(\.actor)
            + Fixtures.ActorKind.allCases.flatMap { kind in
                [Permission.approveAccountRequests, .approveCaseCorrections].map { Fixtures.actor(kind, for: $0) }
            }
        for state in machine.steps.map(\.id) + ["unknown"] {
            for actor in actors {
                for initiatorID in [Fixtures.initiatorID, nil] {
                    let offered = Set(machine.outcomes(at: state, for: actor, initiatorID: initiatorID).map(\.id))
                    for outcome in outcomeIDs {
                        let result = machine.decide(
                            outcome, at: state, by: actor, initiatorID: initiatorID, note: "Lý do")
                        let accepted = (try? result.get()) != nil
                        #expect(offered.contains(outcome) == accepted, "\(state) \(outcome) \(actor)")
                        if case .success(let target) = result { #expect(machine.step(target) != nil) }
                    }
                }
            }
        }
    }

    @Test("a note of whitespace only counts as missing; anything else is a note")
    func notes() {
        let head = DemoActor.head.actor
        for blank in ["", " ", "\n\t", "\u{00A0}", "\u{3000}", "\r\n  "] {
            #expect(
                demo.decide("reject", at: "approval", by: head, initiatorID: nil, note: blank)
                    == .failure(.noteRequired(outcomeLabel: "Từ chối")))
        }
        for note in [".", " x ", "Không đủ căn cứ"] {
            #expect(
                demo.decide("reject", at: "approval", by: head, initiatorID: nil, note: note) == .success("rejected"))
        }
        // An outcome without `needsNote` ignores a note.
        #expect(
            demo.decide("approve", at: "approval", by: head, initiatorID: nil, note: "Đồng ý") == .success("approved"))
    }

    @Test("an actor flagged as the system is the system, whatever else it holds")
    func systemActor() {
        #expect(StepActor.system.isSystem)
        #expect(StepActor.system.id == nil)
        #expect(StepActor.system.permissions.isEmpty)
        let job = StepActor(id: Fixtures.initiatorID, permissions: [], isSystem: true)
        #expect(
            demo.decide("approve", at: "approval", by: job, initiatorID: Fixtures.initiatorID, note: nil)
                == .success("approved"))
        #expect(StepActor(id: Fixtures.holderID, permissions: []).isSystem == false)
    }

    @Test("step lookup")
    func lookup() {
        #expect(demo.step("approval")?.label == "Chờ phê duyệt")
        #expect(demo.step("awaiting-supplement")?.kind == .paused)
        #expect(demo.step("approved")?.isFinal == true)
        #expect(demo.step("review")?.isFinal == false)
        #expect(demo.step("Review") == nil)
        #expect(demo.step("") == nil)
        #expect(demo.step("review")?.outcome("forward")?.target == "approval")
        #expect(demo.step("review")?.outcome("approve") == nil)
        #expect(demo.steps.count == 5)
        #expect(StepMachine.Step.Kind.allCases == [.active, .paused, .final])
    }

    // MARK: Due dates

    /// Entered Thu 4/2/2027 10:00 (Vietnam), before Tết: under the computed 2027 defaults Fri 5/2 to
    /// Tue 9/2 are Tết and Wed 10/2, Thu 11/2 are days in lieu of the weekend Tết days, so the working
    /// days that follow are Fri 12/2, then Mon 15/2.
    @Test("demo flow due dates: per-step limits across Tết")
    func demoDueDates() {
        let calendar = WorkingCalendar()
        let start = Fixtures.instant("2027-02-04T10:00:00+07:00")
        #expect(demo.dueDate(of: "approval", enteredAt: start, calendar: calendar) == Fixtures.day(2027, 2, 12))
        #expect(demo.dueDate(of: "review", enteredAt: start, calendar: calendar) == Fixtures.day(2027, 2, 15))
        #expect(
            demo.dueInstant(of: "review", enteredAt: start, calendar: calendar)
                == Fixtures.instant("2027-02-16T00:00:00+07:00").addingTimeInterval(-0.001))
        for state in ["awaiting-supplement", "approved", "rejected", "closed"] {
            #expect(demo.dueDate(of: state, enteredAt: start, calendar: calendar) == nil)
            #expect(demo.dueInstant(of: state, enteredAt: start, calendar: calendar) == nil)
        }
        // The working calendar agrees with the hand count.
        #expect(calendar.dueDate(startingAt: start, workingDays: 2) == Fixtures.day(2027, 2, 15))
        // Across an ordinary weekend: Thu 14/1/2027 + 2 working days = Mon 18/1.
        #expect(
            demo.dueDate(of: "review", enteredAt: Fixtures.instant("2027-01-14T08:00:00+07:00"), calendar: calendar)
                == Fixtures.day(2027, 1, 18))
    }

    // MARK: Messages

    @Test("Vietnamese error messages")
    func messages() {
        #expect(WorkflowError.alreadyFinished("approved").message == "Đề nghị đã được xử lý.")
        #expect(WorkflowError.initiatorMayNotDecide.message == "Không ai được tự quyết định đề nghị của chính mình.")
        #expect(WorkflowError.noteRequired(outcomeLabel: "Từ chối").message == "Cần ghi rõ lý do khi từ chối.")
        #expect(
            WorkflowError.missingPermission(.approveAccountRequests).message
                == "Bạn cần quyền “Phê duyệt, từ chối đề nghị về tài khoản” để thực hiện thao tác này.")
        #expect(
            WorkflowError.outcomeNotAllowed(outcome: "resume", stepLabel: "Chờ phê duyệt").message
                == "Không thể thực hiện thao tác này ở bước “Chờ phê duyệt”.")
        #expect(
            WorkflowError.systemOnly(stepLabel: "Chờ bổ sung").message == "Bước “Chờ bổ sung” do hệ thống tự xử lý.")
        #expect(
            WorkflowError.unknownState("draft").message
                == "Không tìm thấy bước “draft” trong quy trình; vui lòng báo quản trị hệ thống.")
        let all: [WorkflowError] = [
            .unknownState("x"), .alreadyFinished("x"), .outcomeNotAllowed(outcome: "x", stepLabel: "X"),
            .missingPermission(.viewCases), .initiatorMayNotDecide, .noteRequired(outcomeLabel: "X"),
            .systemOnly(stepLabel: "X"),
        ]
        for error in all {
            #expect(!error.message.isEmpty)
            #expect(error.description == error.message)
        }
        #expect(Set(all.map(\.message)).count == all.count)

        let problems: [StepMachineError] = [
            .unknownInitial("a"), .duplicateStep("a"), .unknownTarget(step: "a", outcome: "b", target: "c"),
            .finalStepWithOutcomes("a"), .finalStepWithLimit("a"), .stepWithoutOutcomes("a"),
            .duplicateOutcome(step: "a", outcome: "b"), .invalidWorkingDayLimit(step: "a", limit: 0),
            .unreachableStep("a"), .cannotFinish("a"),
        ]
        #expect(Set(problems.map(\.description)).count == problems.count)
        #expect(
            StepMachineError.unknownTarget(step: "a", outcome: "b", target: "c").description
                == "outcome 'b' of step 'a' leads to unknown step 'c'")
    }
}
