/// The four account classes of Regulation 000 Art. 8.1 (a–d).
public enum AccountClass: String, Sendable, Codable, CaseIterable, Hashable {
    case centralAdmin
    case localAdmin
    case internalUser
    case externalUser
    /// A technician who runs the platform (backups, monitoring, incidents) and sees no unit's records (J7); the
    /// operations pages open only after they accept the confidentiality commitment.
    case technicalOperator

    public var label: String {
        switch self {
        case .centralAdmin: "Quản trị Cục"
        case .localAdmin: "Quản trị địa phương"
        case .internalUser: "Người dùng nội bộ"
        case .externalUser: "Người dùng ngoài hệ thống"
        case .technicalOperator: "Kỹ thuật viên vận hành"
        }
    }

    public var isAdmin: Bool { self == .centralAdmin || self == .localAdmin }

    public var displayName: String { label }
}

/// Business roles (A5). An account holds one or more; admin powers come from the account class.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    case enforcementOfficer
    case verifier
    case secretary
    case recordsClerk
    case onlineSupportOfficer
    case head
    case statisticsOfficer
    case accountant
    case inspector
    case externalReader

    public var label: String {
        switch self {
        case .enforcementOfficer: "Chấp hành viên"
        case .verifier: "Thẩm tra viên"
        case .secretary: "Thư ký"
        case .recordsClerk: "Văn thư"
        case .onlineSupportOfficer: "Công chức hỗ trợ trực tuyến"
        case .head: "Thủ trưởng / Lãnh đạo"
        case .statisticsOfficer: "Cán bộ thống kê"
        case .accountant: "Kế toán"
        case .inspector: "Thanh tra / Kiểm tra"
        case .externalReader: "Người xem (ngoài hệ thống)"
        }
    }

    /// Roles an account of a class may hold: external accounts only read.
    public static func allowed(for accountClass: AccountClass) -> [Role] {
        switch accountClass {
        case .externalUser: [.externalReader]
        case .centralAdmin, .localAdmin, .technicalOperator: []
        case .internalUser: allCases.filter { $0 != .externalReader }
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
