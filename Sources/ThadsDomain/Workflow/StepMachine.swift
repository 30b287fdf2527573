import Foundation

/// Who acts on a workflow instance: a person with their permissions, or the system (background jobs that
/// escalate or expire steps).
public struct StepActor: Sendable, Hashable {
    /// The person's account id; nil for the system actor.
    public let id: UUID?
    public let permissions: Set<Permission>
    public let isSystem: Bool

    public init(id: UUID?, permissions: Set<Permission>, isSystem: Bool = false) {
        self.id = id
        self.permissions = permissions
        self.isSystem = isSystem
    }

    /// The system actor: jobs, timers. It may take any outcome of any step that is not final.
    public static let system = StepActor(id: nil, permissions: [], isSystem: true)
}

/// A problem in a step machine's description. These are programming errors found when the machine is
/// built (every shipped machine is built in a test), so the texts are for developers, in English.
public enum StepMachineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The initial step is not one of the steps.
    case unknownInitial(String)
    /// Two steps share an id (ids are persisted, so they must name one step).
    case duplicateStep(String)
    /// An outcome leads to a step that does not exist.
    case unknownTarget(step: String, outcome: String, target: String)
    /// A final step lists outcomes (nothing happens after a final step).
    case finalStepWithOutcomes(String)
    /// A final step has a working-day limit (a final step takes no time).
    case finalStepWithLimit(String)
    /// A step that is not final has no outcomes: an instance entering it could never leave.
    case stepWithoutOutcomes(String)
    /// Two outcomes of one step share an id.
    case duplicateOutcome(step: String, outcome: String)
    /// A working-day limit below one day.
    case invalidWorkingDayLimit(step: String, limit: Int)
    /// No path leads from the initial step to this step.
    case unreachableStep(String)
    /// No path leads from this step to a final step: an instance entering it could never finish.
    case cannotFinish(String)

    public var description: String {
        switch self {
        case .unknownInitial(let id): "initial step '\(id)' is not a step of the machine"
        case .duplicateStep(let id): "step '\(id)' is described more than once"
        case .unknownTarget(let step, let outcome, let target):
            "outcome '\(outcome)' of step '\(step)' leads to unknown step '\(target)'"
        case .finalStepWithOutcomes(let id): "final step '\(id)' has outcomes"
        case .finalStepWithLimit(let id): "final step '\(id)' has a working-day limit"
        case .stepWithoutOutcomes(let id): "step '\(id)' is not final but has no outcomes"
        case .duplicateOutcome(let step, let outcome): "step '\(step)' has outcome '\(outcome)' more than once"
        case .invalidWorkingDayLimit(let step, let limit):
            "step '\(step)' has a working-day limit of \(limit); a limit is at least 1"
        case .unreachableStep(let id): "step '\(id)' cannot be reached from the initial step"
        case .cannotFinish(let id): "no final step can be reached from step '\(id)'"
        }
    }
}

/// Why an outcome cannot be applied to a workflow instance.
public enum WorkflowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stored state is not a step of the machine (a renamed or removed step, or corrupt data).
    case unknownState(String)
    /// The instance is in a final step.
    case alreadyFinished(String)
    /// The outcome is not one of the current step's outcomes (a stale form, or a forged request).
    case outcomeNotAllowed(outcome: String, stepLabel: String)
    /// The person lacks the permission the step requires.
    case missingPermission(Permission)
    /// Separation of duties: the person who started the instance may not take this outcome.
    case initiatorMayNotDecide
    /// The outcome needs a reason or note and none (or only whitespace) was given.
    case noteRequired(outcomeLabel: String)
    /// Only the system acts at this step.
    case systemOnly(stepLabel: String)

    /// Vietnamese message for the user.
    public var message: String {
        switch self {
        case .unknownState(let state):
            "Không tìm thấy bước “\(state)” trong quy trình; vui lòng báo quản trị hệ thống."
        case .alreadyFinished:
            "Đề nghị đã được xử lý."
        case .outcomeNotAllowed(_, let stepLabel):
            "Không thể thực hiện thao tác này ở bước “\(stepLabel)”."
        case .missingPermission(let permission):
            "Bạn cần quyền “\(permission.label)” để thực hiện thao tác này."
        case .initiatorMayNotDecide:
            "Không ai được tự quyết định đề nghị của chính mình."
        case .noteRequired(let outcomeLabel):
            "Cần ghi rõ lý do khi \(lowercasedFirst(outcomeLabel))."
        case .systemOnly(let stepLabel):
            "Bước “\(stepLabel)” do hệ thống tự xử lý."
        }
    }

    public var description: String { message }
}

/// A workflow described as data: named steps, each with the permission its actor needs, an optional
/// working-day limit, and the outcomes that lead to other steps. The machine is pure: it says which
/// outcomes an actor may take and where they lead; storing the state, racing writers, audit and
/// notifications are the Platform workflow engine's business.
///
/// Rules of `decide`, checked in this order (the first failing one is reported):
/// 1. the state must be a step of the machine (`unknownState`) and not final (`alreadyFinished`);
/// 2. the outcome must be one of that step's (`outcomeNotAllowed`);
/// 3. the system actor may take any outcome of any non-final step (jobs escalate and expire);
///    a person needs the step's `actor` permission (`missingPermission`), and a step without one is
///    the system's alone (`systemOnly`);
/// 4. an outcome with `initiatorMayTake == false` is refused to the person who started the instance
///    (`initiatorMayNotDecide`);
/// 5. an outcome with `needsNote` needs a note that is not only whitespace (`noteRequired`) — from the
///    system too: the record must say why a job rejected or expired something.
///
/// A paused step (waiting for someone outside, the clock of the instance stopped) is an ordinary step
/// here: its outcomes (e.g. "resume") follow the same rules.
public struct StepMachine: Sendable {
    public struct Step: Sendable, Hashable {
        public enum Kind: String, Sendable, CaseIterable {
            case active
            case paused
            case final
        }

        /// The persisted state name, e.g. "pending".
        public let id: String
        /// Vietnamese label, e.g. "Chờ phê duyệt".
        public let label: String
        public let kind: Kind
        /// The permission whoever acts at this step must hold (nil: only the system acts).
        public let actor: Permission?
        /// How long the step may take, in working days (nil: no limit).
        public let workingDayLimit: Int?
        public let outcomes: [Outcome]

        public init(
            id: String, label: String, kind: Kind = .active, actor: Permission? = nil, workingDayLimit: Int? = nil,
            outcomes: [Outcome] = []
        ) {
            self.id = id
            self.label = label
            self.kind = kind
            self.actor = actor
            self.workingDayLimit = workingDayLimit
            self.outcomes = outcomes
        }

        public var isFinal: Bool { kind == .final }

        /// The outcome of this step with `id`, if any.
        public func outcome(_ id: String) -> Outcome? {
            outcomes.first { $0.id == id }
        }
    }

    public struct Outcome: Sendable, Hashable {
        /// e.g. "approve".
        public let id: String
        /// Vietnamese, e.g. "Phê duyệt".
        public let label: String
        /// The step it leads to.
        public let target: String
        /// A reason or note is required (e.g. a rejection).
        public let needsNote: Bool
        /// False for separation of duties: the one who started the instance may not take it.
        public let initiatorMayTake: Bool

        /// `initiatorMayTake` has no default on purpose: whether the initiator may decide is a choice
        /// every outcome has to make visibly.
        public init(id: String, label: String, target: String, needsNote: Bool = false, initiatorMayTake: Bool) {
            self.id = id
            self.label = label
            self.target = target
            self.needsNote = needsNote
            self.initiatorMayTake = initiatorMayTake
        }
    }

    public let name: String
    public let initial: String
    public let steps: [Step]
    /// Step id → position in `steps`.
    private let positions: [String: Int]

    /// Builds a machine, refusing a description with a problem (see `StepMachineError`). Problems are
    /// looked for in this order: duplicate step ids, the initial step, each step in order (outcomes
    /// of a final step, a non-final step without outcomes, the limit, duplicate outcome ids, unknown
    /// targets), steps unreachable from the initial one, steps from which no final step is reachable.
    public init(name: String, initial: String, steps: [Step]) throws(StepMachineError) {
        var positions: [String: Int] = [:]
        for (position, step) in steps.enumerated() {
            guard positions[step.id] == nil else { throw .duplicateStep(step.id) }
            positions[step.id] = position
        }
        guard positions[initial] != nil else { throw .unknownInitial(initial) }
        for step in steps {
            if step.isFinal {
                guard step.outcomes.isEmpty else { throw .finalStepWithOutcomes(step.id) }
                guard step.workingDayLimit == nil else { throw .finalStepWithLimit(step.id) }
                continue
            }
            guard !step.outcomes.isEmpty else { throw .stepWithoutOutcomes(step.id) }
            if let limit = step.workingDayLimit, limit < 1 {
                throw .invalidWorkingDayLimit(step: step.id, limit: limit)
            }
            var seen: Set<String> = []
            for outcome in step.outcomes {
                guard seen.insert(outcome.id).inserted else {
                    throw .duplicateOutcome(step: step.id, outcome: outcome.id)
                }
                guard positions[outcome.target] != nil else {
                    throw .unknownTarget(step: step.id, outcome: outcome.id, target: outcome.target)
                }
            }
        }

        // Forward from the initial step: every step must be reachable.
        var reached: Set<String> = [initial]
        var queue = [initial]
        while let id = queue.popLast() {
            for outcome in steps[positions[id]!].outcomes {
                if reached.insert(outcome.target).inserted { queue.append(outcome.target) }
            }
        }
        if let unreachable = steps.first(where: { !reached.contains($0.id) }) {
            throw .unreachableStep(unreachable.id)
        }

        // Backward from the final steps: every step must be able to finish.
        var finishing = Set(steps.filter(\.isFinal).map(\.id))
        var grew = true
        while grew {
            grew = false
            for step in steps where !finishing.contains(step.id) {
                if step.outcomes.contains(where: { finishing.contains($0.target) }) {
                    finishing.insert(step.id)
                    grew = true
                }
            }
        }
        if let stuck = steps.first(where: { !finishing.contains($0.id) }) {
            throw .cannotFinish(stuck.id)
        }

        self.name = name
        self.initial = initial
        self.steps = steps
        self.positions = positions
    }

    /// The step with `id`, if the machine has one.
    public func step(_ id: String) -> Step? {
        positions[id].map { steps[$0] }
    }

    /// The outcomes `actor` may take at `state` (in the step's order; empty for an unknown or final
    /// state). Notes aside, exactly those `decide` accepts.
    public func outcomes(at state: String, for actor: StepActor, initiatorID: UUID?) -> [Outcome] {
        guard let step = step(state), !step.isFinal else { return [] }
        return step.outcomes.filter { refusal(of: $0, at: step, by: actor, initiatorID: initiatorID) == nil }
    }

    /// Applies an outcome; returns the new state or why not (see the type's documentation for the
    /// order of the checks).
    public func decide(
        _ outcome: String, at state: String, by actor: StepActor, initiatorID: UUID?, note: String?
    ) -> Result<String, WorkflowError> {
        guard let step = step(state) else { return .failure(.unknownState(state)) }
        guard !step.isFinal else { return .failure(.alreadyFinished(state)) }
        guard let chosen = step.outcome(outcome) else {
            return .failure(.outcomeNotAllowed(outcome: outcome, stepLabel: step.label))
        }
        if let refusal = refusal(of: chosen, at: step, by: actor, initiatorID: initiatorID) {
            return .failure(refusal)
        }
        if chosen.needsNote, note?.allSatisfy(\.isWhitespace) ?? true {
            return .failure(.noteRequired(outcomeLabel: chosen.label))
        }
        return .success(chosen.target)
    }

    /// The last day the step entered at `start` may finish on: `workingDayLimit` working days counted
    /// as `WorkingCalendar.dueDate` does (the entry day not counted; an entry on a non-working day or
    /// from 15:00 Vietnam time counts from the next working day). Nil for a step without a limit or an
    /// unknown state.
    public func dueDate(of state: String, enteredAt start: Date, calendar: WorkingCalendar) -> LocalDate? {
        guard let limit = step(state)?.workingDayLimit else { return nil }
        return calendar.dueDate(startingAt: start, workingDays: limit)
    }

    /// The instant the step entered at `start` becomes overdue: the end of `dueDate`'s day in Vietnam
    /// (`now <= due` means "still in time"), for the jobs that flag and escalate late steps.
    public func dueInstant(of state: String, enteredAt start: Date, calendar: WorkingCalendar) -> Date? {
        guard let limit = step(state)?.workingDayLimit else { return nil }
        return calendar.dueInstant(startingAt: start, workingDays: limit)
    }

    /// Why `actor` may not take `outcome` at the (non-final) `step`, notes aside; nil when they may.
    private func refusal(of outcome: Outcome, at step: Step, by actor: StepActor, initiatorID: UUID?)
        -> WorkflowError?
    {
        if actor.isSystem { return nil }
        guard let permission = step.actor else { return .systemOnly(stepLabel: step.label) }
        guard actor.permissions.contains(permission) else { return .missingPermission(permission) }
        // A person without an id cannot show they are not the initiator, so they are treated as one.
        if !outcome.initiatorMayTake, let initiatorID, actor.id == nil || actor.id == initiatorID {
            return .initiatorMayNotDecide
        }
        return nil
    }
}

/// "Từ chối" → "từ chối", for a label inside a sentence.
private func lowercasedFirst(_ text: String) -> String {
    guard let first = text.first else { return text }
    return first.lowercased() + text.dropFirst()
}
