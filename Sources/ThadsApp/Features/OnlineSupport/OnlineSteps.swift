import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The staff's side of the process: every outcome through the one workflow engine, with the request's copy of the
/// state, the paused clock, the notice to the submitter and the audit event in the outcome's transaction.
enum OnlineSteps {
    /// What some outcomes carry besides the note.
    struct Extras: Sendable {
        var classification: String? = nil
        var assigneeID: UUID? = nil
        var fee: Int64? = nil
    }

    struct Refused: Error {
        let message: String
    }

    /// Takes `outcome` at the request's current step for the context's staff member.
    static func decide(
        _ request: OnlineRequest, outcome: String, note: String, extras: Extras, unitName: String,
        in ctx: ActionContext
    ) async throws {
        let user = try ctx.staff
        let procedure = request.kind
        let machine = procedure.machine
        guard request.submittedAt != nil else { throw Abort(.notFound) }
        // The petition's step 3 belongs to the officer the leader assigned.
        if procedure == .petition, request.state == "handling", let assigned = request.assignedOfficerID,
            assigned != user.account.id
        {
            throw Refused(message: "Chỉ công chức được lãnh đạo phân công mới xử lý bước này.")
        }
        if outcome == "assign" && extras.assigneeID == nil {
            throw Refused(message: "Chọn công chức được phân công giải quyết.")
        }
        if outcome == "classify" && extras.classification == nil {
            throw Refused(message: "Phân loại kiến nghị, phản ánh trước khi chuyển lãnh đạo.")
        }
        let link =
            ctx.settings.publicURL.absoluteString + "/" + PublicPages.prefix + "/"
            + OnlinePublicController.root + "/tra-cuu"
        try await ctx.write { db in
            let move = try await Workflows.decide(
                machine, subjectID: request.id!, outcome: outcome, note: note, in: ctx, on: db)
            try await apply(move, to: request, machine: machine, in: ctx)
            request.lastOfficerID = user.account.id
            if let classification = extras.classification { request.classification = classification }
            if let assignee = extras.assigneeID { request.assignedOfficerID = assignee }
            if let fee = extras.fee { request.fee = fee }
            try await request.save(on: db)
            if let kind = OnlineNoticeKind.forOutcome(outcome, of: procedure) {
                try await notify(
                    request, template: OnlineNotices.template(for: kind), text: note, unitName: unitName, link: link,
                    author: user.account.fullName, in: ctx, on: db)
            }
            try await ctx.audit(
                AuditEntry(
                    action: "online.step", objectType: "online-request", objectID: request.id!.uuidString,
                    unitID: request.unitID,
                    summary: "\(request.trackingCode ?? ""): \(machine.step(move.from)?.label ?? move.from) → "
                        + "\(machine.step(move.to)?.label ?? move.to)"),
                on: db)
        }
        await ctx.deliverMail()
    }

    /// The request's copy of the instance's move: state, step due instant, the pause opened or closed, the whole
    /// request's due instant, the completion time.
    static func apply(_ move: Workflows.Move, to request: OnlineRequest, machine: StepMachine, in ctx: ActionContext)
        async throws
    {
        request.state = move.to
        request.stepDueAt = machine.dueInstant(of: move.to, enteredAt: ctx.now, calendar: ctx.calendar)
        var pauses = request.pauses
        if machine.step(move.from)?.kind == .paused, let last = pauses.last, last.end == nil {
            pauses[pauses.count - 1] = .init(start: last.start, end: ctx.now)
        }
        if machine.step(move.to)?.kind == .paused { pauses.append(.init(start: ctx.now, end: nil)) }
        request.pauses = pauses
        if machine.step(move.to)?.isFinal == true {
            request.completedAt = ctx.now
            request.stepDueAt = nil
        } else {
            request.requestDueAt = request.clock?.dueInstant(calendar: ctx.calendar)
        }
    }

    /// Writes a notice from a template to the request's messages and to the outbox.
    static func notify(
        _ request: OnlineRequest, template: OnlineNotices.Template, text: String, unitName: String, link: String,
        author: String, in ctx: ActionContext, on db: any Database
    ) async throws {
        let values = [
            "ten": request.submitterName, "ma": request.trackingCode ?? "", "donvi": unitName,
            "thutuc": request.kind.label.lowercased(), "noidung": text, "lienket": link,
            "han": request.requestDueAt.map { Format.dateTime($0) } ?? "—",
        ]
        let subject = OnlineNotices.fill(template.subject, values)
        let body = OnlineNotices.fill(template.body, values)
        let mailID = try await ctx.enqueueMail(to: request.email, subject: subject, body: body, on: db)
        let message = OnlineRequestMessage()
        message.id = UUID()
        message.requestID = request.id!
        message.kind = template.kind == "message" ? "message" : "notice"
        message.template = template.id
        message.subject = subject
        message.body = template.kind == "received" ? (text.isEmpty ? subject : text) : text
        message.authorName = author
        message.at = ctx.now
        message.mailID = mailID
        message.toSubmitter = true
        try await message.create(on: db)
    }

    /// A message to the submitter (portal and email) or an internal note.
    static func say(
        _ request: OnlineRequest, text: String, toSubmitter: Bool, unitName: String, in ctx: ActionContext
    ) async throws {
        let user = try ctx.staff
        let link =
            ctx.settings.publicURL.absoluteString + "/" + PublicPages.prefix + "/"
            + OnlinePublicController.root + "/tra-cuu"
        try await ctx.write { db in
            if toSubmitter {
                try await notify(
                    request, template: OnlineNotices.message, text: text, unitName: unitName, link: link,
                    author: user.account.fullName, in: ctx, on: db)
            } else {
                let note = OnlineRequestMessage()
                note.id = UUID()
                note.requestID = request.id!
                note.kind = "note"
                note.subject = "Ghi chú nội bộ"
                note.body = text
                note.authorName = user.account.fullName
                note.at = ctx.now
                note.toSubmitter = false
                try await note.create(on: db)
            }
            try await ctx.audit(
                AuditEntry(
                    action: toSubmitter ? "online.message" : "online.note", objectType: "online-request",
                    objectID: request.id!.uuidString, unitID: request.unitID,
                    summary:
                        "\(request.trackingCode ?? ""): \(toSubmitter ? "tin nhắn cho người gửi" : "ghi chú nội bộ")"
                ), on: db)
        }
        if toSubmitter { await ctx.deliverMail() }
    }

    /// The submitter's supplement while the request waits for them: kept with its files, and the clock resumes
    /// (the paused step's "supplemented" outcome, taken by the system for the visitor).
    static func supplement(
        _ request: OnlineRequest, text: String, uploads: [OnlineSubmissions.Upload], in ctx: ActionContext
    ) async throws {
        let machine = request.machine
        guard machine.step(request.state)?.kind == .paused else {
            throw Refused(message: "Hồ sơ không ở trạng thái chờ bổ sung.")
        }
        for upload in uploads { try OnlineFiles.store(upload.data, settings: ctx.settings) }
        let system = ActionContext(
            actor: .system(task: "online.supplement"), scope: .all, db: ctx.db, clock: ctx.clock, ip: ctx.ip,
            app: ctx.app)
        try await ctx.write { db in
            let move = try await Workflows.decide(
                machine, subjectID: request.id!, outcome: "supplemented", note: "Người gửi bổ sung qua cổng trực tuyến",
                in: system, on: db)
            try await apply(move, to: request, machine: machine, in: ctx)
            try await request.save(on: db)
            for upload in uploads {
                try await OnlineFiles.record(upload, request: request.id!, fromSubmitter: true, at: ctx.now, on: db)
            }
            let message = OnlineRequestMessage()
            message.id = UUID()
            message.requestID = request.id!
            message.kind = "supplement"
            message.subject = "Người gửi bổ sung hồ sơ"
            message.body = text
            message.authorName = request.submitterName
            message.at = ctx.now
            message.toSubmitter = true
            try await message.create(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "online.supplement", objectType: "online-request", objectID: request.id!.uuidString,
                    unitID: request.unitID, summary: "\(request.trackingCode ?? ""): người gửi bổ sung hồ sơ"),
                on: db)
        }
    }

    /// Links an accepted request to a case of the same unit (by its code).
    static func linkCase(_ request: OnlineRequest, caseCode: String, in ctx: ActionContext) async throws {
        guard
            let found = try await EnforcementCase.query(on: ctx.db).filter(\.$code == caseCode)
                .filter(\.$unitID == request.unitID).first()
        else { throw Refused(message: "Không tìm thấy hồ sơ thi hành án có mã này trong đơn vị.") }
        try await ctx.write { db in
            request.caseID = found.id
            try await request.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "online.caseLinked", objectType: "online-request", objectID: request.id!.uuidString,
                    unitID: request.unitID, summary: "\(request.trackingCode ?? ""): gắn với hồ sơ \(found.code)"),
                on: db)
        }
    }
}
