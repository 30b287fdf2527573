import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Two-tier administration (A4): local admins' changes wait for a central admin; central admins
/// change admin accounts directly. Every path writes the change, its history and its audit event in
/// one transaction.
enum AccountService {
    enum Outcome {
        case requested(AccountRequest)
        case applied(Account)
    }

    struct NotAllowed: Error {
        let message: String
    }

    /// Whether the user changes this account directly (true), by request (false), or not at all (throws).
    static func isDirect(
        kind: AccountRequestKind, targetClass: AccountClass, targetUnit: UnitLevel, by user: CurrentUser
    ) throws -> Bool {
        switch AccountChangePath.of(kind, actor: user.account.accountClass, target: targetClass, targetUnit: targetUnit)
        {
        case .direct: return true
        case .byRequest: return false
        case .refused(let message): throw NotAllowed(message: message)
        }
    }

    static func submitCreate(_ valid: AccountForm.Valid, in ctx: ActionContext) async throws -> Outcome {
        let user = try ctx.staff
        let keys = ctx.keys
        let nationalID = valid.nationalID ?? ""
        let after = Account.Snapshot(
            username: valid.username, fullName: valid.fullName, email: valid.email,
            nationalIDMasked: "*********" + String(nationalID.suffix(3)), position: valid.position,
            accountClass: valid.accountClass.rawValue, unitID: valid.unit.id!,
            roles: valid.roles.sorted().map(\.rawValue),
            status: AccountStatus.active.rawValue, externalValidUntil: valid.externalValidUntil?.iso,
            grantedUnitIDs: valid.accountClass == .externalUser ? valid.grants : nil)
        let cipher = try keys.encrypt(nationalID, purpose: "national-id")
        let index = keys.blindIndex(nationalID, purpose: "national-id")
        if try isDirect(kind: .create, targetClass: valid.accountClass, targetUnit: valid.unit.level, by: user) {
            let account = Account()
            account.id = UUID()
            account.nationalIDCipher = cipher
            account.nationalIDIndex = index
            account.nationalIDLast3 = String(nationalID.suffix(3))
            let hash = try await AccountWrites.unknownPasswordHash(ctx.app)
            try await ctx.write { db in
                try await AccountWrites.apply(after, to: account, isNew: true, on: db)
                try await AccountWrites.storeUnknown(hash: hash, for: account, at: ctx.now, on: db)
                try await ctx.audit(
                    AuditEntry(
                        action: "account.created", objectType: "account", objectID: account.id?.uuidString,
                        unitID: account.unitID, summary: valid.note.nilIfEmpty, after: AuditEntry.json(after)), on: db)
                try await sendPasswordLink(to: account, reset: false, in: ctx, on: db)
            }
            await ctx.deliverMail()
            return .applied(account)
        }
        let request = try newRequest(
            kind: .create, accountID: nil, unitID: valid.unit.id!, before: nil, after: after, note: valid.note, in: ctx)
        request.newUsername = valid.username
        request.newEmail = valid.email
        request.newNationalIDIndex = index
        request.newNationalIDCipher = cipher
        try await saveRequest(request, in: ctx)
        return .requested(request)
    }

    /// Edit, role change, lock, unlock or revoke of an existing account.
    static func submitChange(
        kind: AccountRequestKind, account: Account, after: Account.Snapshot, note: String, in ctx: ActionContext
    ) async throws -> Outcome {
        let user = try ctx.staff
        guard kind.isApplicable(to: account.status) else {
            throw NotAllowed(
                message:
                    "Không thể “\(kind.label.lowercased())” khi tài khoản đang ở trạng thái “\(account.status.label)”.")
        }
        if try await AccountRequest.query(on: ctx.db).filter(\.$accountID == account.id!).filter(\.$status == .pending)
            .count() > 0
        {
            throw NotAllowed(
                message: "Tài khoản đang có một đề nghị chờ phê duyệt; chờ quyết định trước khi gửi đề nghị mới.")
        }
        let grants = try await AccountGrant.query(on: ctx.db).filter(\.$accountID == account.id!).all(\.$unitID)
        let before = account.snapshot(grants: account.accountClass == .externalUser ? grants : nil)
        let targetUnit = try await EnforcementUnit.find(account.unitID, on: ctx.db)?.level ?? .regional
        if try isDirect(kind: kind, targetClass: account.accountClass, targetUnit: targetUnit, by: user) {
            try await ctx.write { db in
                try await AccountWrites.apply(after, to: account, isNew: false, on: db)
                if kind == .unlock {
                    account.lockedUntil = nil
                    account.failedLogins = 0
                    account.statusReason = nil
                    try await account.save(on: db)
                }
                if kind == .lock || kind == .revoke {
                    account.statusReason = note.nilIfEmpty
                    try await account.save(on: db)
                    _ = try await SessionStore.endAll(accountID: account.id!, reason: kind.label, at: ctx.now, on: db)
                }
                try await ctx.audit(
                    AuditEntry(
                        action: "account." + kind.rawValue, objectType: "account", objectID: account.id?.uuidString,
                        unitID: account.unitID, summary: note.nilIfEmpty, before: AuditEntry.json(before),
                        after: AuditEntry.json(account.snapshot(grants: after.grantedUnitIDs))), on: db)
            }
            return .applied(account)
        }
        let request = try newRequest(
            kind: kind, accountID: account.id, unitID: account.unitID, before: before, after: after, note: note,
            in: ctx)
        try await saveRequest(request, in: ctx)
        return .requested(request)
    }

    /// Why a decision did not go ahead, in the words the approval pages show.
    private static func refusal(_ error: any Error, deciding: String) -> any Error {
        switch Workflows.Refusal(error) {
        case .alreadyDecided: NotAllowed(message: "Đề nghị đã được xử lý.")
        case .ownInitiative: NotAllowed(message: "Không ai được tự \(deciding) đề nghị của chính mình.")
        case .rule(let message): NotAllowed(message: message)
        case nil: error
        }
    }

    static func approve(_ request: AccountRequest, in ctx: ActionContext) async throws {
        let user = try ctx.staff
        let after = try JSONDecoder().decode(Account.Snapshot.self, from: Data(request.afterData.utf8))
        let hash: String? = request.kind == .create ? try await AccountWrites.unknownPasswordHash(ctx.app) : nil
        do {
            try await ctx.write { db in
                try await Workflows.decide(
                    .accountRequest, subjectID: request.id!, outcome: "approve", note: nil, in: ctx, on: db)
                let target: Account
                if let id = request.accountID {
                    guard let existing = try await Account.find(id, on: db) else { throw Abort(.notFound) }
                    guard request.kind.isApplicable(to: existing.status) else {
                        throw NotAllowed(
                            message:
                                "Trạng thái tài khoản đã thay đổi; đề nghị không còn áp dụng được. Hãy từ chối với lý do."
                        )
                    }
                    target = existing
                } else {
                    target = Account()
                    target.id = UUID()
                    target.nationalIDCipher = request.newNationalIDCipher ?? ""
                    target.nationalIDIndex = request.newNationalIDIndex ?? ""
                    target.nationalIDLast3 = String(after.nationalIDMasked.suffix(3))
                }
                try await AccountWrites.apply(after, to: target, isNew: request.kind == .create, on: db)
                if let hash {
                    try await AccountWrites.storeUnknown(hash: hash, for: target, at: ctx.now, on: db)
                    try await sendPasswordLink(to: target, reset: false, in: ctx, on: db)
                }
                if request.kind == .unlock {
                    target.lockedUntil = nil
                    target.failedLogins = 0
                    target.statusReason = nil
                    try await target.save(on: db)
                }
                if request.kind == .lock || request.kind == .revoke || request.kind == .changeRoles {
                    _ = try await SessionStore.endAll(
                        accountID: target.id!, reason: request.kind.label, at: ctx.now, on: db)
                }
                request.accountID = target.id
                request.status = .approved
                request.decidedByID = user.account.id
                request.decidedAt = ctx.now
                try await request.save(on: db)
                try await ctx.audit(
                    AuditEntry(
                        action: "account.approved", objectType: "account", objectID: target.id?.uuidString,
                        unitID: target.unitID,
                        summary: request.kind.label, before: request.beforeData, after: request.afterData), on: db)
            }
        } catch {
            throw refusal(error, deciding: "phê duyệt")
        }
        await ctx.deliverMail()
    }

    static func reject(_ request: AccountRequest, reason: String, in ctx: ActionContext) async throws {
        let user = try ctx.staff
        let requester = try await Account.find(request.requestedByID, on: ctx.db)
        do {
            try await ctx.write { db in
                try await Workflows.decide(
                    .accountRequest, subjectID: request.id!, outcome: "reject", note: reason, in: ctx, on: db)
                request.status = .rejected
                request.decidedByID = user.account.id
                request.decidedAt = ctx.now
                request.decisionReason = reason
                try await request.save(on: db)
                try await ctx.audit(
                    AuditEntry(
                        action: "account.rejected", objectType: "accountRequest", objectID: request.id?.uuidString,
                        unitID: request.unitID,
                        summary: request.kind.label + ": " + reason, before: request.beforeData,
                        after: request.afterData),
                    on: db)
                if let requester {
                    try await ctx.enqueueMail(
                        to: requester.email, subject: "Đề nghị về tài khoản bị từ chối",
                        body: """
                            Đề nghị “\(request.kind.label)” gửi ngày \(Format.dateTime(request.requestedAt)) đã bị quản trị Cục từ chối.

                            Lý do: \(reason)

                            Xem chi tiết: \(ctx.settings.publicURL.absoluteString)/de-nghi
                            """, on: db)
                }
            }
        } catch {
            throw refusal(error, deciding: "quyết định")
        }
        await ctx.deliverMail()
    }

    private static func newRequest(
        kind: AccountRequestKind, accountID: UUID?, unitID: UUID, before: Account.Snapshot?, after: Account.Snapshot,
        note: String, in ctx: ActionContext
    ) throws -> AccountRequest {
        let request = AccountRequest()
        request.id = UUID()
        request.kind = kind
        request.accountID = accountID
        request.unitID = unitID
        request.requestedByID = try ctx.staff.account.id!
        request.requestedAt = ctx.now
        request.dueAt = ctx.dueInstant(workingDaysParameter: LegalParameterName.accountApprovalWorkingDays)
        request.beforeData = before.map { AuditEntry.json($0) }
        request.afterData = AuditEntry.json(after)
        request.note = note
        request.status = .pending
        return request
    }

    private static func saveRequest(_ request: AccountRequest, in ctx: ActionContext) async throws {
        try await ctx.write { db in
            try await request.create(on: db)
            try await Workflows.start(.accountRequest, subjectID: request.id!, unitID: request.unitID, in: ctx, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "account.requested", objectType: "accountRequest", objectID: request.id?.uuidString,
                    unitID: request.unitID, summary: request.kind.label + ": " + request.note,
                    before: request.beforeData, after: request.afterData), on: db)
        }
    }

    /// Mails a single-use link to set the password; the token itself is kept nowhere (A6, issue 16).
    static func sendPasswordLink(to account: Account, reset: Bool, in ctx: ActionContext, on db: any Database)
        async throws
    {
        let token = try await PasswordLinks.issue(for: account.id!, at: ctx.now, keys: ctx.keys, on: db)
        try await ctx.enqueueMail(
            to: account.email,
            subject: reset ? "Đặt lại mật khẩu — Nền tảng số THADS" : "Tài khoản Nền tảng số THADS",
            body: linkMail(
                account, url: PasswordLinks.url(token, settings: ctx.settings),
                expires: ctx.now.addingTimeInterval(PasswordLinks.lifetime), reset: reset),
            carriesSecret: true, on: db)
    }

    static func linkMail(_ account: Account, url: String, expires: Date, reset: Bool) -> String {
        """
        Kính gửi \(account.fullName),

        \(reset ? "Mật khẩu tài khoản của bạn trên Nền tảng số Thi hành án dân sự đã được quản trị viên đặt lại." : "Tài khoản của bạn trên Nền tảng số Thi hành án dân sự đã được cấp.")

        Tên đăng nhập: \(account.username)
        Đặt mật khẩu tại: \(url)

        Liên kết chỉ dùng được một lần và hết hạn lúc \(Format.dateTime(expires)). Nếu liên kết đã hết hạn, hãy đề nghị quản trị viên gửi liên kết mới.
        Không chia sẻ tài khoản: mỗi người một tài khoản và chịu trách nhiệm về mọi hoạt động dưới tài khoản đó.
        """
    }
}
