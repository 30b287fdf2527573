import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Writing an account: its fields from a snapshot, and its password hash. Shared by the user's own change, admin
/// resets, approved requests, new accounts and the first admin.
enum AccountWrites {
    /// Writes `after` onto `account` (and its granted units), creating it when new.
    static func apply(_ after: Account.Snapshot, to account: Account, isNew: Bool, on db: any Database) async throws {
        account.username = after.username
        account.fullName = VietnameseText.nfc(after.fullName)
        account.fullNameFolded = VietnameseText.fold(after.fullName)
        account.email = after.email
        account.position = after.position
        account.accountClass = AccountClass(rawValue: after.accountClass) ?? account.accountClass
        account.unitID = after.unitID
        account.roles = Set(after.roles.compactMap(Role.init(rawValue:)))
        account.status = AccountStatus(rawValue: after.status) ?? account.status
        account.externalValidUntil = after.externalValidUntil
        if isNew {
            account.mustChangePassword = true
            account.failedLogins = 0
            account.lockCount = 0
            account.mfaEnabled = false
            try await account.create(on: db)
        } else {
            try await account.save(on: db)
        }
        if let grants = after.grantedUnitIDs {
            try await AccountGrant.query(on: db).filter(\.$accountID == account.id!).delete()
            for unitID in grants { try await AccountGrant(accountID: account.id!, unitID: unitID).create(on: db) }
        }
    }

    static func store(hash: String, for account: Account, mustChange: Bool, at now: Date, on db: any Database)
        async throws
    {
        account.passwordHash = hash
        account.passwordChangedAt = now
        account.mustChangePassword = mustChange
        account.expiryReminderSentAt = nil
        try await account.save(on: db)
        try await PasswordHistoryEntry(accountID: account.id!, passwordHash: hash, createdAt: now).create(on: db)
    }

    /// Replaces the password with one nobody knows (see `unknownPasswordHash`): the owner sets theirs through a
    /// mailed link. Not kept in the history, since no one can ever type it.
    static func storeUnknown(hash: String, for account: Account, at now: Date, on db: any Database) async throws {
        account.passwordHash = hash
        account.passwordChangedAt = now
        account.mustChangePassword = false
        account.expiryReminderSentAt = nil
        try await account.save(on: db)
    }

    /// A random one-time password that satisfies the admin policy; it must be changed at first login.
    static func generateOneTimePassword() -> String {
        let lower = Array("abcdefghijkmnpqrstuvwxyz")
        let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        let digits = Array("23456789")
        let special = Array("!@#$%&*?")
        var characters = [
            lower.randomElement()!, upper.randomElement()!, digits.randomElement()!, special.randomElement()!,
        ]
        let all = lower + upper + digits + special
        while characters.count < 16 { characters.append(all.randomElement()!) }
        return String(characters.shuffled())
    }
}

extension Application {
    private struct PolicyKey: StorageKey {
        typealias Value = PasswordPolicy
    }

    /// Loaded once at start with the common-password list shipped in Resources.
    public var passwordPolicy: PasswordPolicy {
        get { storage[PolicyKey.self] ?? PasswordPolicy(commonPasswords: []) }
        set { storage[PolicyKey.self] = newValue }
    }
}
