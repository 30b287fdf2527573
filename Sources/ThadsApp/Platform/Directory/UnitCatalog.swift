import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Loads the central department and the 34 provincial bodies shipped in Resources/provinces.csv.
/// Idempotent: existing codes are left as they are (renames made by admins survive restarts).
enum UnitCatalog {
    static let centralCode = "TW"
    static let centralName = "Cục Quản lý Thi hành án dân sự"

    struct Province: Sendable {
        let code: String
        let name: String
        let isCity: Bool
        var bodyName: String { "Thi hành án dân sự " + (isCity ? "thành phố " : "tỉnh ") + name }
    }

    static func provinces() throws -> [Province] {
        guard let url = Bundle.module.url(forResource: "provinces", withExtension: "csv", subdirectory: "Resources")
        else { throw Abort(.internalServerError, reason: "provinces.csv missing from the bundle") }
        let text = try String(contentsOf: url, encoding: .utf8)
        return CSVText.rows(text).dropFirst().compactMap { row in
            let fields = row.map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else { return nil }
            return Province(code: fields[0], name: fields[1], isCity: fields[2] == "city")
        }
    }

    static func load(on db: any Database) async throws -> Int {
        var created = 0
        let central: EnforcementUnit
        if let existing = try await EnforcementUnit.query(on: db).filter(\.$code == centralCode).first() {
            central = existing
        } else {
            central = EnforcementUnit(code: centralCode, name: centralName, level: .central, parentID: nil)
            try await central.create(on: db)
            created += 1
        }
        let existingCodes = Set(try await EnforcementUnit.query(on: db).all(\.$code))
        for province in try provinces() where !existingCodes.contains(province.code) {
            try await EnforcementUnit(
                code: province.code, name: province.bodyName, level: .province, parentID: central.id
            )
            .create(on: db)
            created += 1
        }
        return created
    }

    static func central(on db: any Database) async throws -> EnforcementUnit {
        guard let unit = try await EnforcementUnit.query(on: db).filter(\.$code == centralCode).first() else {
            throw Abort(.internalServerError, reason: "central unit missing")
        }
        return unit
    }
}
