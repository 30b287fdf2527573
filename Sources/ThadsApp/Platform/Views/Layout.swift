import Foundation
import ThadsDomain
import Vapor

/// The page frame: header with the navigation the role may use, banners, content, footer.
enum Layout {
    struct NavItem {
        let title: String
        let path: String
        let permission: Permission?
    }

    static let navigation: [NavItem] = [
        NavItem(title: "Trang chủ", path: "/", permission: nil),
        NavItem(title: "Việc của tôi", path: "/viec-cua-toi", permission: .viewCases),
        NavItem(title: "Hồ sơ", path: "/ho-so", permission: .viewCases),
        NavItem(title: "Bản án từ Tòa án", path: "/tiep-nhan-ban-an", permission: .enterCaseData),
        NavItem(title: "Chưa có điều kiện thi hành", path: "/so-chua-co-dieu-kien", permission: .viewCases),
        NavItem(title: "Hỗ trợ trực tuyến", path: "/ho-tro-truc-tuyen", permission: .viewOnlineRequests),
        NavItem(title: "Hiệu chỉnh chờ duyệt", path: "/hieu-chinh", permission: .approveCaseCorrections),
        NavItem(title: "Chất lượng dữ liệu", path: "/chat-luong", permission: .viewDataQuality),
        NavItem(title: "Thống kê", path: "/thong-ke", permission: .viewStatistics),
        NavItem(title: "Biên lai, sổ tiền", path: "/bien-lai", permission: .viewReceipts),
        NavItem(title: "Nhập dữ liệu cũ", path: "/nhap-du-lieu", permission: .importCases),
        NavItem(title: "Tài khoản", path: "/tai-khoan", permission: .viewAccounts),
        NavItem(title: "Đề nghị đã gửi", path: "/de-nghi", permission: .requestAccountChanges),
        NavItem(title: "Phê duyệt", path: "/phe-duyet", permission: .approveAccountRequests),
        NavItem(title: "Duyệt dải biên lai", path: "/duyet-dai-bien-lai", permission: .approveReceiptSeries),
        NavItem(title: "Đơn vị", path: "/don-vi", permission: .viewUnits),
        NavItem(title: "Nhật ký", path: "/nhat-ky", permission: .viewAuditLog),
        NavItem(title: "Nhật ký trích xuất", path: "/nhat-ky-trich-xuat", permission: .viewExtractionLog),
        NavItem(title: "Lịch làm việc", path: "/lich", permission: .viewCalendar),
        NavItem(title: "Tham số pháp lý", path: "/tham-so", permission: .viewLegalParameters),
        NavItem(title: "Danh mục", path: "/danh-muc", permission: .viewCatalogs),
        NavItem(title: "Vận hành", path: "/van-hanh", permission: .operatePlatform),
        NavItem(title: "Hệ thống kết nối", path: "/he-thong-ket-noi", permission: .manageConnectedSystems),
        NavItem(title: "Nhật ký trao đổi", path: "/nhat-ky-trao-doi", permission: .viewExchangeLog),
    ]

    static func page(
        _ pageContext: PageContext, title: String, status: HTTPResponseStatus = .ok, notice: String? = nil,
        _ content: Node<HTML.BodyContext>...
    ) -> Page {
        let user = pageContext.user
        let gated = user?.pendingGate != nil
        let html = HTML(
            .lang(.vietnamese),
            head(title: title + " — Nền tảng số THADS"),
            .body(
                .unwrap(user) { user in
                    .attribute(
                        named: "data-idle-seconds",
                        value: String(Int(SessionPolicy().idleTimeout(isAdmin: user.account.isAdmin))))
                },
                demoBanner(pageContext),
                // Phones fold the menu behind this box (no script needed); wide screens never show it.
                .if(
                    user != nil && !gated,
                    .input(
                        .type(.checkbox), .id("menu-toggle"), .class("menu-toggle"),
                        .attribute(named: "hidden", value: "hidden"))),
                .header(
                    .class("top"),
                    .a(.class("brand"), .href("/"), .span(.class("long"), .text("Nền tảng số ")), .text("THADS")),
                    .if(
                        user != nil && !gated,
                        .label(
                            .for("menu-toggle"), .class("menu-button"),
                            .attribute(named: "aria-controls", value: "main-nav"), .text("☰ Chức năng"))),
                    .unwrap(user) { user in
                        .div(
                            .class("who"),
                            .span(
                                .class("name"), .text(user.account.fullName),
                                .span(.class("unit"), .text(" · " + user.unit.name))),
                            .if(!gated, .a(.href("/phien"), .text("Phiên đăng nhập"))),
                            .if(!gated, .a(.href("/bao-mat"), .text("Bảo mật"))),
                            Components.postButton(
                                action: "/dang-xuat", title: "Đăng xuất", csrf: pageContext.csrfToken, style: "link")
                        )
                    }
                ),
                .unwrap(user) { user in
                    .if(
                        !gated,
                        .nav(
                            .class("main-nav"), .id("main-nav"), .attribute(named: "aria-label", value: "Chức năng"),
                            .forEach(navigation.filter { $0.permission.map(user.can) ?? true }) { item in
                                .a(.href(item.path), .text(item.title))
                            }
                        ))
                },
                .unwrap(user.flatMap { expiryWarning($0, now: pageContext.now) }) {
                    .div(.class("alert warning"), .text($0))
                },
                .unwrap(notice) {
                    .div(.class("alert success"), .attribute(named: "role", value: "status"), .text($0))
                },
                .if(
                    user != nil,
                    .div(
                        .class("alert warning session-warning"), .id("session-warning"),
                        .attribute(named: "hidden", value: "hidden"), .attribute(named: "role", value: "alert"),
                        .text(
                            "Phiên đăng nhập sắp hết hạn vì không có thao tác. Nếu phiên hết hạn khi bạn gửi biểu mẫu, "
                                + "nội dung đã nhập được giữ lại và hiện lại sau khi đăng nhập. "),
                        .button(.type(.button), .class("btn secondary"), .text("Tiếp tục làm việc")))),
                .main(.h1(.text(title)), .group(content)),
                .footer(
                    .text("Cục Quản lý Thi hành án dân sự — Bộ Tư pháp"),
                    // Any page: staff report an incident (J8) or ask for a change (F6) where they notice it.
                    .if(
                        user != nil && !gated,
                        .group(
                            .text(" · "), .a(.href("/su-co/bao"), .text("Báo sự cố")), .text(" · "),
                            .a(.href("/yeu-cau-thay-doi"), .text("Yêu cầu thay đổi")))),
                    // Where the unit's staff get help (J8), as their admin set it.
                    .unwrap(gated ? nil : user?.unit) { unit in
                        .p(
                            .id("unit-help"),
                            .unwrap(unit.supportContact) { .text("Hỗ trợ: " + $0) },
                            .if(unit.supportContact != nil && unit.itFocalPoint != nil, .text(" · ")),
                            .unwrap(unit.itFocalPoint) { .text("Đầu mối CNTT: " + $0) })
                    }),
                .element(
                    named: "script",
                    nodes: [
                        .attribute(named: "src", value: "/static/app.js"), .attribute(named: "defer", value: "defer"),
                    ])
            )
        )
        return Page(status: status, html: html.render())
    }

    /// The document head of every page, staff or public: no CDN, one stylesheet.
    static func head(title: String) -> Node<HTML.DocumentContext> {
        .head(
            .meta(.charset(.utf8)),
            .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
            .title(title),
            .link(.rel(.stylesheet), .href("/static/app.css")),
            .link(.attribute(named: "rel", value: "icon"), .href("/static/favicon.svg"))
        )
    }

    static func demoBanner(_ pageContext: PageContext) -> Node<HTML.BodyContext> {
        .if(pageContext.isDemo, .div(.class("demo-banner"), .text("DỮ LIỆU MẪU — không dùng cho công việc thật")))
    }

    static func expiryWarning(_ user: CurrentUser, now: Date) -> String? {
        guard let changedAt = user.account.passwordChangedAt else { return nil }
        if case .expiringSoon(let days) = PasswordExpiryPolicy().state(
            changedAt: changedAt, now: now, isAdmin: user.account.isAdmin)
        {
            return "Mật khẩu của bạn sẽ hết hạn sau \(days) ngày. Hãy đổi mật khẩu tại mục Bảo mật."
        }
        return nil
    }

    static func errorPage(status: HTTPResponseStatus, message: String, reference: String, pageContext: PageContext)
        -> Page
    {
        page(
            pageContext, title: status.code == 404 ? "Không tìm thấy" : "Không thực hiện được", status: status,
            .div(
                .class("error-box"),
                .p(.text(message)),
                .p(.class("muted"), .text("Mã tham chiếu: " + reference)),
                .p(.a(.href("/"), .text("Về trang chủ")))
            ))
    }
}

extension Application {
    private struct DemoKey: StorageKey {
        typealias Value = Bool
    }

    /// Set at start when the database holds demo data; every page then shows the banner.
    public var isDemoInstallation: Bool {
        get { storage[DemoKey.self] ?? false }
        set { storage[DemoKey.self] = newValue }
    }
}

extension Request {
    /// Reads the `thongbao` query key of a redirect into the message to show (never echoes text).
    func notice(_ messages: [String: String]) -> String? {
        guard let key = query[String.self, at: "thongbao"] else { return nil }
        return messages[key]
    }
}
