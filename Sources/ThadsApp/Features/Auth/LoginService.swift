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
        // The address's attempt is taken before anything is hashed: a throttled login costs one statement.
        let admitted = try await ctx.write { db in
            try await LoginThrottle.take(
                ip: ip, limit: ctx.settings.loginAttemptsPerIPPer15Minutes, now: now, on: db)
        }
        guard admitted else {
            try await recordFailure(account: nil, username: username, reason: "throttled", in: ctx)
            return .refused
        }
        // A name the input rule refuses belongs to no account, and PostgreSQL refuses a NUL in any statement.
        let account =
            TextInput.refusal(username, maxScalars: 100) == nil
            ? try await Account.query(on: ctx.db).filter(\.$username == username).first() : nil
        let hash = account?.passwordHash ?? dummyHash
        let passwordMatches = try await ctx.verifyPassword(password, against: hash)

        guard let account else {
            try await recordFailure(account: nil, username: username, reason: "unknown", in: ctx)
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
        let signedIn = try await ctx.write { db -> Bool in
            guard try await AccountLockout.recordSuccess(accountID: account.id!, now: now, on: db) else {
                return false
            }
            try await LoginThrottle.giveBack(ip: ip, now: now, on: db)
            try await AuditLog.record(
                AuditEntry(
                    action: "login.success", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID),
                actor: AuditActor(accountID: account.id, username: account.username, unitID: account.unitID, ip: ip),
                at: now, on: db)
            return true
        }
        guard signedIn else {
            // A parallel wrong password locked the account after it was read.
            try await recordFailure(account: account, username: username, reason: "notActive", in: ctx)
            return .refused
        }
        account.failedLogins = 0
        account.lockCount = 0
        account.lastLoginAt = now
        return .success(account)
    }

    /// A wrong password or second-factor code: counts toward the lockout. True when the account is locked now,
    /// by this failure or a parallel one.
    @discardableResult
    static func registerWrongSecret(account: Account, reason: String, in ctx: ActionContext) async throws -> Bool {
        let ip = ctx.ip ?? "không rõ"
        let now = ctx.now
        let failure = try await ctx.write { db -> AccountLockout.Failure? in
            let failure = try await AccountLockout.countFailure(
                accountID: account.id!, policy: lockout, now: now, on: db)
            let actor = AuditActor(accountID: account.id, username: account.username, unitID: account.unitID, ip: ip)
            try await AuditLog.record(
                AuditEntry(
                    action: "login.failure", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID, summary: failure == nil ? reason + ", locked" : reason),
                actor: actor, at: now, on: db)
            if let until = failure?.lockedUntil {
                try await AuditLog.record(
                    AuditEntry(
                        action: "account.lockout", objectType: "account", objectID: account.id?.uuidString,
                        unitID: account.unitID,
                        summary: "Khóa tạm thời đến \(Format.dateTime(until)) sau \(lockout.threshold) lần sai"),
                    actor: actor, at: now, on: db)
            }
            return failure
        }
        guard let failure else { return true }
        if let until = failure.lockedUntil {
            account.lockedUntil = until
            account.lockCount = failure.lockCount
            account.failedLogins = 0
            return true
        }
        return false
    }

    private static func recordFailure(account: Account?, username: String, reason: String, in ctx: ActionContext)
        async throws
    {
        let ip = ctx.ip ?? "không rõ"
        // A typed name is kept only when the input rule accepts it: a NUL or a bidi override has no place in the log.
        let shortened = String(username.unicodeScalars.prefix(64))
        let typed = TextInput.refusal(shortened, maxScalars: 64) == nil ? shortened : "(không hợp lệ)"
        try await ctx.write { db in
            try await AuditLog.record(
                AuditEntry(
                    action: "login.failure", objectType: "account", objectID: account?.id?.uuidString,
                    unitID: account?.unitID, summary: reason,
                    after: account == nil ? AuditEntry.json(["username": typed]) : nil),
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
                        AND (locked_until IS NULL OR locked_until <= \(bind: ctx.now))
                    RETURNING id
                    """
                ).first(decoding: Row.self)
            }
            if claimed != nil { account.mfaLastCounter = counter }
            return claimed != nil
        }
        let normalized = RecoveryCodes.normalize(code)
        let hash = ctx.keys.blindIndex(normalized, purpose: "recovery")
        let now = ctx.now
        let claimed = try await ctx.write { db in
            guard try await RecoveryCode.claim(accountID: account.id!, codeHash: hash, at: now, on: db) else {
                return false
            }
            try await ctx.audit(
                AuditEntry(action: "mfa.recoveryCodeUsed", objectType: "account", objectID: account.id?.uuidString),
                on: db)
            return true
        }
        return claimed
    }
}
