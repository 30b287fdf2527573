import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// One person's account (A3): unique username, official email and national ID number.
final class Account: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [
            $id, $username, $fullName, $fullNameFolded, $email, $nationalIDIndex, $nationalIDCipher, $nationalIDLast3,
            $position, $accountClass, $unitID, $rolesText, $status, $statusReason, $passwordHash, $passwordChangedAt,
            $mustChangePassword, $failedLogins, $lockedUntil, $lockCount, $externalValidUntil, $mfaSecretCipher,
            $mfaEnabled, $mfaLastCounter, $lastLoginAt, $expiryReminderSentAt, $createdAt, $updatedAt,
        ]
    }
    static let schema = "accounts"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "full_name") var fullName: String
    @Field(key: "full_name_folded") var fullNameFolded: String
    @Field(key: "email") var email: String
    /// Keyed hash of the national ID number: uniqueness and exact lookup without the number itself.
    @Field(key: "national_id_index") var nationalIDIndex: String
    @Field(key: "national_id_cipher") var nationalIDCipher: String
    @Field(key: "national_id_last3") var nationalIDLast3: String
    @OptionalField(key: "position") var position: String?
    @Enum(key: "account_class") var accountClass: AccountClass
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "roles") var rolesText: String
    @Enum(key: "status") var status: AccountStatus
    @OptionalField(key: "status_reason") var statusReason: String?
    @OptionalField(key: "password_hash") var passwordHash: String?
    @OptionalField(key: "password_changed_at") var passwordChangedAt: Date?
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "lock_count") var lockCount: Int
    @OptionalField(key: "external_valid_until") var externalValidUntil: String?
    @OptionalField(key: "mfa_secret_cipher") var mfaSecretCipher: String?
    @Field(key: "mfa_enabled") var mfaEnabled: Bool
    @OptionalField(key: "mfa_last_counter") var mfaLastCounter: Int64?
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    @OptionalField(key: "expiry_reminder_sent_at") var expiryReminderSentAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var roles: Set<Role> {
        get { Set(rolesText.split(separator: ",").compactMap { Role(rawValue: String($0)) }) }
        set { rolesText = newValue.sorted().map(\.rawValue).joined(separator: ",") }
    }

    var isAdmin: Bool { accountClass.isAdmin }
    var permissions: Set<Permission> { PermissionMatrix.permissions(for: accountClass, roles: roles) }
    var mfaRequired: Bool { MFAPolicy.isRequired(accountClass: accountClass, roles: roles) }

    var externalValidUntilDate: LocalDate? { externalValidUntil.flatMap(LocalDate.init(iso:)) }

    /// What an account change request and the admin log record as before/after.
    struct Snapshot: Codable, Sendable, Equatable {
        var username: String
        var fullName: String
        var email: String
        var nationalIDMasked: String
        var position: String?
        var accountClass: String
        var unitID: UUID
        var roles: [String]
        var status: String
        var externalValidUntil: String?
        var grantedUnitIDs: [UUID]?
    }

    func snapshot(grants: [UUID]? = nil) -> Snapshot {
        Snapshot(
            username: username, fullName: fullName, email: email, nationalIDMasked: "*********" + nationalIDLast3,
            position: position, accountClass: accountClass.rawValue, unitID: unitID,
            roles: roles.sorted().map(\.rawValue), status: status.rawValue, externalValidUntil: externalValidUntil,
            grantedUnitIDs: grants)
    }
}

/// Units an external account may read (A2).
final class AccountGrant: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] { [$id, $accountID, $unitID] }
    static let schema = "account_grants"
    @ID(key: .id) var id: UUID?
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "unit_id") var unitID: UUID

    init() {}
    init(accountID: UUID, unitID: UUID) {
        self.id = UUID()
        self.accountID = accountID
        self.unitID = unitID
    }
}

final class PasswordHistoryEntry: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] { [$id, $accountID, $passwordHash, $createdAt] }
    static let schema = "password_history"
    @ID(key: .id) var id: UUID?
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
    init(accountID: UUID, passwordHash: String, createdAt: Date) {
        self.id = UUID()
        self.accountID = accountID
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

final class RecoveryCode: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] { [$id, $accountID, $codeHash, $usedAt] }
    static let schema = "recovery_codes"
    @ID(key: .id) var id: UUID?
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}
    init(accountID: UUID, codeHash: String) {
        self.id = UUID()
        self.accountID = accountID
        self.codeHash = codeHash
    }

    /// Marks the unused code with this hash used, in one conditional statement: of parallel requests with the same
    /// code exactly one gets `true`. A locked account's codes are not spent.
    static func claim(accountID: UUID, codeHash: String, at now: Date, on db: any Database) async throws -> Bool {
        struct Row: Decodable { let id: UUID }
        return try await db.sql.raw(
            """
            UPDATE recovery_codes SET used_at = \(bind: now)
            WHERE account_id = \(bind: accountID) AND code_hash = \(bind: codeHash) AND used_at IS NULL
                AND EXISTS (
                    SELECT 1 FROM accounts WHERE accounts.id = \(bind: accountID)
                        AND (accounts.locked_until IS NULL OR accounts.locked_until <= \(bind: now)))
            RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }
}

struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Account.schema)
            .id()
            .field("username", .string, .required)
            .field("full_name", .string, .required)
            .field("full_name_folded", .string, .required)
            .field("email", .string, .required)
            .field("national_id_index", .string, .required)
            .field("national_id_cipher", .string, .required)
            .field("national_id_last3", .string, .required)
            .field("position", .string)
            .field("account_class", .string, .required)
            .field("unit_id", .uuid, .required, .references(EnforcementUnit.schema, "id"))
            .field("roles", .string, .required)
            .field("status", .string, .required)
            .field("status_reason", .string)
            .field("password_hash", .string)
            .field("password_changed_at", .datetime)
            .field("must_change_password", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("lock_count", .int, .required)
            .field("external_valid_until", .string)
            .field("mfa_secret_cipher", .string)
            .field("mfa_enabled", .bool, .required)
            .field("mfa_last_counter", .int64)
            .field("last_login_at", .datetime)
            .field("expiry_reminder_sent_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .unique(on: "email")
            .unique(on: "national_id_index")
            .create()
        try await database.schema(AccountGrant.schema)
            .id()
            .field("account_id", .uuid, .required, .references(Account.schema, "id"))
            .field("unit_id", .uuid, .required, .references(EnforcementUnit.schema, "id"))
            .unique(on: "account_id", "unit_id")
            .create()
        try await database.schema(PasswordHistoryEntry.schema)
            .id()
            .field("account_id", .uuid, .required, .references(Account.schema, "id"))
            .field("password_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(RecoveryCode.schema)
            .id()
            .field("account_id", .uuid, .required, .references(Account.schema, "id"))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX accounts_unit ON accounts (unit_id)").run()
        try await sql.raw("CREATE INDEX accounts_name ON accounts (full_name_folded)").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [RecoveryCode.schema, PasswordHistoryEntry.schema, AccountGrant.schema, Account.schema] {
            try await database.schema(schema).delete()
        }
    }
}
