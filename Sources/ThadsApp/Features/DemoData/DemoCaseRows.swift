import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The rows of one generated case, drawn from a seeded generator: a judgment, the case with a status that fits its
/// age, its parties, obligations, decisions, verification and money, all consistent with the lifecycle so that the
/// quality rules find in generated data what they would find in real data (mostly nothing).
struct DemoCaseRows {
    struct Unit {
        let id: UUID
        let code: String
        let provinceCode: String
    }

    var judgments = BulkInsert(
        "judgments",
        [
            "id", "unit_id", "court_code", "number", "number_key", "judgment_date", "kind_code", "effective_date",
            "received_on", "entered_at", "is_late", "created_by_id",
        ])
    var cases = BulkInsert(
        "enforcement_cases",
        [
            "id", "code", "unit_id", "judgment_id", "start_mode", "request_received_on", "status", "resume_status",
            "officer_id", "statistical_year", "opened_on", "closed_on", "created_at", "created_by_id", "updated_at",
        ])
    var parties = BulkInsert(
        "case_parties",
        [
            "id", "case_id", "unit_id", "role", "kind", "full_name", "name_folded", "name_exact", "birth_year",
            "id_number_cipher", "id_number_index", "id_number_last3", "address", "entered_at", "created_by_id",
        ])
    var obligations = BulkInsert(
        "case_obligations",
        [
            "id", "case_id", "kind_code", "mode", "amount", "description", "beneficiary", "periodic", "entered_at",
            "created_by_id",
        ])
    var decisions = BulkInsert(
        "case_decisions",
        [
            "id", "case_id", "kind", "number", "decided_on", "ground_code", "signer", "notified_on", "notes",
            "status_before", "status_after", "entered_at", "is_late", "created_by_id",
        ])
    var verifications = BulkInsert(
        "case_verifications",
        [
            "id", "case_id", "verified_on", "outcome", "findings", "status_before", "status_after", "entered_at",
            "is_late", "created_by_id",
        ])
    var money = BulkInsert(
        "case_money",
        [
            "id", "case_id", "direction", "amount", "occurred_on", "reference", "notes", "entered_at", "is_late",
            "created_by_id",
        ])

    var isEmpty: Bool { cases.isEmpty }
    var caseCount: Int { cases.count }

    /// Writes everything drawn so far, in foreign-key order, on the caller's transaction.
    mutating func flush(on db: any Database) async throws {
        try await judgments.flush(on: db)
        try await cases.flush(on: db)
        try await parties.flush(on: db)
        try await obligations.flush(on: db)
        try await decisions.flush(on: db)
        try await verifications.flush(on: db)
        try await money.flush(on: db)
    }
}

/// Draws the facts of one case.
struct DemoCaseDraw {
    var random: SeededGenerator
    var ids: TimeOrderedUUIDs
    let keys: KeyStore
    let creatorID: UUID
    let now: Date
    var today: LocalDate { LocalDate(date: now, in: .vietnam) }
    let firstDay = LocalDate(iso: "2018-10-01")!

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }

    mutating func personName(male: Bool) -> String {
        let family = VietnameseNames.familyName(
            draw: Int.random(in: 0..<VietnameseNames.familyNameBounds.total, using: &random))
        let middle = pick(male ? VietnameseNames.maleMiddleNames : VietnameseNames.femaleMiddleNames)
        let given = pick(male ? VietnameseNames.maleGivenNames : VietnameseNames.femaleGivenNames)
        return "\(family) \(middle) \(given)"
    }

    mutating func organisationName() -> String {
        "\(pick(VietnameseNames.organisationForms)) \(pick(VietnameseNames.organisationWords)) \(Int.random(in: 1...99, using: &random))"
    }

    /// A status that fits a case opened `age` days ago.
    mutating func status(age: Int) -> CaseStatus {
        let table: [(CaseStatus, Int)] =
            age > 720
            ? [
                (.completed, 55), (.terminated, 8), (.withoutConditions, 25), (.withConditions, 5), (.suspended, 3),
                (.postponed, 2), (.transferred, 2),
            ]
            : age > 180
                ? [
                    (.completed, 35), (.withoutConditions, 25), (.withConditions, 25), (.accepted, 5), (.postponed, 4),
                    (.suspended, 3), (.terminated, 3),
                ]
                : [(.accepted, 40), (.withConditions, 30), (.withoutConditions, 15), (.completed, 10), (.postponed, 5)]
        var draw = Int.random(in: 0..<100, using: &random)
        for (status, share) in table {
            if draw < share { return status }
            draw -= share
        }
        return .accepted
    }

    /// The decision that brought the case to `status` after its enforcement decision (nil: none needed).
    static func closingDecision(_ status: CaseStatus) -> (CaseDecisionKind, CaseStatus, String)? {
        switch status {
        case .completed: (.completion, .withConditions, "L106-COMPLETE")
        case .terminated: (.termination, .withConditions, "L106-TERMINATE")
        case .withoutConditions: (.noConditions, .accepted, "L106-NOCOND")
        case .postponed: (.postponement, .accepted, "L106-POSTPONE")
        case .suspended: (.suspension, .withConditions, "L106-SUSPEND")
        case .transferred: (.transfer, .accepted, "L106-TRANSFER")
        case .accepted, .withConditions, .requestReturned: nil
        }
    }

    mutating func idNumber(male: Bool, birthYear: Int, provinceCode: String) -> String {
        let century = (birthYear >= 2000 ? 2 : 0) + (male ? 0 : 1)
        return "0\(provinceCode)\(century)\(String(format: "%02d", birthYear % 100))"
            + String(format: "%06d", Int.random(in: 0..<1_000_000, using: &random))
    }
}
