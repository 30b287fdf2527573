/// The status of one enforcement case (one enforcement decision = one case; DOMAIN.md, "A case and
/// its lifecycle").
///
/// The voluntary payment period and the verification of means are deadlines of an accepted case,
/// not statuses: the case stays `accepted` until verification classifies it. The statuses follow the
/// statistics (Circular 05/2024/TT-BTP): "total to enforce = with conditions + without conditions";
/// postponed and suspended cases are open, completed/terminated cases are closed.
public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    /// Accepted (thụ lý): the enforcement decision is issued; voluntary period and verification run.
    case accepted
    /// With conditions to enforce (có điều kiện thi hành), after verification found means.
    case withConditions
    /// Without conditions to enforce (chưa có điều kiện thi hành), by the no-conditions decision.
    case withoutConditions
    /// Postponed (hoãn thi hành án).
    case postponed
    /// Suspended (tạm đình chỉ thi hành án).
    case suspended
    /// Terminated (đình chỉ thi hành án).
    case terminated
    /// Enforcement request returned (trả đơn yêu cầu thi hành án).
    case requestReturned
    /// Transferred to another enforcement body (ủy thác): a new case there, closed here.
    case transferred
    /// Completed (thi hành xong).
    case completed

    /// Vietnamese label, as shown in the UI.
    public var label: String {
        switch self {
        case .accepted: "Đã thụ lý"
        case .withConditions: "Có điều kiện thi hành"
        case .withoutConditions: "Chưa có điều kiện thi hành"
        case .postponed: "Hoãn thi hành án"
        case .suspended: "Tạm đình chỉ thi hành án"
        case .terminated: "Đình chỉ thi hành án"
        case .requestReturned: "Trả đơn yêu cầu thi hành án"
        case .transferred: "Ủy thác thi hành án"
        case .completed: "Thi hành xong"
        }
    }

    /// True when nothing more happens to the case at this body (terminated, request returned,
    /// transferred, completed). A case without conditions stays open: it is re-verified and goes back
    /// to `withConditions` when means are found.
    public var isClosed: Bool {
        switch self {
        case .terminated, .requestReturned, .transferred, .completed: true
        case .accepted, .withConditions, .withoutConditions, .postponed, .suspended: false
        }
    }

    /// True while enforcement is paused by a decision (postponed, suspended); a resumption decision
    /// returns the case to the running status it had before.
    public var isPaused: Bool { self == .postponed || self == .suspended }

    /// True for the statuses a paused case can return to (accepted, with or without conditions).
    public var isRunning: Bool { !isClosed && !isPaused }
}

/// The kinds of decision that open a case or change its status.
public enum CaseDecisionKind: String, Sendable, Codable, CaseIterable {
    /// Quyết định thi hành án: opens a new case (status `accepted`).
    case enforcement
    /// Quyết định hoãn thi hành án.
    case postponement
    /// Quyết định tạm đình chỉ thi hành án.
    case suspension
    /// Quyết định tiếp tục thi hành án: ends a postponement or suspension.
    case resumption
    /// Quyết định đình chỉ thi hành án.
    case termination
    /// Quyết định trả đơn yêu cầu thi hành án (cases started on request only).
    case returnOfRequest
    /// Quyết định ủy thác thi hành án.
    case transfer
    /// Quyết định về việc chưa có điều kiện thi hành án.
    case noConditions
    /// Xác nhận kết quả thi hành án: the obligation is fully enforced.
    case completion

    /// Vietnamese label (the decision's title).
    public var label: String {
        switch self {
        case .enforcement: "Quyết định thi hành án"
        case .postponement: "Quyết định hoãn thi hành án"
        case .suspension: "Quyết định tạm đình chỉ thi hành án"
        case .resumption: "Quyết định tiếp tục thi hành án"
        case .termination: "Quyết định đình chỉ thi hành án"
        case .returnOfRequest: "Quyết định trả đơn yêu cầu thi hành án"
        case .transfer: "Quyết định ủy thác thi hành án"
        case .noConditions: "Quyết định về việc chưa có điều kiện thi hành án"
        case .completion: "Xác nhận thi hành xong"
        }
    }
}

/// The outcome of a verification of the debtor's means (xác minh điều kiện thi hành án).
public enum VerificationOutcome: String, Sendable, Codable, CaseIterable {
    /// The debtor has income or assets to enforce against (có điều kiện).
    case meansFound
    /// No means found (chưa có điều kiện): grounds for a no-conditions decision, not a status change.
    case noMeans

    /// Vietnamese label.
    public var label: String {
        switch self {
        case .meansFound: "Xác minh: có điều kiện thi hành"
        case .noMeans: "Xác minh: chưa có điều kiện thi hành"
        }
    }
}

/// Something that may change a case's status: a decision, or a verification result.
public enum CaseEvent: Sendable, Codable, Hashable {
    case decision(CaseDecisionKind)
    case verification(VerificationOutcome)

    /// Vietnamese label.
    public var label: String {
        switch self {
        case .decision(let kind): kind.label
        case .verification(let outcome): outcome.label
        }
    }
}
