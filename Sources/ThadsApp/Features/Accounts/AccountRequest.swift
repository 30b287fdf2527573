import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// A local admin's requested change to an account, waiting for a central admin (A4).
final class AccountRequest: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $kind, $accountID, $newUsername, $newEmail, $newNationalIDIndex, $newNationalIDCipher, $unitID,
            $requestedByID, $requestedAt, $dueAt, $beforeData, $afterData, $note, $status, $decidedByID, $decidedAt,
            $decisionReason,
        ]
    }
    static let schema = "account_requests"

    enum Status: String, Codable, Sendable, CaseIterable {
        case pending, approved, rejected

        var label: String {
            switch self {
            case .pending: "Chờ phê duyệt"
            case .approved: "Đã phê duyệt"
            case .rejected: "Bị từ chối"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Enum(key: "kind") var kind: AccountRequestKind
    /// Nil for a creation request: the account exists only once a central admin approves it.
    @OptionalField(key: "account_id") var accountID: UUID?
    /// For a creation request: the identifiers it reserves, checked for uniqueness with the accounts.
    @OptionalField(key: "new_username") var newUsername: String?
    @OptionalField(key: "new_email") var newEmail: String?
    @OptionalField(key: "new_national_id_index") var newNationalIDIndex: String?
    @OptionalField(key: "new_national_id_cipher") var newNationalIDCipher: String?
    /// The unit of the account concerned, so queues and scope checks need no join.
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "requested_by_id") var requestedByID: UUID
    @Field(key: "requested_at") var requestedAt: Date
    @Field(key: "due_at") var dueAt: Date
    @OptionalField(key: "before_data") var beforeData: String?
    @Field(key: "after_data") var afterData: String
    @Field(key: "note") var note: String
    @Enum(key: "status") var status: Status
    @OptionalField(key: "decided_by_id") var decidedByID: UUID?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decision_reason") var decisionReason: String?

    init() {}
}

struct CreateAccountRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountRequest.schema)
            .id()
            .field("kind", .string, .required)
            .field("account_id", .uuid, .references(Account.schema, "id"))
            .field("new_username", .string)
            .field("new_email", .string)
            .field("new_national_id_index", .string)
            .field("new_national_id_cipher", .string)
            .field("unit_id", .uuid, .required, .references(EnforcementUnit.schema, "id"))
            .field("requested_by_id", .uuid, .required, .references(Account.schema, "id"))
            .field("requested_at", .datetime, .required)
            .field("due_at", .datetime, .required)
            .field("before_data", .string)
            .field("after_data", .string, .required)
            .field("note", .string, .required)
            .field("status", .string, .required)
            .field("decided_by_id", .uuid)
            .field("decided_at", .datetime)
            .field("decision_reason", .string)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX account_requests_status ON account_requests (status, due_at)").run()
        try await sql.raw("CREATE INDEX account_requests_account ON account_requests (account_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountRequest.schema).delete()
    }
}
