import Fluent
import Foundation
import SQLKit
import Vapor

/// A single-use link to set one's password, mailed when an account is created or its password is reset. Only a
/// keyed hash of the token is stored, so a copy of the database (or of the outbox) cannot be turned into a login.
final class PasswordLink: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] { [$id, $accountID, $tokenHash, $createdAt, $expiresAt, $usedAt] }
    static let schema = "password_links"
    @ID(key: .id) var id: UUID?
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}
}

struct CreatePasswordLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PasswordLink.schema)
            .id()
            .field("account_id", .uuid, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PasswordLink.schema).delete()
    }
}

enum PasswordLinks {
    /// Three days: long enough for a weekend between the approval and the first login.
    static let lifetime: TimeInterval = 72 * 3600

    static func hash(_ token: String, keys: KeyStore) -> String { keys.blindIndex(token, purpose: "password-link") }

    static func url(_ token: String, settings: AppSettings) -> String {
        settings.publicURL.absoluteString + "/dat-mat-khau/" + token
    }

    /// A new link for the account; any link it had before stops working. Returns the token, which exists only in
    /// the caller's memory and the mail.
    static func issue(for accountID: UUID, at now: Date, keys: KeyStore, on db: any Database) async throws -> String {
        try await PasswordLink.query(on: db).filter(\.$accountID == accountID).filter(\.$usedAt == nil)
            .set(\.$usedAt, to: now).update()
        let token = SessionStore.newToken()
        let link = PasswordLink()
        link.id = UUID()
        link.accountID = accountID
        link.tokenHash = hash(token, keys: keys)
        link.createdAt = now
        link.expiresAt = now.addingTimeInterval(lifetime)
        try await link.create(on: db)
        return token
    }

    /// The link a token opens, if it is still usable.
    static func open(_ token: String, at now: Date, keys: KeyStore, on db: any Database) async throws -> PasswordLink? {
        guard token.count >= 20, token.count <= 100 else { return nil }
        guard
            let link = try await PasswordLink.query(on: db).filter(\.$tokenHash == hash(token, keys: keys)).first(),
            link.usedAt == nil, link.expiresAt > now
        else { return nil }
        return link
    }

    /// Marks the link used in one conditional statement, so two simultaneous uses cannot both succeed.
    static func claim(_ link: PasswordLink, at now: Date, on db: any Database) async throws -> Bool {
        let rows = try await db.sql.raw(
            """
            UPDATE password_links SET used_at = \(bind: now)
            WHERE id = \(bind: link.id!) AND used_at IS NULL RETURNING id
            """
        ).all()
        return rows.count == 1
    }
}

extension AccountWrites {
    /// The hash of a password nobody knows: the account cannot sign in until its owner follows the mailed link.
    static func unknownPasswordHash(_ app: Application) async throws -> String {
        try await app.hashPassword(SessionStore.newToken() + SessionStore.newToken())
    }
}
