import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// Password and second-factor checks with lockout (A8). Unknown user, wrong password, locked or
/// expired account all produce the same outcome for the caller.
enum LoginService {
    enum Outcome {
        case success(Account)
        case refused
    }

    static let lockout = LockoutPolicy()
    /// Verified against when the username is unknown, so every refusal costs the same time.
    static let dummyHash = "pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

    static func attempt(username rawUsername: String, password: String, in ctx: ActionContext) async throws -> Outcome {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        let ip = ctx.ip ?? "không rõ"
        let now = ctx.now
        let windowStart = now.addingTimeInterval(-15 * 60)
        let recentFailures = try await LoginFailure.query(on: ctx.db)
            .filter(\.$ip == ip).filter(\.$at > windowStart).count()
        let throttled = recentFailures >= ctx.settings.loginAttemptsPerIPPer15Minutes
        let account = try await Account.query(on: ctx.db).filter(\.$username == username).first()
        let hash = account?.passwordHash ?? dummyHash
        let passwordMatches = try await ctx.verifyPassword(password, against: hash)

        guard let account, !throttled else {
            try await recordFailure(
                account: account, username: username, reason: throttled ? "throttled" : "unknown", in: ctx)
            return .refused
        }
        let canSignIn =
            account.status == .active && (account.lockedUntil.map { $0 <= now } ?? true)
            && (account.externalValidUntilDate.map { $0 >= ctx.today } ?? true)
        if !canSignIn {
            try await recordFailure(account: account, username: username, reason: "notActive", in: ctx)
            return .refused
        }
        if !passwordMatches {
            try await registerWrongSecret(account: account, reason: "wrongPassword", in: ctx)
            return .refused
        }
        try await ctx.write { db in
            account.failedLogins = 0
            account.lockCount = 0
            account.lastLoginAt = now
            try await account.save(on: db)
            try await AuditLog.record(
                AuditEntry(
                    action: "login.success", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID),
                actor: AuditActor(accountID: account.id, username: account.username, unitID: account.unitID, ip: ip),
                at: ctx.now, on: db)
        }
        return .success(account)
    }

    /// A wrong password or second-factor code: counts toward the lockout.
    static func registerWrongSecret(account: Account, reason: String, in ctx: ActionContext) async throws {
        let ip = ctx.ip ?? "không rõ"
        try await ctx.write { db in
            account.failedLogins += 1
            var locked = false
            if account.failedLogins >= lockout.threshold {
                let duration = lockout.lockDuration(previousLocks: account.lockCount)
                account.lockedUntil = ctx.now.addingTimeInterval(duration)
                account.lockCount += 1
                account.failedLogins = 0
                locked = true
            }
            try await account.save(on: db)
            try await LoginFailure(ip: ip, at: ctx.now).create(on: db)
            let actor = AuditActor(accountID: account.id, username: account.username, unitID: account.unitID, ip: ip)
            try await AuditLog.record(
                AuditEntry(
                    action: "login.failure", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID, summary: reason),
                actor: actor, at: ctx.now, on: db)
            if locked {
                try await AuditLog.record(
                    AuditEntry(
                        action: "account.lockout", objectType: "account", objectID: account.id?.uuidString,
                        unitID: account.unitID,
                        summary:
                            "Khóa tạm thời đến \(Format.dateTime(account.lockedUntil)) sau \(lockout.threshold) lần sai"
                    ),
                    actor: actor, at: ctx.now, on: db)
            }
        }
    }

    private static func recordFailure(account: Account?, username: String, reason: String, in ctx: ActionContext)
        async throws
    {
        let ip = ctx.ip ?? "không rõ"
        try await ctx.write { db in
            try await LoginFailure(ip: ip, at: ctx.now).create(on: db)
            try await AuditLog.record(
                AuditEntry(
                    action: "login.failure", objectType: "account", objectID: account?.id?.uuidString,
                    unitID: account?.unitID, summary: reason,
                    after: account == nil ? AuditEntry.json(["username": String(username.prefix(64))]) : nil),
                actor: AuditActor(accountID: account?.id, username: account?.username, unitID: account?.unitID, ip: ip),
                at: ctx.now, on: db)
        }
    }

    /// Checks a TOTP code (refusing a code whose time step was already used) or an unused recovery code.
    static func verifySecondFactor(_ rawCode: String, account: Account, in ctx: ActionContext) async throws -> Bool {
        let code = rawCode.filter { !$0.isWhitespace }
        if code.count == 6, code.allSatisfy(\.isNumber) {
            guard let cipher = account.mfaSecretCipher,
                let secretText = try? ctx.keys.decrypt(cipher, purpose: "mfa"),
                let secret = Base32.decode(secretText),
                let counter = TOTP(secret: secret).matchingCounter(code, at: ctx.now, window: 1)
            else { return false }
            // A conditional update, so two requests racing with the same code cannot both pass.
            struct Row: Decodable { let id: UUID }
            let claimed = try await ctx.write { db in
                try await (try db.sql).raw(
                    """
                    UPDATE accounts SET mfa_last_counter = \(bind: counter)
                    WHERE id = \(bind: account.id!) AND (mfa_last_counter IS NULL OR mfa_last_counter < \(bind: counter))
                    RETURNING id
                    """
                ).first(decoding: Row.self)
            }
            if claimed != nil { account.mfaLastCounter = counter }
            return claimed != nil
        }
        let normalized = RecoveryCodes.normalize(code)
        let hash = ctx.keys.blindIndex(normalized, purpose: "recovery")
        guard
            let stored = try await RecoveryCode.query(on: ctx.db)
                .filter(\.$accountID == account.id!).filter(\.$codeHash == hash).filter(\.$usedAt == nil).first()
        else { return false }
        stored.usedAt = ctx.now
        try await ctx.write { db in
            try await stored.save(on: db)
            try await ctx.audit(
                AuditEntry(action: "mfa.recoveryCodeUsed", objectType: "account", objectID: account.id?.uuidString),
                on: db)
        }
        return true
    }
}
