import Fluent
import Foundation
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 19, E5: the usage report's figures against counts taken straight from the tables, and its export logged.
@Suite struct UsageReportTests {
    static func count(_ app: Application, _ sql: SQLQueryString) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await app.db.sql.raw(sql).first(decoding: Row.self)?.n ?? 0
    }

    @Test func theFiguresAreTheTablesCountsAndTheExportIsLogged() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "nghia-vu", CaseScene.obligation("2.000.000"))
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "500.000"))
            let province = try await Fixtures.unit(app, code: "01")
            let (statistician, _) = try await Fixtures.signedIn(
                app, "tk.hanoi", unit: "01", roles: [.statisticsOfficer])
            let year = StatisticalYear.of(app.clock.today)
            let ctx = try await ActionContext.staff(
                try await Account.query(on: app.db).filter(\.$username == "tk.hanoi").first()!, app)
            let (unit, units) = try await StatisticsService.units(of: province.id!, withSubunits: false, in: ctx)
            let now = try await UsageReport.compute(
                ReportingPeriod(year: year, months: 12)!, unit: unit, units: units, on: app.db)
            let line = now.lines[province.id!] ?? .init()
            let pid = province.id!
            #expect(
                line.activeAccounts
                    == (try await Self.count(
                        app, "SELECT COUNT(*) AS n FROM accounts WHERE status = 'active' AND unit_id = \(bind: pid)")))
            #expect(line.activeAccounts >= 3, "officer, head and statistician")
            #expect(line.signedIn >= 2, "everyone who signed in today: \(line.signedIn)")
            #expect(line.casesOpened == 1)
            var records = 0
            for table in ["case_decisions", "case_verifications", "case_money", "case_obligations"] {
                records += try await Self.count(
                    app,
                    "SELECT COUNT(*) AS n FROM \(unsafeRaw: table) r JOIN enforcement_cases c ON c.id = r.case_id WHERE c.unit_id = \(bind: pid)"
                )
            }
            for table in ["case_parties", "judgments"] {
                records += try await Self.count(
                    app, "SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE unit_id = \(bind: pid)")
            }
            #expect(line.recordsEntered == records && records >= 4, "\(line.recordsEntered) of \(records)")
            #expect(now.total.casesOpened == 1)

            // Last year's report counts none of today's work, only the accounts that exist.
            let before = try await UsageReport.compute(
                ReportingPeriod(year: year - 1, months: 12)!, unit: unit, units: units, on: app.db)
            let old = before.lines[province.id!] ?? .init()
            #expect(old.casesOpened == 0 && old.recordsEntered == 0 && old.signedIn == 0)

            let form: [(String, String)] = [
                ("unit", province.id!.uuidString), ("sub", "1"), ("year", String(year)), ("months", "12"),
                ("purpose", "Báo cáo sử dụng 12 tháng gửi Cục"), ("format", "csv"),
            ]
            let csv = try await statistician.post("/thong-ke/su-dung/xuat", form)
            #expect(csv.status == .ok)
            #expect(csv.body.string.contains("\"Tài khoản đang hoạt động\""))
            let logged = try await Extraction.query(on: app.db).filter(\.$subject == "Báo cáo tình hình sử dụng").all()
            #expect(logged.count == 1 && logged[0].purpose == "Báo cáo sử dụng 12 tháng gửi Cục")
            #expect(logged[0].sha256 != nil)
            let noPurpose = try await statistician.get(
                "/thong-ke/su-dung?" + TestClient.encode(form.filter { $0.0 != "purpose" && $0.0 != "format" }))
            #expect(noPurpose.status == .badRequest && noPurpose.body.string.contains("mục đích"))
            #expect(try await scene.officer.get("/thong-ke/su-dung").status == .forbidden)
        }
    }
}

/// Issue 19, E4: the overview's late work and online requests against what was written.
@Suite struct DashboardFiguresTests {
    static func request(
        _ unit: UUID, now: Date, submittedHoursAgo: Double, dueInHours: Double, completedHoursAgo: Double?
    ) -> OnlineRequest {
        let request = OnlineRequest()
        request.procedure = "xac-nhan-ket-qua"
        request.unitID = unit
        request.provinceCode = "01"
        request.secretHash = UUID().uuidString
        request.email = "a@example.vn"
        request.phone = "0900000000"
        request.submitterName = "Thử"
        request.fieldsJSON = "{}"
        request.otpAttempts = 0
        request.createdAt = now.addingTimeInterval(-submittedHoursAgo * 3600)
        request.submittedAt = request.createdAt
        request.state = "tiep-nhan"
        request.requestDueAt = now.addingTimeInterval(dueInHours * 3600)
        request.pausesJSON = "[]"
        request.completedAt = completedHoursAgo.map { now.addingTimeInterval(-$0 * 3600) }
        return request
    }

    @Test func lateRecordsAndOnlineRequestsOnTimeLateAndOverdue() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "nghia-vu", CaseScene.obligation("2.000.000"))
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "500.000"))
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "100.000"))
            // One collection was entered after its time limit.
            let money = try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == id).first()!
            money.isLate = true
            money.lateReason = "Thử"
            try await money.save(on: app.db)
            let province = try await Fixtures.unit(app, code: "01")
            let now = app.clock.now
            for request in [
                Self.request(province.id!, now: now, submittedHoursAgo: 3, dueInHours: 1, completedHoursAgo: 1),
                Self.request(province.id!, now: now, submittedHoursAgo: 3, dueInHours: -2, completedHoursAgo: 1),
                Self.request(province.id!, now: now, submittedHoursAgo: 3, dueInHours: -1, completedHoursAgo: nil),
                Self.request(province.id!, now: now, submittedHoursAgo: 3, dueInHours: 5, completedHoursAgo: nil),
            ] { try await request.save(on: app.db) }
            let period = ReportingPeriod(year: StatisticalYear.of(app.clock.today), months: 12)!
            let figures = try await DashboardFigures.read(
                period, units: [province.id!], now: now.addingTimeInterval(1), on: app.db)
            let line = figures[province.id!] ?? .init()
            #expect(line.lateRecords == 1)
            #expect(line.onlineOnTime == 1 && line.onlineLate == 1 && line.onlineOverdue == 1, "\(line)")
            #expect(line.onlineOnTimeRate == 0.5)

            let (statistician, _) = try await Fixtures.signedIn(
                app, "tk.hanoi", unit: "01", roles: [.statisticsOfficer])
            let page = try await statistician.get("/thong-ke/tong-quan")
            #expect(page.status == .ok && page.body.string.contains("Yêu cầu trực tuyến giải quyết đúng hạn"))
        }
    }
}
