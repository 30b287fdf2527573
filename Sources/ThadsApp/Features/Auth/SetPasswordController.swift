import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The page a mailed set-password link opens (issue 16): anyone holding a valid token may set that account's
/// password once, under the same rules as a change of password.
struct SetPasswordController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "dat-mat-khau", ":token", access: .anyone, use: page)
        routes.on(.POST, "dat-mat-khau", ":token", access: .anyone, use: submit)
    }

    static let unusableMessage =
        "Liên kết đặt mật khẩu không còn hiệu lực (đã dùng, đã hết hạn hoặc đã được thay bằng liên kết mới). "
        + "Hãy đề nghị quản trị viên đơn vị gửi liên kết mới."

    /// The link was used between opening the form and submitting it.
    struct AlreadyUsed: Error {}

    func page(req: Request) async throws -> Response {
        guard let (token, account) = try await open(req) else { return unusable(req) }
        return Self.form(req, token: token, account: account, errors: [:]).response
    }

    func submit(req: Request) async throws -> Response {
        guard let (token, account) = try await open(req) else { return unusable(req) }
        let new = (try? req.content.get(String.self, at: "new")) ?? ""
        let confirm = (try? req.content.get(String.self, at: "confirm")) ?? ""
        let ctx = req.context
        var errors: [String: String] = [:]
        let problems = req.application.passwordPolicy.validate(
            new, isAdmin: account.isAdmin, username: account.username, fullName: account.fullName, email: account.email)
        if !problems.isEmpty { errors["new"] = problems.map(\.message).joined(separator: " ") }
        if new != confirm { errors["confirm"] = "Mật khẩu nhập lại không khớp." }
        if errors["new"] == nil, try await PasswordChange.isReused(new, account: account, in: ctx) {
            errors["new"] =
                "Không được dùng lại một trong \(PasswordReusePolicy.rememberedPasswords) mật khẩu gần nhất."
        }
        if !errors.isEmpty {
            return Self.form(req, token: token, account: account, errors: errors, status: .badRequest).response
        }
        let hash = try await ctx.hashPassword(new)
        let actor = AuditActor(
            accountID: account.id, username: account.username, unitID: account.unitID, ip: req.clientIP)
        do {
            try await ctx.write { db in
                guard let link = try await PasswordLinks.open(token, at: ctx.now, keys: ctx.keys, on: db),
                    try await PasswordLinks.claim(link, at: ctx.now, on: db)
                else { throw AlreadyUsed() }
                try await AccountWrites.store(hash: hash, for: account, mustChange: false, at: ctx.now, on: db)
                _ = try await SessionStore.endAll(
                    accountID: account.id!, reason: "đặt mật khẩu qua liên kết", at: ctx.now, on: db)
                try await AuditLog.record(
                    AuditEntry(
                        action: "password.setByLink", objectType: "account", objectID: account.id?.uuidString,
                        unitID: account.unitID),
                    actor: actor, at: ctx.now, on: db)
            }
        } catch is AlreadyUsed {
            return unusable(req)
        }
        return Layout.page(
            req.pageContext, title: "Đã đặt mật khẩu",
            .p(.text("Mật khẩu của tài khoản \(account.username) đã được đặt.")),
            .p(.a(.href("/dang-nhap"), .text("Đăng nhập")))
        ).response
    }

    private func open(_ req: Request) async throws -> (String, Account)? {
        let token = req.parameters.get("token") ?? ""
        guard let link = try await PasswordLinks.open(token, at: req.clock.now, keys: req.application.keys, on: req.db),
            let account = try await Account.find(link.accountID, on: req.db),
            account.status == .active || account.status == .locked
        else { return nil }
        return (token, account)
    }

    private func unusable(_ req: Request) -> Response {
        Layout.page(
            req.pageContext, title: "Liên kết không còn hiệu lực", status: .gone,
            .div(.class("alert error"), .attribute(named: "role", value: "alert"), .text(Self.unusableMessage))
        ).response
    }

    static func form(
        _ req: Request, token: String, account: Account, errors: [String: String], status: HTTPResponseStatus = .ok
    ) -> Page {
        Layout.page(
            req.pageContext, title: "Đặt mật khẩu", status: status,
            .p(.text("Tài khoản: "), .strong(.text(account.username))),
            .form(
                .class("narrow"), .method(.post), .action("/dat-mat-khau/" + token),
                Components.csrf(req.csrfToken),
                Components.formErrorSummary(errors),
                .input(
                    .type(.hidden), .name("username"), .value(account.username),
                    .attribute(named: "autocomplete", value: "username")),
                Components.field(
                    FieldSpec(
                        name: "new", label: "Mật khẩu mới", type: .password, error: errors["new"], required: true,
                        hint: account.isAdmin
                            ? "Ít nhất \(PasswordPolicy.minimumAdminLength) ký tự, có chữ thường, chữ hoa, chữ số và ký tự đặc biệt; không chứa tên đăng nhập hay họ tên."
                            : "Ít nhất \(PasswordPolicy.minimumUserLength) ký tự; không chứa tên đăng nhập, họ tên, và không phải mật khẩu phổ biến.",
                        autocomplete: "new-password")),
                Components.field(
                    FieldSpec(
                        name: "confirm", label: "Nhập lại mật khẩu mới", type: .password, error: errors["confirm"],
                        required: true, autocomplete: "new-password")),
                Components.submit("Đặt mật khẩu")
            )
        )
    }
}
