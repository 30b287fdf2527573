import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 19, B7: a locked period refuses an edit dated in it; an approved amendment lets exactly that edit through.
@Suite struct PeriodLockTests {
    @Test func aLockedPeriodRefusesAnEditUntilAnApprovedAmendmentLetsExactlyOneThrough() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            let code = try await scene.enforcementCase(id).code
            let unit = try await Fixtures.unit(app, code: "01")
            // Last statistical year's 12 months: always over, whatever day the test runs.
            let lastYear = StatisticalYear.of(app.clock.today) - 1
            let period = try #require(ReportingPeriod(year: lastYear, months: 12))
            let day = period.end.adding(days: -30)
            let ctx = try await ActionContext.staff(scene.headAccount, app)
            #expect(try await StatisticsService.lock(unitID: unit.id!, period: period, in: ctx))
            #expect(try await !StatisticsService.lock(unitID: unit.id!, period: period, in: ctx), "locked once only")

            let late = [("lateReason", "LATE-DOCS")]
            // Nor can a case be accepted on a day of the locked period.
            let cases = try await EnforcementCase.query(on: app.db).count()
            let backdated = try await scene.officer.post(
                "/ho-so/moi",
                scene.openingForm(
                    number: "9/2025/DS-ST",
                    [
                        ("judgmentDate", day.adding(days: -60).display),
                        ("effectiveDate", day.adding(days: -30).display),
                        ("receivedOn", day.display), ("qd-decidedOn", day.display),
                    ]) + late)
            #expect(backdated.status == .badRequest)
            #expect(CaseScene.errors(backdated).contains("không thụ lý hồ sơ vào kỳ đã khóa"))
            #expect(try await EnforcementCase.query(on: app.db).count() == cases)

            let refused = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/thu-chi", CaseScene.money("collected", "300.000", on: day) + late)
            #expect(refused.status == .badRequest)
            #expect(CaseScene.errors(refused).contains("thuộc kỳ báo cáo đã khóa số liệu"))
            #expect(try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == id).count() == 0)

            // The request: the officer explains, the head confirms, the central department approves.
            let asked = try await scene.officer.post(
                "/thong-ke/dieu-chinh",
                [
                    ("caseCode", code), ("recordDate", day.display),
                    ("explanation", "Biên lai thu tiền ngày này nhận muộn từ ngân hàng"),
                ])
            #expect(asked.status == .ok)
            let amendment = try #require(try await PeriodAmendment.query(on: app.db).first())
            #expect(amendment.state == "awaitingHead" && amendment.reference.hasPrefix("ĐC-"))
            let path = "/thong-ke/dieu-chinh/\(amendment.id!.uuidString)"
            let own = try await scene.officer.post(path, [("outcome", "confirm")])
            #expect(own.status == .badRequest, "the officer cannot confirm")
            #expect(try await scene.head.post(path, [("outcome", "confirm")]).status == .ok)
            let (provincial, _) = try await Fixtures.signedIn(
                app, "tk.hanoi", unit: "01", roles: [.statisticsOfficer])
            let notCentral = try await provincial.post(path, [("outcome", "approve")])
            #expect(notCentral.body.string.contains("Chỉ Cục Quản lý THADS"))
            let (central, _) = try await Fixtures.signedIn(app, "tk.tw", unit: "TW", roles: [.statisticsOfficer])
            #expect(try await central.post(path, [("outcome", "approve")]).status == .ok)
            #expect(try await PeriodAmendment.find(amendment.id, on: app.db)?.state == "approved")

            try await scene.add(id, "thu-chi", CaseScene.money("collected", "300.000", on: day) + late)
            let used = try #require(try await PeriodAmendment.find(amendment.id, on: app.db))
            #expect(used.usedAt != nil && used.usedFor?.contains("thêm") == true)
            let again = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/thu-chi",
                CaseScene.money("collected", "100.000", on: day, reference: "BL-2") + late)
            #expect(again.status == .badRequest, "the amendment allowed exactly one edit")
            #expect(try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == id).count() == 1)

            // The locked report keeps its snapshot and lists the amendment; an unlocked date is not refused.
            let statistician = try await ActionContext.staff(
                try #require(try await Account.query(on: app.db).filter(\.$username == "tk.tw").first()), app)
            let report = try await StatisticsService.report(
                unitID: unit.id!, withSubunits: false, period: period, in: statistician)
            #expect(report.lockedUnitIDs == [unit.id!])
            #expect(report.amendments.map(\.reference) == [amendment.reference])
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "50.000", reference: "BL-3"))
        }
    }

    @Test func aCorrectionMovingARecordIntoALockedPeriodIsRefused() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "300.000"))
            let entry = try #require(try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == id).first())
            let unit = try await Fixtures.unit(app, code: "01")
            let period = try #require(ReportingPeriod(year: StatisticalYear.of(app.clock.today) - 1, months: 12))
            _ = try await StatisticsService.lock(
                unitID: unit.id!, period: period, in: try await ActionContext.staff(scene.headAccount, app))
            let moved = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/sua/money/\(entry.id!.uuidString)",
                [
                    ("direction", "collected"), ("amount", "300.000"), ("occurredOn", period.end.display),
                    ("reference", "BL-1"), ("reasonCode", "CR-WRONG-ENTRY"),
                ])
            #expect(moved.status == .badRequest)
            #expect(moved.body.string.contains("thuộc kỳ báo cáo đã khóa số liệu"))
            #expect(try await CaseMoneyEntry.find(entry.id, on: app.db)?.occurredOn == entry.occurredOn)
        }
    }
}
