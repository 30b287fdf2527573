import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

extension CatalogEntry {
    /// What a court entry says about its court; nil for other catalogs or an unreadable attribute.
    var court: CourtDescription? {
        catalog == .courts ? CourtDescription(attribute: attribute) : nil
    }

    /// Why this court cannot have issued a judgment dated `date`, or nil when it could.
    func courtRefusal(judgmentDate date: LocalDate) -> String? {
        let label = "\(code) — \(name)"
        if status == .mapped {
            return "\(label) là tòa án ghi tạm đã được đối chiếu sang \(mappedTo ?? "mục khác"); chọn mục đó."
        }
        guard let from = LocalDate(iso: validFrom) else { return "\(label) không còn hiệu lực." }
        let description = court ?? CourtDescription(level: .other)
        return description.refusal(
            name: label, validFrom: from, validTo: validTo.flatMap(LocalDate.init(iso:)), judgmentDate: date)
    }
}

/// Court entries name their level (and the province for provincial, district and regional courts) so that a
/// judgment dated after the 2025 reorganisation cannot name a district court; provisional entries get their status.
struct DescribeCourts: AsyncMigration {
    /// The 11 provinces Resolution 81/2025/UBTVQH15 left as they were: their provincial courts carry on, so their
    /// entries are valid before 01/07/2025 too (earlier releases listed them from that day only).
    static let unmergedProvinces: Set<String> = ["01", "04", "11", "12", "14", "20", "22", "38", "40", "42", "46"]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one column at a time.
        for (column, type) in [
            ("status", DatabaseSchema.DataType.string), ("mapped_to", .string), ("recorded_by", .uuid),
        ] {
            try await database.schema(CatalogEntry.schema).field(.string(column), type).update()
        }
        let courts = try await CatalogEntry.query(on: database).filter(\.$catalog == .courts).all()
        for entry in courts where CourtDescription(attribute: entry.attribute) == nil {
            entry.attribute = Self.describe(code: entry.code, oldAttribute: entry.attribute).attribute
            if entry.code.hasPrefix("TAND-"), Self.unmergedProvinces.contains(String(entry.code.dropFirst(5))),
                entry.validFrom == "2025-07-01"
            {
                entry.validFrom = "2015-01-01"
            }
            try await entry.save(on: database)
        }
    }

    /// The level of an entry written before levels existed, read from the shipped codes' pattern.
    static func describe(code: String, oldAttribute: String) -> CourtDescription {
        switch code {
        case "TANDTC": CourtDescription(level: .supreme)
        case _ where code.hasPrefix("TANDCC"): CourtDescription(level: .high)
        case _ where code.hasPrefix("TAND-"): CourtDescription(level: .provincial, province: oldAttribute)
        case "TTTM": CourtDescription(level: .arbitration)
        default: CourtDescription(level: .other)
        }
    }

    func revert(on database: any Database) async throws {
        for column in ["recorded_by", "mapped_to", "status"] {
            try await database.schema(CatalogEntry.schema).deleteField(.string(column)).update()
        }
    }
}
