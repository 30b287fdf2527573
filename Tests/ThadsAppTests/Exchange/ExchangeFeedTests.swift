import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct ExchangeFeedTests {
    /// Writers record 10,000 changes in concurrent transactions while a reader pages through the feed: every change
    /// comes exactly once, in sequence order, with no gap — on SQLite and on PostgreSQL.
    @Test func theFeedYieldsEveryChangeOnceInOrderWhileWritesGoOn() async throws {
        try await withTestApp(SettingsOverride { $0.databasePoolSize = 4 }) { app async throws in
            let unit = try await Fixtures.unit(app, code: "01")
            let writers = 4
            let transactionsPerWriter = 250
            let changesPerTransaction = 10
            let total = writers * transactionsPerWriter * changesPerTransaction
            let written = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for _ in 0..<writers {
                    group.addTask {
                        var ids: [UUID] = []
                        for _ in 0..<transactionsPerWriter {
                            let batch = (0..<changesPerTransaction).map { _ in UUID() }
                            try await app.write(on: app.db) { db in
                                for id in batch {
                                    try await ExchangeFeed.record(
                                        resource: "case", id: id, unit: unit.id!, at: app.clock.now, on: db)
                                }
                            }
                            ids += batch
                        }
                        return ids
                    }
                }
                group.addTask {
                    // The reader, at the same time as the writers.
                    var seen: [UUID] = []
                    var after = 0
                    var lastSeq = 0
                    var idle = 0
                    while seen.count < total && idle < 10_000 {
                        let (changes, next) = try await ExchangeFeed.page(
                            after: after, limit: 500, units: [], on: app.db)
                        for change in changes {
                            #expect(change.seq == lastSeq + 1, "gap or repeat after \(lastSeq): \(change.seq)")
                            lastSeq = change.seq
                            seen.append(change.resourceID)
                        }
                        idle = changes.isEmpty ? idle + 1 : 0
                        after = next
                        if changes.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
                    }
                    return seen
                }
                var all: [[UUID]] = []
                for try await ids in group { all.append(ids) }
                return all
            }
            let read = try #require(written.first { $0.count == total && Set($0).count == total })
            let made = Set(written.filter { $0 != read }.flatMap { $0 })
            #expect(made.count == total)
            #expect(Set(read) == made, "the feed yields exactly the changes written")
            #expect(read.count == total)
        }
    }

    /// Cases written without the registry's observer (demo data, a bulk import) enter the feed once each, numbered
    /// after what is there; a second pass finds nothing to add.
    @Test func theBackfillFeedsEachCaseWithoutAChangeOnce() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let kept = try await scene.open()
            let missed = try await scene.open(number: "126/2026/DS-ST")
            let before = try await ExchangeChange.query(on: app.db).filter(\.$resourceID == kept).count()
            #expect(before > 0, "the registry's observer fed the case")
            try await ExchangeChange.query(on: app.db).filter(\.$resourceID == missed).delete()
            let last = try await ExchangeChange.query(on: app.db).max(\.$seq) ?? 0
            #expect(try await ExchangeFeed.backfill(app) == 1)
            let added = try await ExchangeChange.query(on: app.db).filter(\.$resourceID == missed).all()
            #expect(
                added.count == 1 && added.first?.kind == "created" && (added.first?.seq ?? 0) > last,
                "numbered after the feed")
            #expect(try await ExchangeChange.query(on: app.db).filter(\.$resourceID == kept).count() == before)
            #expect(try await ExchangeFeed.backfill(app) == 0)
        }
    }

    /// The HTTP feed pages with opaque cursors and keeps to the agreement's units; a case change reaches it through
    /// the case registry's observer.
    @Test func theChangeFeedFollowsCaseChangesWithinTheAgreement() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let hcm = try await Fixtures.unit(app, code: "79")
            for (unit, count) in [(hanoi, 3), (hcm, 2)] {
                for _ in 0..<count {
                    try await app.write(on: app.db) { db in
                        try await ExchangeFeed.record(
                            resource: "case", id: UUID(), unit: unit.id!, at: app.clock.now, on: db)
                    }
                }
            }
            let client = try await ExchangeTestClient.register(app, units: [hanoi.id!], read: [.changes])
            struct Page: Decodable {
                struct Item: Decodable {
                    let id: String
                    let version: Int
                    let kind: String
                }
                let items: [Item]
                let next: String
            }
            let first = try client.decode(Page.self, try await client.call(.GET, "/api/v1/changes?limit=2"))
            let second = try client.decode(
                Page.self, try await client.call(.GET, "/api/v1/changes?after=\(first.next)&limit=10"))
            #expect(first.items.count + second.items.count == 3)
            #expect(Set((first.items + second.items).map(\.id)).count == 3)
            let empty = try client.decode(
                Page.self, try await client.call(.GET, "/api/v1/changes?after=\(second.next)"))
            #expect(empty.items.isEmpty)
            #expect(empty.next == second.next)
            #expect(try await client.call(.GET, "/api/v1/changes?after=gia-mao").status == .badRequest)
        }
    }
}
