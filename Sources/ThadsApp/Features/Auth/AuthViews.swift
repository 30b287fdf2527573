import Foundation
import ThadsDomain
import Vapor

enum AuthViews {
    static func login(
        _ pageContext: PageContext, username: String, error: String?, next: String?, status: HTTPResponseStatus = .ok,
        notice: String? = nil
    ) -> Page {
        Layout.page(
            pageContext, title: "Đăng nhập", status: status, notice: notice,
            .unwrap(error) { .div(.class("alert error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(
                .class("narrow"), .method(.post), .action("/dang-nhap"),
                Components.csrf(pageContext.csrfToken),
                .unwrap(next) { .input(.type(.hidden), .name("tiep"), .value($0)) },
                Components.field(
                    FieldSpec(
                        name: "username", label: "Tên đăng nhập", value: username, required: true,
                        autocomplete: "username")),
                Components.field(
                    FieldSpec(
                        name: "password", label: "Mật khẩu", type: .password, required: true,
                        autocomplete: "current-password")),
                Components.submit("Đăng nhập")
            ),
            .p(.class("muted"), .text("Quên mật khẩu hoặc bị khóa? Liên hệ quản trị viên đơn vị của bạn."))
        )
    }

    static func mfaPrompt(_ pageContext: PageContext, error: String?, status: HTTPResponseStatus = .ok) -> Page {
        Layout.page(
            pageContext, title: "Xác thực hai lớp", status: status,
            .p(.text("Nhập mã 6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục.")),
            .form(
                .class("narrow"), .method(.post), .action("/mfa"),
                Components.csrf(pageContext.csrfToken),
                Components.field(
                    FieldSpec(
                        name: "code", label: "Mã xác thực", error: error, required: true, autocomplete: "one-time-code")
                ),
                Components.submit("Xác nhận")
            )
        )
    }

    static func enrol(
        _ pageContext: PageContext, secret: String, account: Account, error: String?, status: HTTPResponseStatus = .ok
    ) -> Page {
        let uri = TOTP(secret: Base32.decode(secret) ?? []).provisioningURI(account: account.username, issuer: "THADS")
        let svg = (try? QRCode.encode(uri, errorCorrection: .medium).svg(moduleSize: 4, quietZone: 4)) ?? ""
        let grouped = stride(from: 0, to: secret.count, by: 4).map { offset -> String in
            let start = secret.index(secret.startIndex, offsetBy: offset)
            let end = secret.index(start, offsetBy: min(4, secret.count - offset))
            return String(secret[start..<end])
        }.joined(separator: " ")
        return Layout.page(
            pageContext, title: "Đăng ký xác thực hai lớp", status: status,
            .p(
                .text(
                    account.mfaRequired
                        ? "Tài khoản của bạn bắt buộc dùng xác thực hai lớp. Quét mã QR bằng ứng dụng xác thực (TOTP), rồi nhập mã 6 chữ số để xác nhận."
                        : "Quét mã QR bằng ứng dụng xác thực (TOTP), rồi nhập mã 6 chữ số để xác nhận.")),
            .div(.class("qr"), .attribute(named: "aria-label", value: "Mã QR đăng ký"), .raw(svg)),
            .p(.text("Không quét được? Nhập khóa bí mật: "), .code(.id("totp-secret"), .text(grouped))),
            .form(
                .class("narrow"), .method(.post), .action("/mfa/dang-ky"),
                Components.csrf(pageContext.csrfToken),
                Components.field(
                    FieldSpec(
                        name: "code", label: "Mã 6 chữ số", error: error, required: true, autocomplete: "one-time-code")
                ),
                Components.submit("Xác nhận đăng ký")
            )
        )
    }

    static func recoveryCodes(_ pageContext: PageContext, codes: [String]) -> Page {
        Layout.page(
            pageContext, title: "Mã khôi phục",
            .div(
                .class("alert warning"),
                .text("Mỗi mã chỉ dùng được một lần. Hãy lưu ở nơi an toàn: các mã sẽ không hiển thị lại.")),
            .ol(.class("codes"), .id("recovery-codes"), .forEach(codes) { .li(.code(.text($0))) }),
            .p(.a(.class("btn primary"), .href("/"), .text("Tôi đã lưu các mã, tiếp tục")))
        )
    }

    static func passwordChange(_ pageContext: PageContext, errors: [String: String], status: HTTPResponseStatus = .ok)
        -> Page
    {
        let account = pageContext.user?.account
        let minimum = account?.isAdmin == true ? 12 : 8
        let reason: String? =
            account?.mustChangePassword == true
            ? "Bạn cần đổi mật khẩu trước khi tiếp tục."
            : (pageContext.user?.pendingGate == .passwordChange
                ? "Mật khẩu của bạn đã hết hạn, vui lòng đổi mật khẩu." : nil)
        return Layout.page(
            pageContext, title: "Đổi mật khẩu", status: status,
            .unwrap(reason) { .div(.class("alert warning"), .text($0)) },
            .form(
                .class("narrow"), .method(.post), .action("/mat-khau/doi"),
                Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(errors),
                Components.field(
                    FieldSpec(
                        name: "current", label: "Mật khẩu hiện tại", type: .password, error: errors["current"],
                        required: true, autocomplete: "current-password")),
                Components.field(
                    FieldSpec(
                        name: "new", label: "Mật khẩu mới", type: .password, error: errors["new"], required: true,
                        hint: account?.isAdmin == true
                            ? "Ít nhất \(minimum) ký tự, có chữ thường, chữ hoa, chữ số và ký tự đặc biệt; không chứa tên đăng nhập hay họ tên."
                            : "Ít nhất \(minimum) ký tự; không chứa tên đăng nhập, họ tên, và không phải mật khẩu phổ biến.",
                        autocomplete: "new-password")),
                Components.field(
                    FieldSpec(
                        name: "confirm", label: "Nhập lại mật khẩu mới", type: .password, error: errors["confirm"],
                        required: true, autocomplete: "new-password")),
                Components.submit("Đổi mật khẩu")
            )
        )
    }
}
