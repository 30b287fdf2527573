import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Incidents (F5): registered by anyone on staff, contained and reported by the operators; a severe one must be
/// remedied 24 clock hours after it was detected (Art. 13.2), with a reminder mailed four hours before.
enum IncidentService {
    struct Registration: Sendable {
        var kind: IncidentKind
        var severity: IncidentSeverity
        var detectedAt: Date
        var systems: String
        var course: String
        var alertID: UUID?
    }

    static func register(_ form: Registration, in ctx: ActionContext) async throws -> Incident {
        let actor = OperationsLog.actorName(ctx)
        let unitID: UUID? = if case .staff(let user) = ctx.actor { user.account.unitID } else { nil }
        let incident = try await ctx.write { db in
            let year = LocalDate(date: form.detectedAt, in: .vietnam).year
            let number = try await Sequences.take(Sequences.Key(series: "incident", period: year), on: db)
            let incident = Incident()
            incident.id = UUID()
            incident.code = String(format: "SC-%04d-%04d", year, number)
            incident.detectedAt = form.detectedAt
            incident.reportedBy = actor
            incident.unitID = unitID
            incident.kind = form.kind.rawValue
            incident.severity = form.severity.rawValue
            incident.systems = form.systems
            incident.course = form.course
            incident.cause = ""
            incident.damage = ""
            incident.remedy = ""
            incident.prevention = ""
            incident.dueAt = form.severity.remedyDue(detectedAt: form.detectedAt)
            incident.alertID = form.alertID
            try await incident.create(on: db)
            if let alertID = form.alertID, let alert = try await OperationsAlert.find(alertID, on: db) {
                alert.incidentID = incident.id
                if alert.acknowledgedAt == nil {
                    alert.acknowledgedAt = ctx.now
                    alert.acknowledgedBy = actor
                    alert.note = "Chuyển thành sự cố \(incident.code)"
                }
                try await alert.save(on: db)
            }
            try await ctx.audit(
                AuditEntry(
                    action: "incident.registered", objectType: "incident", objectID: incident.id?.uuidString,
                    unitID: unitID, summary: "\(incident.code): \(form.kind.label), \(form.severity.label)"), on: db)
            try await OperationsLog.append(
                actor: actor, task: "Tiếp nhận sự cố \(incident.code)", result: form.severity.label,
                notes: form.kind.label, at: ctx.now, on: db)
            let admins = try await Account.query(on: db).filter(\.$accountClass == .centralAdmin)
                .filter(\.$status == .active).all()
            for admin in admins {
                try await ctx.enqueueMail(
                    to: admin.email,
                    subject: "[THADS] Sự cố \(incident.code): \(form.kind.label) (\(form.severity.label))",
                    body: "Sự cố mới được báo lúc \(Format.dateTime(ctx.now))"
                        + (incident.dueAt.map { ". Hạn khắc phục (24 giờ): \(Format.dateTime($0))" } ?? "")
                        + ".\n\(ctx.settings.publicURL.absoluteString)/su-co/\(incident.id!.uuidString)", on: db)
            }
            return incident
        }
        await ctx.deliverMail()
        return incident
    }

    static func addStep(_ incidentID: UUID, action: String, at: Date, in ctx: ActionContext) async throws {
        try await ctx.write { db in
            guard try await Incident.find(incidentID, on: db) != nil else { throw Abort(.notFound) }
            let step = IncidentStep()
            step.id = UUID()
            step.incidentID = incidentID
            step.at = at
            step.action = action
            step.by = OperationsLog.actorName(ctx)
            try await step.create(on: db)
            try await ctx.audit(
                AuditEntry(action: "incident.step", objectType: "incident", objectID: incidentID.uuidString), on: db)
        }
    }

    struct Report: Sendable {
        var cause: String
        var damage: String
        var remedy: String
        var prevention: String
        var markReported: Bool
        var close: Bool
    }

    static func saveReport(_ incidentID: UUID, _ report: Report, in ctx: ActionContext) async throws {
        try await ctx.write { db in
            guard let incident = try await Incident.find(incidentID, on: db) else { throw Abort(.notFound) }
            incident.cause = report.cause
            incident.damage = report.damage
            incident.remedy = report.remedy
            incident.prevention = report.prevention
            if report.markReported, incident.reportedAt == nil { incident.reportedAt = ctx.now }
            if report.close, incident.closedAt == nil { incident.closedAt = ctx.now }
            try await incident.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "incident.report", objectType: "incident", objectID: incidentID.uuidString,
                    summary: incident.code + (report.markReported ? ": đã báo cáo" : "")), on: db)
        }
    }

    /// Hourly: a severe incident not remedied yet whose due time is less than four hours away (or past) gets one
    /// reminder to the central administrators.
    static let reminderJob = ScheduledJob(
        name: "operations.incident-reminders", schedule: .every(seconds: 3600), workingDaysOnly: false
    ) { try await remind($0) }

    @discardableResult
    static func remind(_ ctx: ActionContext) async throws -> Int {
        let soon = ctx.now.addingTimeInterval(4 * 3600)
        let due = try await Incident.query(on: ctx.db).filter(\.$closedAt == nil).filter(\.$remindedAt == nil)
            .filter(\.$dueAt != nil).filter(\.$dueAt <= soon).all()
        guard !due.isEmpty else { return 0 }
        try await ctx.write { db in
            let admins = try await Account.query(on: db).filter(\.$accountClass == .centralAdmin)
                .filter(\.$status == .active).all()
            for incident in due {
                incident.remindedAt = ctx.now
                try await incident.save(on: db)
                for admin in admins {
                    try await ctx.enqueueMail(
                        to: admin.email, subject: "[THADS] Nhắc hạn khắc phục sự cố \(incident.code)",
                        body: "Sự cố nghiêm trọng \(incident.code) phải được khắc phục trước "
                            + "\(Format.dateTime(incident.dueAt)) (24 giờ kể từ khi phát hiện).", on: db)
                }
            }
        }
        await ctx.deliverMail()
        return due.count
    }
}

/// Change requests (F6): a unit submits, the central department classifies and decides, the submitter follows.
enum ChangeRequestService {
    struct Submission: Sendable {
        var content: String
        var reason: String
        var scope: String
        var wish: String
    }

    static func submit(_ form: Submission, in ctx: ActionContext) async throws -> ChangeRequest {
        let user = try ctx.staff
        return try await ctx.write { db in
            let request = ChangeRequest()
            request.id = UUID()
            request.unitID = user.account.unitID
            request.submittedBy = user.account.id!
            request.submittedAt = ctx.now
            request.content = form.content
            request.reason = form.reason
            request.scope = form.scope
            request.wish = form.wish
            request.status = ChangeStatus.received.rawValue
            try await request.create(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "changeRequest.submitted", objectType: "changeRequest", objectID: request.id?.uuidString,
                    unitID: user.account.unitID), on: db)
            return request
        }
    }

    static func classify(
        _ id: UUID, as classification: ChangeClass, status: ChangeStatus, decision: String, in ctx: ActionContext
    ) async throws {
        let user = try ctx.staff
        try await ctx.write { db in
            guard let request = try await ChangeRequest.find(id, on: db) else { throw Abort(.notFound) }
            request.classification = classification.rawValue
            request.status = status.rawValue
            request.decision = decision.isEmpty ? nil : decision
            request.decidedBy = user.account.username
            request.decidedAt = ctx.now
            try await request.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "changeRequest.classified", objectType: "changeRequest", objectID: id.uuidString,
                    unitID: request.unitID, summary: "\(classification.label) — \(status.label)"), on: db)
            if let submitter = try await Account.find(request.submittedBy, on: db) {
                try await ctx.enqueueMail(
                    to: submitter.email, subject: "[THADS] Yêu cầu thay đổi: \(status.label)",
                    body: "Yêu cầu thay đổi của đơn vị đã được phân loại \(classification.label), trạng thái "
                        + "\(status.label).\n\(ctx.settings.publicURL.absoluteString)/yeu-cau-thay-doi/\(id.uuidString)",
                    on: db)
            }
        }
        await ctx.deliverMail()
    }
}
