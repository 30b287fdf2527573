import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// What the heads oversee: a province's regional offices on its head's home page, and a void that the receipts forbid.
@Suite(.serialized) struct OfficerOversightTests {
    @Test func theProvinceHeadSeesEachRegionalOfficesOverdueWorkAndAnOfficeHeadDoesNot() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let office = try await Fixtures.regional(app, code: "01-01", under: "01")
            let quiet = try await Fixtures.regional(app, code: "01-02", under: "01")
            let (officer, made) = try await Fixtures.signedIn(
                app, "chv.kv1", unit: "01-01", roles: [.enforcementOfficer])
            let (officeHead, _) = try await Fixtures.signedIn(app, "tt.kv1", unit: "01-01", roles: [.head])
            let today = app.clock.today
            // Decided 20 days ago and never notified: overdue.
            let opened = try await officer.post(
                "/ho-so/moi",
                scene.openingForm(
                    number: "7/2026/DS-ST",
                    [
                        ("officerID", made.account.id!.uuidString), ("receivedOn", today.adding(days: -20).display),
                        ("qd-decidedOn", today.adding(days: -20).display), ("lateReason", "LATE-DOCS"),
                    ]))
            #expect(opened.status == .seeOther, "\(CaseScene.errors(opened))")
            #expect(try await EnforcementCase.query(on: app.db).filter(\.$unitID == office.id!).count() == 1)

            let home = try await scene.head.get("/").body.string
            #expect(home.contains("id=\"province-rollup\""))
            func row(_ unit: EnforcementUnit) throws -> Substring {
                let link = try #require(home.range(of: "/ho-so?don-vi=\(unit.id!.uuidString)"))
                let end = try #require(home[link.upperBound...].range(of: "</tr>"))
                return home[link.upperBound..<end.lowerBound]
            }
            #expect(try row(office).contains("<td>1</td>"), "one case with overdue work in 01-01")
            #expect(!(try row(quiet).contains("<td>1</td>")), "none in 01-02")
            #expect(try row(quiet).contains("<td>0</td>"))
            #expect(!home.contains("/ho-so?don-vi=\(scene.headAccount.unitID.uuidString)"), "not its own unit")

            let officeHome = try await officeHead.get("/").body.string
            #expect(officeHome.contains("id=\"home-head\""))
            #expect(!officeHome.contains("province-rollup"), "a regional office has no offices below it")
            let outsiderHead = try await Fixtures.signedIn(app, "tt.hcm", unit: "79", roles: [.head]).0
            #expect(!(try await outsiderHead.get("/").body.string).contains(office.id!.uuidString))
        }
    }

    @Test func aCollectionWithAValidReceiptCannotBeVoidedUntilTheReceiptIsCancelled() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            _ = try await scene.collect(caseID, "500.000")
            let receipt = try #require(try await scene.receipts(of: caseID).first)
            let entry = try #require(try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == caseID).first())
            let path = "/ho-so/\(caseID.uuidString)/sua/money/\(entry.id!.uuidString)"
            let voiding =
                CaseScene.money("collected", "500.000", reference: entry.reference)
                + [("voided", "on"), ("reasonCode", "CR-WRONG-ENTRY")]
            func requestAndApprove() async throws -> TestingHTTPResponse {
                let requested = try await scene.cases.officer.post(path, voiding)
                #expect(requested.status == .seeOther, "\(CaseScene.errors(requested))")
                let correction = try #require(
                    try await CaseCorrection.query(on: app.db).filter(\.$status == .pending).first())
                return try await scene.cases.head.post(
                    "/hieu-chinh/\(correction.id!.uuidString)/duyet", [("note", "")])
            }

            let refused = try await requestAndApprove()
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("hủy hoặc thay thế biên lai"))
            #expect(try await CaseMoneyEntry.find(entry.id, on: app.db)?.voidNote == nil, "the row stays in force")
            #expect(try await Receipt.find(receipt.id, on: app.db)?.state == .valid)

            let rejected = try #require(
                try await CaseCorrection.query(on: app.db).filter(\.$status == .pending).first())
            let rejection = try await scene.cases.head.post(
                "/hieu-chinh/\(rejected.id!.uuidString)/tu-choi", [("note", "Hủy biên lai trước")])
            #expect(rejection.status == .seeOther)
            let cancelled = try await scene.accountant.post(
                "/bien-lai/\(receipt.id!.uuidString)/huy", [("reason", "Thu nhầm hồ sơ")])
            #expect(cancelled.status == .seeOther)
            let approved = try await requestAndApprove()
            #expect(approved.status == .seeOther, "with the receipt cancelled the void goes through")
            #expect(try await CaseMoneyEntry.find(entry.id, on: app.db)?.voidNote?.isEmpty == false)
            #expect(try await CaseMoneyEntry.query(on: app.db).count() == 1, "nothing deleted")
        }
    }
}
