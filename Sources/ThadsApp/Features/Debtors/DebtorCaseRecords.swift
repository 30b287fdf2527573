import Fluent
import Foundation
import ThadsDomain

/// The records of a case the register reads, loaded for many cases at once: one query per table for the whole
/// batch (the daily take-in reads 500 cases at a time; a single case is a batch of one).
struct DebtorCaseRecords {
    let enforcementCase: EnforcementCase
    let judgment: Judgment
    let decisions: [CaseDecision]
    let debtor: CaseParty?
    let obligations: [CaseObligation]
    /// The verification days, oldest first.
    let verifiedOn: [LocalDate]
    let owed: Int64
    let collected: Int64
    /// Every money obligation goes to the state budget (exemption applies to those only).
    let stateBudgetOnly: Bool
    let enforcementDecidedOn: LocalDate?

    /// The decision that lists the case, while the case stands without conditions under one.
    struct Listing {
        let decision: CaseDecision
        let decidedOn: LocalDate
    }

    var listing: Listing? {
        let latest = decisions.filter { $0.kind == .noConditions }.max { $0.decidedOn < $1.decidedOn }
        guard PublicationRule.isListed(status: enforcementCase.status, hasNoConditionsDecision: latest != nil),
            let latest, let decidedOn = LocalDate(iso: latest.decidedOn)
        else { return nil }
        return Listing(decision: latest, decidedOn: decidedOn)
    }

    /// The records of each of `caseIDs` that exists, by case.
    static func load(_ caseIDs: [UUID], on db: any Database) async throws -> [UUID: DebtorCaseRecords] {
        guard !caseIDs.isEmpty else { return [:] }
        let cases = try await EnforcementCase.query(on: db).filter(\.$id ~~ caseIDs).all()
        let judgmentIDs = Array(Set(cases.map(\.judgmentID)))
        let judgments = Dictionary(
            try await Judgment.query(on: db).filter(\.$id ~~ judgmentIDs).all().map { ($0.id!, $0) },
            uniquingKeysWith: { first, _ in first })
        // Rows voided as entered by mistake count nowhere.
        let debtors = Dictionary(
            grouping: try await CaseParty.query(on: db).filter(\.$caseID ~~ caseIDs).filter(\.$role == .debtor)
                .filter(\.$voidNote == nil).sort(\.$fullName).all(), by: \.caseID)
        let obligations = Dictionary(
            grouping: try await CaseObligation.query(on: db).filter(\.$caseID ~~ caseIDs).filter(\.$voidNote == nil)
                .all(), by: \.caseID)
        let verifications = Dictionary(
            grouping: try await CaseVerification.query(on: db).filter(\.$caseID ~~ caseIDs).all(), by: \.caseID)
        let collections = Dictionary(
            grouping: try await CaseMoneyEntry.query(on: db).filter(\.$caseID ~~ caseIDs)
                .filter(\.$voidNote == nil).filter(\.$direction == .collected).all(), by: \.caseID)
        let decisions = Dictionary(
            grouping: try await CaseDecision.query(on: db).filter(\.$caseID ~~ caseIDs).all(), by: \.caseID)
        var records: [UUID: DebtorCaseRecords] = [:]
        for enforcementCase in cases {
            guard let caseID = enforcementCase.id, let judgment = judgments[enforcementCase.judgmentID] else {
                continue
            }
            let caseObligations = obligations[caseID] ?? []
            let caseDecisions = decisions[caseID] ?? []
            let moneyObligations = caseObligations.filter { $0.mode == .money }
            records[caseID] = DebtorCaseRecords(
                enforcementCase: enforcementCase, judgment: judgment, decisions: caseDecisions,
                debtor: debtors[caseID]?.first, obligations: caseObligations,
                verifiedOn: (verifications[caseID] ?? []).compactMap { LocalDate(iso: $0.verifiedOn) }.sorted(),
                owed: moneyObligations.compactMap(\.amount).reduce(0, +),
                collected: (collections[caseID] ?? []).map(\.amount).reduce(0, +),
                stateBudgetOnly: !moneyObligations.isEmpty
                    && moneyObligations.allSatisfy { $0.beneficiary == .stateBudget },
                enforcementDecidedOn: caseDecisions.filter { $0.kind == .enforcement }
                    .compactMap { LocalDate(iso: $0.decidedOn) }.min())
        }
        return records
    }
}
