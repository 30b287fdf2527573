import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The daily reminder (C5) to whoever holds an overdue step: the accounts of the request's unit with the step's
/// permission (for the petition's step 3, the assigned officer alone). Tracking codes and steps only.
enum OnlineReminders {
    static let job = ScheduledJob(
        name: "online.overdue-reminders", schedule: .daily(hour: 7, minute: 30), workingDaysOnly: true,
        run: { ctx in try await send(ctx) })

    static func send(_ ctx: ActionContext) async throws -> Int {
        let overdue = try await OnlineRequest.query(on: ctx.db).filter(\.$completedAt == nil)
            .filter(\.$stepDueAt < ctx.now).filter(\.$state != OnlineRequest.draftState).sort(\.$stepDueAt).all()
        guard !overdue.isEmpty else { return 0 }
        let units = Set(overdue.map(\.unitID))
        let accounts = try await Account.query(on: ctx.db).filter(\.$unitID ~~ Array(units))
            .filter(\.$status == .active).all()
        var lines: [UUID: [String]] = [:]
        for request in overdue {
            guard let permission = request.machine.step(request.state)?.actor else { continue }
            let holders = accounts.filter { account in
                account.unitID == request.unitID && account.permissions.contains(permission)
                    && (request.kind != .petition || request.state != "handling" || request.assignedOfficerID == nil
                        || request.assignedOfficerID == account.id)
            }
            for holder in holders {
                lines[holder.id!, default: []].append(
                    "- \(request.trackingCode ?? ""): \(request.stepLabel), hạn \(Format.dateTime(request.stepDueAt))")
            }
        }
        let holdersLines = lines
        let link = ctx.settings.publicURL.absoluteString + "/" + OnlineStaffController.base + "?han=qua-han"
        let sent = try await ctx.write { db -> Int in
            var sent = 0
            for account in accounts where !account.email.isEmpty {
                guard let items = holdersLines[account.id!] else { continue }
                let template = OnlineNotices.overdueReminder
                let values = ["so": String(items.count), "noidung": items.joined(separator: "\n"), "lienket": link]
                try await ctx.enqueueMail(
                    to: account.email, subject: OnlineNotices.fill(template.subject, values),
                    body: "Kính gửi \(account.fullName),\n\n" + OnlineNotices.fill(template.body, values), on: db)
                sent += 1
            }
            return sent
        }
        await ctx.deliverMail()
        return sent
    }
}
