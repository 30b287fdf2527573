import Fluent
import Foundation
import ThadsDomain

/// What the status page and the staff page show of one request: its files, its messages, its steps as the
/// workflow engine recorded them, and (for staff) the outbox state of each email.
struct OnlineRequestData: Sendable {
    struct MailState: Sendable {
        let sentAt: Date?
        let attempts: Int
        let lastError: String?

        var label: String {
            if let sentAt { return "Đã gửi email " + Format.dateTime(sentAt) }
            if lastError != nil { return "Gửi email lỗi (\(attempts) lần thử), sẽ gửi lại" }
            return "Đang chờ gửi email"
        }

        var failed: Bool { sentAt == nil && lastError != nil }
    }

    let request: OnlineRequest
    let files: [OnlineRequestFile]
    let messages: [OnlineRequestMessage]
    let transitions: [WorkflowTransition]
    let mail: [UUID: MailState]
    let unitName: String

    static func load(_ request: OnlineRequest, on db: any Database) async throws -> OnlineRequestData {
        let files = try await OnlineRequestFile.query(on: db).filter(\.$requestID == request.id!)
            .sort(\.$uploadedAt).all()
        let messages = try await OnlineRequestMessage.query(on: db).filter(\.$requestID == request.id!)
            .sort(\.$at).all()
        var transitions: [WorkflowTransition] = []
        if let instance = try await Workflows.instance(request.machine, subjectID: request.id!, on: db) {
            transitions = try await WorkflowTransition.query(on: db).filter(\.$instanceID == instance.id!)
                .sort(\.$at).all()
        }
        let mailIDs = messages.compactMap(\.mailID)
        var mail: [UUID: MailState] = [:]
        if !mailIDs.isEmpty {
            for row in try await OutboxMail.query(on: db).filter(\.$id ~~ mailIDs).all() {
                mail[row.id!] = MailState(sentAt: row.sentAt, attempts: row.attempts, lastError: row.lastError)
            }
        }
        let unit = try await EnforcementUnit.find(request.unitID, on: db)
        return OnlineRequestData(
            request: request, files: files, messages: messages, transitions: transitions, mail: mail,
            unitName: unit?.name ?? "")
    }

    /// The steps as the submitter sees them: each step entered, when, its outcome and the note addressed to them
    /// (notes of outcomes that send a notice; internal hand-offs show their label only).
    struct StepLine: Sendable {
        let step: String
        let outcome: String
        let at: Date
        let note: String?
    }

    var publicSteps: [StepLine] {
        let machine = request.machine
        return transitions.map { transition in
            let notice = OnlineNoticeKind.forOutcome(transition.outcome, of: request.kind) != nil
            return StepLine(
                step: machine.step(transition.fromState)?.label ?? transition.fromState,
                outcome: machine.step(transition.fromState)?.outcome(transition.outcome)?.label ?? transition.outcome,
                at: transition.at, note: notice ? transition.note : nil)
        }
    }
}
