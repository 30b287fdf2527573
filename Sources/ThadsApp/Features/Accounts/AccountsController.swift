import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Accounts within the admin's data scope, the request forms and the direct actions (A2–A5, A8).
struct AccountsController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "tai-khoan", access: .permission(.viewAccounts), use: list)
        routes.on(.GET, "tai-khoan", "moi", access: .permission(.changeAccounts), use: newForm)
        routes.on(.POST, "tai-khoan", "moi", access: .permission(.changeAccounts), use: create)
        routes.on(.GET, "tai-khoan", ":accountID", access: .permission(.viewAccounts), use: show)
        routes.on(.GET, "tai-khoan", ":accountID", "sua", access: .permission(.changeAccounts), use: editForm)
        routes.on(.POST, "tai-khoan", ":accountID", "sua", access: .permission(.changeAccounts), use: edit)
        routes.on(
            .POST, "tai-khoan", ":accountID", "trang-thai", access: .permission(.changeAccounts), use: changeStatus)
        routes.on(
            .POST, "tai-khoan", ":accountID", "ket-thuc-phien", access: .permission(.endAccountSessions),
            use: endSessions)
        routes.on(
            .POST, "tai-khoan", ":accountID", "dat-lai-mat-khau", access: .permission(.manageAccountsDirectly),
            use: resetPassword)
        routes.on(
            .POST, "tai-khoan", ":accountID", "dat-lai-mfa", access: .permission(.manageAccountsDirectly),
            use: resetSecondFactor)
    }

    func list(req: Request) async throws -> Response {
        let user = try req.user
        let page = max(req.query[Int.self, at: "trang"] ?? 1, 1)
        let text = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let status = req.query[String.self, at: "trangthai"].flatMap(AccountStatus.init(rawValue:))
        var query = Account.query(on: req.db)
        if case .units(let ids) = user.scope { query = query.filter(\.$unitID ~~ Array(ids)) }
        if !text.isEmpty {
            let folded = VietnameseText.fold(text)
            query = query.group(.or) {
                $0.filter(LikePattern.contains("full_name_folded", folded))
                    .filter(LikePattern.contains("username", text.lowercased()))
            }
        }
        if let status { query = query.filter(\.$status == status) }
        let pageSize = 50
        let rows = try await query.sort(\.$fullNameFolded).range(((page - 1) * pageSize)..<(page * pageSize + 1)).all()
        let units = try await unitNames(on: req.db)
        return AccountViews.list(
            req.pageContext, accounts: Array(rows.prefix(pageSize)), units: units, page: page,
            hasNext: rows.count > pageSize,
            text: text, status: status
        ).response
    }

    func show(req: Request) async throws -> Response {
        try await detail(req, account: try await findInScope(req), notice: req.notice(AccountViews.notices), error: nil)
    }

    func newForm(req: Request) async throws -> Response {
        try await AccountViews.form(
            req.pageContext, account: nil, form: AccountForm(), errors: [:], options: formOptions(req)
        ).response
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(AccountForm.self)
        switch try await form.validate(existing: nil, in: req.context) {
        case .failure(let errors):
            return try await AccountViews.form(
                req.pageContext, account: nil, form: form, errors: errors.fields, options: formOptions(req),
                status: .badRequest
            ).response
        case .success(let valid):
            do {
                switch try await AccountService.submitCreate(valid, in: req.context) {
                case .requested: return req.redirect(to: "/de-nghi?thongbao=da-gui")
                case .applied(let account):
                    return req.redirect(to: "/tai-khoan/\(account.id!.uuidString)?thongbao=da-tao")
                }
            } catch let error as AccountService.NotAllowed {
                return try await AccountViews.form(
                    req.pageContext, account: nil, form: form, errors: ["accountClass": error.message],
                    options: formOptions(req),
                    status: .badRequest
                ).response
            }
        }
    }

    func editForm(req: Request) async throws -> Response {
        let account = try await findInScope(req)
        let grants = try await AccountGrant.query(on: req.db).filter(\.$accountID == account.id!).all(\.$unitID)
        let form = AccountForm(
            username: account.username, fullName: account.fullName, email: account.email, nationalID: nil,
            position: account.position,
            accountClass: account.accountClass.rawValue, unitID: account.unitID.uuidString,
            roles: account.roles.map(\.rawValue),
            externalValidUntil: account.externalValidUntilDate?.display, grants: grants.map(\.uuidString), note: nil)
        return try await AccountViews.form(
            req.pageContext, account: account, form: form, errors: [:], options: formOptions(req)
        ).response
    }

    func edit(req: Request) async throws -> Response {
        let account = try await findInScope(req)
        let form = try req.content.decode(AccountForm.self)
        switch try await form.validate(existing: account, in: req.context) {
        case .failure(let errors):
            return try await AccountViews.form(
                req.pageContext, account: account, form: form, errors: errors.fields, options: formOptions(req),
                status: .badRequest
            ).response
        case .success(let valid):
            var after = account.snapshot(grants: account.accountClass == .externalUser ? valid.grants : nil)
            after.fullName = valid.fullName
            after.email = valid.email
            after.position = valid.position
            after.unitID = valid.unit.id!
            after.roles = valid.roles.sorted().map(\.rawValue)
            after.externalValidUntil = valid.externalValidUntil?.iso
            let onlyRoles =
                after.roles != account.snapshot().roles
                && after.fullName == account.fullName && after.email == account.email
                && after.position == account.position
                && after.unitID == account.unitID && after.externalValidUntil == account.externalValidUntil
            do {
                let outcome = try await AccountService.submitChange(
                    kind: onlyRoles ? .changeRoles : .edit, account: account, after: after, note: valid.note,
                    in: req.context)
                return redirect(after: outcome, account: account, req: req)
            } catch let error as AccountService.NotAllowed {
                return try await AccountViews.form(
                    req.pageContext, account: account, form: form, errors: ["note": error.message],
                    options: formOptions(req),
                    status: .badRequest
                ).response
            }
        }
    }

    func changeStatus(req: Request) async throws -> Response {
        let account = try await findInScope(req)
        let action = (try? req.content.get(String.self, at: "action")).flatMap(AccountRequestKind.init(rawValue:))
        let note = TextInput.normalized(
            ((try? req.content.get(String.self, at: "note")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        guard let kind = action, [.lock, .unlock, .revoke].contains(kind) else { throw Abort(.badRequest) }
        if let refusal = FormCheck.refusal(note, label: "Lý do", max: 1000, lines: .multi) {
            return try await showWithError(req, account: account, error: refusal)
        }
        if note.count < 5 {
            return try await showWithError(req, account: account, error: "Nêu lý do (ít nhất 5 ký tự).")
        }
        var after = account.snapshot(grants: nil)
        after.status = (kind.statusAfterApproval ?? account.status).rawValue
        // A temporary lockout leaves the status active; unlocking it is still an unlock.
        let isTemporaryLockout =
            kind == .unlock && account.status == .active && (account.lockedUntil ?? .distantPast) > req.clock.now
        do {
            if isTemporaryLockout {
                guard try req.user.account.accountClass == .centralAdmin else {
                    return try await showWithError(
                        req, account: account, error: "Tài khoản bị khóa tạm thời do nhập sai; quản trị Cục mở khóa.")
                }
                try await req.write { db in
                    account.lockedUntil = nil
                    account.failedLogins = 0
                    try await account.save(on: db)
                    try await req.audit(
                        AuditEntry(
                            action: "account.unlocked", objectType: "account", objectID: account.id?.uuidString,
                            unitID: account.unitID, summary: note), on: db)
                }
                return req.redirect(to: "/tai-khoan/\(account.id!.uuidString)?thongbao=da-cap-nhat")
            }
            let outcome = try await AccountService.submitChange(
                kind: kind, account: account, after: after, note: note, in: req.context)
            return redirect(after: outcome, account: account, req: req)
        } catch let error as AccountService.NotAllowed {
            return try await showWithError(req, account: account, error: error.message)
        }
    }

    func endSessions(req: Request) async throws -> Response {
        let account = try await findInScope(req)
        try await req.write { db in
            let count = try await SessionStore.endAll(
                accountID: account.id!, reason: "quản trị viên kết thúc", at: req.clock.now, on: db)
            try await req.audit(
                AuditEntry(
                    action: "account.sessionsEnded", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID, summary: "\(count) phiên"), on: db)
        }
        return req.redirect(to: "/tai-khoan/\(account.id!.uuidString)?thongbao=da-ket-thuc-phien")
    }

    func resetPassword(req: Request) async throws -> Response {
        let account = try await findInScope(req)
        guard account.status == .active || account.status == .locked else {
            return try await showWithError(
                req, account: account, error: "Chỉ đặt lại mật khẩu cho tài khoản đang hoạt động hoặc bị khóa.")
        }
        let hash = try await AccountWrites.unknownPasswordHash(req.application)
        let ctx = req.context
        try await req.write { db in
            try await AccountWrites.storeUnknown(hash: hash, for: account, at: req.clock.now, on: db)
            _ = try await SessionStore.endAll(
                accountID: account.id!, reason: "đặt lại mật khẩu", at: req.clock.now, on: db)
            try await req.audit(
                AuditEntry(
                    action: "password.reset", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID), on: db)
            try await AccountService.sendPasswordLink(to: account, reset: true, in: ctx, on: db)
        }
        await Mailer.deliverPending(app: req.application)
        return req.redirect(to: "/tai-khoan/\(account.id!.uuidString)?thongbao=da-dat-lai")
    }

    /// For a user who lost both the authenticator and the recovery codes: they enrol again at next login.
    func resetSecondFactor(req: Request) async throws -> Response {
        let account = try await findInScope(req)
        try await req.write { db in
            account.mfaEnabled = false
            account.mfaSecretCipher = nil
            account.mfaLastCounter = nil
            try await account.save(on: db)
            try await RecoveryCode.query(on: db).filter(\.$accountID == account.id!).filter(\.$usedAt == nil)
                .set(\.$usedAt, to: req.clock.now).update()
            _ = try await SessionStore.endAll(
                accountID: account.id!, reason: "đặt lại xác thực hai lớp", at: req.clock.now, on: db)
            try await req.audit(
                AuditEntry(
                    action: "mfa.reset", objectType: "account", objectID: account.id?.uuidString, unitID: account.unitID
                ),
                on: db)
        }
        return req.redirect(to: "/tai-khoan/\(account.id!.uuidString)?thongbao=da-dat-lai-mfa")
    }

    // MARK: helpers

    private func redirect(after outcome: AccountService.Outcome, account: Account, req: Request) -> Response {
        switch outcome {
        case .requested: req.redirect(to: "/de-nghi?thongbao=da-gui")
        case .applied: req.redirect(to: "/tai-khoan/\(account.id!.uuidString)?thongbao=da-cap-nhat")
        }
    }

    private func showWithError(_ req: Request, account: Account, error: String) async throws -> Response {
        try await detail(req, account: account, notice: nil, error: error)
    }

    private func detail(_ req: Request, account: Account, notice: String?, error: String?) async throws -> Response {
        let units = try await unitNames(on: req.db)
        let requests = try await AccountRequest.query(on: req.db).filter(\.$accountID == account.id!)
            .sort(\.$requestedAt, .descending).limit(20).all()
        let openSessions = try await UserSession.query(on: req.db).filter(\.$accountID == account.id!)
            .filter(\.$endedAt == nil).count()
        let grants = try await AccountGrant.query(on: req.db).filter(\.$accountID == account.id!).all(\.$unitID)
        return AccountViews.show(
            req.pageContext, account: account, units: units, requests: requests, openSessions: openSessions,
            grants: grants,
            notice: notice, error: error, status: error == nil ? .ok : .badRequest
        ).response
    }

    /// Accounts outside the admin's scope do not exist as far as the admin can tell.
    private func findInScope(_ req: Request) async throws -> Account {
        guard let id = req.parameters.get("accountID", as: UUID.self),
            let account = try await Account.find(id, on: req.db),
            try req.user.scope.contains(account.unitID)
        else { throw Abort(.notFound) }
        return account
    }

    func unitNames(on db: any Database) async throws -> [UUID: String] {
        Dictionary(
            uniqueKeysWithValues: try await EnforcementUnit.query(on: db).all().map {
                ($0.id!, $0.code + " · " + $0.name)
            })
    }

    func formOptions(_ req: Request) async throws -> AccountViews.Options {
        let user = try req.user
        var query = EnforcementUnit.query(on: req.db).filter(\.$isOpen == true)
        if case .units(let ids) = user.scope { query = query.filter(\.$id ~~ Array(ids)) }
        let units = try await query.sort(\.$code).all().map {
            (value: $0.id!.uuidString, label: $0.code + " · " + $0.name)
        }
        return AccountViews.Options(units: units, classes: AccountForm.creatableClasses(by: user.account.accountClass))
    }
}
