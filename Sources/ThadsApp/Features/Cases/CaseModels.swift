import Fluent
import Foundation
import ThadsDomain
import Vapor

/// A judgment or decision to enforce (B1); one judgment may yield several cases.
final class Judgment: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $unitID, $courtCode, $number, $numberKey, $judgmentDate, $kindCode, $effectiveDate, $receivedOn,
            $provisionalReceivedAt, $enteredAt, $isLate, $lateReason, $createdByID,
        ]
    }
    static let schema = "judgments"

    @ID(key: .id) var id: UUID?
    /// The unit that entered it; duplicates are looked for nationwide by `numberKey`.
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "court_code") var courtCode: String
    @Field(key: "number") var number: String
    /// `CaseQuality.judgmentNumberKey(number)`, indexed with the court for duplicate checks.
    @Field(key: "number_key") var numberKey: String
    @OptionalField(key: "judgment_date") var judgmentDate: String?
    @Field(key: "kind_code") var kindCode: String
    @OptionalField(key: "effective_date") var effectiveDate: String?
    /// The day the unit received it: the event date for timeliness.
    @OptionalField(key: "received_on") var receivedOn: String?
    /// Set only for a decision applying provisional emergency measures: the instant it was received, which starts
    /// the 24 hours for its enforcement decision.
    @OptionalField(key: "provisional_received_at") var provisionalReceivedAt: Date?
    @Field(key: "entered_at") var enteredAt: Date
    @Field(key: "is_late") var isLate: Bool
    @OptionalField(key: "late_reason") var lateReason: String?
    @Field(key: "created_by_id") var createdByID: UUID

    init() {}
}

/// One enforcement case: one enforcement decision (DOMAIN.md).
final class EnforcementCase: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $code, $unitID, $judgmentID, $startMode, $requestReceivedOn, $status, $resumeStatus, $officerID,
            $statisticalYear, $openedOn, $closedOn, $createdAt, $createdByID, $updatedAt, $legacyCode,
            $limitationReason,
        ]
    }
    static let schema = "enforcement_cases"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "judgment_id") var judgmentID: UUID
    @Enum(key: "start_mode") var startMode: CaseStartMode
    @OptionalField(key: "request_received_on") var requestReceivedOn: String?
    @Enum(key: "status") var status: CaseStatus
    @OptionalEnum(key: "resume_status") var resumeStatus: CaseStatus?
    @OptionalField(key: "officer_id") var officerID: UUID?
    @Field(key: "statistical_year") var statisticalYear: Int
    @Field(key: "opened_on") var openedOn: String
    @OptionalField(key: "closed_on") var closedOn: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "created_by_id") var createdByID: UUID
    @Field(key: "updated_at") var updatedAt: Date
    /// The case's code in the system it was imported from (B9); nil for cases entered here.
    @OptionalField(key: "legacy_code") var legacyCode: String?
    /// Why an on-request case was opened although the request came after its limitation period (the law's
    /// exceptions); nil when the request was in time.
    @OptionalField(key: "limitation_reason") var limitationReason: String?

    init() {}

    var state: CaseState { CaseState(status: status, resumeStatus: resumeStatus) }
}

final class CaseParty: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $unitID, $role, $kind, $fullName, $nameFolded, $nameExact, $birthDate, $birthYear,
            $idNumberCipher, $idNumberIndex, $idNumberLast3, $address, $enteredAt, $createdByID, $voidNote,
        ]
    }
    static let schema = "case_parties"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Enum(key: "role") var role: PartyRole
    @Enum(key: "kind") var kind: PartyKind
    @Field(key: "full_name") var fullName: String
    /// `VietnameseText.fold(fullName)`: duplicate checks and search.
    @Field(key: "name_folded") var nameFolded: String
    /// `VietnameseText.exact(fullName)`: ranks matches typed with the same marks first.
    @Field(key: "name_exact") var nameExact: String
    @OptionalField(key: "birth_date") var birthDate: String?
    @OptionalField(key: "birth_year") var birthYear: Int?
    /// AES-GCM under the key ring (H2); found through `idNumberIndex`, shown as `idNumberLast3`.
    @OptionalField(key: "id_number_cipher") var idNumberCipher: String?
    @OptionalField(key: "id_number_index") var idNumberIndex: String?
    @OptionalField(key: "id_number_last3") var idNumberLast3: String?
    @Field(key: "address") var address: String
    @Field(key: "entered_at") var enteredAt: Date
    @Field(key: "created_by_id") var createdByID: UUID
    /// Set when the party was voided as entered by mistake: why, who, when (`CorrectionPolicy.voidField`).
    @OptionalField(key: "void_note") var voidNote: String?

    init() {}

    var maskedIDNumber: String { idNumberLast3.map { "*********" + $0 } ?? "" }
}

final class CaseObligation: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $kindCode, $mode, $amount, $description, $beneficiary, $periodic, $enteredAt, $createdByID,
            $voidNote,
        ]
    }
    static let schema = "case_obligations"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "kind_code") var kindCode: String
    @Enum(key: "mode") var mode: ObligationMode
    @OptionalField(key: "amount") var amount: Int64?
    @Field(key: "description") var description: String
    @Enum(key: "beneficiary") var beneficiary: Beneficiary
    @Field(key: "periodic") var periodic: Bool
    @Field(key: "entered_at") var enteredAt: Date
    @Field(key: "created_by_id") var createdByID: UUID
    /// Set when voided as entered by mistake (`CorrectionPolicy.voidField`).
    @OptionalField(key: "void_note") var voidNote: String?

    init() {}
}

final class CaseDecision: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $kind, $number, $decidedOn, $groundCode, $signer, $notifiedOn, $groundsOn, $notes,
            $statusBefore, $statusAfter, $enteredAt, $isLate, $lateReason, $createdByID,
        ]
    }
    static let schema = "case_decisions"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Enum(key: "kind") var kind: CaseDecisionKind
    @Field(key: "number") var number: String
    @Field(key: "decided_on") var decidedOn: String
    @Field(key: "ground_code") var groundCode: String
    @Field(key: "signer") var signer: String
    @OptionalField(key: "notified_on") var notifiedOn: String?
    /// The day the grounds of a postponement, suspension, termination, return or transfer arose: its 5 working
    /// days run from it.
    @OptionalField(key: "grounds_on") var groundsOn: String?
    @Field(key: "notes") var notes: String
    @Enum(key: "status_before") var statusBefore: CaseStatus
    @Enum(key: "status_after") var statusAfter: CaseStatus
    @Field(key: "entered_at") var enteredAt: Date
    @Field(key: "is_late") var isLate: Bool
    @OptionalField(key: "late_reason") var lateReason: String?
    @Field(key: "created_by_id") var createdByID: UUID

    init() {}
}

final class CaseVerification: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $verifiedOn, $outcome, $findings, $statusBefore, $statusAfter, $enteredAt, $isLate,
            $lateReason, $createdByID,
        ]
    }
    static let schema = "case_verifications"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "verified_on") var verifiedOn: String
    @Enum(key: "outcome") var outcome: VerificationOutcome
    @Field(key: "findings") var findings: String
    @Enum(key: "status_before") var statusBefore: CaseStatus
    @Enum(key: "status_after") var statusAfter: CaseStatus
    @Field(key: "entered_at") var enteredAt: Date
    @Field(key: "is_late") var isLate: Bool
    @OptionalField(key: "late_reason") var lateReason: String?
    @Field(key: "created_by_id") var createdByID: UUID

    init() {}
}

final class CaseMoneyEntry: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $direction, $amount, $occurredOn, $reference, $notes, $enteredAt, $isLate, $lateReason,
            $createdByID, $payerEmail, $voidNote,
        ]
    }
    static let schema = "case_money"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Enum(key: "direction") var direction: MoneyDirection
    @Field(key: "amount") var amount: Int64
    @Field(key: "occurred_on") var occurredOn: String
    @Field(key: "reference") var reference: String
    @Field(key: "notes") var notes: String
    @Field(key: "entered_at") var enteredAt: Date
    @Field(key: "is_late") var isLate: Bool
    @OptionalField(key: "late_reason") var lateReason: String?
    @Field(key: "created_by_id") var createdByID: UUID
    /// Where the payer of a collection wants its documents sent; nil when they gave none.
    @OptionalField(key: "payer_email") var payerEmail: String?
    /// Set when voided as entered by mistake (`CorrectionPolicy.voidField`): totals and duties leave it out.
    @OptionalField(key: "void_note") var voidNote: String?

    init() {}
}

/// Parties, obligations and money rows can be voided (never deleted): the note says why, who and when.
struct AddVoidNotes: AsyncMigration {
    static let tables = [CaseParty.schema, CaseObligation.schema, CaseMoneyEntry.schema]

    func prepare(on database: any Database) async throws {
        for table in Self.tables { try await database.schema(table).field("void_note", .string).update() }
    }

    func revert(on database: any Database) async throws {
        for table in Self.tables { try await database.schema(table).deleteField("void_note").update() }
    }
}

/// A collection may name the payer's email address.
struct AddMoneyPayerEmail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseMoneyEntry.schema).field("payer_email", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseMoneyEntry.schema).deleteField("payer_email").update()
    }
}

/// The correction reason's catalog code beside its wording, so that reports count by code. Rows written before it
/// get theirs back from the wording, which was the catalog name, alone or followed by ": " and the officer's note.
struct AddCorrectionReasonCodes: AsyncMigration {
    static let tables = [CaseFieldChange.schema, CaseCorrection.schema]

    func prepare(on database: any Database) async throws {
        for table in Self.tables { try await database.schema(table).field("reason_code", .string).update() }
        let sql = try database.sql
        try await sql.raw(
            "CREATE INDEX case_history_reason_code ON case_history (reason_code, changed_at) WHERE reason_code IS NOT NULL"
        ).run()
        // Plain SQL: the catalog's model carries columns that later migrations add.
        struct Reason: Decodable {
            let code: String
            let name: String
        }
        let reasons = try await sql.raw("SELECT code, name FROM catalog_entries WHERE catalog = 'reasons'")
            .all(decoding: Reason.self)
        for reason in reasons {
            for table in Self.tables {
                try await sql.raw(
                    """
                    UPDATE \(ident: table) SET reason_code = \(bind: reason.code)
                    WHERE reason_code IS NULL AND (reason = \(bind: reason.name) OR reason LIKE \(bind: reason.name + ": %"))
                    """
                ).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX IF EXISTS case_history_reason_code").run()
        for table in Self.tables { try await database.schema(table).deleteField("reason_code").update() }
    }
}
