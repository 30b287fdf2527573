import Vapor

/// Headers on every response, errors included: this middleware sits outside the error middleware.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let headers = [
            (
                "Content-Security-Policy",
                req.url.path.hasPrefix("/" + PublicPages.prefix)
                    ? PublicPages.contentSecurityPolicy : Self.contentSecurityPolicy
            ),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        if req.application.settings.usesHTTPS {
            response.headers.replaceOrAdd(
                name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        // Static assets may be cached; everything else may carry personal data.
        if !req.url.path.hasPrefix("/static/") {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}
