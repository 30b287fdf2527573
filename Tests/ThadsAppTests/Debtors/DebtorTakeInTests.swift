import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 18: the daily pass takes in, a batch at a time, cases without conditions the register has never seen, and
/// lists and publishes them exactly as the case forms would have.
@Suite struct DebtorTakeInTests {
    static let anotherDebtor: [(String, String)] = [
        ("role", "debtor"), ("kind", "person"), ("fullName", "Trần Thị Khó"), ("birthYear", "1985"),
        ("idNumber", "001185067890"), ("address", "8 Hàng Đào, Hà Nội"),
    ]

    @Test func aLegacyCaseIsTakenInAsTheFormsWouldHaveListedIt() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await DebtorRegisterTests.caseWithoutConditions(scene)
            let other = try await DebtorRegisterTests.caseWithoutConditions(
                scene, number: "126/2026/DS-ST", debtor: Self.anotherDebtor)
            let byForms = try #require(try await DebtorEntry.query(on: app.db).filter(\.$caseID == id).first())
            let shownByForms = try #require(
                try await DebtorPublication.query(on: app.db).filter(\.$caseID == id).first()
            ).published
            // As a legacy import leaves them: cases without conditions the register has no trace of.
            for caseID in [id, other] {
                try await PublicationEvent.query(on: app.db).filter(\.$caseID == caseID).delete()
                try await DebtorPublication.query(on: app.db).filter(\.$caseID == caseID).delete()
                try await DebtorEntry.query(on: app.db).filter(\.$caseID == caseID).delete()
            }
            // A case marked without conditions by a repair, with no decision behind it: nothing to publish.
            let undecided = try await scene.open(number: "127/2026/DS-ST")
            try await scene.add(
                undecided, "duong-su", Self.anotherDebtor.map { $0.0 == "fullName" ? ($0.0, "Phạm Văn Chưa") : $0 })
            try await EnforcementCase.query(on: app.db).filter(\.$id == undecided)
                .set(\.$status, to: .withoutConditions).update()
            #expect(Set(try await DebtorTakeIn.freshCases(on: app.db)) == [id, other, undecided])

            let ctx = ActionContext.system(app, task: "test")
            #expect(try await DebtorTakeIn.run([id, other, undecided], ctx: ctx) == 2)

            let taken = try #require(try await DebtorEntry.query(on: app.db).filter(\.$caseID == id).first())
            #expect(taken.isListed && !taken.inSeparateBook)
            #expect(taken.unitID == byForms.unitID && taken.caseCode == byForms.caseCode)
            #expect(taken.debtorName == byForms.debtorName && taken.decidedOn == byForms.decidedOn)
            #expect(taken.decisionNumber == byForms.decisionNumber && taken.groundCode == byForms.groundCode)
            #expect(taken.verifiedSince == byForms.verifiedSince && taken.lastReportOn == byForms.lastReportOn)
            #expect(taken.owed == byForms.owed && taken.paid == byForms.paid && taken.outstanding == 1_500_000)
            #expect(taken.stateBudgetOnly == byForms.stateBudgetOnly)
            #expect(taken.reverificationDue == byForms.reverificationDue && !taken.reverificationDue.isEmpty)
            #expect(taken.exemptionBand == byForms.exemptionBand && taken.exemptionRule == byForms.exemptionRule)
            let published = try #require(
                try await DebtorPublication.query(on: app.db).filter(\.$caseID == id).first())
            #expect(published.published == shownByForms)
            #expect(published.withdrawnAt == nil && published.provinceCode == "01")
            #expect(published.nameFolded == VietnameseText.fold("Nguyễn Văn Nợ"))
            let events = try await PublicationEvent.query(on: app.db).filter(\.$caseID == id).all()
            #expect(events.map(\.action) == [.published])
            #expect(events.first?.cause.contains("30/QĐ-CTHADS") == true)
            #expect(try await DebtorEntry.query(on: app.db).filter(\.$caseID == undecided).count() == 0)
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "debtors.takenIn").all()
            #expect(audit.count == 1, "one event for the unit's batch")
            #expect(audit.first?.summary?.contains("Đưa 2 hồ sơ") == true)
            #expect(audit.first?.summary?.contains("Nguyễn") == false, "no personal data in the audit summary")

            // Found on the public search, as a published entry must be.
            let found = try await TestClient(app).get("/cong-khai/nguoi-chua-co-dieu-kien?ten=nguyen+van+no")
            #expect(found.body.string.contains("Nguyễn Văn Nợ"))

            // Taking in again changes nothing: the cases are known now.
            #expect(try await DebtorTakeIn.freshCases(on: app.db) == [undecided])
            #expect(try await DebtorTakeIn.run([id, other], ctx: ctx) == 0)
            #expect(try await PublicationEvent.query(on: app.db).filter(\.$caseID == id).count() == 1)
        }
    }

    @Test func theDailyPassTakesInFreshCasesAndCountsThem() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await DebtorRegisterTests.caseWithoutConditions(scene)
            try await DebtorPublication.query(on: app.db).filter(\.$caseID == id).delete()
            try await DebtorEntry.query(on: app.db).filter(\.$caseID == id).delete()
            let count = try await DebtorRegister.reevaluateAll(ActionContext.system(app, task: "test"))
            #expect(count == 1)
            #expect(try await DebtorEntry.query(on: app.db).filter(\.$caseID == id).first()?.isListed == true)
            #expect(try await DebtorCrossCheck.find(unitIDs: nil, on: app.db).isEmpty)
        }
    }
}
