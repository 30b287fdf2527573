import Fluent
import Foundation
import ThadsDomain
import Vapor

/// TOTP enrolment (A7): the secret waits, encrypted, on the account until the first code proves the
/// authenticator app has it; then ten single-use recovery codes are issued and stored hashed.
enum MFAEnrolment {
    static func pendingSecret(for account: Account, in ctx: ActionContext) async throws -> String {
        if let cipher = account.mfaSecretCipher, !account.mfaEnabled,
            let secret = try? ctx.keys.decrypt(cipher, purpose: "mfa")
        {
            return secret
        }
        let secret = Base32.encode(TOTP.generateSecret())
        account.mfaSecretCipher = try ctx.keys.encrypt(secret, purpose: "mfa")
        try await ctx.write { db in try await account.save(on: db) }
        return secret
    }

    static func complete(account: Account, counter: Int64, in ctx: ActionContext) async throws -> [String] {
        let codes = RecoveryCodes.generate(count: 10)
        try await ctx.write { db in
            account.mfaEnabled = true
            account.mfaLastCounter = counter
            try await account.save(on: db)
            try await replaceRecoveryCodes(account: account, codes: codes, in: ctx, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "mfa.enrolled", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID),
                on: db)
        }
        // Enrolling proves the second factor for this session too.
        if let session = try? ctx.staff.session, !session.mfaPassed {
            session.mfaPassed = true
            try await ctx.write { db in try await session.save(on: db) }
        }
        return codes
    }

    static func regenerateRecoveryCodes(account: Account, in ctx: ActionContext) async throws -> [String] {
        let codes = RecoveryCodes.generate(count: 10)
        try await ctx.write { db in
            try await replaceRecoveryCodes(account: account, codes: codes, in: ctx, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "mfa.recoveryCodesRegenerated", objectType: "account", objectID: account.id?.uuidString),
                on: db)
        }
        return codes
    }

    private static func replaceRecoveryCodes(
        account: Account, codes: [String], in ctx: ActionContext, on db: any Database
    ) async throws {
        // Old codes are retired, not deleted: the history of what was valid stays.
        try await RecoveryCode.query(on: db).filter(\.$accountID == account.id!).filter(\.$usedAt == nil)
            .set(\.$usedAt, to: ctx.now).update()
        for code in codes {
            let hash = ctx.keys.blindIndex(RecoveryCodes.normalize(code), purpose: "recovery")
            try await RecoveryCode(accountID: account.id!, codeHash: hash).create(on: db)
        }
    }
}
