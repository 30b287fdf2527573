import Crypto
import Fluent
import Foundation
import ThadsDomain
import ThadsExchangeAPI
import Vapor

/// The shared catalogs (G5) as connected systems read them: the same rows the forms use, each entry with its
/// validity, and a version that changes whenever any entry does, so a client re-reads only what changed.
enum ExchangeCatalogs {
    typealias Name = APISchemas.CatalogName
    typealias Entry = APISchemas.CatalogEntry

    static func catalog(_ name: Name, ctx: ActionContext) async throws -> APISchemas.Catalog {
        let (title, entries) = try await entries(name, db: ctx.db)
        return .init(name: name, title: title, version: version(entries), entries: entries)
    }

    static func entries(_ name: Name, db: any Database) async throws -> (String, [Entry]) {
        switch name {
        case .provinces:
            return (
                "Tỉnh, thành phố",
                try UnitCatalog.provinces().map {
                    Entry(code: $0.code, name: $0.name, attribute: $0.isCity ? "thành phố" : "tỉnh")
                }
            )
        case .units:
            let units = try await EnforcementUnit.query(on: db).sort(\.$code).all()
            let codes = Dictionary(uniqueKeysWithValues: units.compactMap { unit in unit.id.map { ($0, unit.code) } })
            return (
                "Cơ quan thi hành án dân sự",
                units.map { unit in
                    Entry(
                        code: unit.code, name: unit.name,
                        validTo: unit.closedAt.map { LocalDate(date: $0, in: .vietnam).iso },
                        attribute: unit.level.rawValue + (unit.parentID.flatMap { codes[$0] }.map { ":" + $0 } ?? ""))
                }
            )
        case .caseStatuses:
            return ("Trạng thái hồ sơ", CaseStatus.allCases.map { Entry(code: $0.rawValue, name: $0.label) })
        case .courts: return try await stored(.courts, db: db)
        case .judgmentKinds: return try await stored(.judgmentKinds, db: db)
        case .obligationKinds: return try await stored(.obligationKinds, db: db)
        case .decisionGrounds: return try await stored(.decisionGrounds, db: db)
        case .reasons: return try await stored(.reasons, db: db)
        case .legalParameters:
            let records = try await LegalParameterRecord.query(on: db).sort(\.$name).sort(\.$effectiveFrom).all()
            var entries: [Entry] = []
            for (index, record) in records.enumerated() {
                // A value is in force until the day before the next value of the same parameter.
                let next = records.indices.contains(index + 1) ? records[index + 1] : nil
                let validTo = next.flatMap { $0.name == record.name ? LocalDate(iso: $0.effectiveFrom) : nil }
                entries.append(
                    Entry(
                        code: record.name, name: "\(record.value) \(record.unit)", validFrom: record.effectiveFrom,
                        validTo: validTo?.adding(days: -1).iso, attribute: record.source))
            }
            return ("Tham số pháp lý", entries)
        }
    }

    private static func stored(_ kind: CatalogKind, db: any Database) async throws -> (String, [Entry]) {
        let rows = try await CatalogEntry.query(on: db).filter(\.$catalog == kind).sort(\.$code).sort(\.$validFrom)
            .all()
        return (
            kind.label,
            rows.map {
                Entry(
                    code: $0.code, name: $0.name, validFrom: $0.validFrom, validTo: $0.validTo, attribute: $0.attribute)
            }
        )
    }

    /// The first 16 hex digits of SHA-256 over the entries in order.
    static func version(_ entries: [Entry]) -> String {
        var hasher = SHA256()
        for entry in entries {
            for field in [entry.code, entry.name, entry.validFrom ?? "", entry.validTo ?? "", entry.attribute ?? ""] {
                hasher.update(data: Data(field.utf8))
                hasher.update(data: Data([0]))
            }
        }
        return String(hasher.finalize().hexString.prefix(16))
    }
}
