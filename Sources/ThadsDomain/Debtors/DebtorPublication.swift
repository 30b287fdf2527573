/// What the public portal shows of a debtor without conditions — the fields DOMAIN.md lists (Decree 62/2015, Circular
/// 04/2023/TT-BTP), and nothing more: never an ID number, never the creditor.
public struct PublishedDebtor: Sendable, Hashable, Codable {
    public var name: String
    public var birthYear: Int?
    public var address: String
    /// "Bản án số … ngày … của …".
    public var judgment: String
    /// "Quyết định thi hành án số … ngày …".
    public var enforcementDecision: String
    /// What the debtor must do, and how much of it is still owed.
    public var obligation: String
    public var outstanding: Int64
    /// The reason for no conditions (the ground's name).
    public var reason: String
    public var decisionNumber: String
    public var decidedOn: LocalDate

    public init(
        name: String, birthYear: Int?, address: String, judgment: String, enforcementDecision: String,
        obligation: String, outstanding: Int64, reason: String, decisionNumber: String, decidedOn: LocalDate
    ) {
        self.name = name
        self.birthYear = birthYear
        self.address = address
        self.judgment = judgment
        self.enforcementDecision = enforcementDecision
        self.obligation = obligation
        self.outstanding = outstanding
        self.reason = reason
        self.decisionNumber = decisionNumber
        self.decidedOn = decidedOn
    }
}

/// When a case's debtor belongs on the portal, and why it comes down.
public enum PublicationRule {
    /// Listed while the case stands without conditions under a no-conditions decision.
    public static func isListed(status: CaseStatus, hasNoConditionsDecision: Bool) -> Bool {
        status == .withoutConditions && hasNoConditionsDecision
    }

    /// Why an entry comes down when the case moves to `status`, in Vietnamese (for the publication log).
    public static func withdrawalCause(_ status: CaseStatus) -> String {
        switch status {
        case .withConditions: "Người phải thi hành án có điều kiện thi hành (có thông tin mới về thu nhập, tài sản)"
        case .completed: "Thi hành xong"
        case .terminated: "Đình chỉ thi hành án"
        case .requestReturned: "Trả đơn yêu cầu thi hành án"
        case .transferred: "Ủy thác thi hành án cho cơ quan khác"
        case .postponed: "Hoãn thi hành án"
        case .suspended: "Tạm đình chỉ thi hành án"
        case .accepted, .withoutConditions: "Không còn quyết định về việc chưa có điều kiện thi hành án"
        }
    }
}
