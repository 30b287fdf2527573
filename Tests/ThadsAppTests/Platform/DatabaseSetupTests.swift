import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import ThadsApp

@Suite struct DatabaseSetupTests {
    /// PRAGMAs belong to a connection: each pooled SQLite connection must carry them, not only the first one.
    /// PostgreSQL has no per-connection settings of ours, so the test is reported skipped there, not passed.
    @Test(.enabled(if: !isPostgres, "SQLite's connection PRAGMAs; PostgreSQL has none"))
    func everySQLiteConnectionCarriesTheConnectionSettings() async throws {
        try await withTestApp { app async throws in
            #expect(app.databaseKind == .sqlite)
            var checked = 0
            for eventLoop in app.eventLoopGroup.makeIterator() {
                let sql = try #require(app.databases.database(logger: app.logger, on: eventLoop) as? any SQLDatabase)
                struct Value: Decodable { let value: Int }
                func pragma(_ name: String) async throws -> Int? {
                    try await sql.raw("SELECT \(unsafeRaw: name) AS value FROM pragma_\(unsafeRaw: name)")
                        .first(decoding: Value.self)?.value
                }
                #expect(try await pragma("synchronous") == 1, "NORMAL")
                #expect(try await pragma("cache_size") == -65_536)
                #expect(try await pragma("temp_store") == 2, "MEMORY")
                checked += 1
            }
            #expect(checked > 0)
        }
    }

    /// The catalogs are read once and their lookups made once; an edit's invalidation makes the next read current.
    @Test func theCatalogCacheServesOneCopyUntilInvalidated() async throws {
        try await withTestApp { app async throws in
            let first = try await app.catalogCache.catalogs(on: app.db)
            #expect(!first.entries.isEmpty)
            for entry in first.entries {
                #expect(first.catalog(entry.catalog).contains { $0 === entry })
                if let range = entry.validity {
                    let group =
                        entry.catalog == .decisionGrounds ? "grounds:" + entry.attribute : entry.catalog.rawValue
                    #expect(first.codes[group]?[entry.code] == range)
                }
            }
            let court = try #require(first.catalog(.courts).first)
            let stored = try #require(try await CatalogEntry.find(court.id, on: app.db))
            stored.name = "Tòa án đổi tên"
            try await stored.save(on: app.db)
            let cached = try await app.catalogCache.catalogs(on: app.db)
            #expect(cached.entries.first { $0.id == court.id }?.name == court.name, "the copy is kept for its lifetime")
            app.catalogCache.invalidate()
            let fresh = try await app.catalogCache.catalogs(on: app.db)
            #expect(fresh.entries.first { $0.id == court.id }?.name == "Tòa án đổi tên")
        }
    }
}
