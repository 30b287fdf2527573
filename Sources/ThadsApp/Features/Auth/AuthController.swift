import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Login, logout, the second factor and the forced password change.
struct AuthController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "dang-nhap", access: .anyone, use: loginPage)
        routes.on(.POST, "dang-nhap", access: .anyone, use: login)
        routes.on(.POST, "dang-xuat", access: .signedInDuringGate, use: logout)
        routes.on(.GET, "mfa", access: .signedInDuringGate, use: mfaPage)
        routes.on(.POST, "mfa", access: .signedInDuringGate, use: mfaSubmit)
        routes.on(.GET, "mfa", "dang-ky", access: .signedInDuringGate, use: enrolPage)
        routes.on(.POST, "mfa", "dang-ky", access: .signedInDuringGate, use: enrolSubmit)
        routes.on(.GET, "mat-khau", "doi", access: .signedInDuringGate, use: passwordPage)
        routes.on(.POST, "mat-khau", "doi", access: .signedInDuringGate, use: passwordSubmit)
    }

    static let refusedMessage =
        "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm thời không thể đăng nhập."

    func loginPage(req: Request) async throws -> Response {
        if let user = req.currentUser { return req.redirect(to: user.pendingGate?.path ?? "/") }
        return AuthViews.login(
            req.pageContext, username: "", error: nil, next: Self.safeNext(req.query[String.self, at: "tiep"]),
            notice: req.query[String.self, at: "het-phien"] == nil
                ? nil
                : "Phiên đăng nhập đã hết hạn. Nội dung biểu mẫu bạn vừa gửi chưa được lưu nhưng đã được giữ lại: "
                    + "sau khi đăng nhập, biểu mẫu hiện lại với nội dung đó để bạn kiểm tra và gửi lại."
        ).response
    }

    func login(req: Request) async throws -> Response {
        struct Form: Content {
            var username: String?
            var password: String?
            var tiep: String?
        }
        let form = try req.content.decode(Form.self)
        let username = form.username ?? ""
        let password = form.password ?? ""
        guard !username.isEmpty, !password.isEmpty, username.count <= 100, password.count <= 1000 else {
            return AuthViews.login(
                req.pageContext, username: username, error: Self.refusedMessage, next: Self.safeNext(form.tiep),
                status: .unauthorized
            ).response
        }
        switch try await LoginService.attempt(username: username, password: password, in: req.context) {
        case .refused:
            return AuthViews.login(
                req.pageContext, username: "", error: Self.refusedMessage, next: Self.safeNext(form.tiep),
                status: .unauthorized
            ).response
        case .success(let account):
            let token = try await req.write { db in
                try await SessionStore.start(
                    for: account, mfaPassed: false, ip: req.clientIP, userAgent: req.headers.first(name: .userAgent),
                    at: req.clock.now, on: db)
            }
            let target = account.mfaEnabled ? "/mfa" : (Self.safeNext(form.tiep) ?? "/")
            let response = req.redirect(to: target)
            response.cookies[req.application.settings.cookieName(SessionStore.cookieName)] = SessionStore.cookie(
                token, settings: req.application.settings)
            return response
        }
    }

    func logout(req: Request) async throws -> Response {
        let user = try req.user
        try await req.write { db in
            try await SessionStore.end(user.session, reason: "đăng xuất", at: req.clock.now, on: db)
            try await req.audit(
                AuditEntry(action: "logout", objectType: "account", objectID: user.account.id?.uuidString), on: db)
        }
        let response = req.redirect(to: "/dang-nhap")
        response.cookies[req.application.settings.cookieName(SessionStore.cookieName)] = SessionStore.expiredCookie(
            settings: req.application.settings)
        return response
    }

    func mfaPage(req: Request) async throws -> Response {
        let user = try req.user
        guard user.account.mfaEnabled, !user.session.mfaPassed else { return req.redirect(to: "/") }
        return AuthViews.mfaPrompt(req.pageContext, error: nil).response
    }

    func mfaSubmit(req: Request) async throws -> Response {
        let user = try req.user
        guard user.account.mfaEnabled, !user.session.mfaPassed else { return req.redirect(to: "/") }
        let code = (try? req.content.get(String.self, at: "code")) ?? ""
        guard try await LoginService.verifySecondFactor(code, account: user.account, in: req.context) else {
            let locked = try await LoginService.registerWrongSecret(
                account: user.account, reason: "wrongSecondFactor", in: req.context)
            if locked {
                try await req.write { db in
                    _ = try await SessionStore.endAll(
                        accountID: user.account.id!, reason: "khóa tạm thời", at: req.clock.now, on: db)
                }
                return req.redirect(to: "/dang-nhap")
            }
            return AuthViews.mfaPrompt(
                req.pageContext, error: "Mã xác thực không đúng hoặc đã được dùng.", status: .unauthorized
            ).response
        }
        // A new session id once the second factor is passed, as at any change of privilege.
        let token = try await req.write { db in
            try await SessionStore.end(user.session, reason: "nâng quyền sau MFA", at: req.clock.now, on: db)
            try await req.audit(
                AuditEntry(action: "login.mfaPassed", objectType: "account", objectID: user.account.id?.uuidString),
                on: db)
            return try await SessionStore.start(
                for: user.account, mfaPassed: true, ip: req.clientIP, userAgent: req.headers.first(name: .userAgent),
                at: req.clock.now, on: db)
        }
        let response = req.redirect(to: "/")
        response.cookies[req.application.settings.cookieName(SessionStore.cookieName)] = SessionStore.cookie(
            token, settings: req.application.settings)
        return response
    }

    func enrolPage(req: Request) async throws -> Response {
        let user = try req.user
        if user.account.mfaEnabled { return req.redirect(to: "/bao-mat") }
        let secret = try await MFAEnrolment.pendingSecret(for: user.account, in: req.context)
        return AuthViews.enrol(req.pageContext, secret: secret, account: user.account, error: nil).response
    }

    func enrolSubmit(req: Request) async throws -> Response {
        let user = try req.user
        if user.account.mfaEnabled { return req.redirect(to: "/bao-mat") }
        let secret = try await MFAEnrolment.pendingSecret(for: user.account, in: req.context)
        let code = ((try? req.content.get(String.self, at: "code")) ?? "").filter { !$0.isWhitespace }
        guard let bytes = Base32.decode(secret),
            let counter = TOTP(secret: bytes).matchingCounter(code, at: req.clock.now, window: 1)
        else {
            return AuthViews.enrol(
                req.pageContext, secret: secret, account: user.account,
                error: "Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng xác thực.", status: .badRequest
            ).response
        }
        let codes = try await MFAEnrolment.complete(account: user.account, counter: counter, in: req.context)
        return AuthViews.recoveryCodes(req.pageContext, codes: codes).response
    }

    func passwordPage(req: Request) async throws -> Response {
        _ = try req.user
        return AuthViews.passwordChange(req.pageContext, errors: [:]).response
    }

    func passwordSubmit(req: Request) async throws -> Response {
        let user = try req.user
        struct Form: Content {
            var current: String?
            var new: String?
            var confirm: String?
        }
        let form = try req.content.decode(Form.self)
        let result = try await PasswordChange.change(
            account: user.account, current: form.current ?? "", new: form.new ?? "", confirm: form.confirm ?? "",
            userAgent: req.headers.first(name: .userAgent), in: req.context)
        switch result {
        case .failure(let errors):
            return AuthViews.passwordChange(req.pageContext, errors: errors, status: .badRequest).response
        case .success(let token):
            let response = req.redirect(to: "/?thongbao=doi-mat-khau")
            response.cookies[req.application.settings.cookieName(SessionStore.cookieName)] = SessionStore.cookie(
                token, settings: req.application.settings)
            return response
        }
    }

    /// Only a local path may follow login, never another site.
    /// A return address after login: a path on this site only. Browsers drop tabs and line breaks from a URL and
    /// read a backslash as a slash, so `/<tab>/evil.example` or `/\evil.example` would leave the site: any
    /// control character, space or backslash refuses the address, as does a second leading slash.
    static func safeNext(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), value.utf8.count <= 2048 else { return nil }
        let refused = value.unicodeScalars.contains {
            $0 == "\\" || CharacterSet.whitespacesAndNewlines.contains($0)
                || CharacterSet.controlCharacters.contains($0)
                || $0.properties.generalCategory == .format
        }
        return refused ? nil : value
    }
}
