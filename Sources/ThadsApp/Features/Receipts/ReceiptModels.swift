import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// A range of receipt numbers a unit's accountant registered for one year and purpose (I1). `status` mirrors the
/// series' workflow instance (pending, approved, rejected) and adds `closed`.
final class ReceiptSeries: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [
            $id, $unitID, $year, $formSymbol, $receiptSymbol, $purpose, $validFrom, $firstNumber, $lastNumber,
            $status, $createdByID, $createdAt, $closedAt,
        ]
    }
    static let schema = "receipt_series"

    enum Status: String, Codable, Sendable {
        case pending, approved, rejected, closed

        var label: String {
            switch self {
            case .pending: "Chờ phê duyệt"
            case .approved: "Đang sử dụng"
            case .rejected: "Bị từ chối"
            case .closed: "Đã đóng"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "form_symbol") var formSymbol: String
    @Field(key: "receipt_symbol") var receiptSymbol: String
    @Enum(key: "purpose") var purpose: ReceiptPurpose
    @Field(key: "valid_from") var validFrom: String
    @Field(key: "first_number") var firstNumber: Int
    @Field(key: "last_number") var lastNumber: Int
    @Enum(key: "status") var status: Status
    @Field(key: "created_by_id") var createdByID: UUID
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?

    init() {}

    var sequenceKey: Sequences.Key {
        Sequences.Key(series: "receipt", scope: id!.uuidString, period: year)
    }
    var title: String { "\(formSymbol) · \(receiptSymbol) (\(purpose.label))" }
}

/// One issued receipt. Never deleted: a cancelled or replaced receipt keeps its number and its signed document.
final class Receipt: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [
            $id, $seriesID, $unitID, $caseID, $moneyEntryID, $number, $reference, $lookupCode, $state, $purpose,
            $issuedOn, $issuedAt, $amount, $payerName, $payerEmail, $xml, $signature, $demoSignature, $replacesID,
            $replacedByID, $cancelReason, $cancelledAt, $cancelledByID, $createdByID,
        ]
    }
    static let schema = "receipts"

    @ID(key: .id) var id: UUID?
    @Field(key: "series_id") var seriesID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "case_id") var caseID: UUID?
    /// The case's collection this receipt proves; nil would be a receipt not tied to a collection.
    @OptionalField(key: "money_entry_id") var moneyEntryID: UUID?
    @Field(key: "number") var number: Int
    /// "AA-25E 0000012".
    @Field(key: "reference") var reference: String
    @Field(key: "lookup_code") var lookupCode: String
    @Enum(key: "state") var state: ReceiptState
    @Enum(key: "purpose") var purpose: ReceiptPurpose
    @Field(key: "issued_on") var issuedOn: String
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "amount") var amount: Int64
    @Field(key: "payer_name") var payerName: String
    @OptionalField(key: "payer_email") var payerEmail: String?
    /// The signed document, exactly the bytes the signature covers.
    @Field(key: "xml") var xml: String
    /// CMS SignedData (detached, DER) over `xml`, base64.
    @Field(key: "signature") var signature: String
    @Field(key: "demo_signature") var demoSignature: Bool
    @OptionalField(key: "replaces_id") var replacesID: UUID?
    @OptionalField(key: "replaced_by_id") var replacedByID: UUID?
    @OptionalField(key: "cancel_reason") var cancelReason: String?
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    @OptionalField(key: "cancelled_by_id") var cancelledByID: UUID?
    @Field(key: "created_by_id") var createdByID: UUID

    init() {}
}

/// A day of a unit's money books closed by its accountant: no money entry dated in it is accepted afterwards.
final class ReceiptDayClose: Model, @unchecked Sendable {
    var properties: [any AnyProperty] { [$id, $unitID, $day, $closedAt, $closedByID, $received, $paidOut] }
    static let schema = "money_day_closes"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "day") var day: String
    @Field(key: "closed_at") var closedAt: Date
    @Field(key: "closed_by_id") var closedByID: UUID
    /// The day's totals as they stood at the close.
    @Field(key: "received") var received: Int64
    @Field(key: "paid_out") var paidOut: Int64

    init() {}
}

struct CreateReceipts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReceiptSeries.schema)
            .id()
            .field("unit_id", .uuid, .required)
            .field("year", .int, .required)
            .field("form_symbol", .string, .required)
            .field("receipt_symbol", .string, .required)
            .field("purpose", .string, .required)
            .field("valid_from", .string, .required)
            .field("first_number", .int, .required)
            .field("last_number", .int, .required)
            .field("status", .string, .required)
            .field("created_by_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("closed_at", .datetime)
            .unique(on: "unit_id", "form_symbol", "receipt_symbol")
            .create()
        try await database.schema(Receipt.schema)
            .id()
            .field("series_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("case_id", .uuid)
            .field("money_entry_id", .uuid)
            .field("number", .int, .required)
            .field("reference", .string, .required)
            .field("lookup_code", .string, .required)
            .field("state", .string, .required)
            .field("purpose", .string, .required)
            .field("issued_on", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("amount", .int64, .required)
            .field("payer_name", .string, .required)
            .field("payer_email", .string)
            .field("xml", .sql(.text), .required)
            .field("signature", .sql(.text), .required)
            .field("demo_signature", .bool, .required)
            .field("replaces_id", .uuid)
            .field("replaced_by_id", .uuid)
            .field("cancel_reason", .string)
            .field("cancelled_at", .datetime)
            .field("cancelled_by_id", .uuid)
            .field("created_by_id", .uuid, .required)
            // The database itself refuses a number used twice in a series.
            .unique(on: "series_id", "number")
            .create()
        try await database.schema(ReceiptDayClose.schema)
            .id()
            .field("unit_id", .uuid, .required)
            .field("day", .string, .required)
            .field("closed_at", .datetime, .required)
            .field("closed_by_id", .uuid, .required)
            .field("received", .int64, .required)
            .field("paid_out", .int64, .required)
            .unique(on: "unit_id", "day")
            .create()
        for (name, table, columns) in [
            ("receipts_unit_issued", Receipt.schema, ["unit_id", "issued_on"]),
            ("receipts_case", Receipt.schema, ["case_id"]),
            ("receipts_money_entry", Receipt.schema, ["money_entry_id"]),
        ] {
            var builder = try database.sql.create(index: "idx_" + name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReceiptDayClose.schema).delete()
        try await database.schema(Receipt.schema).delete()
        try await database.schema(ReceiptSeries.schema).delete()
    }
}
