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
            let sql = try app.db.sql
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
                // People of the same name are ordered by id, read from the index, not sorted (sorting is switched
                // off so that the tiny test table cannot make a sort look cheaper).
                for (column, index) in [("name_exact", "idx_parties_exact"), ("name_folded", "idx_parties_name")] {
                    let plan = try await app.db.transaction { db in
                        let sql = try db.sql
                        try await sql.raw("SET LOCAL enable_sort = off").run()
                        try await sql.raw("SET LOCAL enable_seqscan = off").run()
                        return try await sql.raw(
                            """
                            EXPLAIN SELECT p.id FROM case_parties p WHERE p.\(unsafeRaw: column) COLLATE "C" = \(bind: "an")
                            ORDER BY p.\(unsafeRaw: column) COLLATE "C", p.id LIMIT 51
                            """
                        ).all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "; ")
                    }
                    #expect(plan.contains(index) && !plan.contains("Sort"), "\(plan)")
                }
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
                ORDER BY p.name_folded, p.rowid LIMIT 51
                """)
            #expect(unitPrefix.contains("idx_parties_unit_name"), "\(unitPrefix)")
            // Nationwide, people of the same name come in rowid order straight from the index.
            let samePrefix = try await plan(
                """
                SELECT p.id FROM case_parties p
                WHERE p.name_folded >= \(bind: "nguyen van") AND p.name_folded < \(bind: "nguyen van\u{7F}")
                ORDER BY p.name_folded, p.rowid LIMIT 51
                """)
            #expect(samePrefix.contains("idx_parties_name"), "\(samePrefix)")
            #expect(!samePrefix.contains("TEMP B-TREE"), "\(samePrefix)")
            // A code prefix: read from the unique index on the code.
            let codePrefix = try await plan(
                """
                SELECT c.id FROM enforcement_cases c WHERE c.code >= \(bind: "79/2026/") AND c.code < \(bind: "79/2026/\u{7F}")
                """)
            #expect(codePrefix.contains("INDEX sqlite_autoindex_enforcement_cases"), "\(codePrefix)")
        }
    }
}
