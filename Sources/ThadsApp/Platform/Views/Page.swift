import Foundation
import Vapor

/// What every page's frame needs from the request, read once: the signed-in user (nil on public and login
/// pages), the form token, the demo flag and the time. Views take this and a view model, never the request.
struct PageContext: Sendable {
    let user: CurrentUser?
    let csrfToken: String
    let isDemo: Bool
    let now: Date
}

/// A rendered page: its status and its HTML. The controller turns it into the HTTP response.
struct Page: Sendable {
    let status: HTTPResponseStatus
    let html: String

    var response: Response {
        let response = Response(status: status)
        response.headers.contentType = .html
        response.body = .init(string: html)
        return response
    }
}

extension Request {
    var pageContext: PageContext {
        PageContext(
            user: currentUser, csrfToken: csrfToken, isDemo: application.isDemoInstallation, now: application.clock.now)
    }
}
