import Fluent
import Foundation
import OpenAPIVapor
import ThadsDomain
import ThadsExchangeAPI
import Vapor

/// The exchange API under `/api/v1` (generated routes behind `ExchangeGate`), its document and reference page, and
/// the central admins' pages for connected systems and the auditors' exchange log.
struct ExchangeController {
    func register(_ app: Application) throws {
        let transport = VaporTransport(routesBuilder: app.grouped(ExchangeGate()))
        try ExchangeAPI().registerHandlers(on: transport, serverURL: URL(string: "/api/v1")!)
        // The generated routes are registered by the transport; they carry the rule the gate enforces.
        for route in app.routes.all
        where route.path.starts(with: [.constant("api"), .constant("v1")])
            && route.userInfo[AccessRule.userInfoKey] == nil
        {
            route.userInfo[AccessRule.userInfoKey] = AccessRule.connectedSystem
        }
        app.on(.GET, "api", "v1", "openapi.yaml", access: .anyone, use: document)
        app.on(.GET, "api", "v1", "reference", access: .anyone, use: reference)
        let manage = AccessRule.permission(.manageConnectedSystems)
        app.on(.GET, "he-thong-ket-noi", access: manage, use: index)
        app.on(.GET, "he-thong-ket-noi", "moi", access: manage, use: newForm)
        app.on(.POST, "he-thong-ket-noi", "moi", access: manage, use: create)
        app.on(.GET, "he-thong-ket-noi", ":systemID", access: manage, use: show)
        app.on(.POST, "he-thong-ket-noi", ":systemID", "tam-dung", access: manage, use: suspend)
        app.on(.POST, "he-thong-ket-noi", ":systemID", "kich-hoat", access: manage, use: resume)
        app.on(.POST, "he-thong-ket-noi", ":systemID", "dia-chi-nhan", access: manage, use: setWebhook)
        app.on(.POST, "he-thong-ket-noi", ":systemID", "gui-lai", access: manage, use: redeliver)
        app.on(.GET, "tiep-nhan-ban-an", access: .permission(.enterCaseData), use: ExchangeIntakeController().list)
        let audit = AccessRule.permission(.viewExchangeLog)
        app.on(.GET, "nhat-ky-trao-doi", access: audit, use: ExchangeLogController().search)
        app.on(.POST, "nhat-ky-trao-doi", "xuat", access: audit, use: ExchangeLogController().export)
    }

    static func specText() throws -> String {
        guard
            let url = Bundle.module.url(
                forResource: "thads-v1", withExtension: "yaml", subdirectory: "Resources/openapi")
        else { throw Abort(.notFound) }
        return try String(contentsOf: url, encoding: .utf8)
    }

    func document(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: try Self.specText()))
        response.headers.contentType = HTTPMediaType(
            type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
        return response
    }

    func reference(req: Request) async throws -> Response {
        ExchangeReferenceView.page(req.pageContext, spec: try Self.specText()).response
    }

    func index(req: Request) async throws -> Response {
        let systems = try await ConnectedSystem.query(on: req.db).sort(\.$name).all()
        let since = req.clock.today.adding(days: -13).startOfDay(in: .vietnam)
        let entries = try await ExchangeLogEntry.query(on: req.db).filter(\.$at >= since).all()
        var counts: [UUID: [String: (calls: Int, refused: Int)]] = [:]
        for entry in entries {
            guard let ref = entry.clientRef else { continue }
            let day = LocalDate(date: entry.at, in: .vietnam).display
            var cell = counts[ref, default: [:]][day, default: (0, 0)]
            cell.calls += 1
            if entry.status >= 400 { cell.refused += 1 }
            counts[ref, default: [:]][day] = cell
        }
        let notice = req.notice(["da-dang-ky": "Đã đăng ký hệ thống kết nối."])
        var dead: [UUID: Int] = [:]
        for row in try await ExchangeDelivery.query(on: req.db).filter(\.$status == .dead).field(\.$clientRef).all() {
            dead[row.clientRef, default: 0] += 1
        }
        return ExchangeViews.index(req.pageContext, systems: systems, counts: counts, dead: dead, notice: notice)
            .response
    }

    func newForm(req: Request) async throws -> Response {
        try await form(req, values: ["callsPerMinute": "600"], selected: [], errors: [:], status: .ok)
    }

    func create(req: Request) async throws -> Response {
        var form = FormCheck(req, keys: ConnectedSystems.formKeys)
        let units = ((try? req.content.get([String].self, at: "units")) ?? []).compactMap(UUID.init(uuidString:))
        let known = Set(try await EnforcementUnit.query(on: req.db).all().compactMap(\.id))
        let read = (try? req.content.get([String].self, at: "read")) ?? []
        let write = (try? req.content.get([String].self, at: "write")) ?? []
        let reveals = (try? req.content.get(String.self, at: "revealsIDNumbers")) == "on"
        let selected = Set(read.map { "read:" + $0 } + write.map { "write:" + $0 } + units.map(\.uuidString))
        guard
            let draft = ConnectedSystems.check(
                &form, units: units, known: known, read: read, write: write, reveals: reveals)
        else {
            return try await self.form(
                req, values: form.values, selected: selected, errors: form.errors, status: .badRequest)
        }
        do {
            let system = try await ConnectedSystems.register(draft, in: req.context)
            return req.redirect(to: "/he-thong-ket-noi/\(system.id!.uuidString)?thongbao=da-dang-ky")
        } catch is ConnectedSystems.ClientIDTaken {
            return try await self.form(
                req, values: form.values, selected: selected,
                errors: ["clientID": "Mã hệ thống này đã được đăng ký."], status: .conflict)
        }
    }

    func show(req: Request) async throws -> Response {
        try await show(req, webhookValue: nil, webhookError: nil, status: .ok)
    }

    private func show(_ req: Request, webhookValue: String?, webhookError: String?, status: HTTPResponseStatus)
        async throws -> Response
    {
        let system = try await find(req)
        let units = try await EnforcementUnit.query(on: req.db).all()
        let recent = try await ExchangeLogEntry.query(on: req.db).filter(\.$clientRef == system.id)
            .sort(\.$at, .descending).limit(20).all()
        let deliveries = try await ExchangeDeliveryList.read(system: system.id!, on: req.db)
        let notice = req.notice([
            "da-dang-ky": "Đã đăng ký hệ thống kết nối.", "da-tam-dung": "Đã tạm dừng: lượt gọi kế tiếp bị từ chối.",
            "da-kich-hoat": "Đã cho hoạt động lại.", "da-luu-dia-chi": "Đã lưu địa chỉ nhận thông báo thay đổi.",
            "da-gui-lai": "Đã đưa các lượt thông báo vào hàng đợi gửi lại.",
        ])
        return ExchangeViews.show(
            req.pageContext, system: system, units: units, recent: recent, deliveries: deliveries,
            webhook: (webhookValue ?? system.webhookURL ?? "", webhookError), notice: notice, status: status
        ).response
    }

    func setWebhook(req: Request) async throws -> Response {
        let system = try await find(req)
        let url = ((try? req.content.get(String.self, at: "webhookURL")) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var refusal = url.isEmpty ? nil : WebhookSchedule.refusal(url: url)
        if refusal == nil, !url.isEmpty, !system.agreement.admits(.changes, writing: false) {
            refusal = "Thỏa thuận của hệ thống không cho đọc dòng thay đổi: không thể đăng ký địa chỉ nhận."
        }
        if let refusal {
            return try await show(req, webhookValue: url, webhookError: refusal, status: .badRequest)
        }
        try await ExchangeWebhooks.setURL(url, for: system.id!, in: req.context)
        return req.redirect(to: "/he-thong-ket-noi/\(system.id!.uuidString)?thongbao=da-luu-dia-chi")
    }

    func redeliver(req: Request) async throws -> Response {
        let system = try await find(req)
        let one = try? req.content.get(String.self, at: "delivery")
        var delivery: UUID?
        if let one, !one.isEmpty {
            guard let id = UUID(uuidString: one) else { throw Abort(.notFound) }
            delivery = id
        }
        try await ExchangeWebhooks.redeliver(system: system.id!, delivery: delivery, in: req.context)
        return req.redirect(to: "/he-thong-ket-noi/\(system.id!.uuidString)?thongbao=da-gui-lai")
    }

    func suspend(req: Request) async throws -> Response {
        let system = try await find(req)
        try await ConnectedSystems.setStatus(system.id!, to: .suspended, in: req.context)
        return req.redirect(to: "/he-thong-ket-noi/\(system.id!.uuidString)?thongbao=da-tam-dung")
    }

    func resume(req: Request) async throws -> Response {
        let system = try await find(req)
        try await ConnectedSystems.setStatus(system.id!, to: .active, in: req.context)
        return req.redirect(to: "/he-thong-ket-noi/\(system.id!.uuidString)?thongbao=da-kich-hoat")
    }

    private func find(_ req: Request) async throws -> ConnectedSystem {
        guard let id = req.parameters.get("systemID", as: UUID.self),
            let system = try await ConnectedSystem.find(id, on: req.db)
        else { throw Abort(.notFound) }
        return system
    }

    private func form(
        _ req: Request, values: [String: String], selected: Set<String>, errors: [String: String],
        status: HTTPResponseStatus
    ) async throws -> Response {
        let units = try await EnforcementUnit.query(on: req.db).filter(\.$isOpen == true).sort(\.$code).all()
        return ExchangeViews.form(
            req.pageContext, units: units, values: values, selected: selected, errors: errors, status: status
        ).response
    }
}
