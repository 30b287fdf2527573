/// Why an event cannot be applied to a case.
public enum TransitionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The case is closed (terminated, request returned, transferred, completed).
    case caseClosed(CaseStatus, CaseEvent)
    /// The enforcement decision opens a new case; it does not change an existing one.
    case enforcementOpensNewCase(CaseStatus)
    /// Only the enforcement decision opens a case.
    case notAnOpeningDecision(CaseDecisionKind)
    /// The event is not allowed from this (open) status.
    case notAllowed(CaseStatus, CaseEvent)
    /// A resumption needs the running status the case had before its postponement or suspension.
    case missingPreviousStatus(CaseStatus)
    /// The given previous status is not one the case can have come from.
    case invalidPreviousStatus(CaseStatus, previous: CaseStatus)

    /// Vietnamese message for the user.
    public var message: String {
        switch self {
        case .caseClosed(let status, let event):
            "Hồ sơ đã kết thúc (\(status.label)): không thể áp dụng \(event.label.lowercasedFirst)."
        case .enforcementOpensNewCase(let status):
            "Quyết định thi hành án mở một hồ sơ mới; không áp dụng cho hồ sơ đang ở trạng thái "
                + "\(status.label.lowercasedFirst)."
        case .notAnOpeningDecision(let kind):
            "Hồ sơ thi hành án chỉ được mở bằng quyết định thi hành án, không bằng "
                + "\(kind.label.lowercasedFirst)."
        case .notAllowed(let status, let event):
            "Không thể áp dụng \(event.label.lowercasedFirst) khi hồ sơ đang ở trạng thái "
                + "\(status.label.lowercasedFirst)."
        case .missingPreviousStatus(let status):
            "Quyết định tiếp tục thi hành án cần biết trạng thái của hồ sơ trước khi "
                + "\(status.label.lowercasedFirst)."
        case .invalidPreviousStatus(let status, let previous):
            "Hồ sơ không thể chuyển từ trạng thái \(previous.label.lowercasedFirst) sang "
                + "\(status.label.lowercasedFirst), nên không thể tiếp tục về trạng thái đó."
        }
    }

    public var description: String { message }
}

/// The allowed status changes of a case and the event each needs.
///
/// Transitions by decision (`—` = not allowed; closed statuses allow nothing):
///
/// | from \ by        | postpone  | suspend   | resume | terminate  | return   | transfer    | no cond. | complete  |
/// |------------------|-----------|-----------|--------|------------|----------|-------------|----------|-----------|
/// | accepted         | postponed | suspended | —      | terminated | returned | transferred | without  | completed |
/// | withConditions   | postponed | suspended | —      | terminated | returned | transferred | without  | completed |
/// | withoutConditions| —         | suspended | —      | terminated | returned | transferred | —        | —         |
/// | postponed        | —         | suspended | before | terminated | returned | —           | —        | —         |
/// | suspended        | —         | —         | before | terminated | —        | —           | —        | —         |
///
/// - The enforcement decision opens a case (`start(by:)` → `accepted`) and changes no existing one.
/// - Resumption returns a paused case to the running status it had before (`previousActive`): one
///   from which the pausing decision was allowed (a suspended case that was postponed first resumes
///   to the running status before the postponement).
/// - Completion only from `accepted`/`withConditions` (statistics count completed cases within "with
///   conditions"); a case without conditions first goes back to `withConditions`.
/// - Verification events: means found moves `accepted` and `withoutConditions` (new information) to
///   `withConditions` and keeps `withConditions`; no means found changes nothing (the no-conditions
///   decision does). Neither applies to paused or closed cases.
/// - Whether a request may be returned also depends on the case having started on request; that is
///   the caller's check. The grounds of each decision are [unverified] against the law's text.
public enum CaseLifecycle {
    /// The status of a case opened by an enforcement decision.
    public static let initialStatus: CaseStatus = .accepted

    /// The status of a new case opened by `decision` (only the enforcement decision opens one).
    public static func start(by decision: CaseDecisionKind) -> Result<CaseStatus, TransitionError> {
        decision == .enforcement ? .success(initialStatus) : .failure(.notAnOpeningDecision(decision))
    }

    /// The status after `decision`, from `status`. A resumption needs `previousActive`: the running
    /// status the case had before it was postponed or suspended.
    public static func transition(
        from status: CaseStatus, by decision: CaseDecisionKind, previousActive: CaseStatus? = nil
    ) -> Result<CaseStatus, TransitionError> {
        apply(.decision(decision), to: status, previousActive: previousActive)
    }

    /// The status after `event`, from `status` (see the type's documentation for the table).
    public static func apply(
        _ event: CaseEvent, to status: CaseStatus, previousActive: CaseStatus? = nil
    ) -> Result<CaseStatus, TransitionError> {
        if status.isClosed { return .failure(.caseClosed(status, event)) }
        switch event {
        case .decision(.enforcement):
            return .failure(.enforcementOpensNewCase(status))
        case .decision(.resumption):
            guard status.isPaused else { return .failure(.notAllowed(status, event)) }
            guard let previous = previousActive else { return .failure(.missingPreviousStatus(status)) }
            guard canResume(status, to: previous) else {
                return .failure(.invalidPreviousStatus(status, previous: previous))
            }
            return .success(previous)
        case .decision(let kind):
            guard let target = decisionTargets[status]?[kind] else {
                return .failure(.notAllowed(status, event))
            }
            return .success(target)
        case .verification(let outcome):
            guard let target = verificationTargets[status]?[outcome] else {
                return .failure(.notAllowed(status, event))
            }
            return .success(target)
        }
    }

    /// The decisions that can change a case in `status`, in `CaseDecisionKind.allCases` order
    /// (resumption is listed for paused statuses; it needs the previous running status).
    public static func allowedDecisions(from status: CaseStatus) -> [CaseDecisionKind] {
        CaseDecisionKind.allCases.filter { kind in
            if status.isClosed || kind == .enforcement { return false }
            if kind == .resumption { return !resumptionTargets(from: status).isEmpty }
            return decisionTargets[status]?[kind] != nil
        }
    }

    /// The running statuses a case in `status` can be resumed to (empty unless paused).
    public static func resumptionTargets(from status: CaseStatus) -> [CaseStatus] {
        CaseStatus.allCases.filter { canResume(status, to: $0) }
    }

    /// The verification outcomes that apply to a case in `status`.
    public static func allowedVerifications(from status: CaseStatus) -> [VerificationOutcome] {
        VerificationOutcome.allCases.filter { verificationTargets[status]?[$0] != nil }
    }

    // MARK: Tables

    /// Decision → target, by status (resumption and enforcement are handled separately).
    private static let decisionTargets: [CaseStatus: [CaseDecisionKind: CaseStatus]] = {
        let runningWithMeans: [CaseDecisionKind: CaseStatus] = [
            .postponement: .postponed, .suspension: .suspended, .termination: .terminated,
            .returnOfRequest: .requestReturned, .transfer: .transferred, .noConditions: .withoutConditions,
            .completion: .completed,
        ]
        return [
            .accepted: runningWithMeans,
            .withConditions: runningWithMeans,
            .withoutConditions: [
                .suspension: .suspended, .termination: .terminated, .returnOfRequest: .requestReturned,
                .transfer: .transferred,
            ],
            .postponed: [.suspension: .suspended, .termination: .terminated, .returnOfRequest: .requestReturned],
            .suspended: [.termination: .terminated],
        ]
    }()

    /// Verification outcome → target, by status.
    private static let verificationTargets: [CaseStatus: [VerificationOutcome: CaseStatus]] = [
        .accepted: [.meansFound: .withConditions, .noMeans: .accepted],
        .withConditions: [.meansFound: .withConditions, .noMeans: .withConditions],
        .withoutConditions: [.meansFound: .withConditions, .noMeans: .withoutConditions],
    ]

    /// Whether a case in paused `status` can be resumed to running `previous`: the pausing decision
    /// was allowed from `previous` (directly, or through a postponement for a suspended case).
    private static func canResume(_ status: CaseStatus, to previous: CaseStatus) -> Bool {
        guard status.isPaused, previous.isRunning else { return false }
        let pausing: CaseDecisionKind = status == .postponed ? .postponement : .suspension
        if decisionTargets[previous]?[pausing] == status { return true }
        return status == .suspended && decisionTargets[previous]?[.postponement] == .postponed
    }
}

/// A case's status together with the running status to resume to while paused, so that events can
/// be applied one after another without passing the previous status by hand.
public struct CaseState: Sendable, Codable, Hashable {
    public private(set) var status: CaseStatus
    /// The running status before the current postponement or suspension (nil unless paused).
    public private(set) var resumeStatus: CaseStatus?

    /// A new case, opened by an enforcement decision.
    public init() {
        self.status = CaseLifecycle.initialStatus
        self.resumeStatus = nil
    }

    /// A case in `status`; `resumeStatus` is required for a resumption to succeed when paused.
    public init(status: CaseStatus, resumeStatus: CaseStatus? = nil) {
        self.status = status
        self.resumeStatus = status.isPaused ? resumeStatus : nil
    }

    /// The state after `event`.
    public func applying(_ event: CaseEvent) -> Result<CaseState, TransitionError> {
        CaseLifecycle.apply(event, to: status, previousActive: resumeStatus).map { next in
            if next.isPaused {
                // Keep the running status of the first pause (postponed → suspended keeps it).
                return CaseState(status: next, resumeStatus: status.isRunning ? status : resumeStatus)
            }
            return CaseState(status: next)
        }
    }

    /// The state after `decision`.
    public func applying(_ decision: CaseDecisionKind) -> Result<CaseState, TransitionError> {
        applying(.decision(decision))
    }
}

extension String {
    /// The string with its first character lowercased ("Quyết định…" → "quyết định…").
    fileprivate var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
