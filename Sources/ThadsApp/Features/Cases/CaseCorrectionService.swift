import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Corrections of saved values (B5): each needs a reason; a change of form is applied at once, a change of substance
/// waits for the unit head; applying writes one history row per field with before, after, actor and reason.
enum CaseCorrectionService {
    enum Outcome: Sendable {
        case applied
        case pending
    }

    /// The fields that differ, with the texts to show; an ID number is kept encrypted in `before`/`after`.
    static func changes(
        _ record: CaseRecord, new values: CaseRecordFields.Values, context: CaseEntryContext, keys: KeyStore
    ) throws -> [CaseCorrection.Change] {
        let current = record.values(keys: keys)
        var changes: [CaseCorrection.Change] = []
        for field in CorrectionPolicy.fields(of: record.kind) {
            guard let after = values[field], after != current[field] ?? "" else { continue }
            // An empty ID field means "keep the stored one"; it is never shown back in the form.
            if field == "idNumber" && after.isEmpty { continue }
            let before = current[field] ?? ""
            let sealed = { (value: String) throws -> String in
                field == "idNumber" && !value.isEmpty ? try keys.encrypt(value, purpose: CaseRecord.idPurpose) : value
            }
            changes.append(
                .init(
                    field: field, before: try sealed(before), after: try sealed(after),
                    beforeText: CaseRecordFields.display(record.kind, field, before, context: context),
                    afterText: CaseRecordFields.display(record.kind, field, after, context: context)))
        }
        return changes
    }

    /// Applies a change of form at once, or files a change of substance for the head.
    static func request(
        _ record: CaseRecord, changes: [CaseCorrection.Change], reason: String, reasonCode: String? = nil,
        of enforcementCase: EnforcementCase, in ctx: ActionContext
    ) async throws -> Outcome {
        let user = try ctx.staff
        let needsApproval = CorrectionPolicy.needsApproval(record.kind, changedFields: changes.map(\.field))
        if !needsApproval {
            try await ctx.write { db in
                try await apply(
                    record, changes: changes, reason: reason, reasonCode: reasonCode, of: enforcementCase,
                    actor: user.account, correctionID: nil, in: ctx, on: db)
                try await ctx.audit(
                    entry("case.corrected", enforcementCase, record, changes, reason: reason), on: db)
            }
            return .applied
        }
        let correction = CaseCorrection()
        correction.id = UUID()
        correction.caseID = enforcementCase.id!
        correction.unitID = enforcementCase.unitID
        correction.recordKind = record.kind
        correction.recordID = record.id!
        correction.changes = changes
        correction.reason = reason
        correction.reasonCode = reasonCode
        correction.requestedByID = user.account.id!
        correction.requestedByName = user.account.fullName
        correction.requestedAt = ctx.now
        correction.status = .pending
        try await ctx.write { db in
            // Refused now rather than at approval: the head should not be asked to approve what the lock forbids.
            try await PeriodLocks.check(
                caseID: correction.caseID, unitID: correction.unitID,
                dates: datesTouched(record, changes.reduce(into: [:]) { $0[$1.field] = $1.after }, keys: ctx.keys),
                on: db)
            try await correction.create(on: db)
            try await Workflows.start(
                .caseCorrection, subjectID: correction.id!, unitID: correction.unitID, in: ctx, on: db)
            try await ctx.audit(
                entry("case.correction-requested", enforcementCase, record, changes, reason: reason), on: db)
        }
        return .pending
    }

    /// Why an approval cannot go ahead, in Vietnamese.
    enum ApprovalError: Error {
        case ownRequest
        case notPending
        case recordChanged
        case recordGone
        case refused(String)

        var message: String {
            switch self {
            case .ownRequest: "Không được tự phê duyệt đề nghị hiệu chỉnh của chính mình."
            case .notPending: "Đề nghị này đã được xử lý."
            case .recordChanged:
                "Dữ liệu đã thay đổi sau khi đề nghị được gửi; hãy từ chối và đề nghị hiệu chỉnh lại trên dữ liệu mới."
            case .recordGone: "Không còn bản ghi cần hiệu chỉnh."
            case .refused(let message): message
            }
        }

        /// The engine's refusals in this queue's words.
        static func from(_ error: any Error) -> any Error {
            if let locked = error as? PeriodLocked { return ApprovalError.refused(locked.message) }
            if let refusal = error as? ChangeObservers.Refusal { return ApprovalError.refused(refusal.message) }
            return switch Workflows.Refusal(error) {
            case .alreadyDecided: ApprovalError.notPending
            case .ownInitiative: ApprovalError.ownRequest
            case .rule(let message): ApprovalError.refused(message)
            case nil: error
            }
        }
    }

    /// The head approves: the stored values must still be those the request was made against.
    static func approve(_ correction: CaseCorrection, note: String, in ctx: ActionContext) async throws {
        let user = try ctx.staff
        let keys = ctx.keys
        do {
            try await ctx.write { db in
                try await Workflows.decide(
                    .caseCorrection, subjectID: correction.id!, outcome: "approve", note: note, in: ctx, on: db)
                guard let enforcementCase = try await EnforcementCase.find(correction.caseID, on: db),
                    let record = try await CaseRecord.load(
                        correction.recordKind, id: correction.recordID, of: enforcementCase, on: db)
                else { throw ApprovalError.recordGone }
                let current = record.values(keys: keys)
                for change in correction.changes {
                    let before =
                        change.field == "idNumber" && !change.before.isEmpty
                        ? try keys.decrypt(change.before, purpose: CaseRecord.idPurpose) : change.before
                    guard (current[change.field] ?? "") == before else { throw ApprovalError.recordChanged }
                }
                guard let requester = try await Account.find(correction.requestedByID, on: db) else {
                    throw ApprovalError.recordGone
                }
                try await apply(
                    record, changes: correction.changes, reason: correction.reason,
                    reasonCode: correction.reasonCode, of: enforcementCase,
                    actor: requester, approver: user.account.fullName, correctionID: correction.id, in: ctx, on: db)
                correction.status = .approved
                correction.decidedByID = user.account.id
                correction.decidedAt = ctx.now
                correction.decisionNote = note.isEmpty ? nil : note
                try await correction.save(on: db)
                try await ctx.audit(
                    entry(
                        "case.correction-approved", enforcementCase, record, correction.changes,
                        reason: correction.reason),
                    on: db)
            }
        } catch {
            throw ApprovalError.from(error)
        }
    }

    static func reject(_ correction: CaseCorrection, note: String, in ctx: ActionContext) async throws {
        let user = try ctx.staff
        do {
            try await ctx.write { db in
                try await Workflows.decide(
                    .caseCorrection, subjectID: correction.id!, outcome: "reject", note: note, in: ctx, on: db)
                correction.status = .rejected
                correction.decidedByID = user.account.id
                correction.decidedAt = ctx.now
                correction.decisionNote = note
                try await correction.save(on: db)
                try await ctx.audit(
                    AuditEntry(
                        action: "case.correction-rejected", objectType: "case", objectID: correction.caseID.uuidString,
                        unitID: correction.unitID,
                        summary: "Từ chối hiệu chỉnh \(correction.recordKind.label.lowercased()): \(note)"), on: db)
            }
        } catch {
            throw ApprovalError.from(error)
        }
    }

    // MARK: Applying

    private static func apply(
        _ record: CaseRecord, changes: [CaseCorrection.Change], reason: String, reasonCode: String?,
        of enforcementCase: EnforcementCase, actor: Account, approver: String? = nil, correctionID: UUID?,
        in ctx: ActionContext, on db: any Database
    ) async throws {
        let keys = ctx.keys
        var values: CaseRecordFields.Values = [:]
        for change in changes {
            values[change.field] =
                change.field == "idNumber" && !change.after.isEmpty
                ? try keys.decrypt(change.after, purpose: CaseRecord.idPurpose) : change.after
        }
        try await PeriodLocks.admit(
            caseID: try enforcementCase.requireID(), unitID: enforcementCase.unitID,
            dates: datesTouched(record, values, keys: keys), change: "hiệu chỉnh \(record.kind.label.lowercased())",
            in: ctx, on: db)
        if case .money(let entry) = record {
            try await ctx.app.changeObservers.changed(.moneyRecordChanged, id: try entry.requireID(), ctx: ctx, on: db)
        }
        try record.apply(values, keys: keys, at: ctx.now)
        try await record.save(on: db)
        if case .money(let entry) = record {
            try await ctx.app.changeObservers.changed(.moneyRecordChanged, id: try entry.requireID(), ctx: ctx, on: db)
        }
        let now = ctx.now
        for change in changes {
            let row = CaseFieldChange()
            row.id = UUID()
            row.caseID = enforcementCase.id!
            row.recordKind = record.kind
            row.recordID = record.id!
            row.field = change.field
            row.beforeText = change.beforeText
            row.afterText = change.afterText
            row.reason = reason
            row.reasonCode = reasonCode
            row.actorID = actor.id!
            row.actorName = actor.fullName + (approver.map { " (duyệt: \($0))" } ?? "")
            row.correctionID = correctionID
            row.changedAt = now
            try await row.create(on: db)
        }
        if case .caseFile = record {
        } else {
            enforcementCase.updatedAt = now
            try await enforcementCase.save(on: db)
        }
        try await CaseQualityService.refresh(
            enforcementCase, today: ctx.today, at: ctx.now, deadlines: ctx.app.caseDeadlines, on: db)
        try await ctx.app.changeObservers.changed(
            .enforcementCase, id: try enforcementCase.requireID(), ctx: ctx, on: db)
    }

    /// The days a correction touches: the record's date before and after it (either may lie in a locked period).
    static func datesTouched(_ record: CaseRecord, _ changed: CaseRecordFields.Values, keys: KeyStore) -> [LocalDate] {
        let current = record.values(keys: keys)
        return [
            CaseRecordFields.eventDate(record.kind, current),
            CaseRecordFields.eventDate(record.kind, current.merging(changed) { $1 }),
        ].compactMap { $0 }
    }

    private static func entry(
        _ action: String, _ enforcementCase: EnforcementCase, _ record: CaseRecord, _ changes: [CaseCorrection.Change],
        reason: String
    ) -> AuditEntry {
        AuditEntry(
            action: action, objectType: "case", objectID: enforcementCase.id?.uuidString,
            unitID: enforcementCase.unitID,
            summary: "\(enforcementCase.code): \(record.kind.label.lowercased()) — "
                + changes.map { CorrectionPolicy.label(record.kind, field: $0.field) }.joined(separator: ", ")
                + ". Lý do: \(reason)",
            before: AuditEntry.json(Dictionary(uniqueKeysWithValues: changes.map { ($0.field, $0.beforeText) })),
            after: AuditEntry.json(Dictionary(uniqueKeysWithValues: changes.map { ($0.field, $0.afterText) })))
    }
}
