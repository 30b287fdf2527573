import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// The home page, health checks and the stylesheet.
struct HomeController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, access: .signedIn, use: home)
        routes.on(.GET, "healthz", access: .anyone, use: healthz)
        routes.on(.GET, "readyz", access: .anyone, use: readyz)
        routes.on(.GET, "static", "app.css", access: .anyone, use: stylesheet)
        routes.on(.GET, "static", "app.js", access: .anyone, use: script)
        routes.on(.GET, "static", "favicon.svg", access: .anyone, use: favicon)
        routes.on(.GET, "favicon.ico", access: .anyone, use: favicon)
        routes.on(.GET, "ban-nhap", access: .signedIn, use: draft)
    }

    func home(req: Request) async throws -> Response {
        let user = try req.user
        var pendingApprovals = 0
        var overdueApprovals = 0
        if user.can(.approveAccountRequests) {
            pendingApprovals = try await AccountRequest.query(on: req.db).filter(\.$status == .pending).count()
            overdueApprovals = try await AccountRequest.query(on: req.db).filter(\.$status == .pending).filter(
                \.$dueAt < req.clock.now
            ).count()
        }
        var rejected = 0
        if user.can(.requestAccountChanges) {
            rejected = try await AccountRequest.query(on: req.db).filter(\.$requestedByID == user.account.id!)
                .filter(\.$status == .rejected).count()
        }
        let board = try await HomeDashboard.load(req)
        return Layout.page(
            req.pageContext, title: "Xin chào, " + user.account.fullName,
            notice: req.notice(["doi-mat-khau": "Đã đổi mật khẩu."]),
            .dl(
                .class("facts"),
                .dt("Đơn vị"), .dd(.text(user.unit.name)),
                .dt("Loại tài khoản"), .dd(.text(user.account.accountClass.label)),
                .dt("Vai trò"),
                .dd(.text(user.account.roles.sorted().map(\.label).joined(separator: ", ").nilIfEmpty ?? "—"))
            ),
            .if(
                user.can(.approveAccountRequests),
                .p(
                    .a(.href("/phe-duyet"), .text("\(pendingApprovals) đề nghị tài khoản chờ phê duyệt")),
                    .if(overdueApprovals > 0, .strong(.class("overdue-tag"), .text(" — \(overdueApprovals) quá hạn"))))),
            .if(
                rejected > 0, .p(.a(.href("/de-nghi"), .text("\(rejected) đề nghị của bạn đã bị từ chối — xem lý do")))),
            HomeDashboardViews.sections(board, pageContext: req.pageContext)
        ).response
    }

    func healthz(req: Request) async throws -> Response {
        Response(status: .ok, body: .init(string: "ok"))
    }

    func readyz(req: Request) async throws -> Response {
        let sql = try req.db.sql
        do {
            try await sql.raw("SELECT 1").run()
        } catch {
            throw Abort(.serviceUnavailable)
        }
        return Response(status: .ok, body: .init(string: "ready"))
    }

    func stylesheet(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: StaticAssets.css))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }

    /// The form kept when the session ended (`FormDrafts`), for the page script to fill in; 204 when none.
    func draft(req: Request) async throws -> Response {
        let draft = try await FormDrafts.take(req)
        let response: Response
        if let draft {
            response = Response(status: .ok, body: .init(data: try JSONEncoder().encode(draft)))
            response.headers.contentType = .json
        } else {
            response = Response(status: .noContent)
        }
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.cookies[FormDrafts.markerCookie] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
            isSecure: req.application.settings.usesHTTPS, isHTTPOnly: false, sameSite: .strict)
        return response
    }

    func script(req: Request) async throws -> Response {
        StaticAssets.response(StaticAssets.script, type: HTTPMediaType(type: "text", subType: "javascript"))
    }

    func favicon(req: Request) async throws -> Response {
        StaticAssets.response(StaticAssets.favicon, type: HTTPMediaType(type: "image", subType: "svg+xml"))
    }
}

enum StaticAssets {
    static let css = text("app", "css")
    static let script = text("app", "js")
    static let favicon = text("favicon", "svg")

    private static func text(_ name: String, _ ext: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources/static"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }

    static func response(_ body: String, type: HTTPMediaType) -> Response {
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}
