import Fluent
import Foundation
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 20, items 1 and 2: names wherever a case is listed, and the work list read from the duties stored with each
/// case in the transaction of its change.
@Suite struct OfficerListsTests {
    @Test func theNamesShowOnTheHeaderTheListsAndTheQueue() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "duong-su", CaseScene.debtor)
            try await scene.add(id, "duong-su", CaseScene.creditor)
            let page = try await scene.officer.get("/ho-so/\(id.uuidString)").body.string
            #expect(page.contains("<dd id=\"case-debtors\">Nguyễn Văn Nợ</dd>"))
            #expect(page.contains("<dd id=\"case-creditors\">Lê Thị Được</dd>"))
            let list = try await scene.officer.get("/ho-so").body.string
            #expect(list.contains("Nguyễn Văn Nợ"), "the unfiltered list names the debtor")
            #expect(list.contains("Lê Thị Được"), "and the creditor")
            let json = try await scene.officer.get("/api/ho-so").body.string
            #expect(json.contains("\"debtorNames\":\"Nguyễn Văn Nợ\""))
            let work = try await scene.officer.get("/viec-cua-toi").body.string
            let duties = try #require(work.range(of: "id=\"duties\""))
            #expect(work[duties.upperBound...].contains("Nguyễn Văn Nợ"))
            // A correction of substance waits in the head's queue, under the debtor's name.
            let party = try #require(
                try await CaseParty.query(on: app.db).filter(\.$caseID == id).filter(\.$role == .debtor).first())
            var fields = CaseScene.debtor.filter { $0.0 != "idNumber" && $0.0 != "fullName" }
            fields += [("fullName", "Nguyễn Văn Nợ Mới"), ("reasonCode", "CR-UPDATE")]
            _ = try await scene.officer.post("/ho-so/\(id.uuidString)/sua/party/\(party.id!.uuidString)", fields)
            let queue = try await scene.head.get("/hieu-chinh").body.string
            #expect(queue.contains("<small class=\"party\">Nguyễn Văn Nợ"), "the queue names the debtor")
        }
    }

    @Test func theDutiesAreStoredWithTheCaseAndFollowItsChanges() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            var stored = try await CaseDutySummaries.read([id], on: app.db)
            #expect(stored[id]?.map(\.kind) == [.notifyEnforcementDecision], "stored in the opening transaction")
            let live = try await Self.liveDuties(id, app)
            #expect(stored[id] == live)
            // The decision is delivered: the duty turns into the voluntary period and the verification.
            let decision = try #require(
                try await CaseDecision.query(on: app.db).filter(\.$caseID == id).first())
            let today = app.clock.today.display
            let response = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/sua/decision/\(decision.id!.uuidString)",
                [
                    ("number", decision.number), ("decidedOn", today), ("groundCode", decision.groundCode),
                    ("signer", decision.signer), ("notifiedOn", today), ("notes", ""), ("reasonCode", "CR-UPDATE"),
                ])
            #expect(response.status == .seeOther, "\(CaseScene.errors(response))")
            stored = try await CaseDutySummaries.read([id], on: app.db)
            #expect(stored[id]?.map(\.kind) == [.voluntaryPeriodEnds, .verifyMeans])
            #expect(stored[id] == (try await Self.liveDuties(id, app)))
            let work = try await scene.officer.get("/viec-cua-toi").body.string
            #expect(!work.contains(DutyKind.notifyEnforcementDecision.label))
            #expect(work.contains(DutyKind.verifyMeans.label))
        }
    }

    @Test func aCaseWithoutAStoredRowIsComputedAndTheNightlyRunStoresIt() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await app.db.sql.raw("DELETE FROM case_duty_summaries").run()
            let work = try await scene.officer.get("/viec-cua-toi").body.string
            #expect(work.contains(DutyKind.notifyEnforcementDecision.label), "computed when no row is stored")
            let job = try #require(app.jobs.job(named: "cases.duty-summaries"))
            let done = try await job.run(ActionContext.system(app, task: "test"))
            #expect(done == 1)
            let stored = try await CaseDutySummaries.read([id], on: app.db)
            #expect(stored[id]?.map(\.kind) == [.notifyEnforcementDecision])
        }
    }

    static func liveDuties(_ id: UUID, _ app: Application) async throws -> [CaseDuty] {
        let enforcementCase = try #require(try await EnforcementCase.find(id, on: app.db))
        let snapshot = try #require(
            try await CaseQualityService.snapshots(of: [enforcementCase], on: app.db).first?.snapshot)
        return CaseDuties.duties(for: snapshot, deadlines: app.caseDeadlines)
    }
}
