import Crypto
import Fluent
import Foundation
import SQLKit
import ThadsDomain
import ThadsExchangeAPI
import Vapor

/// A judgment or decision a court system sent (issue 22, item 6): it waits in the competent unit's intake list
/// until an officer opens a case from it. Parties and obligations are kept encrypted (they carry ID numbers).
final class ExchangeIntake: Model, @unchecked Sendable {
    static let schema = "exchange_intake"

    @ID(key: .id) var id: UUID?
    @Field(key: "client_ref") var clientRef: UUID
    @Field(key: "client_name") var clientName: String
    @Field(key: "idempotency_key") var idempotencyKey: String
    @Field(key: "body_hash") var bodyHash: String
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "court_code") var courtCode: String
    @Field(key: "number") var number: String
    @Field(key: "number_key") var numberKey: String
    @Field(key: "judgment_date") var judgmentDate: String
    @OptionalField(key: "effective_date") var effectiveDate: String?
    @Field(key: "kind_code") var kindCode: String
    @Field(key: "details_cipher") var detailsCipher: String
    @Field(key: "received_at") var receivedAt: Date

    init() {}

    static let detailsPurpose = "exchange-intake"

    /// What the encrypted column holds.
    struct Details: Codable, Sendable {
        var parties: [APISchemas.InboundParty]
        var obligations: [APISchemas.InboundObligation]
    }
}

struct CreateExchangeIntake: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExchangeIntake.schema)
            .id()
            .field("client_ref", .uuid, .required)
            .field("client_name", .string, .required)
            .field("idempotency_key", .string, .required)
            .field("body_hash", .string, .required)
            .field("unit_id", .uuid, .required)
            .field("court_code", .string, .required)
            .field("number", .string, .required)
            .field("number_key", .string, .required)
            .field("judgment_date", .string, .required)
            .field("effective_date", .string)
            .field("kind_code", .string, .required)
            .field("details_cipher", .string, .required)
            .field("received_at", .datetime, .required)
            .unique(on: "client_ref", "idempotency_key")
            .create()
        try await database.sql.raw("CREATE INDEX exchange_intake_unit ON exchange_intake (unit_id, received_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExchangeIntake.schema).delete()
    }
}

extension ExchangeAPI {
    func submitJudgment(_ input: Operations.SubmitJudgment.Input) async throws -> Operations.SubmitJudgment.Output {
        let call = try ExchangeCall.get()
        _ = try call.require(.judgments, writing: true)
        guard let client = call.client, let clientRef = client.id else {
            throw ExchangeProblem(.unauthorized, "Chưa xác thực", "Thiếu mã truy cập.")
        }
        guard case .json(let body) = input.body else { throw ExchangeProblem.badRequest("Thiếu thân yêu cầu.") }
        let key = input.headers.idempotencyKey
        guard !key.isEmpty, key.count <= 100 else {
            throw ExchangeProblem.badRequest("Idempotency-Key phải có từ 1 đến 100 ký tự.")
        }
        let ctx = call.ctx
        let checked = try await ExchangeIntakes.check(body, ctx: ctx)
        call.noteScope(checked.unit.code)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let hash = SHA256.hex(try encoder.encode(body))
        let item = ExchangeIntake()
        item.id = UUID()
        item.clientRef = clientRef
        item.clientName = client.name
        item.idempotencyKey = key
        item.bodyHash = hash
        item.unitID = checked.unit.id!
        item.courtCode = body.courtCode
        item.number = body.number
        item.numberKey = CaseQuality.judgmentNumberKey(body.number)
        item.judgmentDate = checked.date.iso
        item.effectiveDate = checked.effective?.iso
        item.kindCode = body.kindCode
        item.detailsCipher = try ctx.keys.encrypt(
            String(
                decoding: try encoder.encode(
                    ExchangeIntake.Details(parties: body.parties, obligations: body.obligations ?? [])), as: UTF8.self),
            purpose: ExchangeIntake.detailsPurpose)
        item.receivedAt = ctx.now
        // A repeat with the same key (also two at once: the unique key decides) answers the first item.
        let stored: (ExchangeIntake, Bool) = try await ctx.write { db in
            if let first = try await ExchangeIntake.query(on: db).filter(\.$clientRef == clientRef)
                .filter(\.$idempotencyKey == key).first()
            {
                return (first, false)
            }
            try await item.create(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "exchange.judgment.received", objectType: "exchange_intake",
                    objectID: item.id?.uuidString, unitID: item.unitID,
                    summary: "\(client.name) gửi bản án số \(body.number) của \(body.courtCode)"),
                on: db)
            return (item, true)
        }
        let (first, fresh) = stored
        guard first.bodyHash == hash else {
            throw ExchangeProblem(
                .conflict, "Idempotency-Key đã được dùng", "Khóa này đã dùng cho một bản án có nội dung khác.")
        }
        let receipt = try await ExchangeIntakes.receipt(first, unitCode: checked.unit.code, on: ctx.db)
        call.noteRecords(1)
        return fresh ? .created(.init(body: .json(receipt))) : .ok(.init(body: .json(receipt)))
    }
}

enum ExchangeIntakes {
    struct Checked {
        let unit: EnforcementUnit
        let date: LocalDate
        let effective: LocalDate?
    }

    /// The checks the case form would make on the same values, answered as 400/403 problems.
    static func check(_ body: APISchemas.InboundJudgment, ctx: ActionContext) async throws -> Checked {
        func bad(_ detail: String) -> ExchangeProblem { .badRequest(detail) }
        guard let unit = try await EnforcementUnit.query(on: ctx.db).filter(\.$code == body.unitCode).first(),
            unit.isOpen
        else { throw bad("unitCode không có trong danh mục units (hoặc đơn vị đã đóng).") }
        guard ctx.scope.contains(unit.id!) else { throw ExchangeProblem(.unitOutOfScope) }
        guard let date = LocalDate(iso: body.date), date <= ctx.today else {
            throw bad("date phải là ngày hợp lệ (yyyy-mm-dd), không sau hôm nay.")
        }
        var effective: LocalDate?
        if let text = body.effectiveDate {
            guard let value = LocalDate(iso: text), value <= ctx.today, !(value < date) else {
                throw bad("effectiveDate phải là ngày hợp lệ, từ ngày bản án đến hôm nay.")
            }
            effective = value
        }
        let number = body.number.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty, number.count <= 50, FormCheck.refusal(number, label: "Số", max: 50) == nil,
            !CaseQuality.judgmentNumberKey(number).isEmpty
        else { throw bad("number không hợp lệ.") }
        let courts = try await CatalogEntry.query(on: ctx.db).filter(\.$catalog == .courts)
            .filter(\.$code == body.courtCode).all()
        guard courts.contains(where: { $0.isValid(on: date) }) else {
            throw bad("courtCode không có trong danh mục courts vào ngày của bản án.")
        }
        let kinds = try await CatalogEntry.query(on: ctx.db).filter(\.$catalog == .judgmentKinds)
            .filter(\.$code == body.kindCode).all()
        guard kinds.contains(where: { $0.isValid(on: ctx.today) }) else {
            throw bad("kindCode không có trong danh mục judgment-kinds.")
        }
        guard body.parties.contains(where: { $0.role == .debtor }) else {
            throw bad("Bản án phải có ít nhất một người phải thi hành án (role: debtor).")
        }
        for party in body.parties {
            guard FormCheck.refusal(party.name, label: "Tên", max: 200) == nil,
                !party.name.trimmingCharacters(in: .whitespaces).isEmpty
            else { throw bad("Tên đương sự không hợp lệ.") }
            if let id = party.idNumber, !(id.allSatisfy(\.isNumber) && (9...12).contains(id.count)) {
                throw bad("idNumber chỉ gồm 9 đến 12 chữ số.")
            }
            if let address = party.address, FormCheck.refusal(address, label: "Địa chỉ", max: 500) != nil {
                throw bad("Địa chỉ đương sự không hợp lệ.")
            }
        }
        for obligation in body.obligations ?? [] {
            guard FormCheck.refusal(obligation.description, label: "Nghĩa vụ", max: 1000, lines: .multi) == nil,
                !obligation.description.trimmingCharacters(in: .whitespaces).isEmpty, (obligation.amount ?? 0) >= 0
            else { throw bad("Nghĩa vụ không hợp lệ.") }
        }
        return Checked(unit: unit, date: date, effective: effective)
    }

    /// The receipt a court gets: the item and the cases already open on the same court and number (the case form's
    /// duplicate rule).
    static func receipt(_ item: ExchangeIntake, unitCode: String, on db: any Database) async throws
        -> APISchemas.JudgmentReceipt
    {
        let key = CaseQualityService.JudgmentKey(court: item.courtCode, numberKey: item.numberKey)
        let cases = try await CaseQualityService.casesOnJudgments([key], on: db)[key.text] ?? []
        return .init(
            id: item.id!.uuidString, receivedAt: item.receivedAt, unitCode: unitCode,
            possibleDuplicates: cases.map(\.code))
    }

    static func details(_ item: ExchangeIntake, keys: KeyStore) -> ExchangeIntake.Details? {
        guard let text = try? keys.decrypt(item.detailsCipher, purpose: ExchangeIntake.detailsPurpose) else {
            return nil
        }
        return try? JSONDecoder().decode(ExchangeIntake.Details.self, from: Data(text.utf8))
    }

    /// The new-case form pre-filled with the judgment (the form checks them again as if typed).
    static func newCaseLink(_ item: ExchangeIntake) -> String {
        var components = URLComponents()
        components.path = "/ho-so/moi"
        components.queryItems = [
            URLQueryItem(name: "courtCode", value: item.courtCode),
            URLQueryItem(name: "number", value: item.number),
            URLQueryItem(name: "judgmentDate", value: LocalDate(iso: item.judgmentDate)?.display),
            URLQueryItem(name: "kindCode", value: item.kindCode),
            URLQueryItem(name: "effectiveDate", value: item.effectiveDate.flatMap(LocalDate.init(iso:))?.display),
            URLQueryItem(name: "receivedOn", value: LocalDate(date: item.receivedAt, in: .vietnam).display),
        ].filter { $0.value != nil }
        return components.string ?? "/ho-so/moi"
    }
}
