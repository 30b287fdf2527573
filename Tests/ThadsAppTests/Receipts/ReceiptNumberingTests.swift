import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Receipt numbers under load: many collections at once on one series, on the database the run uses (SQLite or,
/// with TEST_DATABASE_URL, PostgreSQL).
@Suite struct ReceiptNumberingTests {
    @Test func concurrentCollectionsGetDistinctConsecutiveNumbers() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            let ctx = try await ActionContext.staff(scene.cases.officerAccount, app)
            let entryContext = try await CaseEntryContext.load(unitID: scene.series.unitID, in: ctx)
            let today = ctx.today
            let total = 1_000
            let tasks = 8
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        for i in stride(from: task, to: total, by: tasks) {
                            guard let enforcementCase = try await EnforcementCase.find(caseID, on: app.db) else {
                                return
                            }
                            try await CaseEntryService.add(
                                .money(.collected),
                                values: [
                                    "amount": String(1_000 + i), "occurredOn": today.iso, "reference": "PT-\(i)",
                                    "notes": "", "payerEmail": "",
                                ], lateReason: nil, to: enforcementCase, context: entryContext, in: ctx)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let receipts = try await Receipt.query(on: app.db).filter(\.$seriesID == scene.series.id!).all()
            let numbers = receipts.map(\.number).sorted()
            #expect(numbers.count == total)
            #expect(numbers == Array(1...total), "distinct and consecutive, none skipped")
            #expect(Set(receipts.compactMap(\.moneyEntryID)).count == total, "one receipt per collection")
            #expect(try await Sequences.current(scene.series.sequenceKey, on: app.db) == total)
            let reconciliation = try await MoneyBooks.reconcile(unitID: scene.series.unitID, on: app.db)
            #expect(reconciliation.cases.isEmpty && reconciliation.untied.isEmpty)
        }
    }

    @Test func aCollectionThatFailsAfterTakingANumberGivesItBack() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            struct Boom: Error {}
            // A later follower of the same record fails: the whole collection, receipt and number roll back.
            app.changeObservers.observe(.moneyRecordAdded) { _, _, _ in throw Boom() }
            let ctx = try await ActionContext.staff(scene.cases.officerAccount, app)
            let entryContext = try await CaseEntryContext.load(unitID: scene.series.unitID, in: ctx)
            let enforcementCase = try #require(try await EnforcementCase.find(caseID, on: app.db))
            await #expect(throws: Boom.self) {
                try await CaseEntryService.add(
                    .money(.collected),
                    values: ["amount": "5000", "occurredOn": ctx.today.iso, "reference": "PT", "notes": ""],
                    lateReason: nil, to: enforcementCase, context: entryContext, in: ctx)
            }
            #expect(try await Sequences.current(scene.series.sequenceKey, on: app.db) == 0)
            #expect(try await Receipt.query(on: app.db).count() == 0)
            #expect(try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == caseID).count() == 0)
        }
    }
}
