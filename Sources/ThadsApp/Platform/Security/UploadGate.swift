import Foundation
import Vapor

/// Routes that take large bodies (uploads) stream them: the session, the permission and the CSRF token are checked
/// before one byte of the body is read, so an anonymous or forged 20 MiB upload costs the server nothing. The token
/// therefore travels in the form's action URL (or the X-CSRF-Token header) instead of the body; it is bound to the
/// browser cookie and the session, so a copy seen in a log is useless without them, and `Referrer-Policy:
/// same-origin` keeps it from other sites.
extension CSRF {
    static func uploadAction(_ path: String, token: String) -> String {
        path + "?" + fieldName + "=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    static func isValidBeforeBody(_ req: Request) -> Bool {
        guard req.browserID != nil else { return false }
        let submitted = req.headers.first(name: "X-CSRF-Token") ?? req.query[String.self, at: fieldName]
        guard let submitted else { return false }
        return ConstantTime.equal(submitted, token(for: req))
    }
}
