import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Changing one's own password (A6): policy, no reuse of the last five, every session ended.
enum PasswordChange {
    enum Result {
        case failure([String: String])
        case success(sessionToken: String)
    }

    static func change(account: Account, current: String, new: String, confirm: String, req: Request) async throws
        -> Result
    {
        var errors: [String: String] = [:]
        if let hash = account.passwordHash, !(try await req.application.verifyPassword(current, against: hash)) {
            errors["current"] = "Mật khẩu hiện tại không đúng."
            try await LoginService.registerWrongSecret(account: account, reason: "wrongPasswordOnChange", req: req)
        }
        if new != confirm { errors["confirm"] = "Mật khẩu nhập lại không khớp." }
        let problems = req.application.passwordPolicy.validate(
            new, isAdmin: account.isAdmin, username: account.username, fullName: account.fullName, email: account.email)
        if !problems.isEmpty { errors["new"] = problems.map(\.message).joined(separator: " ") }
        if errors["new"] == nil, try await isReused(new, account: account, req: req) {
            errors["new"] =
                "Không được dùng lại một trong \(PasswordReusePolicy.rememberedPasswords) mật khẩu gần nhất."
        }
        if !errors.isEmpty { return .failure(errors) }

        let newHash = try await req.application.hashPassword(new)
        let mfaPassed = req.currentUser?.session.mfaPassed ?? false
        let token = try await req.write { db in
            try await AccountPasswords.store(hash: newHash, for: account, mustChange: false, on: db)
            _ = try await SessionStore.endAll(accountID: account.id!, reason: "đổi mật khẩu", on: db)
            try await req.audit(
                AuditEntry(
                    action: "password.changed", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID),
                on: db)
            return try await SessionStore.start(for: account, mfaPassed: mfaPassed, req: req, on: db)
        }
        return .success(sessionToken: token)
    }

    static func isReused(_ password: String, account: Account, req: Request) async throws -> Bool {
        let recent = try await PasswordHistoryEntry.query(on: req.db)
            .filter(\.$accountID == account.id!)
            .sort(\.$createdAt, .descending)
            .limit(PasswordReusePolicy.rememberedPasswords)
            .all(\.$passwordHash)
        for hash in recent where try await req.application.verifyPassword(password, against: hash) {
            return true
        }
        return false
    }
}

/// Setting a password hash, shared by the user's own change, admin resets and new accounts.
enum AccountPasswords {
    static func store(hash: String, for account: Account, mustChange: Bool, on db: any Database) async throws {
        account.passwordHash = hash
        account.passwordChangedAt = Date()
        account.mustChangePassword = mustChange
        account.expiryReminderSentAt = nil
        try await account.save(on: db)
        try await PasswordHistoryEntry(accountID: account.id!, passwordHash: hash, createdAt: Date()).create(on: db)
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
