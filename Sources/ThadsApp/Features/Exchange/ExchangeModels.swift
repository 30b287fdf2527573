import Crypto
import Fluent
import Foundation
import ThadsDomain

/// A connected system (G2) and its agreement: registered by a central admin, suspended or resumed by one. Its
/// agreement is read on every call, so a change or a suspension takes effect at the next one.
final class ConnectedSystem: Model, @unchecked Sendable {
    static let schema = "exchange_clients"

    enum Status: String, Codable, Sendable {
        case active
        case suspended

        var label: String { self == .active ? "Đang hoạt động" : "Tạm dừng" }
    }

    @ID(key: .id) var id: UUID?
    /// The `iss`/`sub` of its assertions and the `keyid` of its signatures.
    @Field(key: "client_id") var clientID: String
    @Field(key: "name") var name: String
    @Field(key: "operator") var operatorName: String
    @Field(key: "agreement_reference") var agreementReference: String
    @Field(key: "agreement_date") var agreementDate: String
    /// Unit ids, comma-separated; empty for the whole country.
    @Field(key: "units") var units: String
    @Field(key: "read_resources") var readResources: String
    @Field(key: "write_resources") var writeResources: String
    @Field(key: "calls_per_minute") var callsPerMinute: Int
    @Field(key: "responsibilities") var responsibilities: String
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_to") var validTo: String?
    @Field(key: "reveals_id_numbers") var revealsIDNumbers: Bool
    @Field(key: "public_key_pem") var publicKeyPEM: String
    @Enum(key: "status") var status: Status
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// Where the change feed is pushed (webhooks); nil when the system only polls.
    @OptionalField(key: "webhook_url") var webhookURL: String?

    init() {}

    var agreement: ExchangeAgreement {
        ExchangeAgreement(
            units: Set(units.split(separator: ",").compactMap { UUID(uuidString: String($0)) }),
            read: Set(readResources.split(separator: ",").compactMap { ExchangeResource(rawValue: String($0)) }),
            write: Set(writeResources.split(separator: ",").compactMap { ExchangeResource(rawValue: String($0)) }),
            callsPerMinute: callsPerMinute, validFrom: LocalDate(iso: validFrom) ?? LocalDate(daysSinceEpoch: 0),
            validTo: validTo.flatMap(LocalDate.init(iso:)), revealsIDNumbers: revealsIDNumbers)
    }

    var publicKey: P256.Signing.PublicKey? { try? P256.Signing.PublicKey(pemRepresentation: publicKeyPEM) }
}

/// One call of the API (G3), failures included: who, which operation, resources and unit scope, how many records,
/// the result, how long it took and what the signature check said.
final class ExchangeLogEntry: Model, @unchecked Sendable {
    static let schema = "exchange_log"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    /// Nil when the caller could not be identified.
    @OptionalField(key: "client_ref") var clientRef: UUID?
    @Field(key: "client_name") var clientName: String
    @Field(key: "operation") var operation: String
    @Field(key: "resources") var resources: String
    @Field(key: "unit_scope") var unitScope: String
    @Field(key: "records") var records: Int
    @Field(key: "status") var status: Int
    @Field(key: "result") var result: String
    @Field(key: "duration_ms") var durationMs: Int
    @Field(key: "signature") var signature: String
    @OptionalField(key: "ip") var ip: String?

    init() {}
}

/// A nonce or assertion id seen from a client, kept until the signature that carried it could no longer be
/// accepted anyway (its age window), so a replay within that window finds it.
final class ExchangeNonce: Model, @unchecked Sendable {
    static let schema = "exchange_nonces"

    @ID(key: .id) var id: UUID?
    @Field(key: "client_ref") var clientRef: UUID
    @Field(key: "nonce") var nonce: String
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}

/// One change of a resource a connected system may follow (G4). `seq` comes from the sequence service inside the
/// transaction of the change itself, so the feed is in commit order with no gaps.
final class ExchangeChange: Model, @unchecked Sendable {
    static let schema = "exchange_changes"

    @ID(key: .id) var id: UUID?
    @Field(key: "seq") var seq: Int
    @Field(key: "resource") var resource: String
    @Field(key: "resource_id") var resourceID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "at") var at: Date
    @Field(key: "version") var version: Int

    init() {}
}

struct CreateExchange: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ConnectedSystem.schema)
            .id()
            .field("client_id", .string, .required)
            .field("name", .string, .required)
            .field("operator", .string, .required)
            .field("agreement_reference", .string, .required)
            .field("agreement_date", .string, .required)
            .field("units", .string, .required)
            .field("read_resources", .string, .required)
            .field("write_resources", .string, .required)
            .field("calls_per_minute", .int, .required)
            .field("responsibilities", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_to", .string)
            .field("reveals_id_numbers", .bool, .required)
            .field("public_key_pem", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "client_id")
            .create()
        try await database.schema(ExchangeLogEntry.schema)
            .id()
            .field("at", .datetime, .required)
            .field("client_ref", .uuid)
            .field("client_name", .string, .required)
            .field("operation", .string, .required)
            .field("resources", .string, .required)
            .field("unit_scope", .string, .required)
            .field("records", .int, .required)
            .field("status", .int, .required)
            .field("result", .string, .required)
            .field("duration_ms", .int, .required)
            .field("signature", .string, .required)
            .field("ip", .string)
            .create()
        try await database.schema(ExchangeNonce.schema)
            .id()
            .field("client_ref", .uuid, .required)
            .field("nonce", .string, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "client_ref", "nonce")
            .create()
        try await database.schema(ExchangeChange.schema)
            .id()
            .field("seq", .int, .required)
            .field("resource", .string, .required)
            .field("resource_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "seq")
            .create()
        try await database.schema("exchange_call_counts")
            .field("client_ref", .uuid, .required)
            .field("minute", .int, .required)
            .field("calls", .int, .required)
            .unique(on: "client_ref", "minute")
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX exchange_log_at ON exchange_log (at)").run()
        try await sql.raw("CREATE INDEX exchange_log_client_at ON exchange_log (client_ref, at)").run()
        try await sql.raw("CREATE INDEX exchange_changes_resource ON exchange_changes (resource_id, seq)").run()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "exchange_call_counts", ExchangeChange.schema, ExchangeNonce.schema, ExchangeLogEntry.schema,
            ConnectedSystem.schema,
        ] {
            try await database.schema(table).delete()
        }
    }
}

/// One change to post to one connected system's webhook, written in the transaction of the change; it stays until
/// delivered (kept as the record of the exchange) or dead (the dead-letter list, from which an admin sends it again).
final class ExchangeDelivery: Model, @unchecked Sendable {
    static let schema = "exchange_deliveries"

    enum Status: String, Codable, Sendable {
        case pending
        case delivered
        case dead
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "client_ref") var clientRef: UUID
    /// The change's number in the feed.
    @Field(key: "seq") var seq: Int
    @Field(key: "resource") var resource: String
    @Field(key: "resource_id") var resourceID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "at") var at: Date
    @Field(key: "version") var version: Int
    @Enum(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "last_attempt_at") var lastAttemptAt: Date?
    /// The receiver's HTTP status of the last attempt; nil when it did not answer.
    @OptionalField(key: "last_status") var lastStatus: Int?
    /// Why the last attempt failed, without the receiver's answer (it may carry anything).
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(change: ExchangeChange, client: UUID, now: Date) {
        id = UUID()
        clientRef = client
        seq = change.seq
        resource = change.resource
        resourceID = change.resourceID
        kind = change.kind
        at = change.at
        version = change.version
        status = .pending
        attempts = 0
        nextAttemptAt = now
        createdAt = now
    }
}

/// Webhook addresses on connected systems and their delivery queue.
struct CreateExchangeWebhooks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ConnectedSystem.schema).field("webhook_url", .string).update()
        try await database.schema(ExchangeDelivery.schema)
            .id()
            .field("client_ref", .uuid, .required)
            .field("seq", .int, .required)
            .field("resource", .string, .required)
            .field("resource_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("at", .datetime, .required)
            .field("version", .int, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_attempt_at", .datetime)
            .field("last_status", .int)
            .field("last_error", .string)
            .field("delivered_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX exchange_deliveries_due ON exchange_deliveries (status, next_attempt_at)").run()
        try await sql.raw("CREATE INDEX exchange_deliveries_client ON exchange_deliveries (client_ref, status)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExchangeDelivery.schema).delete()
        try await database.schema(ConnectedSystem.schema).deleteField("webhook_url").update()
    }
}
