import Foundation

public enum AccountStatus: String, Sendable, Codable, CaseIterable, Hashable {
    /// Requested by a local admin and not yet approved: cannot log in.
    case pending
    case active
    case locked
    case revoked
    /// A creation request that a central admin rejected.
    case rejected

    public var label: String {
        switch self {
        case .pending: "Chờ phê duyệt"
        case .active: "Đang hoạt động"
        case .locked: "Bị khóa"
        case .revoked: "Đã thu hồi"
        case .rejected: "Bị từ chối"
        }
    }
}

/// The changes a local admin may request for an account (A4).
public enum AccountRequestKind: String, Sendable, Codable, CaseIterable, Hashable {
    case create, edit, changeRoles, lock, unlock, revoke

    public var label: String {
        switch self {
        case .create: "Tạo tài khoản"
        case .edit: "Sửa thông tin"
        case .changeRoles: "Thay đổi vai trò"
        case .lock: "Khóa tài khoản"
        case .unlock: "Mở khóa tài khoản"
        case .revoke: "Thu hồi tài khoản"
        }
    }

    /// The status an account must be in for the request to make sense.
    public func isApplicable(to status: AccountStatus) -> Bool {
        switch self {
        case .create: status == .pending
        case .edit, .changeRoles: status == .active || status == .locked
        case .lock: status == .active
        case .unlock: status == .locked
        case .revoke: status == .active || status == .locked
        }
    }

    /// The status after approval, or nil when the status does not change.
    public var statusAfterApproval: AccountStatus? {
        switch self {
        case .create, .unlock: .active
        case .lock: .locked
        case .revoke: .revoked
        case .edit, .changeRoles: nil
        }
    }
}

/// How an administrator changes an account (seed 000 Art. 8.1 a–b, Art. 9.1): directly, by a request that a central
/// admin approves, or not at all.
public enum AccountChangePath: Sendable, Hashable {
    case direct
    case byRequest
    case refused(String)

    /// - A central admin changes admin accounts and the accounts of the central department directly (Art. 8.1.a:
    ///   "tạo, điều chỉnh, khóa, thu hồi tài khoản quản trị cấp địa phương và các tài khoản người dùng khác theo
    ///   phân cấp" — the department has no local admin to request for it), and may lock, unlock or revoke any
    ///   account at once (security response). A local body's user accounts go through its local admin.
    /// - A local admin requests changes of its own users' accounts (Art. 8.1.b, 9.1); admin accounts are not theirs.
    public static func of(
        _ kind: AccountRequestKind, actor: AccountClass, target: AccountClass, targetUnit: UnitLevel
    ) -> AccountChangePath {
        switch actor {
        case .centralAdmin:
            if target.isAdmin || [.lock, .unlock, .revoke].contains(kind) || targetUnit == .central { return .direct }
            return .refused(
                "Tài khoản người dùng của cơ quan THADS địa phương do quản trị địa phương đề nghị và quản trị Cục phê duyệt."
            )
        case .localAdmin:
            if target.isAdmin { return .refused("Tài khoản quản trị do quản trị Cục quản lý trực tiếp.") }
            if target == .technicalOperator {
                return .refused("Tài khoản kỹ thuật viên vận hành do quản trị Cục quản lý trực tiếp.")
            }
            return .byRequest
        case .internalUser, .externalUser, .technicalOperator:
            return .refused("Chỉ quản trị viên thay đổi tài khoản.")
        }
    }
}

/// Lockout (A8): 5 failures lock for 15 minutes, doubling with each repeat lock, at most 24 hours.
public struct LockoutPolicy: Sendable {
    public var threshold = 5
    public var baseDuration: TimeInterval = 15 * 60
    public var maximumDuration: TimeInterval = 24 * 3600

    public init() {}

    /// `previousLocks` is how many times the account was locked before (0 for the first lock).
    public func lockDuration(previousLocks: Int) -> TimeInterval {
        let exponent = min(max(previousLocks, 0), 16)
        return min(baseDuration * pow(2, Double(exponent)), maximumDuration)
    }
}

/// Session lifetimes: idle 30 minutes (admins 15), absolute 12 hours.
public struct SessionPolicy: Sendable {
    public var idleTimeout: TimeInterval = 30 * 60
    public var adminIdleTimeout: TimeInterval = 15 * 60
    public var absoluteTimeout: TimeInterval = 12 * 3600

    public init() {}

    public func idleTimeout(isAdmin: Bool) -> TimeInterval {
        isAdmin ? adminIdleTimeout : idleTimeout
    }

    public func isExpired(createdAt: Date, lastSeenAt: Date, now: Date, isAdmin: Bool) -> Bool {
        now.timeIntervalSince(lastSeenAt) > idleTimeout(isAdmin: isAdmin)
            || now.timeIntervalSince(createdAt) > absoluteTimeout
    }
}

/// Password age (A6): change every 180 days (admins 90), remind from 14 days before.
public struct PasswordExpiryPolicy: Sendable {
    public enum State: Sendable, Equatable {
        case valid
        case expiringSoon(daysLeft: Int)
        case expired
    }

    public var maximumAgeDays = 180
    public var adminMaximumAgeDays = 90
    public var reminderDays = 14

    public init() {}

    public func expiry(changedAt: Date, isAdmin: Bool) -> Date {
        changedAt.addingTimeInterval(Double(isAdmin ? adminMaximumAgeDays : maximumAgeDays) * 86400)
    }

    public func state(changedAt: Date, now: Date, isAdmin: Bool) -> State {
        let expiresAt = expiry(changedAt: changedAt, isAdmin: isAdmin)
        if now >= expiresAt { return .expired }
        let secondsLeft = expiresAt.timeIntervalSince(now)
        if secondsLeft <= Double(reminderDays) * 86400 {
            return .expiringSoon(daysLeft: Int((secondsLeft / 86400).rounded(.up)))
        }
        return .valid
    }
}

public enum MFAPolicy {
    /// TOTP is mandatory for admins and heads of agency (A7); available to everyone.
    public static func isRequired(accountClass: AccountClass, roles: Set<Role>) -> Bool {
        accountClass.isAdmin || accountClass == .technicalOperator || roles.contains(.head)
    }
}

public enum PasswordReusePolicy {
    public static let rememberedPasswords = 5
}
