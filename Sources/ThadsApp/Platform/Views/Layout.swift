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
                demoBanner(pageContext),
                .header(
                    .class("top"),
                    .a(.class("brand"), .href("/"), .text("Nền tảng số Thi hành án dân sự")),
                    .unwrap(user) { user in
                        .div(
                            .class("who"),
                            .span(.text(user.account.fullName + " · " + user.unit.name)),
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
                            .class("main-nav"), .attribute(named: "aria-label", value: "Chức năng"),
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
                .main(.h1(.text(title)), .group(content)),
                .footer(
                    .text("Cục Quản lý Thi hành án dân sự — Bộ Tư pháp"),
                    // Any page: staff report an incident (J8) or ask for a change (F6) where they notice it.
                    .if(
                        user != nil && !gated,
                        .group(
                            .text(" · "), .a(.href("/su-co/bao"), .text("Báo sự cố")), .text(" · "),
                            .a(.href("/yeu-cau-thay-doi"), .text("Yêu cầu thay đổi")))))
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
            .link(.rel(.stylesheet), .href("/static/app.css"))
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
