import Fluent
import Foundation
import ThadsDomain
import Vapor

/// A user's own security: sessions, second factor, recovery codes, reporting a compromise (A7, A8).
struct SecurityController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "phien", access: .signedIn, use: sessions)
        routes.on(.POST, "phien", ":sessionID", "ket-thuc", access: .signedIn, use: endSession)
        routes.on(.GET, "bao-mat", access: .signedIn, use: security)
        routes.on(.POST, "bao-mat", "ma-khoi-phuc", access: .signedIn, use: regenerateCodes)
        routes.on(.POST, "bao-mat", "bao-lo", access: .signedIn, use: reportCompromise)
    }

    func sessions(req: Request) async throws -> Response {
        let user = try req.user
        let open = try await UserSession.query(on: req.db)
            .filter(\.$accountID == user.account.id!).filter(\.$endedAt == nil)
            .sort(\.$lastSeenAt, .descending).all()
        let token = req.csrfToken
        return Layout.page(
            req.pageContext, title: "Phiên đăng nhập", notice: req.notice(["da-ket-thuc": "Đã kết thúc phiên."]),
            .table(
                .class("data"),
                .thead(.tr(.th("Bắt đầu"), .th("Hoạt động gần nhất"), .th("Địa chỉ"), .th("Trình duyệt"), .th(""))),
                .tbody(
                    .forEach(open) { session in
                        .tr(
                            .td(.text(Format.dateTime(session.createdAt))),
                            .td(.text(Format.dateTime(session.lastSeenAt))),
                            .td(.text(session.ip ?? "")),
                            .td(.text(session.userAgent ?? "")),
                            .td(
                                session.id == user.session.id
                                    ? .strong("Phiên hiện tại")
                                    : Components.postButton(
                                        action: "/phien/\(session.id!.uuidString)/ket-thuc", title: "Kết thúc",
                                        csrf: token))
                        )
                    }
                )
            )
        ).response
    }

    func endSession(req: Request) async throws -> Response {
        let user = try req.user
        guard let id = req.parameters.get("sessionID", as: UUID.self),
            let session = try await UserSession.find(id, on: req.db),
            session.accountID == user.account.id, session.endedAt == nil
        else { throw Abort(.notFound) }
        try await req.write { db in
            try await SessionStore.end(session, reason: "người dùng kết thúc", at: req.clock.now, on: db)
            try await req.audit(
                AuditEntry(action: "session.ended", objectType: "session", objectID: id.uuidString), on: db)
        }
        return req.redirect(to: "/phien?thongbao=da-ket-thuc")
    }

    func security(req: Request) async throws -> Response {
        try await page(req, passwordError: nil)
    }

    private func page(_ req: Request, passwordError: String?, status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let user = try req.user
        let unused = try await RecoveryCode.query(on: req.db)
            .filter(\.$accountID == user.account.id!).filter(\.$usedAt == nil).count()
        let token = req.csrfToken
        let expires = user.account.passwordChangedAt.map {
            PasswordExpiryPolicy().expiry(changedAt: $0, isAdmin: user.account.isAdmin)
        }
        return Layout.page(
            req.pageContext, title: "Bảo mật tài khoản", status: status,
            notice: req.notice(["doi-mat-khau": "Đã đổi mật khẩu."]),
            .section(
                .h2("Mật khẩu"),
                .p(.text("Hết hạn ngày: " + Format.date(expires))),
                .a(.class("btn secondary"), .href("/mat-khau/doi"), .text("Đổi mật khẩu"))
            ),
            .section(
                .h2("Xác thực hai lớp"),
                user.account.mfaEnabled
                    ? .group(
                        .p(.text("Đang bật. Còn \(unused) mã khôi phục chưa dùng.")),
                        .form(
                            .method(.post), .action("/bao-mat/ma-khoi-phuc"), Components.csrf(token),
                            Components.field(
                                FieldSpec(
                                    name: "password", label: "Mật khẩu hiện tại (để tạo lại mã khôi phục)",
                                    type: .password, error: passwordError, required: true,
                                    autocomplete: "current-password")),
                            Components.submit("Tạo lại mã khôi phục", style: "secondary")))
                    : .p(.a(.class("btn primary"), .href("/mfa/dang-ky"), .text("Bật xác thực hai lớp")))
            ),
            .section(
                .h2("Báo tài khoản bị lộ"),
                .p(
                    .text(
                        "Nếu nghi ngờ người khác biết mật khẩu hoặc đã dùng tài khoản của bạn, hãy báo ngay: mọi phiên sẽ bị kết thúc và tài khoản bị khóa cho đến khi quản trị viên Cục xem xét."
                    )),
                Components.postButton(
                    action: "/bao-mat/bao-lo", title: "Báo tài khoản bị lộ và khóa ngay", csrf: token, style: "danger")
            )
        ).response
    }

    func regenerateCodes(req: Request) async throws -> Response {
        let user = try req.user
        guard user.account.mfaEnabled else { throw Abort(.badRequest) }
        // New codes replace the second factor's fallback: a session left open must not be enough to take it.
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        var matches = false
        if !password.isEmpty, password.utf8.count <= 4096, let hash = user.account.passwordHash {
            matches = try await req.context.verifyPassword(password, against: hash)
        }
        guard matches else {
            if !password.isEmpty {
                try await LoginService.registerWrongSecret(
                    account: user.account, reason: "wrongPasswordOnRecoveryCodes", in: req.context)
            }
            return try await page(req, passwordError: "Mật khẩu hiện tại không đúng.", status: .badRequest)
        }
        let codes = try await MFAEnrolment.regenerateRecoveryCodes(account: user.account, in: req.context)
        return AuthViews.recoveryCodes(req.pageContext, codes: codes).response
    }

    func reportCompromise(req: Request) async throws -> Response {
        let user = try req.user
        let account = user.account
        try await req.write { db in
            let before = account.snapshot()
            account.status = .locked
            account.statusReason = "Người dùng báo tài khoản bị lộ — chờ quản trị viên Cục xem xét"
            try await account.save(on: db)
            _ = try await SessionStore.endAll(
                accountID: account.id!, reason: "báo tài khoản bị lộ", at: req.clock.now, on: db)
            try await req.audit(
                AuditEntry(
                    action: "account.compromiseReported", objectType: "account", objectID: account.id?.uuidString,
                    unitID: account.unitID, before: AuditEntry.json(before), after: AuditEntry.json(account.snapshot())),
                on: db)
        }
        req.currentUser = nil
        let response = Layout.page(
            req.pageContext, title: "Đã khóa tài khoản",
            .p(
                .text(
                    "Tài khoản đã bị khóa và mọi phiên đã kết thúc. Quản trị viên Cục sẽ liên hệ để xác minh và mở khóa."
                ))
        ).response
        response.cookies[req.application.settings.cookieName(SessionStore.cookieName)] = SessionStore.expiredCookie(
            settings: req.application.settings)
        return response
    }
}
