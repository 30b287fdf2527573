import Fluent
import Foundation
import ThadsDomain
import Vapor

/// One value of a named legal parameter from a date on (DOMAIN.md: rules are data with effective dates).
final class LegalParameterRecord: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [$id, $name, $value, $unit, $effectiveFrom, $source, $verified, $note, $updatedAt]
    }
    static let schema = "legal_parameters"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "value") var value: Int64
    @Field(key: "unit") var unit: String
    @Field(key: "effective_from") var effectiveFrom: String
    @Field(key: "source") var source: String
    @Field(key: "verified") var verified: Bool
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(_ value: LegalParameterValue) {
        self.id = UUID()
        self.name = value.name
        self.value = value.value
        self.unit = value.unit.rawValue
        self.effectiveFrom = value.effectiveFrom.iso
        self.source = value.source
        self.verified = value.verified
        self.note = value.note
    }

    var domainValue: LegalParameterValue? {
        guard let unit = ParameterUnit(rawValue: unit), let date = LocalDate(iso: effectiveFrom) else { return nil }
        return LegalParameterValue(
            name: name, value: value, unit: unit, effectiveFrom: date, source: source, verified: verified, note: note)
    }
}

struct CreateLegalParameters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LegalParameterRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("value", .int64, .required)
            .field("unit", .string, .required)
            .field("effective_from", .string, .required)
            .field("source", .string, .required)
            .field("verified", .bool, .required)
            .field("note", .string)
            .field("updated_at", .datetime)
            .unique(on: "name", "effective_from")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LegalParameterRecord.schema).delete()
    }
}

enum LegalParameterStore {
    /// Adds the shipped values that are missing (by name and date); never overwrites an admin's edit.
    static func seedIfEmpty(_ app: Application) async throws {
        let existing = Set(
            try await LegalParameterRecord.query(on: app.db).all().map { $0.name + "@" + $0.effectiveFrom })
        let missing = LegalParameterName.seed.filter { !existing.contains($0.name + "@" + $0.effectiveFrom.iso) }
        guard !missing.isEmpty else { return }
        try await app.write(on: app.db) { db in
            for value in missing { try await LegalParameterRecord(value).create(on: db) }
            try await AuditLog.record(
                AuditEntry(
                    action: "legalParameter.seeded", objectType: "legalParameter", summary: "\(missing.count) giá trị"),
                actor: .system, at: app.clock.now, on: db)
        }
    }

    /// The sources earlier releases shipped, without an article. A stored value that still carries one (nobody
    /// edited it) takes the shipped value's cited source, verified flag and note; an admin's own text stays.
    static let sourcesWithoutArticle: Set<String> = [
        "Luật Thi hành án dân sự 2008 (sửa đổi, bổ sung 2014, 2018, 2020, 2022)",
        "Nghị định 62/2015/NĐ-CP, Điều 9 khoản 5", "Nghị định 62/2015/NĐ-CP; Thông tư 04/2023/TT-BTP",
        "Luật Thi hành án dân sự 2008 (sửa đổi 2014), Điều 61",
        "Quy trình nghiệp vụ của nền tảng THADS (chưa có căn cứ pháp lý xác minh)",
    ]

    static func citeShippedSources(_ app: Application) async throws {
        let shipped = Dictionary(
            LegalParameterName.seed.map { ($0.name + "@" + $0.effectiveFrom.iso, $0) }, uniquingKeysWith: { a, _ in a })
        let stale = try await LegalParameterRecord.query(on: app.db).all().filter { record in
            guard let value = shipped[record.name + "@" + record.effectiveFrom] else { return false }
            return sourcesWithoutArticle.contains(record.source) && record.source != value.source
        }
        guard !stale.isEmpty else { return }
        try await app.write(on: app.db) { db in
            for record in stale {
                guard let value = shipped[record.name + "@" + record.effectiveFrom] else { continue }
                record.source = value.source
                record.verified = value.verified
                record.note = value.note
                try await record.save(on: db)
            }
            try await AuditLog.record(
                AuditEntry(
                    action: "legalParameter.sourcesCited", objectType: "legalParameter",
                    summary: "Ghi điều khoản căn cứ cho \(stale.count) giá trị đã phát hành",
                    after: AuditEntry.json(stale.map { $0.name + "@" + $0.effectiveFrom }.sorted())),
                actor: .system, at: app.clock.now, on: db)
        }
    }

    static func set(on db: any Database) async throws -> LegalParameterSet {
        LegalParameterSet((try await LegalParameterRecord.query(on: db).all()).compactMap { $0.domainValue })
    }
}

extension Application {
    func reloadLegalParameters() async throws {
        legalParameters = try await LegalParameterStore.set(on: db)
    }
}
