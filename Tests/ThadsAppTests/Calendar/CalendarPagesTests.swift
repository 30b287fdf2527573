import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct CalendarPagesTests {
    @Test func yearViewShowsTheDecisionWithReasons() async throws {
        try await withTestApp { app async throws in
            let (client, _) = try await Fixtures.signedIn(app, "cb", roles: [.secretary])
            let page = try await client.get("/lich?nam=2026")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("22/08/2026"))
            #expect(page.body.string.contains("17/02/2026"))
            #expect(!page.body.string.contains("Thêm ngày nghỉ"), "only central admins edit")
        }
    }

    @Test func centralAdminRecordsADayOffAndItMovesDeadlines() async throws {
        try await withTestApp { app async throws in
            let (client, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let start = LocalDate(iso: "2027-03-04")!
            let before = app.workingCalendar.adding(workingDays: 1, to: start)
            let bad = try await client.post("/lich/2027/ngay-nghi", [("date", "06/03/2027"), ("reason", "Thứ Bảy")])
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("f-date-error"))
            #expect(
                try await client.post(
                    "/lich/2027/ngay-nghi", [("date", "05/03/2027"), ("reason", "Nghỉ theo quyết định thử")]
                ).status == .seeOther)
            let after = app.workingCalendar.adding(workingDays: 1, to: start)
            #expect(before.iso == "2027-03-05")
            #expect(after.iso == "2027-03-08")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "calendar.dayOffAdded").count() == 1)
        }
    }

    @Test func legalParameterEditIsAuditedAndNeedsAReason() async throws {
        try await withTestApp { app async throws in
            let (client, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let list = try await client.get("/tham-so")
            #expect(list.body.string.contains("Chưa xác minh"))
            let record = try #require(try await LegalParameterRecord.query(on: app.db).first())
            let refused = try await client.post(
                "/tham-so/\(record.id!.uuidString)/sua",
                [("value", "-3"), ("source", "Luật"), ("verified", "true"), ("note", "")])
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.contains("số nguyên không âm"))
            let saved = try await client.post(
                "/tham-so/\(record.id!.uuidString)/sua",
                [
                    ("value", String(record.value)), ("source", "Luật THADS 2008, đã đối chiếu"), ("verified", "true"),
                    ("note", "Đối chiếu văn bản gốc"),
                ])
            #expect(saved.status == .seeOther)
            #expect(try await LegalParameterRecord.find(record.id, on: app.db)?.verified == true)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "legalParameter.updated").count() == 1)
        }
    }

    @Test func accountRequestDueTimeSkipsTetAndWeekends() {
        let calendar = WorkingCalendar(decisions: [.vietnam2026])
        var components = DateComponents()
        components.timeZone = .vietnam
        (components.year, components.month, components.day, components.hour) = (2026, 2, 13, 10)
        let friday = Calendar(identifier: .gregorian).date(from: components)!
        let due = calendar.dueInstant(startingAt: friday, workingDays: 1)
        #expect(LocalDate(date: due, in: .vietnam).iso == "2026-02-23")
    }

    @Test func workdaysCommandLine() throws {
        let calendar = WorkingCalendar(decisions: [.vietnam2026])
        #expect(try WorkdaysCLI.run(["add", "2026-02-13", "1"], calendar: calendar) == "2026-02-23")
        #expect(try WorkdaysCLI.run(["add", "2026-08-21", "1"], calendar: calendar) == "2026-08-22")
        #expect(try WorkdaysCLI.run(["between", "2026-02-13", "2026-02-23"], calendar: calendar) == "1")
        #expect(try WorkdaysCLI.run(["year", "2026"], calendar: calendar).contains("2026-08-22\tlàm việc"))
        #expect(throws: WorkdaysCLI.UsageError.self) {
            try WorkdaysCLI.run(["add", "13/02/2026", "1"], calendar: calendar)
        }
    }
}
