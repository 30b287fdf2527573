import Foundation
import ThadsDomain
import Vapor

enum AccountViews {
    struct Options {
        let units: [(value: String, label: String)]
        let classes: [AccountClass]
    }

    static let notices = [
        "da-tao": "Đã tạo tài khoản; liên kết đặt mật khẩu đã gửi tới thư điện tử công vụ.",
        "da-cap-nhat": "Đã cập nhật tài khoản.",
        "da-ket-thuc-phien": "Đã kết thúc mọi phiên của tài khoản.",
        "da-dat-lai": "Đã đặt lại mật khẩu; liên kết đặt mật khẩu đã gửi tới thư điện tử công vụ.",
        "da-dat-lai-mfa": "Đã đặt lại xác thực hai lớp; người dùng đăng ký lại ở lần đăng nhập tới.",
    ]

    static func list(
        _ pageContext: PageContext, accounts: [Account], units: [UUID: String], page: Int, hasNext: Bool, text: String,
        status: AccountStatus?
    ) -> Page {
        let canChange = pageContext.user?.can(.changeAccounts) ?? false
        return Layout.page(
            pageContext, title: "Tài khoản",
            .if(
                canChange,
                .p(
                    .a(
                        .class("btn primary"), .href("/tai-khoan/moi"),
                        .text(
                            pageContext.user?.account.accountClass == .centralAdmin
                                ? "Tạo tài khoản quản trị" : "Đề nghị tạo tài khoản")))),
            .form(
                .class("filters"), .method(.get), .action("/tai-khoan"),
                Components.field(FieldSpec(name: "q", label: "Họ tên hoặc tên đăng nhập", value: text)),
                Components.select(
                    name: "trangthai", label: "Trạng thái",
                    options: [(value: "", label: "Tất cả")]
                        + AccountStatus.allCases.map { (value: $0.rawValue, label: $0.label) },
                    selected: [status?.rawValue ?? ""]),
                Components.submit("Lọc", style: "secondary")
            ),
            .table(
                .class("data"),
                .thead(
                    .tr(
                        .th("Họ và tên"), .th("Tên đăng nhập"), .th("Loại"), .th("Đơn vị"), .th("Vai trò"),
                        .th("Trạng thái"))),
                .tbody(
                    .forEach(accounts) { account in
                        .tr(
                            .td(.a(.href("/tai-khoan/\(account.id!.uuidString)"), .text(account.fullName))),
                            .td(.text(account.username)),
                            .td(.text(account.accountClass.label)),
                            .td(.text(units[account.unitID] ?? "")),
                            .td(.text(account.roles.sorted().map(\.label).joined(separator: ", "))),
                            .td(.span(.class("status " + account.status.rawValue), .text(account.status.label)))
                        )
                    })
            ),
            Components.pager(
                basePath: "/tai-khoan", query: [("q", text), ("trangthai", status?.rawValue ?? "")], page: page,
                hasNext: hasNext)
        )
    }

    static func show(
        _ pageContext: PageContext, account: Account, units: [UUID: String], requests: [AccountRequest],
        openSessions: Int,
        grants: [UUID],
        notice: String?, error: String?, status: HTTPResponseStatus = .ok
    ) -> Page {
        let user = pageContext.user
        let token = pageContext.csrfToken
        let temporarilyLocked = (account.lockedUntil ?? .distantPast) > pageContext.now
        let statusActions: [(String, String)] =
            switch account.status {
            case .active:
                [("lock", "Khóa"), ("revoke", "Thu hồi")] + (temporarilyLocked ? [("unlock", "Mở khóa tạm thời")] : [])
            case .locked: [("unlock", "Mở khóa"), ("revoke", "Thu hồi")]
            default: []
            }
        let isCentral = user?.account.accountClass == .centralAdmin
        return Layout.page(
            pageContext, title: account.fullName, status: status, notice: notice,
            .unwrap(error) { .div(.class("alert error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .dl(
                .class("facts"),
                .dt("Tên đăng nhập"), .dd(.text(account.username)),
                .dt("Thư điện tử công vụ"), .dd(.text(account.email)),
                .dt("Số định danh"), .dd(.text("*********" + account.nationalIDLast3)),
                .dt("Chức vụ"), .dd(.text(account.position ?? "")),
                .dt("Loại tài khoản"), .dd(.text(account.accountClass.label)),
                .dt("Đơn vị"), .dd(.text(units[account.unitID] ?? "")),
                .dt("Vai trò"), .dd(.text(account.roles.sorted().map(\.label).joined(separator: ", "))),
                .dt("Trạng thái"),
                .dd(
                    .span(.class("status " + account.status.rawValue), .text(account.status.label)),
                    .unwrap(account.statusReason) { .text(" — " + $0) },
                    .if(temporarilyLocked, .text(" — khóa tạm thời đến " + Format.dateTime(account.lockedUntil)))),
                .if(
                    account.accountClass == .externalUser,
                    .group(
                        .dt("Hiệu lực đến"), .dd(.text(account.externalValidUntilDate?.display ?? "")),
                        .dt("Đơn vị được xem"), .dd(.text(grants.compactMap { units[$0] }.joined(separator: "; "))))),
                .dt("Xác thực hai lớp"),
                .dd(
                    .text(
                        account.mfaEnabled ? "Đã bật" : (account.mfaRequired ? "Bắt buộc — chưa đăng ký" : "Chưa bật"))),
                .dt("Đăng nhập gần nhất"), .dd(.text(Format.dateTime(account.lastLoginAt))),
                .dt("Phiên đang mở"), .dd(.text(String(openSessions)))
            ),
            .if(
                user?.can(.changeAccounts) == true,
                .section(
                    .h2("Thao tác"),
                    .if(
                        account.status == .active || account.status == .locked,
                        .p(
                            .a(
                                .class("btn secondary"), .href("/tai-khoan/\(account.id!.uuidString)/sua"),
                                .text("Sửa thông tin, vai trò")))),
                    .if(
                        !statusActions.isEmpty,
                        .form(
                            .method(.post), .action("/tai-khoan/\(account.id!.uuidString)/trang-thai"),
                            Components.csrf(token),
                            Components.select(
                                name: "action", label: "Thao tác",
                                options: statusActions.map { (value: $0.0, label: $0.1) }, selected: []),
                            Components.field(FieldSpec(name: "note", label: "Lý do", required: true)),
                            Components.submit(isCentral ? "Thực hiện" : "Gửi đề nghị", style: "secondary")
                        )),
                    .if(
                        user?.can(.endAccountSessions) == true && openSessions > 0,
                        Components.postButton(
                            action: "/tai-khoan/\(account.id!.uuidString)/ket-thuc-phien", title: "Kết thúc mọi phiên",
                            csrf: token)),
                    .if(
                        user?.can(.manageAccountsDirectly) == true
                            && (account.status == .active || account.status == .locked),
                        Components.postButton(
                            action: "/tai-khoan/\(account.id!.uuidString)/dat-lai-mat-khau", title: "Đặt lại mật khẩu",
                            csrf: token)),
                    .if(
                        user?.can(.manageAccountsDirectly) == true && account.mfaEnabled,
                        Components.postButton(
                            action: "/tai-khoan/\(account.id!.uuidString)/dat-lai-mfa",
                            title: "Đặt lại xác thực hai lớp", csrf: token))
                )),
            .section(
                .h2("Đề nghị gần đây"),
                requestTable(
                    requests, units: units, linkToQueue: user?.can(.approveAccountRequests) == true,
                    now: pageContext.now)
            )
        )
    }

    static func requestTable(
        _ requests: [AccountRequest], units: [UUID: String], linkToQueue: Bool, now: Date
    ) -> Node<
        HTML.BodyContext
    > {
        return .table(
            .class("data"),
            .thead(
                .tr(
                    .th("Loại"), .th("Tài khoản"), .th("Đơn vị"), .th("Gửi lúc"), .th("Hạn xử lý"), .th("Trạng thái"),
                    .th("Lý do từ chối"))),
            .tbody(
                .forEach(requests) { request in
                    let overdue = request.status == .pending && request.dueAt < now
                    let name =
                        (try? JSONDecoder().decode(Account.Snapshot.self, from: Data(request.afterData.utf8)))?.fullName
                        ?? ""
                    return .tr(
                        .class(overdue ? "overdue" : ""),
                        .td(
                            linkToQueue
                                ? .a(.href("/phe-duyet/\(request.id!.uuidString)"), .text(request.kind.label))
                                : .text(request.kind.label)),
                        .td(.text(name)),
                        .td(.text(units[request.unitID] ?? "")),
                        .td(.text(Format.dateTime(request.requestedAt))),
                        .td(
                            .text(Format.dateTime(request.dueAt)),
                            .if(overdue, .strong(.class("overdue-tag"), .text(" Quá hạn")))),
                        .td(.text(request.status.label)),
                        .td(.class("reason"), .text(request.decisionReason ?? ""))
                    )
                })
        )
    }

    static func form(
        _ pageContext: PageContext, account: Account?, form: AccountForm, errors: [String: String], options: Options,
        status: HTTPResponseStatus = .ok
    ) async throws -> Page {
        let isCentral = pageContext.user?.account.accountClass == .centralAdmin
        let action = account.map { "/tai-khoan/\($0.id!.uuidString)/sua" } ?? "/tai-khoan/moi"
        let classOptions = (account.map { [$0.accountClass] } ?? options.classes).map {
            (value: $0.rawValue, label: $0.label)
        }
        let roleOptions = Role.allCases.filter { $0 != .externalReader }.map { (value: $0.rawValue, label: $0.label) }
        return Layout.page(
            pageContext,
            title: account == nil
                ? (isCentral ? "Tạo tài khoản quản trị" : "Đề nghị tạo tài khoản")
                : "Sửa tài khoản " + (account?.username ?? ""),
            status: status,
            .if(
                !isCentral,
                .p(
                    .class("muted"),
                    .text("Thay đổi chỉ có hiệu lực khi quản trị viên Cục phê duyệt (hạn xử lý 1 ngày làm việc)."))),
            .form(
                .method(.post), .action(action),
                Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(errors),
                .if(
                    account == nil,
                    Components.field(
                        FieldSpec(
                            name: "username", label: "Tên đăng nhập", value: form.username ?? "",
                            error: errors["username"], required: true))),
                Components.field(
                    FieldSpec(
                        name: "fullName", label: "Họ và tên", value: form.fullName ?? "", error: errors["fullName"],
                        required: true)),
                Components.field(
                    FieldSpec(
                        name: "email", label: "Thư điện tử công vụ", value: form.email ?? "", type: .email,
                        error: errors["email"], required: true)),
                .if(
                    account == nil,
                    Components.field(
                        FieldSpec(
                            name: "nationalID", label: "Số định danh cá nhân (CCCD)", value: form.nationalID ?? "",
                            error: errors["nationalID"], required: true))),
                Components.field(
                    FieldSpec(name: "position", label: "Chức vụ", value: form.position ?? "", error: errors["position"])
                ),
                Components.select(
                    name: "accountClass", label: "Loại tài khoản", options: classOptions,
                    selected: [form.accountClass ?? ""], error: errors["accountClass"], required: true),
                Components.select(
                    name: "unitID", label: "Đơn vị", options: options.units, selected: [form.unitID ?? ""],
                    error: errors["unitID"], required: true),
                Components.select(
                    name: "roles[]", label: "Vai trò (người dùng nội bộ)", options: roleOptions,
                    selected: form.roles ?? [], error: errors["roles"], multiple: true),
                Components.field(
                    FieldSpec(
                        name: "externalValidUntil", label: "Hiệu lực đến (tài khoản ngoài hệ thống, dd/MM/yyyy)",
                        value: form.externalValidUntil ?? "", error: errors["externalValidUntil"])),
                Components.select(
                    name: "grants[]", label: "Đơn vị được xem dữ liệu (tài khoản ngoài hệ thống)",
                    options: options.units, selected: form.grants ?? [], error: errors["grants"], multiple: true),
                Components.textArea(
                    name: "note", label: isCentral ? "Ghi chú" : "Lý do đề nghị", value: form.note ?? "",
                    error: errors["note"], required: !isCentral),
                Components.submit(isCentral ? "Lưu" : "Gửi đề nghị")
            )
        )
    }
}
