import Fluent
import Foundation
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 16, item 2: the probe confirmed a masked number (`*********002` and the birth year) by looping the
/// exact-ID search 2,000 times. A role without the right to see ID numbers now gets no answer to a search by number,
/// every look-up is in the access log without the number, and the loop raises abnormal-access events.
@Suite struct IDLookupTests {
    @Test func twoThousandGuessesByAMaskedRoleConfirmNothingAndAreAllLogged() async throws {
        try await withTestApp { app async throws in
            app.clock = .fixed(LocalDate(iso: "2026-11-20")!, hour: 10)
            let data = try await CaseSearchTests.seed(app)
            let target = data.cases["duc"]!.code
            let (clerk, made) = try await Fixtures.signedIn(app, "thuky.hn", unit: "01-07", roles: [.secretary])
            // The masked number is what the clerk sees.
            let byName = try await clerk.get("/api/ho-so?ten=dang+van+duc&cach-tim=whole")
            #expect(byName.body.string.contains("*********002"))

            let page = try await clerk.get("/ho-so?so-dinh-danh=001080000002")
            #expect(page.status == .ok)
            #expect(!page.body.string.contains(target))
            #expect(page.body.string.contains("chỉ dành cho vai trò được xem đầy đủ số định danh"))
            // As the probe did, several requests at a time: four browsers of the same session, 500 guesses each.
            let answered = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<4 {
                    let client = TestClient(app)
                    client.cookies = clerk.cookies
                    group.addTask {
                        var answered = 0
                        for guess in stride(from: worker, to: 2_000, by: 4) {
                            let number = "00108000" + String(format: "%04d", guess)
                            let response = try await client.get("/api/ho-so?so-dinh-danh=\(number)")
                            if response.status != .forbidden || response.body.string.contains(target) { answered += 1 }
                        }
                        return answered
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(answered == 0, "no guess is answered, the right one included")

            let lookups = try await AuditEvent.query(on: app.db).filter(\.$action == CaseIDLookup.action)
                .filter(\.$actorID == made.account.id).all()
            #expect(lookups.count == 2_001, "every look-up is in the access log")
            #expect(lookups.allSatisfy { $0.afterData?.contains(#""refused":true"#) == true })
            // No row of the log holds a number that was looked up (the keyed hash only shows repeats).
            let everything = try await AuditEvent.query(on: app.db).all()
            let texts = everything.map {
                [$0.summary, $0.beforeData, $0.afterData, $0.objectID, $0.purpose, $0.actorUsername].compactMap { $0 }
                    .joined(separator: "|")
            }
            #expect(!texts.contains { $0.contains("001080000002") || $0.contains("00108000") })
            let hash = CaseIDLookup.numberHash("001080000002", keys: app.keys)
            let sameNumber = lookups.filter { $0.afterData?.contains(hash) == true }
            #expect(sameNumber.count == 2, "the page and the loop looked up this number")

            // 2,001 look-ups in one hour: an abnormal-access event at 20, 200 and 2,000.
            let alerts = try await AccessWatch.abnormalEvents(
                since: app.clock.now.addingTimeInterval(-3600), on: app.db)
            #expect(alerts.count == 3)
            #expect(alerts.allSatisfy { $0.actorID == made.account.id && $0.actorUnitID == data.hanoi.id })
            #expect(alerts.first?.summary?.contains("2000 lần") == true)
        }
    }

    @Test func aRoleThatSeesIDNumbersFindsTheCaseAndTheLookUpIsLoggedWithoutTheNumber() async throws {
        try await withTestApp { app async throws in
            let data = try await CaseSearchTests.seed(app)
            let (officer, made) = try await Fixtures.signedIn(
                app, "chv.hn2", unit: "01-07", roles: [.enforcementOfficer])
            let json = try await officer.get("/api/ho-so?so-dinh-danh=001080000002")
            #expect(json.status == .ok)
            let result = try JSONDecoder().decode(CaseSearch.Result.self, from: Data(buffer: json.body))
            #expect(result.hits.map(\.code) == [data.cases["duc"]!.code])
            let page = try await officer.get("/ho-so?so-dinh-danh=001080000002")
            #expect(page.body.string.contains(data.cases["duc"]!.code))
            let lookups = try await AuditEvent.query(on: app.db).filter(\.$action == CaseIDLookup.action)
                .filter(\.$actorID == made.account.id).all()
            #expect(lookups.count == 2)
            #expect(lookups.allSatisfy { $0.summary == "Tìm theo số định danh: 1 hồ sơ" })
            #expect(!lookups.contains { ($0.afterData ?? "").contains("001080000002") })
            // A search without a number is not an ID look-up.
            _ = try await officer.get("/api/ho-so?ten=dang+van+duc")
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == CaseIDLookup.action).count() == 2)
        }
    }

    /// Parallel look-ups cannot skip the threshold or raise it twice: the count changes in one statement.
    @Test func theHourlyCountIsAtomicUnderParallelLookUps() async throws {
        try await withTestApp { app async throws in
            app.clock = .fixed(LocalDate(iso: "2026-11-20")!, hour: 10)
            let made = try await Fixtures.account(app, "song.song", unit: "TW", roles: [.verifier])
            let actor = AuditActor(
                accountID: made.account.id, username: "song.song", unitID: made.account.unitID, ip: "127.0.0.1")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask { () async throws -> Void in
                        _ = try await app.write(on: app.db) { db in
                            try await AccessWatch.count(
                                "test.kind", label: "thử", threshold: 20, actor: actor, at: app.clock.now, on: db)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await AccessWatch.abnormalEvents(since: .distantPast, on: app.db).count == 1)
            #expect(try await AuditLog.verify(app).isIntact)
        }
    }
}
