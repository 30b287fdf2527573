import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// A request filed on the public portal (C1). It is a draft (`submittedAt == nil`) until the submitter proves the
/// email address with the one-time code; then it gets its tracking code and its workflow instance. `state` and
/// `stepDueAt` copy the instance's, written in the same transaction, so the unit's queue reads one indexed table.
final class OnlineRequest: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [
            $id, $procedure, $unitID, $provinceCode, $trackingCode, $secretHash, $email, $phone, $submitterName,
            $fieldsJSON, $otpHash, $otpExpiresAt, $otpAttempts, $createdAt, $submittedAt, $state, $stepDueAt,
            $requestDueAt, $pausesJSON, $assignedOfficerID, $lastOfficerID, $caseID, $fee, $classification,
            $completedAt, $reminderSentAt,
        ]
    }
    static let schema = "online_requests"

    @ID(key: .id) var id: UUID?
    @Field(key: "procedure") var procedure: String
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "province_code") var provinceCode: String
    @OptionalField(key: "tracking_code") var trackingCode: String?
    /// HMAC of the secret status link's token; the token itself is only in the submitter's email.
    @Field(key: "secret_hash") var secretHash: String
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    @Field(key: "submitter_name") var submitterName: String
    /// The procedure's own fields (`OnlineRequestForm`), as a JSON object of strings.
    @Field(key: "fields") var fieldsJSON: String
    @OptionalField(key: "otp_hash") var otpHash: String?
    @OptionalField(key: "otp_expires_at") var otpExpiresAt: Date?
    @Field(key: "otp_attempts") var otpAttempts: Int
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @Field(key: "state") var state: String
    @OptionalField(key: "step_due_at") var stepDueAt: Date?
    @OptionalField(key: "request_due_at") var requestDueAt: Date?
    /// `[OnlineRequestClock.Pause]` as JSON (milliseconds).
    @Field(key: "pauses") var pausesJSON: String
    @OptionalField(key: "assigned_officer_id") var assignedOfficerID: UUID?
    @OptionalField(key: "last_officer_id") var lastOfficerID: UUID?
    @OptionalField(key: "case_id") var caseID: UUID?
    @OptionalField(key: "fee") var fee: Int64?
    /// The petition's classification (C3) as "kind|condition|competence|count".
    @OptionalField(key: "classification") var classification: String?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @OptionalField(key: "reminder_sent_at") var reminderSentAt: Date?

    init() {}

    static let draftState = "draft"

    var kind: OnlineProcedure { OnlineProcedure(rawValue: procedure) ?? .petition }
    var machine: StepMachine { kind.machine }

    var fields: [String: String] {
        get { (try? JSONDecoder().decode([String: String].self, from: Data(fieldsJSON.utf8))) ?? [:] }
        set {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            fieldsJSON = String(decoding: (try? encoder.encode(newValue)) ?? Data("{}".utf8), as: UTF8.self)
        }
    }

    private struct StoredPause: Codable {
        let start: Int64
        let end: Int64?
    }

    var pauses: [OnlineRequestClock.Pause] {
        get {
            let stored = (try? JSONDecoder().decode([StoredPause].self, from: Data(pausesJSON.utf8))) ?? []
            return stored.map {
                .init(
                    start: Date(timeIntervalSince1970: Double($0.start) / 1000),
                    end: $0.end.map { Date(timeIntervalSince1970: Double($0) / 1000) })
            }
        }
        set {
            let stored = newValue.map {
                StoredPause(
                    start: Int64($0.start.timeIntervalSince1970 * 1000),
                    end: $0.end.map { Int64($0.timeIntervalSince1970 * 1000) })
            }
            pausesJSON = String(decoding: (try? JSONEncoder().encode(stored)) ?? Data("[]".utf8), as: UTF8.self)
        }
    }

    var clock: OnlineRequestClock? {
        submittedAt.map { OnlineRequestClock(submittedAt: $0, pauses: pauses) }
    }

    var isFinal: Bool { machine.step(state)?.isFinal ?? false }
    var stepLabel: String {
        state == Self.draftState ? "Chưa xác thực email" : (machine.step(state)?.label ?? state)
    }
}

/// A file attached to a request, checked by content (`AttachmentInspector`) and stored once per SHA-256 beside the
/// case documents.
final class OnlineRequestFile: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [$id, $requestID, $fileName, $kind, $size, $sha256, $scan, $uploadedAt, $fromSubmitter]
    }
    static let schema = "online_request_files"
    @ID(key: .id) var id: UUID?
    @Field(key: "request_id") var requestID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "kind") var kind: String
    @Field(key: "size") var size: Int64
    @Field(key: "sha256") var sha256: String
    @Field(key: "scan") var scan: String
    @Field(key: "uploaded_at") var uploadedAt: Date
    @Field(key: "from_submitter") var fromSubmitter: Bool

    init() {}
}

/// What was said about a request: notices and messages to the submitter (shown on the status page, and emailed
/// through the outbox, whose delivery state the staff page shows), the submitter's own supplements, and internal
/// notes the submitter never sees.
final class OnlineRequestMessage: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [$id, $requestID, $kind, $template, $subject, $body, $authorName, $at, $mailID, $toSubmitter]
    }
    static let schema = "online_request_messages"
    @ID(key: .id) var id: UUID?
    @Field(key: "request_id") var requestID: UUID
    /// "notice", "message", "supplement" (from the submitter) or "note" (internal).
    @Field(key: "kind") var kind: String
    /// The template and version a notice was written from, e.g. "guidance/v1".
    @OptionalField(key: "template") var template: String?
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "author_name") var authorName: String
    @Field(key: "at") var at: Date
    @OptionalField(key: "mail_id") var mailID: UUID?
    @Field(key: "to_submitter") var toSubmitter: Bool

    init() {}
}

struct CreateOnlineRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OnlineRequest.schema)
            .id()
            .field("procedure", .string, .required)
            .field("unit_id", .uuid, .required)
            .field("province_code", .string, .required)
            .field("tracking_code", .string)
            .field("secret_hash", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .field("submitter_name", .string, .required)
            .field("fields", .string, .required)
            .field("otp_hash", .string)
            .field("otp_expires_at", .datetime)
            .field("otp_attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("submitted_at", .datetime)
            .field("state", .string, .required)
            .field("step_due_at", .datetime)
            .field("request_due_at", .datetime)
            .field("pauses", .string, .required)
            .field("assigned_officer_id", .uuid)
            .field("last_officer_id", .uuid)
            .field("case_id", .uuid)
            .field("fee", .int64)
            .field("classification", .string)
            .field("completed_at", .datetime)
            .field("reminder_sent_at", .datetime)
            .unique(on: "tracking_code")
            .unique(on: "secret_hash")
            .create()
        // The intake queue: a unit's open requests, earliest step due first, read in index order (`OnlineQueue`).
        try await database.sql.create(index: "idx_online_requests_queue").on(OnlineRequest.schema)
            .column("unit_id").column("completed_at").column("step_due_at").column("submitted_at").column("id").run()
        try await database.sql.create(index: "idx_online_requests_email").on(OnlineRequest.schema)
            .column("email").column("created_at").run()
        try await database.schema(OnlineRequestFile.schema)
            .id()
            .field("request_id", .uuid, .required, .references(OnlineRequest.schema, "id"))
            .field("file_name", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int64, .required)
            .field("sha256", .string, .required)
            .field("scan", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .field("from_submitter", .bool, .required)
            .create()
        try await database.sql.create(index: "idx_online_request_files").on(OnlineRequestFile.schema)
            .column("request_id").run()
        try await database.schema(OnlineRequestMessage.schema)
            .id()
            .field("request_id", .uuid, .required, .references(OnlineRequest.schema, "id"))
            .field("kind", .string, .required)
            .field("template", .string)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("author_name", .string, .required)
            .field("at", .datetime, .required)
            .field("mail_id", .uuid)
            .field("to_submitter", .bool, .required)
            .create()
        try await database.sql.create(index: "idx_online_request_messages").on(OnlineRequestMessage.schema)
            .column("request_id").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OnlineRequestMessage.schema).delete()
        try await database.schema(OnlineRequestFile.schema).delete()
        try await database.schema(OnlineRequest.schema).delete()
    }
}
