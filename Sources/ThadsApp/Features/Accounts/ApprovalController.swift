import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The central admins' queue of pending account requests, and each local admin's own requests.
struct ApprovalController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "phe-duyet", access: .permission(.approveAccountRequests), use: queue)
        routes.on(.GET, "phe-duyet", ":requestID", access: .permission(.approveAccountRequests), use: show)
        routes.on(.POST, "phe-duyet", ":requestID", "duyet", access: .permission(.approveAccountRequests), use: approve)
        routes.on(
            .POST, "phe-duyet", ":requestID", "tu-choi", access: .permission(.approveAccountRequests), use: reject)
        routes.on(.GET, "de-nghi", access: .permission(.requestAccountChanges), use: mine)
    }

    func queue(req: Request) async throws -> Response {
        let pending = try await AccountRequest.query(on: req.db).filter(\.$status == .pending).sort(\.$dueAt).limit(500)
            .all()
        let units = try await AccountsController().unitNames(on: req.db)
        let overdue = pending.filter { $0.dueAt < req.clock.now }.count
        return Layout.page(
            req.pageContext, title: "Hàng đợi phê duyệt tài khoản",
            notice: req.notice([
                "da-duyet": "Đã phê duyệt đề nghị.",
                "da-tu-choi": "Đã từ chối đề nghị; quản trị địa phương đã được thông báo.",
            ]),
            .p(
                .text("\(pending.count) đề nghị chờ xử lý"),
                .if(overdue > 0, .strong(.class("overdue-tag"), .text(", \(overdue) quá hạn")))),
            AccountViews.requestTable(pending, units: units, linkToQueue: true, now: req.clock.now)
        ).response
    }

    func show(req: Request) async throws -> Response {
        let request = try await find(req)
        return try await detail(req, request: request, error: nil)
    }

    func approve(req: Request) async throws -> Response {
        let request = try await find(req)
        do {
            try await AccountService.approve(request, in: req.context)
        } catch let error as AccountService.NotAllowed {
            return try await detail(req, request: request, error: error.message, status: .badRequest)
        }
        return req.redirect(to: "/phe-duyet?thongbao=da-duyet")
    }

    func reject(req: Request) async throws -> Response {
        let request = try await find(req)
        let reason = TextInput.normalized(
            ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        if let refusal = FormCheck.refusal(reason, label: "Lý do từ chối", max: 1000, lines: .multi) {
            return try await detail(req, request: request, error: nil, reasonError: refusal, status: .badRequest)
        }
        guard reason.count >= 5 else {
            return try await detail(
                req, request: request, error: nil, reasonError: "Nhập lý do từ chối (5–1000 ký tự).",
                status: .badRequest)
        }
        do {
            try await AccountService.reject(request, reason: reason, in: req.context)
        } catch let error as AccountService.NotAllowed {
            return try await detail(req, request: request, error: error.message, status: .badRequest)
        }
        return req.redirect(to: "/phe-duyet?thongbao=da-tu-choi")
    }

    func mine(req: Request) async throws -> Response {
        let user = try req.user
        let requests = try await AccountRequest.query(on: req.db).filter(\.$requestedByID == user.account.id!)
            .sort(\.$requestedAt, .descending).limit(200).all()
        let units = try await AccountsController().unitNames(on: req.db)
        return Layout.page(
            req.pageContext, title: "Đề nghị đã gửi",
            notice: req.notice(["da-gui": "Đã gửi đề nghị; thay đổi có hiệu lực khi quản trị viên Cục phê duyệt."]),
            AccountViews.requestTable(requests, units: units, linkToQueue: false, now: req.clock.now)
        ).response
    }

    private func detail(
        _ req: Request, request: AccountRequest, error: String?, reasonError: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let units = try await AccountsController().unitNames(on: req.db)
        let requester = try await Account.find(request.requestedByID, on: req.db)
        let before = request.beforeData.flatMap {
            try? JSONDecoder().decode(Account.Snapshot.self, from: Data($0.utf8))
        }
        let after = try JSONDecoder().decode(Account.Snapshot.self, from: Data(request.afterData.utf8))
        let rows = Self.diffRows(before: before, after: after, units: units)
        let user = try req.user
        let isOwn = request.requestedByID == user.account.id
        let token = req.csrfToken
        return Layout.page(
            req.pageContext, title: request.kind.label + " — " + after.fullName, status: status,
            .unwrap(error) { .div(.class("alert error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .dl(
                .class("facts"),
                .dt("Người đề nghị"), .dd(.text(requester.map { $0.fullName + " (" + $0.username + ")" } ?? "")),
                .dt("Đơn vị"), .dd(.text(units[request.unitID] ?? "")),
                .dt("Gửi lúc"), .dd(.text(Format.dateTime(request.requestedAt))),
                .dt("Hạn xử lý"),
                .dd(
                    .text(Format.dateTime(request.dueAt)),
                    .if(
                        request.status == .pending && request.dueAt < req.clock.now,
                        .strong(.class("overdue-tag"), .text(" Quá hạn")))),
                .dt("Lý do đề nghị"), .dd(.text(request.note)),
                .dt("Trạng thái"), .dd(.text(request.status.label)),
                .unwrap(request.decisionReason) { .group(.dt("Lý do từ chối"), .dd(.text($0))) }
            ),
            .table(
                .class("data diff"),
                .thead(.tr(.th("Trường"), .th("Trước"), .th("Sau"))),
                .tbody(
                    .forEach(rows) { row in
                        .tr(
                            .class(row.changed ? "changed" : ""), .td(.text(row.label)), .td(.text(row.before)),
                            .td(.text(row.after)))
                    })
            ),
            .if(
                request.status == .pending && !isOwn,
                .div(
                    .class("decision"),
                    Components.postButton(
                        action: "/phe-duyet/\(request.id!.uuidString)/duyet", title: "Phê duyệt", csrf: token,
                        style: "primary"),
                    .form(
                        .method(.post), .action("/phe-duyet/\(request.id!.uuidString)/tu-choi"),
                        Components.csrf(token),
                        Components.textArea(
                            name: "reason", label: "Lý do từ chối", value: "", error: reasonError, required: true),
                        Components.submit("Từ chối", style: "danger")
                    )
                )),
            .if(
                request.status == .pending && isOwn,
                .p(.class("muted"), .text("Bạn không thể tự quyết định đề nghị của chính mình.")))
        ).response
    }

    struct DiffRow {
        let label: String
        let before: String
        let after: String
        var changed: Bool { before != after }
    }

    static func diffRows(before: Account.Snapshot?, after: Account.Snapshot, units: [UUID: String]) -> [DiffRow] {
        func roles(_ raw: [String]?) -> String {
            (raw ?? []).compactMap(Role.init(rawValue:)).map(\.label).joined(separator: ", ")
        }
        func status(_ raw: String?) -> String { raw.flatMap(AccountStatus.init(rawValue:))?.label ?? "" }
        func accountClass(_ raw: String?) -> String { raw.flatMap(AccountClass.init(rawValue:))?.label ?? "" }
        func grants(_ ids: [UUID]?) -> String { (ids ?? []).compactMap { units[$0] }.joined(separator: "; ") }
        return [
            DiffRow(label: "Tên đăng nhập", before: before?.username ?? "", after: after.username),
            DiffRow(label: "Họ và tên", before: before?.fullName ?? "", after: after.fullName),
            DiffRow(label: "Thư điện tử", before: before?.email ?? "", after: after.email),
            DiffRow(label: "Số định danh", before: before?.nationalIDMasked ?? "", after: after.nationalIDMasked),
            DiffRow(label: "Chức vụ", before: before?.position ?? "", after: after.position ?? ""),
            DiffRow(
                label: "Loại tài khoản", before: accountClass(before?.accountClass),
                after: accountClass(after.accountClass)),
            DiffRow(
                label: "Đơn vị", before: before.flatMap { units[$0.unitID] } ?? "", after: units[after.unitID] ?? ""),
            DiffRow(label: "Vai trò", before: roles(before?.roles), after: roles(after.roles)),
            DiffRow(label: "Trạng thái", before: status(before?.status), after: status(after.status)),
            DiffRow(
                label: "Hiệu lực đến", before: before?.externalValidUntil.flatMap(LocalDate.init(iso:))?.display ?? "",
                after: after.externalValidUntil.flatMap(LocalDate.init(iso:))?.display ?? ""),
            DiffRow(
                label: "Đơn vị được xem", before: grants(before?.grantedUnitIDs), after: grants(after.grantedUnitIDs)),
        ]
    }

    private func find(_ req: Request) async throws -> AccountRequest {
        guard let id = req.parameters.get("requestID", as: UUID.self),
            let request = try await AccountRequest.find(id, on: req.db)
        else { throw Abort(.notFound) }
        return request
    }
}
