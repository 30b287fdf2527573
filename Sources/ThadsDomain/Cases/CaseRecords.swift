import Foundation

/// How a case started (DOMAIN.md: ex officio or on request; a transfer opens a new case here).
public enum CaseStartMode: String, Sendable, Codable, CaseIterable {
    case exOfficio
    case onRequest
    case transferredIn

    public var label: String {
        switch self {
        case .exOfficio: "Chủ động"
        case .onRequest: "Theo đơn yêu cầu"
        case .transferredIn: "Nhận ủy thác"
        }
    }
}

/// A party's role in the case.
public enum PartyRole: String, Sendable, Codable, CaseIterable {
    case creditor
    case debtor
    case related

    public var label: String {
        switch self {
        case .creditor: "Người được thi hành án"
        case .debtor: "Người phải thi hành án"
        case .related: "Người có quyền lợi, nghĩa vụ liên quan"
        }
    }
}

/// A person or an organisation.
public enum PartyKind: String, Sendable, Codable, CaseIterable {
    case person
    case organisation

    public var label: String {
        switch self {
        case .person: "Cá nhân"
        case .organisation: "Cơ quan, tổ chức"
        }
    }
}

/// What an obligation asks for: money in đồng, an asset to hand over, or an act.
public enum ObligationMode: String, Sendable, Codable, CaseIterable {
    case money
    case asset
    case act

    public var label: String {
        switch self {
        case .money: "Trả tiền"
        case .asset: "Trả, giao tài sản"
        case .act: "Thực hiện hoặc không thực hiện công việc"
        }
    }
}

/// Whom an obligation is owed to.
public enum Beneficiary: String, Sendable, Codable, CaseIterable {
    case person
    case stateBudget

    public var label: String {
        switch self {
        case .person: "Người được thi hành án"
        case .stateBudget: "Ngân sách nhà nước"
        }
    }
}

/// Money collected from the debtor or paid out to the creditor or the budget.
public enum MoneyDirection: String, Sendable, Codable, CaseIterable {
    case collected
    case paidOut
    /// Money given back to the one who paid it (more than was owed, or a collection the case no longer needs); it
    /// leaves the money held like a payment to a creditor, but is booked apart.
    case returned

    public var label: String {
        switch self {
        case .collected: "Thu"
        case .paidOut: "Chi trả"
        case .returned: "Trả lại người nộp"
        }
    }
}

/// The kinds of record a case is made of; corrections, history and timeliness name them.
public enum CaseRecordKind: String, Sendable, Codable, CaseIterable {
    case judgment
    case caseFile
    case party
    case obligation
    case decision
    case verification
    case money

    public var label: String {
        switch self {
        case .judgment: "Bản án, quyết định"
        case .caseFile: "Hồ sơ"
        case .party: "Đương sự"
        case .obligation: "Nghĩa vụ"
        case .decision: "Quyết định"
        case .verification: "Biên bản xác minh"
        case .money: "Thu, chi"
        }
    }
}

/// The facts of one case that the quality rules and the duty list read, independent of storage.
public struct CaseSnapshot: Sendable, Hashable {
    public struct Judgment: Sendable, Hashable {
        public var courtCode: String
        public var number: String
        public var judgmentDate: LocalDate?
        public var effectiveDate: LocalDate?
        public var receivedOn: LocalDate?
        /// For a decision applying provisional emergency measures, the instant it was received: its
        /// enforcement decision is due within hours, not working days. Nil for every other judgment.
        public var provisionalReceivedAt: Date?
        public init(
            courtCode: String, number: String, judgmentDate: LocalDate?, effectiveDate: LocalDate?,
            receivedOn: LocalDate? = nil, provisionalReceivedAt: Date? = nil
        ) {
            self.courtCode = courtCode
            self.number = number
            self.judgmentDate = judgmentDate
            self.effectiveDate = effectiveDate
            self.receivedOn = receivedOn
            self.provisionalReceivedAt = provisionalReceivedAt
        }
    }

    public struct Party: Sendable, Hashable {
        public var id: UUID
        public var role: PartyRole
        public var kind: PartyKind
        public var fullName: String
        public var birthYear: Int?
        public var hasIdentifier: Bool
        public var address: String
        public init(
            id: UUID = UUID(), role: PartyRole, kind: PartyKind, fullName: String, birthYear: Int? = nil,
            hasIdentifier: Bool = false, address: String = ""
        ) {
            self.id = id
            self.role = role
            self.kind = kind
            self.fullName = fullName
            self.birthYear = birthYear
            self.hasIdentifier = hasIdentifier
            self.address = address
        }
    }

    public struct Obligation: Sendable, Hashable {
        public var id: UUID
        public var mode: ObligationMode
        public var amount: Int64?
        public var beneficiary: Beneficiary
        public init(id: UUID = UUID(), mode: ObligationMode, amount: Int64?, beneficiary: Beneficiary) {
            self.id = id
            self.mode = mode
            self.amount = amount
            self.beneficiary = beneficiary
        }
    }

    public struct Decision: Sendable, Hashable {
        public var id: UUID
        public var kind: CaseDecisionKind
        public var decidedOn: LocalDate
        /// The day the debtor received or was notified of it (enforcement decisions).
        public var notifiedOn: LocalDate?
        /// The day the grounds for a postponement, suspension, termination, return or transfer arose.
        public var groundsOn: LocalDate?
        public init(
            id: UUID = UUID(), kind: CaseDecisionKind, decidedOn: LocalDate, notifiedOn: LocalDate? = nil,
            groundsOn: LocalDate? = nil
        ) {
            self.id = id
            self.kind = kind
            self.decidedOn = decidedOn
            self.notifiedOn = notifiedOn
            self.groundsOn = groundsOn
        }
    }

    public struct Verification: Sendable, Hashable {
        public var id: UUID
        public var verifiedOn: LocalDate
        public var outcome: VerificationOutcome
        public init(id: UUID = UUID(), verifiedOn: LocalDate, outcome: VerificationOutcome) {
            self.id = id
            self.verifiedOn = verifiedOn
            self.outcome = outcome
        }
    }

    public struct Money: Sendable, Hashable {
        public var id: UUID
        public var direction: MoneyDirection
        public var amount: Int64
        public var occurredOn: LocalDate
        public init(id: UUID = UUID(), direction: MoneyDirection, amount: Int64, occurredOn: LocalDate) {
            self.id = id
            self.direction = direction
            self.amount = amount
            self.occurredOn = occurredOn
        }
    }

    public var status: CaseStatus
    public var startMode: CaseStartMode
    public var requestReceivedOn: LocalDate?
    public var officerAssigned: Bool
    public var judgment: Judgment
    public var parties: [Party]
    public var obligations: [Obligation]
    public var decisions: [Decision]
    public var verifications: [Verification]
    public var money: [Money]

    public init(
        status: CaseStatus, startMode: CaseStartMode, requestReceivedOn: LocalDate? = nil, officerAssigned: Bool,
        judgment: Judgment, parties: [Party] = [], obligations: [Obligation] = [], decisions: [Decision] = [],
        verifications: [Verification] = [], money: [Money] = []
    ) {
        self.status = status
        self.startMode = startMode
        self.requestReceivedOn = requestReceivedOn
        self.officerAssigned = officerAssigned
        self.judgment = judgment
        self.parties = parties
        self.obligations = obligations
        self.decisions = decisions
        self.verifications = verifications
        self.money = money
    }

    /// Money owed in đồng (money obligations with an amount).
    public var amountOwed: Int64 { obligations.filter { $0.mode == .money }.compactMap(\.amount).reduce(0, +) }
    public var amountCollected: Int64 { money.filter { $0.direction == .collected }.map(\.amount).reduce(0, +) }
    public var amountPaidOut: Int64 { money.filter { $0.direction == .paidOut }.map(\.amount).reduce(0, +) }
}
