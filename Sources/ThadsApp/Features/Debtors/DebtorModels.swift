import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// One case in the register of debtors without conditions (D1): kept while the case stands under a no-conditions
/// decision, with what the rules work out from its records (next verification, separate book, exemption band).
final class DebtorEntry: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $unitID, $caseCode, $debtorName, $isListed, $decidedOn, $decisionNumber, $groundCode,
            $circumstance, $verificationsSince, $lastVerifiedOn, $reverificationDue, $inSeparateBook,
            $separateBookSince, $bookEligibleSince, $bookTransferDue, $exemptionBand, $exemptionRule, $outstanding,
            $verifiedSince, $lastReportOn, $owed, $paid, $enforcementDecidedOn, $stateBudgetOnly,
        ]
    }
    static let schema = "debtor_register"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "case_code") var caseCode: String
    @Field(key: "debtor_name") var debtorName: String
    /// False once the case left the no-conditions status (kept for the history of the register).
    @Field(key: "is_listed") var isListed: Bool
    @Field(key: "decided_on") var decidedOn: String
    @Field(key: "decision_number") var decisionNumber: String
    @Field(key: "ground_code") var groundCode: String
    @Enum(key: "circumstance") var circumstance: DebtorCircumstance
    @Field(key: "verifications_since") var verificationsSince: Int
    @Field(key: "last_verified_on") var lastVerifiedOn: String
    @Field(key: "reverification_due") var reverificationDue: String
    @Field(key: "in_separate_book") var inSeparateBook: Bool
    @OptionalField(key: "separate_book_since") var separateBookSince: String?
    @OptionalField(key: "book_eligible_since") var bookEligibleSince: String?
    @OptionalField(key: "book_transfer_due") var bookTransferDue: String?
    @OptionalField(key: "exemption_band") var exemptionBand: String?
    @OptionalField(key: "exemption_rule") var exemptionRule: String?
    @Field(key: "outstanding") var outstanding: Int64
    // The facts the dated rules read, kept with the entry so that the daily pass reads one table and writes only
    // what changed (see `DebtorRegister.reevaluateAll`). Refreshed by every change to the case.
    /// The days of the verifications after the decision, ISO, comma-separated.
    @Field(key: "verified_since") var verifiedSince: String
    @OptionalField(key: "last_report_on") var lastReportOn: String?
    @Field(key: "owed") var owed: Int64
    @Field(key: "paid") var paid: Int64
    @OptionalField(key: "enforcement_decided_on") var enforcementDecidedOn: String?
    @Field(key: "state_budget_only") var stateBudgetOnly: Bool

    init() {}

    /// A new entry for a case, before its facts are filled in: the ordinary circumstance, no verification counted.
    init(newFor caseID: UUID) {
        id = UUID()
        self.caseID = caseID
        circumstance = .ordinary
        inSeparateBook = false
        reverificationDue = ""
        lastVerifiedOn = ""
        verificationsSince = 0
        outstanding = 0
    }

    var facts: NoConditionsFacts {
        NoConditionsFacts(
            decidedOn: LocalDate(iso: decidedOn) ?? .latest,
            verificationsSince: verifiedSince.split(separator: ",").compactMap { LocalDate(iso: String($0)) },
            circumstance: circumstance)
    }
}

/// The debtor as the public portal shows it (D2, D7): only `PublishedDebtor`'s fields, searchable by folded name.
final class DebtorPublication: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $unitID, $provinceCode, $unitName, $name, $nameFolded, $birthYear, $address, $judgment,
            $enforcementDecision, $obligation, $outstanding, $reason, $decisionNumber, $decidedOn, $publishedAt,
            $withdrawnAt,
        ]
    }
    static let schema = "debtor_publications"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "province_code") var provinceCode: String
    @Field(key: "unit_name") var unitName: String
    @Field(key: "name") var name: String
    @Field(key: "name_folded") var nameFolded: String
    @OptionalField(key: "birth_year") var birthYear: Int?
    @Field(key: "address") var address: String
    @Field(key: "judgment") var judgment: String
    @Field(key: "enforcement_decision") var enforcementDecision: String
    @Field(key: "obligation") var obligation: String
    @Field(key: "outstanding") var outstanding: Int64
    @Field(key: "reason") var reason: String
    @Field(key: "decision_number") var decisionNumber: String
    @Field(key: "decided_on") var decidedOn: String
    @Field(key: "published_at") var publishedAt: Date
    /// Set when the entry came down; a withdrawn entry is not shown, and a new decision publishes it again.
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?

    init() {}

    init(newFor caseID: UUID) {
        id = UUID()
        self.caseID = caseID
    }

    var published: PublishedDebtor {
        PublishedDebtor(
            name: name, birthYear: birthYear, address: address, judgment: judgment,
            enforcementDecision: enforcementDecision, obligation: obligation, outstanding: outstanding, reason: reason,
            decisionNumber: decisionNumber, decidedOn: LocalDate(iso: decidedOn) ?? .latest)
    }

    func set(_ value: PublishedDebtor) {
        name = value.name
        nameFolded = VietnameseText.fold(value.name)
        birthYear = value.birthYear
        address = value.address
        judgment = value.judgment
        enforcementDecision = value.enforcementDecision
        obligation = value.obligation
        outstanding = value.outstanding
        reason = value.reason
        decisionNumber = value.decisionNumber
        decidedOn = value.decidedOn.iso
    }
}

/// The publication log (D2): each publication, change and withdrawal with its cause.
final class PublicationEvent: Model, @unchecked Sendable {
    var properties: [any AnyProperty] { [$id, $caseID, $unitID, $action, $cause, $at] }
    static let schema = "debtor_publication_events"

    enum Action: String, Codable, Sendable {
        case published
        case updated
        case withdrawn

        var label: String {
            switch self {
            case .published: "Công khai"
            case .updated: "Cập nhật"
            case .withdrawn: "Rút khỏi công khai"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Enum(key: "action") var action: Action
    @Field(key: "cause") var cause: String
    @Field(key: "at") var at: Date

    init() {}

    init(caseID: UUID, unitID: UUID, action: Action, cause: String, at: Date) {
        self.id = UUID()
        self.caseID = caseID
        self.unitID = unitID
        self.action = action
        self.cause = cause
        self.at = at
    }
}

struct CreateDebtorRegister: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DebtorEntry.schema)
            .id()
            .field("case_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("case_code", .string, .required)
            .field("debtor_name", .string, .required)
            .field("is_listed", .bool, .required)
            .field("decided_on", .string, .required)
            .field("decision_number", .string, .required)
            .field("ground_code", .string, .required)
            .field("circumstance", .string, .required)
            .field("verifications_since", .int, .required)
            .field("last_verified_on", .string, .required)
            .field("reverification_due", .string, .required)
            .field("in_separate_book", .bool, .required)
            .field("separate_book_since", .string)
            .field("book_eligible_since", .string)
            .field("book_transfer_due", .string)
            .field("exemption_band", .string)
            .field("exemption_rule", .string)
            .field("outstanding", .int64, .required)
            .field("verified_since", .string, .required)
            .field("last_report_on", .string)
            .field("owed", .int64, .required)
            .field("paid", .int64, .required)
            .field("enforcement_decided_on", .string)
            .field("state_budget_only", .bool, .required)
            .unique(on: "case_id")
            .create()
        try await database.schema(DebtorPublication.schema)
            .id()
            .field("case_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("province_code", .string, .required)
            .field("unit_name", .string, .required)
            .field("name", .string, .required)
            .field("name_folded", .string, .required)
            .field("birth_year", .int)
            .field("address", .string, .required)
            .field("judgment", .string, .required)
            .field("enforcement_decision", .string, .required)
            .field("obligation", .string, .required)
            .field("outstanding", .int64, .required)
            .field("reason", .string, .required)
            .field("decision_number", .string, .required)
            .field("decided_on", .string, .required)
            .field("published_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .unique(on: "case_id")
            .create()
        try await database.schema(PublicationEvent.schema)
            .id()
            .field("case_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("action", .string, .required)
            .field("cause", .string, .required)
            .field("at", .datetime, .required)
            .create()
        let sql = try database.sql
        let indexes: [(String, String, [String])] = [
            ("debtor_register_unit_due", DebtorEntry.schema, ["unit_id", "is_listed", "reverification_due"]),
            ("debtor_publications_name", DebtorPublication.schema, ["name_folded"]),
            ("debtor_publications_province", DebtorPublication.schema, ["province_code", "name_folded"]),
            ("debtor_publication_events_case", PublicationEvent.schema, ["case_id", "at"]),
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: "idx_" + name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
        try await WordIndex.debtorPublications.create(on: sql)
    }

    func revert(on database: any Database) async throws {
        try await WordIndex.debtorPublications.drop(on: database.sql)
        for schema in [PublicationEvent.schema, DebtorPublication.schema, DebtorEntry.schema] {
            try await database.schema(schema).delete()
        }
    }
}
