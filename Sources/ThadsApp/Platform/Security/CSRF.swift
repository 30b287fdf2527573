import Crypto
import Foundation
import Vapor

/// CSRF tokens bound to a per-browser cookie and to the session: a form rendered before login stops
/// working after it, and a token from one browser is useless in another.
enum CSRF {
    static let cookieName = "thads_csrf"
    static let fieldName = "_csrf"

    static func token(for req: Request) -> String {
        let browser = req.browserID ?? ""
        let session = req.currentUser?.session.id?.uuidString ?? "-"
        let key = req.application.keys.key(for: "csrf")
        let mac = HMAC<SHA256>.authenticationCode(for: Data((browser + "|" + session).utf8), using: key)
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Reads the submitted token from the form body or the X-CSRF-Token header.
    static func isValid(_ req: Request) -> Bool {
        guard req.browserID != nil else { return false }
        let submitted =
            req.headers.first(name: "X-CSRF-Token")
            ?? (try? req.content.get(String.self, at: fieldName))
        guard let submitted else { return false }
        return ConstantTime.equal(submitted, token(for: req))
    }
}

extension Request {
    private struct BrowserIDKey: StorageKey {
        typealias Value = String
    }

    /// The random per-browser id from the CSRF cookie (set on the first response if missing).
    var browserID: String? {
        get { storage[BrowserIDKey.self] ?? cookies[application.settings.cookieName(CSRF.cookieName)]?.string }
        set { storage[BrowserIDKey.self] = newValue }
    }

    var csrfToken: String { CSRF.token(for: self) }
}

/// Gives every browser its CSRF cookie; forms rendered in the same response already use it.
struct BrowserCookieMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = req.cookies[req.application.settings.cookieName(CSRF.cookieName)]?.string
        let isFresh = existing == nil || existing!.count < 20
        if isFresh { req.browserID = SessionStore.newToken() }
        let response = try await next.respond(to: req)
        if isFresh, let id = req.browserID {
            response.cookies[req.application.settings.cookieName(CSRF.cookieName)] = HTTPCookies.Value(
                string: id, expires: nil, maxAge: nil, domain: nil, path: "/",
                isSecure: req.application.settings.usesHTTPS, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }
}
