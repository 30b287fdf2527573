import Fluent
import Foundation
import ThadsDomain
import Vapor

/// A document attached to a case (B8), stored once per content under its SHA-256.
final class CaseAttachment: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $fileName, $kind, $size, $sha256, $description, $uploadedByID, $uploadedAt, $scan,
            $classification,
        ]
    }
    static let schema = "case_attachments"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "kind") var kind: String
    @Field(key: "size") var size: Int64
    @Field(key: "sha256") var sha256: String
    @Field(key: "description") var description: String
    @Field(key: "uploaded_by_id") var uploadedByID: UUID
    @Field(key: "uploaded_at") var uploadedAt: Date
    /// "clean" only when clamd read it all and matched nothing; otherwise "notScanned" (`ScanVerdict.record`).
    @Field(key: "scan") var scan: String
    /// `InformationClass` (H1): how far the document may travel; state secrets are never stored.
    @Field(key: "classification") var classification: String

    init() {}
}

struct AddAttachmentScan: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseAttachment.schema)
            .field("scan", .string, .required, .sql(.default("notScanned")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseAttachment.schema).deleteField("scan").update()
    }
}

/// Every document carries its classification (H1); documents kept before it are internal.
struct AddAttachmentClassification: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseAttachment.schema)
            .field("classification", .string, .required, .sql(.default("internalUse")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseAttachment.schema).deleteField("classification").update()
    }
}

/// One changed field of one record (B5): the case history.
final class CaseFieldChange: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $recordKind, $recordID, $field, $beforeText, $afterText, $reason, $reasonCode, $actorID,
            $actorName, $correctionID, $changedAt,
        ]
    }
    static let schema = "case_history"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Enum(key: "record_kind") var recordKind: CaseRecordKind
    @Field(key: "record_id") var recordID: UUID
    @Field(key: "field") var field: String
    @Field(key: "before_text") var beforeText: String
    @Field(key: "after_text") var afterText: String
    @Field(key: "reason") var reason: String
    /// The reasons catalog's code: reports count by it (form 06 counts CR-EXEMPTION), never by the wording.
    @OptionalField(key: "reason_code") var reasonCode: String?
    @Field(key: "actor_id") var actorID: UUID
    @Field(key: "actor_name") var actorName: String
    @OptionalField(key: "correction_id") var correctionID: UUID?
    @Field(key: "changed_at") var changedAt: Date

    init() {}
}

/// A change to the substance of a record, waiting for the unit head (B5).
final class CaseCorrection: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $unitID, $recordKind, $recordID, $changesJSON, $reason, $reasonCode, $requestedByID,
            $requestedByName,
            $requestedAt, $status, $decidedByID, $decidedAt, $decisionNote,
        ]
    }
    static let schema = "case_corrections"

    enum Status: String, Codable, Sendable, CaseIterable {
        case pending, approved, rejected

        var label: String {
            switch self {
            case .pending: "Chờ duyệt"
            case .approved: "Đã duyệt"
            case .rejected: "Bị từ chối"
            }
        }
    }

    /// One field: raw values to apply (an ID number is kept encrypted) and the texts to show.
    struct Change: Codable, Sendable, Hashable {
        var field: String
        var before: String
        var after: String
        var beforeText: String
        var afterText: String
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Enum(key: "record_kind") var recordKind: CaseRecordKind
    @Field(key: "record_id") var recordID: UUID
    @Field(key: "changes") var changesJSON: String
    @Field(key: "reason") var reason: String
    @OptionalField(key: "reason_code") var reasonCode: String?
    @Field(key: "requested_by_id") var requestedByID: UUID
    @Field(key: "requested_by_name") var requestedByName: String
    @Field(key: "requested_at") var requestedAt: Date
    @Enum(key: "status") var status: Status
    @OptionalField(key: "decided_by_id") var decidedByID: UUID?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decision_note") var decisionNote: String?

    init() {}

    var changes: [Change] {
        get { (try? JSONDecoder().decode([Change].self, from: Data(changesJSON.utf8))) ?? [] }
        set { changesJSON = AuditEntry.json(newValue) }
    }
}

/// A data-quality finding kept on the case until fixed or dismissed with a reason (B4).
final class QualityWarning: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $unitID, $rule, $category, $subject, $message, $status, $openedAt, $closedAt, $dismissedByID,
            $dismissReason,
        ]
    }
    static let schema = "quality_warnings"

    enum Status: String, Codable, Sendable, CaseIterable {
        case open, resolved, dismissed

        var label: String {
            switch self {
            case .open: "Đang mở"
            case .resolved: "Đã khắc phục"
            case .dismissed: "Đã bỏ qua"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Enum(key: "rule") var rule: QualityRule
    @Enum(key: "category") var category: QualityCategory
    @Field(key: "subject") var subject: String
    @Field(key: "message") var message: String
    @Enum(key: "status") var status: Status
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "dismissed_by_id") var dismissedByID: UUID?
    @OptionalField(key: "dismiss_reason") var dismissReason: String?

    init() {}
}

/// The last case sequence number per unit and statistical year, before the shared `Sequences` took them over
/// (`MoveCaseCodesToSequences`); only the migrations use it.
final class CaseCodeCounter: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] { [$id, $unitID, $year, $lastSequence] }
    static let schema = "case_code_counters"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "last_sequence") var lastSequence: Int

    init() {}

    init(unitID: UUID, year: Int, lastSequence: Int) {
        self.id = UUID()
        self.unitID = unitID
        self.year = year
        self.lastSequence = lastSequence
    }
}
