import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// Duplicates of an import, looked up in batches rather than row by row:
///
/// - possible duplicates (to confirm, like the twin warning of the case form): the same court, judgment number
///   (`CaseQuality.judgmentNumberKey`) and folded debtor name as an existing case or an earlier row — one
///   judgment may rightly give two cases against one debtor (court fees ex officio, the creditor's claim on
///   request), so a person decides;
/// - errors: an old-system code already imported into the unit, or given twice in the file.
enum CaseImportDuplicates {
    static let batchSize = 500

    /// What the stored `number_key` and `name_folded` hold, so the lookup compares like with like.
    static func key(court: String, numberKey: String, foldedDebtor: String) -> String {
        court + "|" + numberKey + "|" + foldedDebtor
    }

    static func find(in rows: [CaseImportRow], on db: any Database) async throws
        -> (duplicates: [ImportProblem], errors: [ImportProblem])
    {
        let sql = db as! any SQLDatabase
        var duplicates: [ImportProblem] = []
        var errors: [ImportProblem] = []

        let existing = try await existingCases(
            numberKeys: Set(rows.map(\.numberKey)), on: sql)
        var firstRow: [String: Int] = [:]
        for row in rows {
            let key = row.duplicateKey
            if let codes = existing[key] {
                duplicates.append(
                    ImportProblem(
                        row: row.number, column: .judgmentNumber,
                        message: "Có thể trùng hồ sơ đã có " + codes.prefix(3).joined(separator: ", ")
                            + (codes.count > 3 ? "…" : "") + " (cùng tòa án, số bản án và người phải thi hành án)."))
            }
            if let first = firstRow[key] {
                duplicates.append(
                    ImportProblem(
                        row: row.number, column: .judgmentNumber,
                        message:
                            "Có thể trùng dòng \(first) của tệp (cùng tòa án, số bản án và người phải thi hành án)."))
            } else {
                firstRow[key] = row.number
            }
        }

        let legacyRows = rows.filter { $0.legacyCode != nil }
        let imported = try await importedLegacyCodes(
            Set(legacyRows.compactMap(\.legacyCode)), units: Set(legacyRows.map(\.unitID)), on: sql)
        var firstLegacy: [String: Int] = [:]
        for row in legacyRows {
            let key = row.unitID.uuidString + "|" + row.legacyCode!
            if let code = imported[key] {
                errors.append(
                    ImportProblem(
                        row: row.number, column: .legacyCode,
                        message: "Mã hồ sơ cũ “\(row.legacyCode!)” đã được nhập thành hồ sơ \(code)."))
            }
            if let first = firstLegacy[key] {
                errors.append(
                    ImportProblem(
                        row: row.number, column: .legacyCode,
                        message: "Mã hồ sơ cũ “\(row.legacyCode!)” trùng với dòng \(first) của tệp (cùng đơn vị)."))
            } else {
                firstLegacy[key] = row.number
            }
        }
        return (duplicates, errors)
    }

    /// Case codes by duplicate key, for the cases whose judgment has one of `numberKeys`.
    private static func existingCases(numberKeys: Set<String>, on sql: any SQLDatabase) async throws
        -> [String: [String]]
    {
        struct Row: Decodable {
            let courtCode: String
            let numberKey: String
            let nameFolded: String
            let code: String
            enum CodingKeys: String, CodingKey {
                case courtCode = "court_code"
                case numberKey = "number_key"
                case nameFolded = "name_folded"
                case code
            }
        }
        var found: [String: [String]] = [:]
        let keys = Array(numberKeys.filter { !$0.isEmpty })
        for start in stride(from: 0, to: keys.count, by: batchSize) {
            let batch = Array(keys[start..<min(keys.count, start + batchSize)])
            let rows = try await sql.raw(
                """
                SELECT j.court_code, j.number_key, p.name_folded, c.code FROM judgments j
                JOIN enforcement_cases c ON c.judgment_id = j.id
                JOIN case_parties p ON p.case_id = c.id AND p.role = 'debtor'
                WHERE j.number_key IN (\(binds: batch))
                """
            ).all(decoding: Row.self)
            for row in rows {
                found[key(court: row.courtCode, numberKey: row.numberKey, foldedDebtor: row.nameFolded), default: []]
                    .append(row.code)
            }
        }
        return found.mapValues { $0.sorted() }
    }

    /// Case codes by "unit id|legacy code". The units lead the lookup so that it reads the (unit, legacy code)
    /// index: the legacy code alone would scan every case.
    private static func importedLegacyCodes(_ codes: Set<String>, units: Set<UUID>, on sql: any SQLDatabase)
        async throws
        -> [String: String]
    {
        struct Row: Decodable {
            let unitID: UUID
            let legacyCode: String
            let code: String
            enum CodingKeys: String, CodingKey {
                case unitID = "unit_id"
                case legacyCode = "legacy_code"
                case code
            }
        }
        var found: [String: String] = [:]
        let all = Array(codes)
        for start in stride(from: 0, to: all.count, by: batchSize) {
            let batch = Array(all[start..<min(all.count, start + batchSize)])
            let rows = try await sql.raw(
                """
                SELECT unit_id, legacy_code, code FROM enforcement_cases
                WHERE unit_id IN (\(binds: Array(units))) AND legacy_code IN (\(binds: batch))
                """
            ).all(decoding: Row.self)
            for row in rows { found[row.unitID.uuidString + "|" + row.legacyCode] = row.code }
        }
        return found
    }
}
