import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// Periodic work: deliver queued mail and send password-expiry reminders. Every job is safe to run
/// on several instances at once (each claims its rows with a conditional update).
enum BackgroundJobs {
    static let interval: Duration = .seconds(300)

    static func runOnce(_ app: Application) async {
        do {
            try await sendExpiryReminders(app)
        } catch {
            app.logger.warning("expiry reminders failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        }
        await Mailer.deliverPending(app: app)
    }

    /// One e-mail per password, from 14 days before it expires (A6). The banner shows on every page too.
    static func sendExpiryReminders(_ app: Application, now: Date = Date()) async throws {
        let policy = PasswordExpiryPolicy()
        let accounts = try await Account.query(on: app.db).filter(\.$status == .active)
            .filter(\.$expiryReminderSentAt == nil).filter(\.$passwordChangedAt != nil).all()
        for account in accounts {
            guard let changedAt = account.passwordChangedAt,
                case .expiringSoon(let days) = policy.state(changedAt: changedAt, now: now, isAdmin: account.isAdmin)
            else { continue }
            let expires = policy.expiry(changedAt: changedAt, isAdmin: account.isAdmin)
            try await app.write(on: app.db) { db in
                // Claim the account first (a conditional update) so two instances never both send.
                struct Row: Decodable { let id: UUID }
                let claimed = try await (db as! any SQLDatabase).raw(
                    """
                    UPDATE accounts SET expiry_reminder_sent_at = \(bind: now)
                    WHERE id = \(bind: account.id!) AND expiry_reminder_sent_at IS NULL RETURNING id
                    """
                ).first(decoding: Row.self)
                guard claimed != nil else { return }
                try await Mailer.enqueue(
                    to: account.email, subject: "Mật khẩu sắp hết hạn — Nền tảng số THADS",
                    body: """
                        Kính gửi \(account.fullName),

                        Mật khẩu tài khoản \(account.username) sẽ hết hạn sau \(days) ngày (ngày \(Format.date(expires))).
                        Hãy đăng nhập và đổi mật khẩu tại mục Bảo mật: \(app.settings.publicURL.absoluteString)/bao-mat
                        """, on: db)
            }
        }
    }
}

/// Starts the periodic loop when the server boots and stops it at shutdown.
final class BackgroundJobsLifecycle: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?

    func didBootAsync(_ app: Application) async throws {
        task = Task { [app] in
            while !Task.isCancelled {
                await BackgroundJobs.runOnce(app)
                try? await Task.sleep(for: BackgroundJobs.interval)
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        _ = await task?.value
    }
}
