import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// One e-mail per password, from 14 days before it expires (A6); the banner shows on every page too.
enum PasswordExpiryReminders {
    static let job = ScheduledJob(
        name: "accounts.password-expiry-reminders", schedule: .every(seconds: 3600), workingDaysOnly: false,
        run: { ctx in try await send(in: ctx) })

    /// Returns the number of reminders queued.
    static func send(in ctx: ActionContext) async throws -> Int {
        let now = ctx.now
        let policy = PasswordExpiryPolicy()
        let accounts = try await Account.query(on: ctx.db).filter(\.$status == .active)
            .filter(\.$expiryReminderSentAt == nil).filter(\.$passwordChangedAt != nil).all()
        var sent = 0
        for account in accounts {
            guard let changedAt = account.passwordChangedAt,
                case .expiringSoon(let days) = policy.state(changedAt: changedAt, now: now, isAdmin: account.isAdmin)
            else { continue }
            let expires = policy.expiry(changedAt: changedAt, isAdmin: account.isAdmin)
            let claimed = try await ctx.write { db in
                // Claimed with a conditional update, so that a reminder is never sent twice.
                struct Row: Decodable { let id: UUID }
                let claimed = try await db.sql.raw(
                    """
                    UPDATE accounts SET expiry_reminder_sent_at = \(bind: now)
                    WHERE id = \(bind: account.id!) AND expiry_reminder_sent_at IS NULL RETURNING id
                    """
                ).first(decoding: Row.self)
                guard claimed != nil else { return false }
                try await ctx.enqueueMail(
                    to: account.email, subject: "Mật khẩu sắp hết hạn — Nền tảng số THADS",
                    body: """
                        Kính gửi \(account.fullName),

                        Mật khẩu tài khoản \(account.username) sẽ hết hạn sau \(days) ngày (ngày \(Format.date(expires))).
                        Hãy đăng nhập và đổi mật khẩu tại mục Bảo mật: \(ctx.settings.publicURL.absoluteString)/bao-mat
                        """, on: db)
                return true
            }
            if claimed { sent += 1 }
        }
        if sent > 0 { await ctx.deliverMail() }
        return sent
    }
}
