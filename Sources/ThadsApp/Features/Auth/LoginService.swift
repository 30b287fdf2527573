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

    static func attempt(username rawUsername: String, password: String, req: Request) async throws -> Outcome {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        let ip = req.clientIP
        let now = Date()
        let windowStart = now.addingTimeInterval(-15 * 60)
        let recentFailures = try await LoginFailure.query(on: req.db)
            .filter(\.$ip == ip).filter(\.$at > windowStart).count()
        let throttled = recentFailures >= req.application.settings.loginAttemptsPerIPPer15Minutes
        let account = try await Account.query(on: req.db).filter(\.$username == username).first()
        let hash = account?.passwordHash ?? dummyHash
        let passwordMatches = try await req.application.verifyPassword(password, against: hash)

        guard let account, !throttled else {
            try await recordFailure(
                account: account, username: username, reason: throttled ? "throttled" : "unknown", req: req)
            return .refused
        }
        let canSignIn =
            account.status == .active && (account.lockedUntil.map { $0 <= now } ?? true)
            && (account.externalValidUntilDate.map { $0 >= LocalDate.today() } ?? true)
        if !canSignIn {
            try await recordFailure(account: account, username: username, reason: "notActive", req: req)
            return .refused
        }
        if !passwordMatches {
            try await registerWrongSecret(account: account, reason: "wrongPassword", req: req)
            return .refused
        }
        try await req.write { db in
            account.failedLogins = 0
            account.lockCount = 0
            account.lastLoginAt = now
            try await account.save(on: db)
            try await AuditLog.record(
                AuditEntry(
                    action: "login.success", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID),
                actor: AuditActor(accountID: account.id, username: account.username, unitID: account.unitID, ip: ip),
                on: db)
        }
        return .success(account)
    }

    /// A wrong password or second-factor code: counts toward the lockout.
    static func registerWrongSecret(account: Account, reason: String, req: Request) async throws {
        let ip = req.clientIP
        try await req.write { db in
            account.failedLogins += 1
            var locked = false
            if account.failedLogins >= lockout.threshold {
                let duration = lockout.lockDuration(previousLocks: account.lockCount)
                account.lockedUntil = Date().addingTimeInterval(duration)
                account.lockCount += 1
                account.failedLogins = 0
                locked = true
            }
            try await account.save(on: db)
            try await LoginFailure(ip: ip, at: Date()).create(on: db)
            let actor = AuditActor(accountID: account.id, username: account.username, unitID: account.unitID, ip: ip)
            try await AuditLog.record(
                AuditEntry(
                    action: "login.failure", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID, summary: reason),
                actor: actor, on: db)
            if locked {
                try await AuditLog.record(
                    AuditEntry(
                        action: "account.lockout", objectType: "account", objectID: account.id?.uuidString,
                        unitID: account.unitID,
                        summary:
                            "Khóa tạm thời đến \(Format.dateTime(account.lockedUntil)) sau \(lockout.threshold) lần sai"
                    ),
                    actor: actor, on: db)
            }
        }
    }

    private static func recordFailure(account: Account?, username: String, reason: String, req: Request) async throws {
        let ip = req.clientIP
        try await req.write { db in
            try await LoginFailure(ip: ip, at: Date()).create(on: db)
            try await AuditLog.record(
                AuditEntry(
                    action: "login.failure", objectType: "account", objectID: account?.id?.uuidString,
                    unitID: account?.unitID, summary: reason,
                    after: account == nil ? AuditEntry.json(["username": String(username.prefix(64))]) : nil),
                actor: AuditActor(accountID: account?.id, username: account?.username, unitID: account?.unitID, ip: ip),
                on: db)
        }
    }

    /// Checks a TOTP code (refusing a code whose time step was already used) or an unused recovery code.
    static func verifySecondFactor(_ rawCode: String, account: Account, req: Request) async throws -> Bool {
        let code = rawCode.filter { !$0.isWhitespace }
        if code.count == 6, code.allSatisfy(\.isNumber) {
            guard let cipher = account.mfaSecretCipher,
                let secretText = try? req.application.keys.decrypt(cipher, purpose: "mfa"),
                let secret = Base32.decode(secretText),
                let counter = TOTP(secret: secret).matchingCounter(code, at: Date(), window: 1)
            else { return false }
            // A conditional update, so two requests racing with the same code cannot both pass.
            struct Row: Decodable { let id: UUID }
            let claimed = try await req.write { db in
                try await (db as! any SQLDatabase).raw(
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
        let hash = req.application.keys.blindIndex(normalized, purpose: "recovery")
        guard
            let stored = try await RecoveryCode.query(on: req.db)
                .filter(\.$accountID == account.id!).filter(\.$codeHash == hash).filter(\.$usedAt == nil).first()
        else { return false }
        stored.usedAt = Date()
        try await req.write { db in
            try await stored.save(on: db)
            try await req.audit(
                AuditEntry(action: "mfa.recoveryCodeUsed", objectType: "account", objectID: account.id?.uuidString),
                on: db)
        }
        return true
    }
}
