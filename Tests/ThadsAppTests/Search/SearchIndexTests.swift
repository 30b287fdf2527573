import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import ThadsApp

/// The indexes name and code search read: each one exists, and none twice (every write pays for each index).
@Suite struct SearchIndexTests {
    struct Name: Decodable { let name: String }
    struct Step: Decodable { let detail: String }

    @Test func searchIndexesExistOnceAndServeTheUnitScopedSearch() async throws {
        try await withTestApp { app async throws in
            let sql = app.db as! any SQLDatabase
            if app.databaseKind == .postgres {
                let names = Set(
                    try await sql.raw(
                        "SELECT indexname AS name FROM pg_indexes WHERE tablename IN ('case_parties', 'enforcement_cases')"
                    ).all(decoding: Name.self).map(\.name))
                // Byte-order (COLLATE "C") indexes for prefix ranges, beside the default-collation ones.
                #expect(
                    names.isSuperset(of: [
                        "idx_parties_unit_folded", "idx_parties_unit_name", "idx_parties_name", "idx_cases_code",
                    ]))
                return
            }
            let names = Set(
                try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'index'").all(decoding: Name.self)
                    .map(\.name))
            #expect(names.isSuperset(of: ["idx_parties_unit_name", "idx_parties_name", "idx_parties_unit_exact"]))
            #expect(!names.contains("idx_parties_unit_folded"), "the leading part of idx_parties_unit_name")
            #expect(!names.contains("idx_cases_code"), "a copy of the unique index on the code")

            func plan(_ query: SQLQueryString) async throws -> String {
                try await sql.raw("EXPLAIN QUERY PLAN " + query).all(decoding: Step.self).map(\.detail)
                    .joined(separator: "; ")
            }
            // A name prefix within one unit, in name order: read from the (unit, name, birth year) index.
            let unitPrefix = try await plan(
                """
                SELECT p.id FROM case_parties p WHERE p.unit_id = \(bind: UUID())
                AND p.name_folded >= \(bind: "nguyen van") AND p.name_folded < \(bind: "nguyen van\u{7F}")
                ORDER BY p.name_folded LIMIT 51
                """)
            #expect(unitPrefix.contains("idx_parties_unit_name"), "\(unitPrefix)")
            #expect(!unitPrefix.contains("TEMP B-TREE"), "\(unitPrefix)")
            // A code prefix: read from the unique index on the code.
            let codePrefix = try await plan(
                """
                SELECT c.id FROM enforcement_cases c WHERE c.code >= \(bind: "79/2026/") AND c.code < \(bind: "79/2026/\u{7F}")
                """)
            #expect(codePrefix.contains("INDEX sqlite_autoindex_enforcement_cases"), "\(codePrefix)")
        }
    }
}
