import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Everything the case page shows, read in one go.
struct CasePageData {
    enum Tab: String, CaseIterable {
        case summary = "tong-quan"
        case parties = "duong-su"
        case obligations = "nghia-vu"
        case decisions = "quyet-dinh"
        case verifications = "xac-minh"
        case documents = "tai-lieu"
        case history = "lich-su"
        case warnings = "canh-bao"

        var label: String {
            switch self {
            case .summary: "Tổng quan"
            case .parties: "Đương sự"
            case .obligations: "Nghĩa vụ và thu chi"
            case .decisions: "Quyết định"
            case .verifications: "Xác minh"
            case .documents: "Tài liệu"
            case .history: "Lịch sử"
            case .warnings: "Cảnh báo"
            }
        }
    }

    /// A form on the page that the server refused, shown again with its messages.
    struct FormState {
        var form: String
        var values: [String: String]
        var errors: [String: String]
    }

    let enforcementCase: EnforcementCase
    let judgment: Judgment
    let unitName: String
    let parties: [CaseParty]
    let obligations: [CaseObligation]
    let decisions: [CaseDecision]
    let verifications: [CaseVerification]
    let money: [CaseMoneyEntry]
    let attachments: [CaseAttachment]
    let history: [CaseFieldChange]
    let corrections: [CaseCorrection]
    let warnings: [QualityWarning]
    let snapshot: CaseSnapshot
    let duties: [(duty: CaseDuty, state: DueState)]
    let decisionDue: LocalDate?
    let context: CaseEntryContext
    let canChange: Bool
    let canDismiss: Bool
    /// Whole ID numbers by party, only for a role that acts on them (H2); everyone else sees the last three digits.
    let revealedIDNumbers: [UUID: String]
    /// Choices other features add to the money form (the receipt series when the unit has several open).
    var moneyFormExtras: [FormExtensions.Select] = []

    /// Reads what every tab shows (the record lists behind the summary, the duties and the warning count), and the
    /// documents and the change history only for their own tabs.
    static func load(_ enforcementCase: EnforcementCase, tab: Tab, req: Request, everyTab: Bool = false) async throws
        -> CasePageData
    {
        let db = req.db
        let caseID = try enforcementCase.requireID()
        // The judgment, the unit and the case's records in one statement; each list is a few rows, sorted here.
        let sets = try await ModelRowSets.read(
            [
                .of(Judgment.self, where: \.$id, equals: enforcementCase.judgmentID),
                .of(EnforcementUnit.self, where: \.$id, equals: enforcementCase.unitID),
                .of(CaseParty.self, where: \.$caseID, equals: caseID),
                .of(CaseObligation.self, where: \.$caseID, equals: caseID),
                .of(CaseDecision.self, where: \.$caseID, equals: caseID),
                .of(CaseVerification.self, where: \.$caseID, equals: caseID),
                .of(CaseMoneyEntry.self, where: \.$caseID, equals: caseID),
                .of(QualityWarning.self, where: \.$caseID, equals: caseID),
            ], named: CasePageLists.self, on: db)
        guard let judgment = try sets.models(Judgment.self, branch: 0).first else {
            throw Abort(.internalServerError, reason: "case without judgment")
        }
        let unitName = try sets.models(EnforcementUnit.self, branch: 1).first?.name ?? ""
        let context = try await CaseEntryContext.load(unitID: enforcementCase.unitID, in: req.context)
        let parties = try sets.models(CaseParty.self, branch: 2).sorted { $0.enteredAt < $1.enteredAt }
        let obligations = try sets.models(CaseObligation.self, branch: 3).sorted { $0.enteredAt < $1.enteredAt }
        let decisions = try sets.models(CaseDecision.self, branch: 4)
            .sorted { ($0.decidedOn, $0.enteredAt) < ($1.decidedOn, $1.enteredAt) }
        let verifications = try sets.models(CaseVerification.self, branch: 5)
            .sorted { ($0.verifiedOn, $0.enteredAt) < ($1.verifiedOn, $1.enteredAt) }
        let money = try sets.models(CaseMoneyEntry.self, branch: 6)
            .sorted { ($0.occurredOn, $0.enteredAt) < ($1.occurredOn, $1.enteredAt) }
        let snapshot = CaseQualityService.snapshot(
            enforcementCase, judgment: judgment, parties: parties, obligations: obligations, decisions: decisions,
            verifications: verifications, money: money)
        let duties = CaseDuties.duties(for: snapshot, deadlines: context.deadlines).map {
            ($0, DueState.state(due: $0.due, today: context.today, calendar: context.deadlines.calendar))
        }
        let user = try req.user
        var revealed: [UUID: String] = [:]
        if user.can(.viewPartyIDNumbers) {
            let keys = req.application.keys
            for party in parties {
                if let cipher = party.idNumberCipher,
                    let number = try? keys.decrypt(cipher, purpose: CaseRecord.idPurpose)
                {
                    revealed[party.id!] = number
                }
            }
        }
        var data = CasePageData(
            enforcementCase: enforcementCase, judgment: judgment,
            unitName: unitName,
            parties: parties, obligations: obligations, decisions: decisions, verifications: verifications,
            money: money,
            attachments: tab != .documents && !everyTab
                ? [] : try await CaseAttachment.query(on: db).filter(\.$caseID == caseID).sort(\.$uploadedAt).all(),
            history: tab != .history && !everyTab
                ? []
                : try await CaseFieldChange.query(on: db).filter(\.$caseID == caseID)
                    .sort(\.$changedAt, .descending).all(),
            corrections: tab != .history && !everyTab
                ? []
                : try await CaseCorrection.query(on: db).filter(\.$caseID == caseID)
                    .sort(\.$requestedAt, .descending).all(),
            warnings: try sets.models(QualityWarning.self, branch: 7).sorted { $0.openedAt < $1.openedAt },
            snapshot: snapshot, duties: duties,
            decisionDue: CaseDuties.enforcementDecisionDue(for: snapshot, deadlines: context.deadlines),
            context: context, canChange: user.canChange(enforcementCase),
            canDismiss: user.can(.dismissQualityWarnings) && enforcementCase.unitID == user.unit.id,
            revealedIDNumbers: revealed)
        if tab == .obligations && data.canChange {
            data.moneyFormExtras = try await req.application.formExtensions.selects(
                .moneyEntry, unitID: enforcementCase.unitID, ctx: req.context, on: db)
        }
        return data
    }

    var decisionLate: Bool { CaseDuties.enforcementDecisionLate(for: snapshot, deadlines: context.deadlines) }

    /// The legal deadline of the enforcement decision as shown: the hour for a provisional-measures decision, else
    /// the day.
    var decisionDueText: String? {
        if let dueAt = CaseDuties.enforcementDecisionDueAt(for: snapshot, deadlines: context.deadlines) {
            return CaseDuties.instantText(dueAt)
                + " (24 giờ kể từ khi nhận quyết định áp dụng biện pháp khẩn cấp tạm thời)"
        }
        return decisionDue.map { "ngày \($0.display)" }
    }

    /// The deadlines from their grounds of the decisions that record a grounds date, by decision id.
    var groundsDeadlines: [UUID: CaseDuties.DecisionDeadline] {
        Dictionary(
            CaseDuties.stateDecisionDeadlines(for: snapshot, deadlines: context.deadlines).map { ($0.decision.id, $0) },
            uniquingKeysWith: { a, _ in a })
    }
    var openWarnings: [QualityWarning] { warnings.filter { $0.status == .open } }

    /// Every dated event of the case, oldest first: the timeline on the history tab.
    var timeline: [(date: String, title: String, detail: String)] {
        var events: [(String, String, String)] = []
        if let date = judgment.judgmentDate { events.append((date, "Bản án, quyết định \(judgment.number)", "")) }
        if let date = judgment.effectiveDate { events.append((date, "Bản án có hiệu lực pháp luật", "")) }
        if let date = judgment.receivedOn { events.append((date, "Cơ quan thi hành án nhận bản án", "")) }
        for decision in decisions {
            events.append(
                (
                    decision.decidedOn, "\(decision.kind.label) số \(decision.number)",
                    decision.statusBefore == decision.statusAfter
                        ? "" : "\(decision.statusBefore.label) → \(decision.statusAfter.label)"
                ))
            if let notified = decision.notifiedOn { events.append((notified, "Giao, thông báo quyết định", "")) }
        }
        for verification in verifications {
            events.append((verification.verifiedOn, verification.outcome.label, verification.findings))
        }
        for entry in money {
            events.append(
                (entry.occurredOn, "\(entry.direction.label) \(MoneyText.dong(entry.amount))", entry.reference))
        }
        return events.sorted { $0.0 < $1.0 }.map { ($0.0, $0.1, $0.2) }
    }
}

/// The case page's lists, read on every view of a case (`ModelRowSets.read(_:named:on:)`).
enum CasePageLists: RowSetsName {}
