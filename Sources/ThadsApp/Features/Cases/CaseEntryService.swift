import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Writes new records of a case (B1, B3, B6): each in one transaction with the case's status change, the quality
/// re-check and the audit event.
enum CaseEntryService {
    /// Another case on the same court and judgment number, found before a new case is opened.
    struct Twin: Sendable {
        let caseID: UUID
        let code: String
        let unitID: UUID
        let unitName: String
        let startMode: CaseStartMode
    }

    static func twins(courtCode: String, number: String, on db: any Database) async throws -> [Twin] {
        let key = CaseQuality.judgmentNumberKey(number)
        let cases =
            try await CaseQualityService.casesOnJudgments([.init(court: courtCode, numberKey: key)], on: db)[
                CaseQualityService.judgmentKey(courtCode, key)]?.prefix(20) ?? []
        guard !cases.isEmpty else { return [] }
        let units = try await EnforcementUnit.query(on: db).filter(\.$id ~~ Set(cases.map(\.unitID))).all()
        return cases.map { c in
            Twin(
                caseID: c.id, code: c.code, unitID: c.unitID, unitName: units.first { $0.id == c.unitID }?.name ?? "",
                startMode: c.startMode)
        }
    }

    /// Opens a case: its judgment, the case with its code and the enforcement decision that opens it.
    static func open(
        judgment values: CaseRecordFields.Values, caseFile: CaseRecordFields.Values,
        decision decisionValues: CaseRecordFields.Values, lateReason: String?, limitationReason: String? = nil,
        context: CaseEntryContext, in ctx: ActionContext
    ) async throws -> EnforcementCase {
        let user = try ctx.staff
        let unit = user.unit
        let keys = ctx.keys
        let now = ctx.now
        let startMonth =
            ctx.parameters.value(LegalParameterName.statisticalYearStartMonth, on: context.today)
            .map { Int($0.value) } ?? 10
        return try await ctx.write { db in
            let judgment = Judgment()
            judgment.id = UUID()
            judgment.unitID = unit.id!
            judgment.enteredAt = now
            judgment.createdByID = user.account.id!
            try CaseRecord.judgment(judgment).apply(values, keys: keys, at: now)
            judgment.isLate = context.isLate(CaseRecordFields.eventDate(.judgment, values))
            judgment.lateReason = judgment.isLate ? lateReason : nil
            try await judgment.create(on: db)

            let decidedOn = LocalDate(iso: decisionValues["decidedOn"] ?? "") ?? context.today
            let (code, year) = try await CaseQualityService.nextCode(
                unit: unit, openedOn: decidedOn, startMonth: startMonth, on: db)
            let enforcementCase = EnforcementCase()
            enforcementCase.id = UUID()
            enforcementCase.code = code
            enforcementCase.unitID = unit.id!
            enforcementCase.judgmentID = judgment.id!
            enforcementCase.status = CaseLifecycle.initialStatus
            enforcementCase.statisticalYear = year
            enforcementCase.openedOn = decidedOn.iso
            enforcementCase.createdAt = now
            enforcementCase.createdByID = user.account.id!
            enforcementCase.updatedAt = now
            try CaseRecord.caseFile(enforcementCase).apply(caseFile, keys: keys, at: now)
            enforcementCase.limitationReason = limitationReason
            try await enforcementCase.create(on: db)

            let decision = newDecision(for: enforcementCase, kind: .enforcement, by: user, at: now)
            decision.statusBefore = CaseLifecycle.initialStatus
            decision.statusAfter = CaseLifecycle.initialStatus
            try CaseRecord.decision(decision).apply(decisionValues, keys: keys, at: now)
            decision.isLate = context.isLate(decidedOn)
            decision.lateReason = decision.isLate ? lateReason : nil
            try await decision.create(on: db)

            try await CaseQualityService.refresh(
                enforcementCase, today: context.today, at: now, deadlines: context.deadlines, on: db)
            // The cases already on this judgment now have a twin too.
            for twin in try await twins(courtCode: judgment.courtCode, number: judgment.number, on: db)
            where twin.caseID != enforcementCase.id {
                if let other = try await EnforcementCase.find(twin.caseID, on: db) {
                    try await CaseQualityService.refresh(
                        other, today: context.today, at: now, deadlines: context.deadlines, on: db)
                }
            }
            try await ctx.app.changeObservers.changed(.enforcementCase, id: enforcementCase.id!, ctx: ctx, on: db)
            var auditedCase = caseFile
            if let limitationReason { auditedCase["limitationReason"] = limitationReason }
            try await ctx.audit(
                AuditEntry(
                    action: "case.opened", objectType: "case", objectID: enforcementCase.id?.uuidString,
                    unitID: unit.id, summary: "Thụ lý hồ sơ \(code) theo bản án \(judgment.number)",
                    after: AuditEntry.json(["judgment": values, "case": auditedCase, "decision": decisionValues])),
                on: db)
            return enforcementCase
        }
    }

    /// A record added to an open case, with what it does to the case's status.
    enum Addition: Sendable {
        case party
        case obligation
        case decision(CaseDecisionKind, CaseState)
        case verification(VerificationOutcome, CaseState)
        case money(MoneyDirection)

        var kind: CaseRecordKind {
            switch self {
            case .party: .party
            case .obligation: .obligation
            case .decision: .decision
            case .verification: .verification
            case .money: .money
            }
        }
    }

    /// Adds one record to the case and re-checks it; returns the new record's id.
    @discardableResult
    static func add(
        _ addition: Addition, values: CaseRecordFields.Values, lateReason: String?, to enforcementCase: EnforcementCase,
        context: CaseEntryContext, in ctx: ActionContext
    ) async throws -> UUID {
        let user = try ctx.staff
        let keys = ctx.keys
        let now = ctx.now
        let caseID = try enforcementCase.requireID()
        let isLate = context.isLate(CaseRecordFields.eventDate(addition.kind, values))
        return try await ctx.write { db in
            if let date = CaseRecordFields.eventDate(addition.kind, values) {
                try await PeriodLocks.admit(
                    caseID: caseID, unitID: enforcementCase.unitID, dates: [date],
                    change: "thêm \(addition.kind.label.lowercased())", in: ctx, on: db)
            }
            let record: CaseRecord
            let before = enforcementCase.status
            switch addition {
            case .party:
                let party = CaseParty()
                party.id = UUID()
                party.caseID = caseID
                party.unitID = enforcementCase.unitID
                party.enteredAt = now
                party.createdByID = user.account.id!
                record = .party(party)
            case .obligation:
                let obligation = CaseObligation()
                obligation.id = UUID()
                obligation.caseID = caseID
                obligation.enteredAt = now
                obligation.createdByID = user.account.id!
                record = .obligation(obligation)
            case .decision(let kind, let next):
                let decision = newDecision(for: enforcementCase, kind: kind, by: user, at: now)
                decision.statusBefore = before
                decision.statusAfter = next.status
                decision.isLate = isLate
                decision.lateReason = isLate ? lateReason : nil
                move(enforcementCase, to: next, on: values["decidedOn"])
                record = .decision(decision)
            case .verification(let outcome, let next):
                let verification = CaseVerification()
                verification.id = UUID()
                verification.caseID = caseID
                verification.outcome = outcome
                verification.statusBefore = before
                verification.statusAfter = next.status
                verification.enteredAt = now
                verification.isLate = isLate
                verification.lateReason = isLate ? lateReason : nil
                verification.createdByID = user.account.id!
                move(enforcementCase, to: next, on: nil)
                record = .verification(verification)
            case .money(let direction):
                let entry = CaseMoneyEntry()
                entry.id = UUID()
                entry.caseID = caseID
                entry.direction = direction
                entry.enteredAt = now
                entry.isLate = isLate
                entry.lateReason = isLate ? lateReason : nil
                entry.createdByID = user.account.id!
                record = .money(entry)
            }
            try record.apply(values, keys: keys, at: now)
            try await record.save(on: db)
            enforcementCase.updatedAt = now
            try await enforcementCase.save(on: db)
            try await CaseQualityService.refresh(
                enforcementCase, today: context.today, at: now, deadlines: context.deadlines, on: db)
            if case .party(let party) = record, party.role == .debtor, let year = party.birthYear {
                // The namesakes' cases now have a possible duplicate too.
                let others = try await CaseParty.query(on: db).filter(\.$unitID == party.unitID)
                    .filter(\.$nameFolded == party.nameFolded).filter(\.$birthYear == year).filter(\.$role == .debtor)
                    .filter(\.$caseID != caseID).limit(50).all(\.$caseID)
                for other in try await EnforcementCase.query(on: db).filter(\.$id ~~ Set(others)).all() {
                    try await CaseQualityService.refresh(
                        other, today: context.today, at: now, deadlines: context.deadlines, on: db)
                }
            }
            try await ctx.app.changeObservers.changed(.enforcementCase, id: caseID, ctx: ctx, on: db)
            if case .money(let entry) = record {
                try await ctx.app.changeObservers.changed(.moneyRecordAdded, id: entry.id!, ctx: ctx, on: db)
            }
            var shown = values
            if let id = shown["idNumber"], !id.isEmpty { shown["idNumber"] = "*********" + id.suffix(3) }
            try await ctx.audit(
                AuditEntry(
                    action: "case.\(addition.kind.rawValue)-added", objectType: "case", objectID: caseID.uuidString,
                    unitID: enforcementCase.unitID,
                    summary: "\(enforcementCase.code): thêm \(addition.kind.label.lowercased())"
                        + (before != enforcementCase.status
                            ? "; trạng thái \(before.label) → \(enforcementCase.status.label)" : ""),
                    after: AuditEntry.json(shown)), on: db)
            return record.id!
        }
    }

    private static func newDecision(
        for enforcementCase: EnforcementCase, kind: CaseDecisionKind, by user: CurrentUser, at now: Date
    ) -> CaseDecision {
        let decision = CaseDecision()
        decision.id = UUID()
        decision.caseID = enforcementCase.id!
        decision.kind = kind
        decision.enteredAt = now
        decision.isLate = false
        decision.createdByID = user.account.id!
        return decision
    }

    private static func move(_ enforcementCase: EnforcementCase, to next: CaseState, on decidedOn: String?) {
        enforcementCase.status = next.status
        enforcementCase.resumeStatus = next.resumeStatus
        if next.status.isClosed { enforcementCase.closedOn = decidedOn }
    }
}
