import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The statistics officers' cross-check of the portal against the records (D6): every published entry must stand on
/// a no-conditions decision of a case still without conditions, and every such case must be published. The register
/// follows changes at once, so a mismatch means data changed outside the forms (an import, a repair by hand) — the
/// list routes it to the unit head.
enum DebtorCrossCheck {
    enum Kind: String, CaseIterable, Sendable {
        case publishedWithoutDecision
        case publishedAfterClosing
        case publishedWithConditions
        case decisionNotPublished

        var label: String {
            switch self {
            case .publishedWithoutDecision: "Đang công khai nhưng không có quyết định chưa có điều kiện"
            case .publishedAfterClosing: "Đang công khai sau khi thi hành xong, đình chỉ, trả đơn hoặc ủy thác"
            case .publishedWithConditions: "Đang công khai nhưng hồ sơ không ở trạng thái chưa có điều kiện"
            case .decisionNotPublished: "Có quyết định chưa có điều kiện nhưng chưa công khai"
            }
        }
    }

    struct Mismatch: Sendable {
        let caseID: UUID
        let caseCode: String
        let unitID: UUID
        let kind: Kind
        let status: CaseStatus
    }

    static func find(unitIDs: [UUID]?, on db: any Database) async throws -> [Mismatch] {
        var publications = DebtorPublication.query(on: db).filter(\.$withdrawnAt == nil)
        var standing = EnforcementCase.query(on: db).filter(\.$status == .withoutConditions)
        if let unitIDs {
            publications = publications.filter(\.$unitID ~~ unitIDs)
            standing = standing.filter(\.$unitID ~~ unitIDs)
        }
        let publishedIDs = Set(try await publications.all(\.$caseID))
        let standingIDs = Set(try await standing.all(\.$id))
        let involved = publishedIDs.union(standingIDs)
        guard !involved.isEmpty else { return [] }
        var cases: [EnforcementCase] = []
        var decided = Set<UUID>()
        let ids = Array(involved)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let batch = Array(ids[start..<min(start + 500, ids.count)])
            cases += try await EnforcementCase.query(on: db).filter(\.$id ~~ batch).all()
            decided.formUnion(
                try await CaseDecision.query(on: db).filter(\.$caseID ~~ batch).filter(\.$kind == .noConditions)
                    .all(\.$caseID))
        }
        return cases.compactMap { enforcementCase -> Mismatch? in
            guard let id = enforcementCase.id else { return nil }
            let kind: Kind?
            if publishedIDs.contains(id) {
                if !decided.contains(id) {
                    kind = .publishedWithoutDecision
                } else if enforcementCase.status.isClosed {
                    kind = .publishedAfterClosing
                } else if enforcementCase.status != .withoutConditions {
                    kind = .publishedWithConditions
                } else {
                    kind = nil
                }
            } else {
                kind = decided.contains(id) ? .decisionNotPublished : nil
            }
            return kind.map {
                Mismatch(
                    caseID: id, caseCode: enforcementCase.code, unitID: enforcementCase.unitID, kind: $0,
                    status: enforcementCase.status)
            }
        }.sorted { ($0.kind.rawValue, $0.caseCode) < ($1.kind.rawValue, $1.caseCode) }
    }
}

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
