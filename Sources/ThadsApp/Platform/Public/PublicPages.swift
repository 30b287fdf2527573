import Foundation
import ThadsDomain
import Vapor

/// The public portal's frame: no staff navigation and no session, its own Content-Security-Policy, every request
/// counted per address. Its pages live under `PublicPages.prefix` and act as a visitor (`Actor.visitor`).
enum PublicPages {
    static let prefix = "cong-khai"

    /// Tighter than the staff pages': nothing but this site's own stylesheet and forms, no scripts at all.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        + "base-uri 'none'"

    static func page(
        _ pageContext: PageContext, title: String, status: HTTPResponseStatus = .ok,
        _ content: Node<HTML.BodyContext>...
    ) -> Page {
        let html = HTML(
            .lang(.vietnamese),
            Layout.head(title: title + " — Cổng thông tin Thi hành án dân sự"),
            .body(
                .class("public"),
                Layout.demoBanner(pageContext),
                .header(
                    .class("top"),
                    .a(.class("brand"), .href("/" + prefix), .text("Cổng thông tin Thi hành án dân sự"))),
                .main(.h1(.text(title)), .group(content)),
                .footer(.text("Cục Quản lý Thi hành án dân sự — Bộ Tư pháp"))
            )
        )
        return Page(status: status, html: html.render())
    }
}

/// Counts each public request against its address; past the limit the visitor gets a 429 page in Vietnamese.
struct PublicRateLimitMiddleware: AsyncMiddleware {
    let limiter: RateLimiter

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard limiter.allow("ip:" + req.clientIP, now: req.clock.now) else {
            let response = PublicPages.page(
                req.pageContext, title: "Quá nhiều yêu cầu", status: .tooManyRequests,
                .p(.text("Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau ít phút."))
            ).response
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(limiter.window)))
            return response
        }
        return try await next.respond(to: req)
    }
}

extension Application {
    private struct LimiterKey: StorageKey {
        typealias Value = RateLimiter
    }

    /// Requests per address per minute on the public portal (PUBLIC_RATE_LIMIT).
    var publicRateLimiter: RateLimiter {
        if let limiter = storage[LimiterKey.self] { return limiter }
        let limiter = RateLimiter(limit: settings.publicRequestsPerMinute, window: 60)
        storage[LimiterKey.self] = limiter
        return limiter
    }
}

extension RoutesBuilder {
    /// Registers a public portal route: open to anyone, counted per address, under `/cong-khai`. With
    /// `maxBodyBytes` (an upload) the body is streamed and the CSRF token travels in the action URL, as on the staff
    /// upload routes: a refused or forged upload is stopped before its body is read.
    @discardableResult
    func onPublic<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., limiter: RateLimiter, maxBodyBytes: Int? = nil,
        use handler: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        let route = grouped(
            PublicRateLimitMiddleware(limiter: limiter), AccessMiddleware(rule: .anyone, maxBodyBytes: maxBodyBytes)
        ).on(
            method, [.constant(PublicPages.prefix)] + path, body: maxBodyBytes == nil ? .collect : .stream, use: handler
        )
        route.userInfo[AccessRule.userInfoKey] = AccessRule.anyone
        return route
    }
}
