import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Stores an alert once per open cause and mails it to the central department's administrators (the security role
/// of Art. 8), inside the transaction that found it.
enum OperationsAlerts {
    /// Raises an alert unless one for the same rule and subject is still open; returns whether it raised one.
    @discardableResult
    static func raise(rule: AlertRule, subject: String, summary: String, in ctx: ActionContext, on db: any Database)
        async throws -> Bool
    {
        let open = try await OperationsAlert.query(on: db)
            .filter(\.$rule == rule.rawValue).filter(\.$subject == subject).filter(\.$acknowledgedAt == nil)
            .count()
        guard open == 0 else { return false }
        let alert = OperationsAlert()
        alert.id = UUID()
        alert.raisedAt = ctx.now
        alert.rule = rule.rawValue
        alert.subject = subject
        alert.summary = summary
        try await alert.create(on: db)
        try await ctx.audit(
            AuditEntry(
                action: "operations.alertRaised", objectType: "operationsAlert", objectID: alert.id?.uuidString,
                summary: rule.label), on: db)
        let recipients = try await Account.query(on: db)
            .filter(\.$accountClass == .centralAdmin).filter(\.$status == .active).all()
        for account in recipients {
            try await ctx.enqueueMail(
                to: account.email, subject: "[THADS] Cảnh báo: " + rule.label,
                body: "\(summary)\n\nXem và xác nhận tại \(ctx.settings.publicURL.absoluteString)/van-hanh", on: db)
        }
        return true
    }

    /// Raises an alert in a transaction of its own (after a failed backup, whose own work rolled back).
    static func raise(rule: AlertRule, subject: String, summary: String, in ctx: ActionContext) async throws {
        _ = try await ctx.write { db in
            try await raise(rule: rule, subject: subject, summary: summary, in: ctx, on: db)
        }
        await ctx.deliverMail()
    }

    struct NoteRequired: Error {}

    static func acknowledge(_ id: UUID, note: String, in ctx: ActionContext) async throws {
        let user = try ctx.staff
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw NoteRequired() }
        try await ctx.write { db in
            guard let alert = try await OperationsAlert.find(id, on: db), alert.acknowledgedAt == nil else {
                throw Abort(.notFound)
            }
            alert.acknowledgedAt = ctx.now
            alert.acknowledgedBy = user.account.username
            alert.note = String(note.prefix(2000))
            try await alert.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "operations.alertAcknowledged", objectType: "operationsAlert", objectID: id.uuidString,
                    summary: AlertRule(rawValue: alert.rule)?.label ?? alert.rule), on: db)
        }
    }
}
