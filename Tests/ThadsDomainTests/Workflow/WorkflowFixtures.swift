import Foundation
import ThadsDomain

/// Shared by the workflow tests: actors, notes, instants and the expected-result rows. Kept in one
/// namespace so that nothing collides with helpers elsewhere in the test target.
enum WorkflowFixtures {
    static let initiatorID = UUID(uuidString: "00000000-0000-0000-0000-00000000a001")!
    static let holderID = UUID(uuidString: "00000000-0000-0000-0000-00000000a002")!
    static let otherID = UUID(uuidString: "00000000-0000-0000-0000-00000000a003")!

    /// Who acts in an approval flow whose step needs one permission.
    enum ActorKind: String, CaseIterable, Sendable {
        /// Holds the permission; did not start the instance.
        case holder
        /// Holds every permission except the step's one (another flow's permission must not count).
        case nonHolder
        /// Holds the permission and started the instance.
        case initiator
        case system
    }

    enum NoteKind: String, CaseIterable, Sendable {
        case given
        case missing
        /// Only whitespace, which counts as missing.
        case blank
    }

    static func actor(_ kind: ActorKind, for permission: Permission) -> StepActor {
        switch kind {
        case .holder: StepActor(id: holderID, permissions: [permission, .viewCases])
        case .nonHolder: StepActor(id: otherID, permissions: Set(Permission.allCases).subtracting([permission]))
        case .initiator: StepActor(id: initiatorID, permissions: [permission, .viewCases])
        case .system: .system
        }
    }

    static func note(_ kind: NoteKind) -> String? {
        switch kind {
        case .given: "Thiếu giấy tờ kèm theo"
        case .missing: nil
        case .blank: " \t\n\u{00A0}\u{3000}"
        }
    }

    /// An instant written in ISO 8601 with its offset, e.g. "2027-02-04T10:00:00+07:00" (independent
    /// of `LocalDate`'s own time-zone code).
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    static func day(_ year: Int, _ month: Int, _ day: Int) -> LocalDate {
        LocalDate(year: year, month: month, day: day)!
    }
}

/// One expected decision: the result with a note, and without one (nil or only whitespace).
struct DecisionRow: Sendable {
    let state: String
    let outcome: String
    let actor: WorkflowFixtures.ActorKind
    let withNote: Result<String, WorkflowError>
    let withoutNote: Result<String, WorkflowError>

    /// `withoutNote` defaults to `withNote`: most refusals come before the note is looked at.
    init(
        _ state: String, _ outcome: String, _ actor: WorkflowFixtures.ActorKind,
        _ withNote: Result<String, WorkflowError>, _ withoutNote: Result<String, WorkflowError>? = nil
    ) {
        self.state = state
        self.outcome = outcome
        self.actor = actor
        self.withNote = withNote
        self.withoutNote = withoutNote ?? withNote
    }

    func expected(for note: WorkflowFixtures.NoteKind) -> Result<String, WorkflowError> {
        note == .given ? withNote : withoutNote
    }
}

extension WorkflowFixtures {
    /// A demonstration flow that exercises every rule: a clerk reviews (2 working days) and forwards to
    /// the head or asks for documents; waiting for documents is a paused, system-only step (the portal
    /// resumes it when the citizen uploads, a job expires it); the head approves, rejects or returns
    /// (1 working day), and only returning is open to whoever started the instance.
    static let demo: StepMachine = try! StepMachine(
        name: "demo",
        initial: "review",
        steps: [
            StepMachine.Step(
                id: "review", label: "Chờ xem xét", actor: .enterCaseData, workingDayLimit: 2,
                outcomes: [
                    StepMachine.Outcome(
                        id: "forward", label: "Trình phê duyệt", target: "approval", initiatorMayTake: true),
                    StepMachine.Outcome(
                        id: "ask-supplement", label: "Yêu cầu bổ sung", target: "awaiting-supplement",
                        needsNote: true, initiatorMayTake: true),
                ]),
            StepMachine.Step(
                id: "awaiting-supplement", label: "Chờ bổ sung", kind: .paused,
                outcomes: [
                    StepMachine.Outcome(
                        id: "resume", label: "Tiếp tục xử lý", target: "review", initiatorMayTake: true),
                    StepMachine.Outcome(
                        id: "expire", label: "Hết hạn bổ sung", target: "rejected", needsNote: true,
                        initiatorMayTake: true),
                ]),
            StepMachine.Step(
                id: "approval", label: "Chờ phê duyệt", actor: .approveCaseCorrections, workingDayLimit: 1,
                outcomes: [
                    StepMachine.Outcome(id: "approve", label: "Phê duyệt", target: "approved", initiatorMayTake: false),
                    StepMachine.Outcome(
                        id: "reject", label: "Từ chối", target: "rejected", needsNote: true, initiatorMayTake: false),
                    StepMachine.Outcome(
                        id: "return", label: "Trả lại", target: "review", needsNote: true, initiatorMayTake: true),
                ]),
            StepMachine.Step(id: "approved", label: "Đã phê duyệt", kind: .final),
            StepMachine.Step(id: "rejected", label: "Đã từ chối", kind: .final),
        ])

    /// The people of the demonstration flow.
    enum DemoActor: String, CaseIterable, Sendable {
        /// Holds `enterCaseData` only (of the two the flow uses).
        case clerk
        /// Holds `approveCaseCorrections` only.
        case head
        /// Holds both and started the instance.
        case initiator
        /// Holds every other permission.
        case outsider
        case system

        var actor: StepActor {
            switch self {
            case .clerk: StepActor(id: holderID, permissions: [.enterCaseData, .viewCases])
            case .head: StepActor(id: otherID, permissions: [.approveCaseCorrections, .viewCases])
            case .initiator: StepActor(id: initiatorID, permissions: [.enterCaseData, .approveCaseCorrections])
            case .outsider:
                StepActor(
                    id: outsiderID,
                    permissions: Set(Permission.allCases).subtracting([.enterCaseData, .approveCaseCorrections]))
            case .system: .system
            }
        }
    }

    static let outsiderID = UUID(uuidString: "00000000-0000-0000-0000-00000000a004")!
}
