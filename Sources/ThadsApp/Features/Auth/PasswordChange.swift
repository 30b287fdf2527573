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

    static func change(
        account: Account, current: String, new: String, confirm: String, userAgent: String?, in ctx: ActionContext
    ) async throws -> Result {
        var errors: [String: String] = [:]
        if let hash = account.passwordHash, !(try await ctx.verifyPassword(current, against: hash)) {
            errors["current"] = "Mật khẩu hiện tại không đúng."
            try await LoginService.registerWrongSecret(account: account, reason: "wrongPasswordOnChange", in: ctx)
        }
        if new != confirm { errors["confirm"] = "Mật khẩu nhập lại không khớp." }
        let problems = ctx.app.passwordPolicy.validate(
            new, isAdmin: account.isAdmin, username: account.username, fullName: account.fullName, email: account.email)
        if !problems.isEmpty { errors["new"] = problems.map(\.message).joined(separator: " ") }
        if errors["new"] == nil, try await isReused(new, account: account, in: ctx) {
            errors["new"] =
                "Không được dùng lại một trong \(PasswordReusePolicy.rememberedPasswords) mật khẩu gần nhất."
        }
        if !errors.isEmpty { return .failure(errors) }

        let newHash = try await ctx.hashPassword(new)
        let mfaPassed = (try? ctx.staff.session.mfaPassed) ?? false
        let token = try await ctx.write { db in
            try await AccountWrites.store(hash: newHash, for: account, mustChange: false, at: ctx.now, on: db)
            _ = try await SessionStore.endAll(accountID: account.id!, reason: "đổi mật khẩu", at: ctx.now, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "password.changed", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID),
                on: db)
            return try await SessionStore.start(
                for: account, mfaPassed: mfaPassed, ip: ctx.ip, userAgent: userAgent, at: ctx.now, on: db)
        }
        return .success(sessionToken: token)
    }

    static func isReused(_ password: String, account: Account, in ctx: ActionContext) async throws -> Bool {
        let recent = try await PasswordHistoryEntry.query(on: ctx.db)
            .filter(\.$accountID == account.id!)
            .sort(\.$createdAt, .descending)
            .limit(PasswordReusePolicy.rememberedPasswords)
            .all(\.$passwordHash)
        for hash in recent where try await ctx.verifyPassword(password, against: hash) {
            return true
        }
        return false
    }
}
