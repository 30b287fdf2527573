import Crypto
import Fluent
import Foundation
import SQLKit

/// One extraction of data (E3): a report viewed, a file exported, a list downloaded — who, when, which unit and
/// period, how many rows, the stated purpose and the file's SHA-256. Kept apart from the audit log so auditors can
/// search extractions by their own facts; each row is also sealed into the audit chain by its audit event.
final class Extraction: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [$id, $at, $actorID, $actorName, $unitID, $scope, $kind, $subject, $period, $format, $rows, $purpose, $sha256]
    }
    static let schema = "extractions"

    enum Kind: String, Codable, CaseIterable, Sendable {
        case view
        case export
        case download

        var label: String {
            switch self {
            case .view: "Xem"
            case .export: "Xuất tệp"
            case .download: "Tải danh sách"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    /// The unit whose data were extracted (with its sub-units when `scope` says so).
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "scope") var scope: String
    @Enum(key: "kind") var kind: Kind
    /// What was extracted: "Mẫu 01", "Nhật ký quản trị", …
    @Field(key: "subject") var subject: String
    @Field(key: "period") var period: String
    @Field(key: "format") var format: String
    @Field(key: "rows") var rows: Int
    @Field(key: "purpose") var purpose: String
    @OptionalField(key: "sha256") var sha256: String?

    init() {}
}

/// What a feature tells the log about one extraction.
struct ExtractionRecord: Sendable {
    var kind: Extraction.Kind
    var subject: String
    var unitID: UUID?
    var scope: String
    var period: String
    var format: String
    var rows: Int
    var purpose: String
    /// The exported file, hashed here; nil for a page view.
    var file: [UInt8]?
    /// The audit event to write instead of the generic "data.extracted" one (a feature whose exports already had
    /// their own event keeps it); the purpose is set on it here.
    var auditEntry: AuditEntry? = nil
}

enum ExtractionLog {
    /// The shortest purpose accepted: a word or two is not a purpose.
    static let minimumPurposeLength = 10

    /// Records the extraction and its audit event in one transaction of its own, before the data leave.
    @discardableResult
    static func record(_ record: ExtractionRecord, in ctx: ActionContext) async throws -> Extraction {
        let row = Extraction()
        row.id = UUID()
        row.at = ctx.now
        row.actorID = ctx.auditActor.accountID
        row.actorName = ctx.auditActor.username ?? "hệ thống"
        row.unitID = record.unitID
        row.scope = record.scope
        row.kind = record.kind
        row.subject = record.subject
        row.period = record.period
        row.format = record.format
        row.rows = record.rows
        row.purpose = record.purpose
        row.sha256 = record.file.map { SHA256.hex($0) }
        try await ctx.write { db in
            try await row.create(on: db)
            var entry =
                record.auditEntry
                ?? AuditEntry(
                    action: "data.extracted", objectType: "extraction", objectID: row.id?.uuidString,
                    unitID: record.unitID,
                    summary: "\(record.kind.label) \(record.subject), \(record.period): \(record.rows) dòng"
                        + (row.sha256.map { ", SHA-256 \($0.prefix(16))…" } ?? ""))
            entry.purpose = record.purpose
            try await ctx.audit(entry, on: db)
        }
        return row
    }
}

struct CreateExtractions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Extraction.schema)
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("unit_id", .uuid)
            .field("scope", .string, .required)
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("period", .string, .required)
            .field("format", .string, .required)
            .field("rows", .int, .required)
            .field("purpose", .string, .required)
            .field("sha256", .string)
            .create()
        try await database.sql.raw("CREATE INDEX extractions_at ON extractions (at)").run()
        try await database.sql.raw("CREATE INDEX extractions_actor_at ON extractions (actor_id, at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Extraction.schema).delete()
    }
}
