import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Incidents (F5, J8) and change requests (F6).
struct IncidentsController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "su-co", access: .permission(.operatePlatform), use: list)
        routes.on(.GET, "su-co", "bao", access: .signedIn, use: reportForm)
        routes.on(.POST, "su-co", "bao", access: .signedIn, use: report)
        routes.on(.GET, "su-co", ":incidentID", access: .permission(.operatePlatform), use: show)
        routes.on(.GET, "su-co", ":incidentID", "in", access: .permission(.operatePlatform), use: printView)
        routes.on(.POST, "su-co", ":incidentID", "buoc", access: .permission(.operatePlatform), use: addStep)
        routes.on(.POST, "su-co", ":incidentID", "bao-cao", access: .permission(.operatePlatform), use: saveReport)
        routes.on(
            .POST, "van-hanh", "canh-bao", ":alertID", "su-co", access: .permission(.operatePlatform),
            use: fromAlert)
        routes.on(.GET, "yeu-cau-thay-doi", access: .signedIn, use: changeRequests)
        routes.on(.POST, "yeu-cau-thay-doi", access: .signedIn, use: submitChange)
        routes.on(.GET, "yeu-cau-thay-doi", ":requestID", access: .signedIn, use: showChange)
        routes.on(
            .POST, "yeu-cau-thay-doi", ":requestID", "phan-loai", access: .permission(.operatePlatform),
            use: classifyChange)
    }

    // MARK: Incidents

    func list(req: Request) async throws -> Response {
        let incidents = try await Incident.query(on: req.db).sort(\.$detectedAt, .descending).limit(200).all()
        return IncidentViews.list(req.pageContext, incidents).response
    }

    func reportForm(req: Request) async throws -> Response {
        let now = req.clock.now
        let form = [
            "detectedOn": LocalDate(date: now, in: .vietnam).display, "detectedTime": Self.time(now),
        ]
        return IncidentViews.reportForm(req.pageContext, form: form, errors: [:]).response
    }

    static func time(_ date: Date) -> String {
        String(Format.dateTime(date).suffix(5))
    }

    func report(req: Request) async throws -> Response {
        var check = FormCheck(req, keys: ["kind", "detectedOn", "detectedTime", "systems", "course"])
        let now = req.clock.now
        let kind = check.choice("kind", label: "Loại sự cố", IncidentKind.self)
        let day = check.date("detectedOn", label: "Ngày phát hiện", required: true, notAfter: req.clock.today)
        let clock = check["detectedTime"].split(separator: ":").compactMap { Int($0) }
        var detectedAt: Date?
        if clock.count == 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]), let day {
            detectedAt = day.startOfDay(in: .vietnam).addingTimeInterval(Double(clock[0] * 3600 + clock[1] * 60))
            if detectedAt! > now.addingTimeInterval(60) {
                check.fail("detectedTime", "Giờ phát hiện không được sau bây giờ.")
            }
        } else {
            check.fail("detectedTime", "Nhập giờ phát hiện theo dạng HH:mm.")
        }
        let systems = check.text("systems", label: "Hệ thống bị ảnh hưởng", required: true, max: 500)
        let course = check.text("course", label: "Diễn biến", required: true, max: 4000, lines: .multi)
        guard check.isValid, let kind, let detectedAt else {
            return IncidentViews.reportForm(
                req.pageContext, form: check.values(prefix: ""), errors: check.errors, status: .badRequest
            ).response
        }
        let incident = try await IncidentService.register(
            .init(
                kind: kind, severity: kind.defaultSeverity, detectedAt: detectedAt, systems: systems, course: course),
            in: req.context)
        let canOperate = (try? req.user.can(.operatePlatform)) ?? false
        return req.redirect(
            to: canOperate ? "/su-co/\(incident.id!.uuidString)" : "/su-co/bao?da-gui=\(incident.code)",
            redirectType: .normal)
    }

    func incident(_ req: Request) async throws -> Incident {
        guard let id = req.parameters.get("incidentID", as: UUID.self),
            let incident = try await Incident.find(id, on: req.db)
        else { throw Abort(.notFound) }
        return incident
    }

    func show(req: Request) async throws -> Response {
        let incident = try await incident(req)
        let steps = try await IncidentStep.query(on: req.db).filter(\.$incidentID == incident.id!).sort(\.$at).all()
        return IncidentViews.show(req.pageContext, incident, steps: steps, errors: [:]).response
    }

    func printView(req: Request) async throws -> Response {
        let incident = try await incident(req)
        let steps = try await IncidentStep.query(on: req.db).filter(\.$incidentID == incident.id!).sort(\.$at).all()
        return IncidentViews.printable(req.pageContext, incident, steps: steps).response
    }

    func addStep(req: Request) async throws -> Response {
        let incident = try await incident(req)
        var check = FormCheck(req, keys: ["action"])
        let action = check.text("action", label: "Biện pháp đã làm", required: true, max: 2000, lines: .multi)
        guard check.isValid else {
            let steps = try await IncidentStep.query(on: req.db).filter(\.$incidentID == incident.id!).all()
            return IncidentViews.show(
                req.pageContext, incident, steps: steps, errors: check.errors, status: .badRequest
            )
            .response
        }
        try await IncidentService.addStep(incident.id!, action: action, at: req.clock.now, in: req.context)
        return req.redirect(to: "/su-co/\(incident.id!.uuidString)", redirectType: .normal)
    }

    func saveReport(req: Request) async throws -> Response {
        let incident = try await incident(req)
        var check = FormCheck(req, keys: ["cause", "damage", "remedy", "prevention", "reported", "close"])
        let report = IncidentService.Report(
            cause: check.text("cause", label: "Nguyên nhân", max: 4000, lines: .multi),
            damage: check.text("damage", label: "Thiệt hại", max: 4000, lines: .multi),
            remedy: check.text("remedy", label: "Khắc phục", max: 4000, lines: .multi),
            prevention: check.text("prevention", label: "Phòng ngừa", max: 4000, lines: .multi),
            markReported: !check["reported"].isEmpty, close: !check["close"].isEmpty)
        guard check.isValid else {
            let steps = try await IncidentStep.query(on: req.db).filter(\.$incidentID == incident.id!).all()
            return IncidentViews.show(
                req.pageContext, incident, steps: steps, errors: check.errors, status: .badRequest
            )
            .response
        }
        try await IncidentService.saveReport(incident.id!, report, in: req.context)
        return req.redirect(to: "/su-co/\(incident.id!.uuidString)", redirectType: .normal)
    }

    func fromAlert(req: Request) async throws -> Response {
        guard let id = req.parameters.get("alertID", as: UUID.self),
            let alert = try await OperationsAlert.find(id, on: req.db)
        else { throw Abort(.notFound) }
        let kind: IncidentKind = alert.rule == AlertRule.abnormalAccess.rawValue ? .dataLeak : .software
        let incident = try await IncidentService.register(
            .init(
                kind: kind, severity: kind.defaultSeverity, detectedAt: alert.raisedAt, systems: "Nền tảng THADS",
                course: "Từ cảnh báo “\(AlertRule(rawValue: alert.rule)?.label ?? alert.rule)”: \(alert.summary)",
                alertID: alert.id), in: req.context)
        return req.redirect(to: "/su-co/\(incident.id!.uuidString)", redirectType: .normal)
    }

    // MARK: Change requests

    func visibleChanges(_ req: Request) async throws -> QueryBuilder<ChangeRequest> {
        let user = try req.user
        let query = ChangeRequest.query(on: req.db)
        return user.can(.operatePlatform) ? query : query.filter(\.$unitID == user.account.unitID)
    }

    func changeRequests(req: Request) async throws -> Response {
        let requests = try await visibleChanges(req).sort(\.$submittedAt, .descending).limit(300).all()
        return ChangeRequestViews.list(req.pageContext, requests, form: [:], errors: [:]).response
    }

    func submitChange(req: Request) async throws -> Response {
        var check = FormCheck(req, keys: ["content", "reason", "scope", "wish"])
        let submission = ChangeRequestService.Submission(
            content: check.text("content", label: "Nội dung", required: true, max: 4000, lines: .multi),
            reason: check.text("reason", label: "Lý do", required: true, max: 4000, lines: .multi),
            scope: check.text("scope", label: "Phạm vi", required: true, max: 1000, lines: .multi),
            wish: check.text("wish", label: "Mong muốn", max: 2000, lines: .multi))
        guard check.isValid else {
            let requests = try await visibleChanges(req).sort(\.$submittedAt, .descending).limit(300).all()
            return ChangeRequestViews.list(
                req.pageContext, requests, form: check.values(prefix: ""), errors: check.errors, status: .badRequest
            ).response
        }
        let request = try await ChangeRequestService.submit(submission, in: req.context)
        return req.redirect(to: "/yeu-cau-thay-doi/\(request.id!.uuidString)", redirectType: .normal)
    }

    func changeRequest(_ req: Request) async throws -> ChangeRequest {
        guard let id = req.parameters.get("requestID", as: UUID.self),
            let request = try await visibleChanges(req).filter(\.$id == id).first()
        else { throw Abort(.notFound) }
        return request
    }

    func showChange(req: Request) async throws -> Response {
        ChangeRequestViews.show(req.pageContext, try await changeRequest(req), form: [:], errors: [:]).response
    }

    func classifyChange(req: Request) async throws -> Response {
        let request = try await changeRequest(req)
        var check = FormCheck(req, keys: ["classification", "status", "decision"])
        let classification = check.choice("classification", label: "Phân loại", ChangeClass.self)
        let status = check.choice("status", label: "Trạng thái", ChangeStatus.self)
        let decision = check.text("decision", label: "Quyết định", max: 2000, lines: .multi)
        if status?.needsDecisionText == true, decision.isEmpty {
            check.fail("decision", "Ghi lý do không chấp nhận.")
        }
        guard check.isValid, let classification, let status else {
            return ChangeRequestViews.show(
                req.pageContext, request, form: check.values(prefix: ""), errors: check.errors, status: .badRequest
            ).response
        }
        try await ChangeRequestService.classify(
            request.id!, as: classification, status: status, decision: decision, in: req.context)
        return req.redirect(to: "/yeu-cau-thay-doi/\(request.id!.uuidString)", redirectType: .normal)
    }
}
