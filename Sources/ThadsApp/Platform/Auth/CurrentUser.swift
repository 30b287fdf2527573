import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The signed-in account of a request, with its unit and data scope resolved once.
public struct CurrentUser: Sendable {
    let account: Account
    let session: UserSession
    let unit: EnforcementUnit
    let scope: DataScope
    /// Worked out once per request from the account's class and roles: every menu item and route check asks.
    let permissions: Set<Permission>
    /// The request's time, for the gates that depend on it (an expired password).
    let now: Date

    init(account: Account, session: UserSession, unit: EnforcementUnit, scope: DataScope, now: Date) {
        self.account = account
        self.session = session
        self.unit = unit
        self.scope = scope
        self.permissions = account.permissions
        self.now = now
    }

    /// What still stands between this session and the platform, as of the request's time. Worked out when asked:
    /// routes open to anyone (health checks, static files) never need it.
    var pendingGate: Gate? { Self.gate(account: account, session: session, now: now) }

    func can(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// MFA, a password change (asked for, or the password expired), MFA enrolment.
    private static func gate(account: Account, session: UserSession, now: Date) -> Gate? {
        if account.mfaEnabled && !session.mfaPassed { return .mfaPrompt }
        if account.mustChangePassword { return .passwordChange }
        if let changedAt = account.passwordChangedAt,
            PasswordExpiryPolicy().state(changedAt: changedAt, now: now, isAdmin: account.isAdmin) == .expired
        {
            return .passwordChange
        }
        if account.mfaRequired && !account.mfaEnabled { return .mfaEnrolment }
        return nil
    }

    enum Gate: Sendable {
        case mfaPrompt, passwordChange, mfaEnrolment

        var path: String {
            switch self {
            case .mfaPrompt: "/mfa"
            case .passwordChange: "/mat-khau/doi"
            case .mfaEnrolment: "/mfa/dang-ky"
            }
        }
    }
}

extension Request {
    private struct CurrentUserKey: StorageKey {
        typealias Value = CurrentUser
    }

    public internal(set) var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    /// The signed-in user, or 401 (routes behind `AccessMiddleware` always have one).
    var user: CurrentUser {
        get throws {
            guard let user = currentUser else { throw Abort(.unauthorized) }
            return user
        }
    }

    /// Throws 403 unless the user holds the permission and, when a unit is named, it is in scope.
    func authorize(_ permission: Permission, unit unitID: UUID? = nil) throws {
        let user = try self.user
        guard user.can(permission) else { throw Abort(.forbidden) }
        if let unitID, !user.scope.contains(unitID) { throw Abort(.forbidden) }
    }
}

enum DataScopeResolver {
    static func resolve(account: Account, unit: EnforcementUnit, on db: any Database) async throws -> DataScope {
        let children: [UUID]
        if unit.level == .province {
            children = try await EnforcementUnit.query(on: db).filter(\.$parentID == unit.id!).all(\.$id)
        } else {
            children = []
        }
        let grants: [UUID]
        if account.accountClass == .externalUser {
            grants = try await AccountGrant.query(on: db).filter(\.$accountID == account.id!).all(\.$unitID)
        } else {
            grants = []
        }
        return DataScope.of(
            accountClass: account.accountClass, unit: unit.ref, childUnitIDs: children, grantedUnitIDs: grants)
    }
}
