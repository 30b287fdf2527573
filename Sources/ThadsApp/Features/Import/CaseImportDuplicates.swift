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

    /// What the stored `number_key` and `name_folded` hold, so the lookup compares like with like; the text under
    /// which `CaseQualityService.casesOnJudgments` files the cases it finds.
    static func key(court: String, numberKey: String, foldedDebtor: String) -> String {
        CaseQualityService.JudgmentKey(court: court, numberKey: numberKey, debtor: foldedDebtor).text
    }

    static func find(in rows: [CaseImportRow], on db: any Database) async throws
        -> (duplicates: [ImportProblem], errors: [ImportProblem])
    {
        let sql = try db.sql
        var duplicates: [ImportProblem] = []
        var errors: [ImportProblem] = []

        // The two lookups are independent: they run at once.
        let legacyRows = rows.filter { $0.legacyCode != nil }
        async let existingLookup = existingCases(
            rows.map {
                CaseQualityService.JudgmentKey(
                    court: $0.judgment["courtCode"] ?? "", numberKey: $0.numberKey, debtor: $0.foldedDebtor)
            },
            on: db)
        async let importedLookup = importedLegacyCodes(
            Set(legacyRows.compactMap(\.legacyCode)), units: Set(legacyRows.map(\.unitID)), on: sql)
        let existing = try await existingLookup
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

        let imported = try await importedLookup
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

    /// Case codes by duplicate key: the cases on a row's court and judgment number whose debtor has the row's
    /// folded name (`CaseQualityService.casesOnJudgments`, the lookup the case form and the quality rules use),
    /// a few batches at once.
    private static func existingCases(_ keys: [CaseQualityService.JudgmentKey], on db: any Database) async throws
        -> [String: [String]]
    {
        // Each key once, in the order of the (court, number) index: each batch reads neighbouring index pages.
        let sorted = Array(Set(keys.filter { !$0.numberKey.isEmpty }))
            .sorted { ($0.court, $0.numberKey, $0.debtor ?? "") < ($1.court, $1.numberKey, $1.debtor ?? "") }
        var found: [String: [String]] = [:]
        let parts = try await inBatches(sorted) { batch in
            [try await CaseQualityService.casesOnJudgments(batch, on: db)]
        }
        for part in parts.joined() {
            for (key, cases) in part { found[key, default: []] += cases.map { $0.code } }
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
        let all = codes.sorted()
        for rows in try await inBatches(
            all,
            { batch in
                try await sql.raw(
                    """
                    SELECT unit_id, legacy_code, code FROM enforcement_cases
                    WHERE \(sql.isOneOf("unit_id", Array(units))) AND \(sql.isOneOf("legacy_code", batch))
                    """
                ).all(decoding: Row.self)
            })
        {
            for row in rows { found[row.unitID.uuidString + "|" + row.legacyCode] = row.code }
        }
        return found
    }

    /// `lookup` over `batchSize` items at a time, a few batches at once: on PostgreSQL each runs on its own pooled
    /// connection and server process, so the lookups use both cores while the server plans the next batch.
    private static func inBatches<Item: Sendable, Result: Sendable>(
        _ items: [Item], parallel: Int = 4, _ lookup: @escaping @Sendable ([Item]) async throws -> [Result]
    ) async throws -> [[Result]] {
        let batches = stride(from: 0, to: items.count, by: batchSize).map {
            Array(items[$0..<min(items.count, $0 + batchSize)])
        }
        return try await withThrowingTaskGroup(of: [Result].self) { group in
            var results: [[Result]] = []
            var next = 0
            while next < min(parallel, batches.count) {
                let batch = batches[next]
                group.addTask { try await lookup(batch) }
                next += 1
            }
            while let result = try await group.next() {
                results.append(result)
                if next < batches.count {
                    let batch = batches[next]
                    group.addTask { try await lookup(batch) }
                    next += 1
                }
            }
            return results
        }
    }
}
