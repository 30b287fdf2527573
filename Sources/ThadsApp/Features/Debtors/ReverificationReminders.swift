import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The daily reminder to each officer of the verifications due within a week or overdue (D5).
enum ReverificationReminders {
    static let job = ScheduledJob(
        name: "debtors.reverification-reminders", schedule: .daily(hour: 7, minute: 0), workingDaysOnly: true,
        run: { ctx in try await send(ctx) })

    static func send(_ ctx: ActionContext) async throws -> Int {
        let horizon = ctx.today.adding(days: 7).iso
        let due = try await DebtorEntry.query(on: ctx.db).filter(\.$isListed == true)
            .filter(\.$reverificationDue <= horizon).all()
        guard !due.isEmpty else { return 0 }
        let cases = try await EnforcementCase.query(on: ctx.db).filter(\.$id ~~ due.map(\.caseID)).all()
        let officerOf = Dictionary(
            cases.compactMap { c in c.officerID.map { (c.id!, $0) } }, uniquingKeysWith: { a, _ in a })
        let byOfficer = Dictionary(grouping: due.filter { officerOf[$0.caseID] != nil }) { officerOf[$0.caseID]! }
        let officers = try await Account.query(on: ctx.db).filter(\.$id ~~ Array(byOfficer.keys)).all()
        let sent = try await ctx.write { db -> Int in
            var sent = 0
            for officer in officers where officer.status == .active {
                guard let entries = byOfficer[officer.id!], !officer.email.isEmpty else { continue }
                // Case codes and dates only: a mail leaves the platform, so no debtor's name goes in it.
                let lines = entries.sorted { $0.reverificationDue < $1.reverificationDue }.map { entry in
                    let day = LocalDate(iso: entry.reverificationDue)?.display ?? entry.reverificationDue
                    return "- Hồ sơ \(entry.caseCode): xác minh lại trước \(day)"
                        + (entry.reverificationDue < ctx.today.iso ? " (đã quá hạn)" : "")
                }
                try await ctx.enqueueMail(
                    to: officer.email, subject: "Nhắc xác minh lại điều kiện thi hành án (\(entries.count) hồ sơ)",
                    body: "Kính gửi \(officer.fullName),\n\nCác hồ sơ sau đến hạn hoặc quá hạn xác minh lại điều kiện "
                        + "thi hành án của người phải thi hành án chưa có điều kiện:\n\n"
                        + lines.joined(separator: "\n")
                        + "\n\nXem sổ theo dõi tại mục \"Chưa có điều kiện thi hành\" trên Nền tảng số THADS.\n",
                    on: db)
                sent += 1
            }
            return sent
        }
        await ctx.deliverMail()
        return sent
    }
}
