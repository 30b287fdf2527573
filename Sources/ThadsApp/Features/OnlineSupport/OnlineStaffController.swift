import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The staff's pages (C5, C6): the unit's intake queue, one request with its step actions, messages, notes and
/// history, and the leaders' overview. A request outside the staff member's units answers 404.
struct OnlineStaffController {
    static let base = "ho-tro-truc-tuyen"
    static let pageSize = 50

    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "ho-tro-truc-tuyen", access: .permission(.viewOnlineRequests), use: queue)
        routes.on(
            .GET, "ho-tro-truc-tuyen", "tong-hop", access: .permission(.viewOnlineSupportOverview), use: overview)
        routes.on(.GET, "ho-tro-truc-tuyen", ":requestID", access: .permission(.viewOnlineRequests), use: show)
        routes.on(.POST, "ho-tro-truc-tuyen", ":requestID", "buoc", access: .permission(.viewOnlineRequests), use: step)
        routes.on(
            .POST, "ho-tro-truc-tuyen", ":requestID", "tin-nhan", access: .permission(.handleOnlineRequests),
            use: message)
        routes.on(
            .POST, "ho-tro-truc-tuyen", ":requestID", "ghi-chu", access: .permission(.viewOnlineRequests), use: note)
        routes.on(
            .POST, "ho-tro-truc-tuyen", ":requestID", "ho-so", access: .permission(.enterCaseData), use: linkCase)
        routes.on(
            .GET, "ho-tro-truc-tuyen", ":requestID", "tep", ":fileID", access: .permission(.viewOnlineRequests),
            use: download)
    }

    struct Filters: Sendable {
        var procedure: OnlineProcedure?
        var state = ""
        var due: OnlineDueState?
        var all = false
        var page = 1
    }

    func queue(req: Request) async throws -> Response {
        var filters = Filters()
        filters.procedure = OnlineProcedure(rawValue: req.query[String.self, at: "thu-tuc"] ?? "")
        filters.state = String((req.query[String.self, at: "buoc"] ?? "").prefix(40))
        filters.due = OnlineDueState(rawValue: req.query[String.self, at: "han"] ?? "")
        filters.all = req.query[String.self, at: "tat-ca"] == "1"
        filters.page = max(1, min(req.query[Int.self, at: "trang"] ?? 1, 10_000))
        let rows = try await OnlineQueue.rows(filters, in: req.context, pageSize: Self.pageSize)
        return OnlineStaffViews.queue(
            req.pageContext, filters: filters, rows: Array(rows.prefix(Self.pageSize)),
            hasNext: rows.count > Self.pageSize, calendar: req.application.workingCalendar
        ).response
    }

    /// The request, if it was submitted and lies in the staff member's units; 404 otherwise.
    static func scopedRequest(_ req: Request) async throws -> OnlineRequest {
        guard let id = req.parameters.get("requestID", as: UUID.self),
            let request = try await OnlineRequest.find(id, on: req.db), request.submittedAt != nil,
            req.context.scope.contains(request.unitID)
        else { throw Abort(.notFound) }
        return request
    }

    func show(req: Request) async throws -> Response {
        let request = try await Self.scopedRequest(req)
        return try await Self.render(req, request, errors: [:], notice: req.query[String.self, at: "thongbao"])
    }

    static func render(
        _ req: Request, _ request: OnlineRequest, errors: [String: String], notice: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let data = try await OnlineRequestData.load(request, on: req.db)
        let user = try req.user
        let machine = request.machine
        let outcomes = machine.outcomes(at: request.state, for: req.context.stepActor, initiatorID: nil)
        var assignees: [Account] = []
        if outcomes.contains(where: { $0.id == "assign" }) {
            assignees = try await Account.query(on: req.db).filter(\.$unitID == request.unitID)
                .filter(\.$status == .active).sort(\.$fullName).all()
                .filter { $0.permissions.contains(.processOnlineRequests) }
        }
        var officers: [UUID: String] = [:]
        let ids = Set([request.assignedOfficerID, request.lastOfficerID].compactMap { $0 })
        if !ids.isEmpty {
            for account in try await Account.query(on: req.db).filter(\.$id ~~ ids).all() {
                officers[account.id!] = account.fullName
            }
        }
        var caseCode: String?
        if let caseID = request.caseID {
            caseCode = try await EnforcementCase.find(caseID, on: req.db)?.code
        }
        return OnlineStaffViews.request(
            req.pageContext, data, outcomes: outcomes, assignees: assignees, officers: officers, caseCode: caseCode,
            canMessage: user.can(.handleOnlineRequests), canLinkCase: user.can(.enterCaseData), errors: errors,
            notice: notice, status: status, calendar: req.application.workingCalendar
        ).response
    }

    func step(req: Request) async throws -> Response {
        let request = try await Self.scopedRequest(req)
        var form = FormCheck(
            req, keys: ["outcome", "note", "loai", "dieu-kien", "tham-quyen", "so-nguoi", "can-bo", "phi"])
        let outcome = form["outcome"]
        let note = form.text("note", label: "Nội dung, lý do", max: 4000, lines: .multi)
        var extras = OnlineSteps.Extras()
        if outcome == "classify" {
            let kind = form.choice("loai", label: "Phân loại theo nội dung", PetitionContentKind.self)
            let condition = form.choice("dieu-kien", label: "Điều kiện xử lý", PetitionCondition.self)
            let competence = form.choice("tham-quyen", label: "Thẩm quyền giải quyết", PetitionCompetence.self)
            let count = Int(form["so-nguoi"]).flatMap { (1...9999).contains($0) ? $0 : nil }
            if count == nil { form.fail("so-nguoi", "Số người là số nguyên từ 1 đến 9999.") }
            if let kind, let condition, let competence, let count {
                extras.classification = [kind.rawValue, condition.rawValue, competence.rawValue, String(count)]
                    .joined(separator: "|")
            }
        }
        if outcome == "assign" {
            extras.assigneeID = UUID(uuidString: form["can-bo"])
            if let assignee = extras.assigneeID {
                let account = try await Account.find(assignee, on: req.db)
                if account?.unitID != request.unitID || account?.permissions.contains(.processOnlineRequests) != true {
                    form.fail("can-bo", "Chọn công chức của đơn vị có quyền xử lý.")
                }
            } else {
                form.fail("can-bo", "Chọn công chức được phân công giải quyết.")
            }
        }
        if outcome == "approve" && !form["phi"].isEmpty {
            extras.fee = form.amount("phi", label: "Phí, lệ phí")
        }
        guard form.isValid else {
            return try await Self.render(req, request, errors: form.errors, notice: nil, status: .badRequest)
        }
        let unitName = try await EnforcementUnit.find(request.unitID, on: req.db)?.name ?? ""
        do {
            try await OnlineSteps.decide(
                request, outcome: outcome, note: note, extras: extras, unitName: unitName, in: req.context)
        } catch let refused as OnlineSteps.Refused {
            return try await Self.render(
                req, request, errors: ["note": refused.message], notice: nil, status: .conflict)
        } catch {
            guard let refusal = Workflows.Refusal(error) else { throw error }
            let message: String
            switch refusal {
            case .alreadyDecided: message = "Hồ sơ vừa được người khác xử lý ở bước này."
            case .ownInitiative: message = "Không thể tự quyết định yêu cầu của chính mình."
            case .rule(let text): message = text
            }
            let fresh = try await OnlineRequest.find(request.id!, on: req.db) ?? request
            return try await Self.render(req, fresh, errors: ["note": message], notice: nil, status: .conflict)
        }
        return req.redirect(to: "/\(Self.base)/\(request.id!.uuidString)?thongbao=da-xu-ly")
    }

    func message(req: Request) async throws -> Response {
        try await say(req, toSubmitter: true)
    }

    func note(req: Request) async throws -> Response {
        try await say(req, toSubmitter: false)
    }

    private func say(_ req: Request, toSubmitter: Bool) async throws -> Response {
        let request = try await Self.scopedRequest(req)
        let key = toSubmitter ? "tin-nhan" : "ghi-chu"
        var form = FormCheck(req, keys: [key])
        let text = form.text(key, label: "Nội dung", required: true, max: 4000, lines: .multi)
        guard form.isValid else {
            return try await Self.render(req, request, errors: form.errors, notice: nil, status: .badRequest)
        }
        let unitName = try await EnforcementUnit.find(request.unitID, on: req.db)?.name ?? ""
        try await OnlineSteps.say(request, text: text, toSubmitter: toSubmitter, unitName: unitName, in: req.context)
        return req.redirect(to: "/\(Self.base)/\(request.id!.uuidString)?thongbao=da-gui")
    }

    func linkCase(req: Request) async throws -> Response {
        let request = try await Self.scopedRequest(req)
        var form = FormCheck(req, keys: ["ma-ho-so"])
        let code = form.text("ma-ho-so", label: "Mã hồ sơ thi hành án", required: true, max: 40)
        if form.isValid {
            do {
                try await OnlineSteps.linkCase(request, caseCode: code, in: req.context)
            } catch let refused as OnlineSteps.Refused {
                form.fail("ma-ho-so", refused.message)
            }
        }
        guard form.isValid else {
            return try await Self.render(req, request, errors: form.errors, notice: nil, status: .badRequest)
        }
        return req.redirect(to: "/\(Self.base)/\(request.id!.uuidString)?thongbao=da-gan-ho-so")
    }

    func download(req: Request) async throws -> Response {
        let request = try await Self.scopedRequest(req)
        guard let id = req.parameters.get("fileID", as: UUID.self),
            let file = try await OnlineRequestFile.find(id, on: req.db), file.requestID == request.id,
            let kind = AttachmentKind(rawValue: file.kind),
            let data = FileManager.default.contents(
                atPath: OnlineFiles.path(sha256: file.sha256, settings: req.application.settings)),
            SHA256.hex(data) == file.sha256
        else { throw Abort(.notFound) }
        try await req.application.accessLog.record(
            AuditEntry(
                action: "online.fileDownloaded", objectType: "online-request", objectID: request.id!.uuidString,
                unitID: request.unitID, summary: "\(request.trackingCode ?? ""): tải tệp \(file.sha256)"),
            actor: req.context.auditActor, app: req.application)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: kind.mimeType)
        response.headers.setAttachment(fileName: file.fileName)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    func overview(req: Request) async throws -> Response {
        let figures = try await OnlineQueue.overview(in: req.context)
        return OnlineStaffViews.overview(req.pageContext, figures).response
    }
}
