import Fluent
import Foundation
import SQLKit
import Vapor

/// A login session, stored in the database so any app instance can serve it and admins can end it.
/// The cookie holds a random token; only its SHA-256 is stored.
final class UserSession: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [$id, $tokenHash, $accountID, $createdAt, $lastSeenAt, $mfaPassed, $endedAt, $endReason, $ip, $userAgent]
    }
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "mfa_passed") var mfaPassed: Bool
    @OptionalField(key: "ended_at") var endedAt: Date?
    @OptionalField(key: "end_reason") var endReason: String?
    @OptionalField(key: "ip") var ip: String?
    @OptionalField(key: "user_agent") var userAgent: String?

    init() {}
}

struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserSession.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("account_id", .uuid, .required, .references("accounts", "id"))
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("mfa_passed", .bool, .required)
            .field("ended_at", .datetime)
            .field("end_reason", .string)
            .field("ip", .string)
            .field("user_agent", .string)
            .unique(on: "token_hash")
            .create()
        try await database.schema("login_failures")
            .id()
            .field("ip", .string, .required)
            .field("at", .datetime, .required)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX sessions_account ON sessions (account_id)").run()
        try await sql.raw("CREATE INDEX login_failures_ip ON login_failures (ip, at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_failures").delete()
        try await database.schema(UserSession.schema).delete()
    }
}

/// A small key/value table for facts about this installation (e.g. that it holds demo data).
final class InstallationFact: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] { [$id, $value] }
    static let schema = "installation_facts"
    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String

    init() {}
    init(key: String, value: String) {
        self.id = key
        self.value = value
    }
}

struct CreateInstallationFacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(InstallationFact.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InstallationFact.schema).delete()
    }
}
