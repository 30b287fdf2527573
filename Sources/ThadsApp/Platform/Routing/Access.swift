import Foundation
import ThadsDomain
import Vapor

/// Who may call a route. Every route is registered with one (see `RoutesBuilder.on(_:_:access:use:)`);
/// the route × role matrix test reads it back from `Route.userInfo`.
public enum AccessRule: Sendable, Hashable, CustomStringConvertible {
    /// Anyone, signed in or not (login, health checks, static files).
    case anyone
    /// Any signed-in account, also while a gate (MFA, password change) is still open.
    case signedInDuringGate
    /// Any signed-in account that passed every gate.
    case signedIn
    /// A signed-in account holding the permission; data scope is checked by the handler.
    case permission(Permission)
    /// A registered connected system with a valid access token and a signed request, as the data exchange API's own
    /// gate checks them (no session, so no CSRF); staff sessions are not admitted.
    case connectedSystem

    public var description: String {
        switch self {
        case .anyone: "anyone"
        case .signedInDuringGate: "signedInDuringGate"
        case .signedIn: "signedIn"
        case .permission(let permission): "permission(\(permission.rawValue))"
        case .connectedSystem: "connectedSystem"
        }
    }

    static let userInfoKey = "access"
}

/// Enforces the route's rule, and CSRF on every state-changing request.
struct AccessMiddleware: AsyncMiddleware {
    let rule: AccessRule
    /// A larger body limit for upload routes (nil: the app's default).
    var maxBodyBytes: Int? = nil

    /// Who the caller is is settled before the body is read: a refused request never makes the server collect
    /// (or, for uploads, receive) its body.
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A form posted after the session ended is kept for the browser and comes back after signing in.
        if rule != .anyone, req.currentUser == nil, req.method == .POST, maxBodyBytes == nil {
            _ = try await req.body.collect(max: req.application.routes.defaultMaxBodySize.value).get()
            if let signIn = try await FormDrafts.keep(req) { return signIn }
        }
        if let refusal = try refusal(req) { return refusal }
        if req.method != .GET && req.method != .HEAD {
            let limit = maxBodyBytes ?? req.application.routes.defaultMaxBodySize.value
            let streamed = maxBodyBytes != nil
            if streamed, !CSRF.isValidBeforeBody(req) { throw Abort(.forbidden, reason: "CSRF") }
            if let buffered = req.body.data, buffered.readableBytes > limit { throw Abort(.payloadTooLarge) }
            _ = try await req.body.collect(max: limit).get()
            guard streamed || CSRF.isValid(req) else { throw Abort(.forbidden, reason: "CSRF") }
            // A form submitted twice (double click, retry) is acted on once (`FormOnce`).
            if !streamed, let once = try? req.content.get(String.self, at: FormOnce.field), !once.isEmpty,
                once.count <= 64
            {
                if let first = try await FormOnce.claim(once, req: req) { return req.redirect(to: first) }
                let response = try await next.respond(to: req)
                try await FormOnce.finish(once, response: response, req: req)
                return response
            }
        }
        return try await next.respond(to: req)
    }

    /// The response for a caller the rule does not admit, nil when it does.
    private func refusal(_ req: Request) throws -> Response? {
        switch rule {
        case .anyone:
            return nil
        case .connectedSystem:
            // Only the exchange gate admits a connected system; a route marked so outside it admits nobody.
            throw Abort(.unauthorized)
        case .signedInDuringGate, .signedIn, .permission:
            guard let user = req.currentUser else {
                if req.method == .GET {
                    let next = req.url.path + (req.url.query.map { "?" + $0 } ?? "")
                    return req.redirect(
                        to: "/dang-nhap?tiep="
                            + (next.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/"))
                }
                throw Abort(.unauthorized)
            }
            if rule != .signedInDuringGate, let gate = user.pendingGate {
                if req.method == .GET { return req.redirect(to: gate.path) }
                throw Abort(.forbidden)
            }
            if case .permission(let permission) = rule, !user.can(permission) {
                throw Abort(.forbidden)
            }
            return nil
        }
    }
}

extension RoutesBuilder {
    /// Registers a route with its access rule; there is no other way to add a route in this app.
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., access: AccessRule, maxBodyBytes: Int? = nil,
        use handler: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        let route = grouped(AccessMiddleware(rule: access, maxBodyBytes: maxBodyBytes)).on(
            method, path, body: maxBodyBytes == nil ? .collect : .stream, use: handler)
        route.userInfo[AccessRule.userInfoKey] = access
        return route
    }
}
