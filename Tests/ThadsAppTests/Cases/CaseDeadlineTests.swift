import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Deadlines counted from the day the law names, as the work list and the case page show them, and the request's
/// limitation checked when an on-request case is entered (issue 15).
@Suite struct CaseDeadlineTests {
    private static func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    @Test func anOverdueDutyIsHighlightedOnTheWorkList() async throws {
        try await withTestApp { app async throws in
            // Decision of Thu 09/07/2026, never notified: 3 working days → Tue 14/07; on Thu 16/07 two days late.
            app.clock = .fixed(Self.day("2026-07-16"), hour: 10)
            let scene = try await CaseScene.make(app)
            let id = try await scene.open([
                ("receivedOn", "09/07/2026"), ("qd-decidedOn", "09/07/2026"), ("lateReason", "LATE-DOCS"),
            ])
            let work = try await scene.officer.get("/viec-cua-toi")
            #expect(work.status == .ok)
            let html = work.body.string
            let row = try #require(html.range(of: "<tr class=\"overdue\">"))
            let rest = html[row.upperBound...]
            let rowText = rest[..<(rest.range(of: "</tr>")?.lowerBound ?? rest.endIndex)]
            #expect(rowText.contains(id.uuidString))
            #expect(rowText.contains(DutyKind.notifyEnforcementDecision.label))
            #expect(rowText.contains("14/07/2026"))
            #expect(rowText.contains("Quá hạn 2 ngày"))
        }
    }

    @Test func theExOfficioDecisionIsDueFromReceiptNotFromTheEffectiveDate() async throws {
        try await withTestApp { app async throws in
            // Effective Mon 04/01/2027, received Fri 29/01/2027 (the Friday before Tết): 5 working days → Fri 12/02
            // across Tết, so a decision on 12/02 is in time (from the effective date it would have been 11/01).
            app.clock = .fixed(Self.day("2027-02-12"), hour: 10)
            let scene = try await CaseScene.make(app)
            let id = try await scene.open([
                ("judgmentDate", "01/12/2026"), ("effectiveDate", "04/01/2027"), ("receivedOn", "29/01/2027"),
                ("qd-decidedOn", "12/02/2027"), ("lateReason", "LATE-DOCS"),
            ])
            let page = try await scene.officer.get("/ho-so/\(id.uuidString)")
            let html = page.body.string
            #expect(html.contains("Hạn ra quyết định thi hành án theo luật: ngày 12/02/2027."))
            #expect(!html.contains("sau thời hạn này"))
        }
    }

    @Test func aProvisionalMeasureIsDue24HoursFromItsReceipt() async throws {
        try await withTestApp { app async throws in
            // Received Sat 11/07/2026 at 16:00: due Sun 12/07 at 16:00; a decision dated Mon 13/07 is late.
            app.clock = .fixed(Self.day("2026-07-13"), hour: 9)
            let scene = try await CaseScene.make(app)
            let id = try await scene.open([
                ("receivedOn", ""), ("provisionalReceivedAt", "11/07/2026 16:00"), ("qd-decidedOn", "13/07/2026"),
                ("lateReason", "LATE-DOCS"),
            ])
            let judgment = try #require(
                try await Judgment.find(try await scene.enforcementCase(id).judgmentID, on: app.db))
            #expect(judgment.receivedOn == "2026-07-11", "the day of receipt follows from the hour")
            #expect(
                judgment.provisionalReceivedAt
                    == Self.day("2026-07-11").startOfDay(in: .vietnam).addingTimeInterval(16 * 3600))
            let html = try await scene.officer.get("/ho-so/\(id.uuidString)").body.string
            #expect(html.contains("Hạn ra quyết định thi hành án theo luật: 16:00 ngày 12/07/2026 (24 giờ"))
            #expect(html.contains("sau thời hạn này"))

            let refused = try await scene.officer.post(
                "/ho-so/moi",
                scene.openingForm(number: "9/2026/QĐ-BPKCTT", [("provisionalReceivedAt", "11/07/2026 25:00")]))
            #expect(refused.status == .badRequest)
            #expect(CaseScene.errors(refused).contains("dd/mm/yyyy hh:mm"))
        }
    }

    @Test func aStateDecisionShowsItsDeadlineFromItsGrounds() async throws {
        try await withTestApp { app async throws in
            // Grounds Wed 08/07/2026 → Wed 15/07; the postponement of Thu 16/07 is late.
            app.clock = .fixed(Self.day("2026-07-16"), hour: 10)
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(
                id, "quyet-dinh",
                [
                    ("decisionKind", "postponement"), ("number", "21/QĐ-CTHADS"), ("decidedOn", "16/07/2026"),
                    ("groundCode", "L106-POSTPONE"), ("signer", "Trần Văn Thủ"), ("groundsOn", "08/07/2026"),
                ])
            let stored = try await CaseDecision.query(on: app.db).filter(\.$caseID == id)
                .filter(\.$kind == .postponement).first()
            #expect(stored?.groundsOn == "2026-07-08")
            let html = try await scene.officer.get("/ho-so/\(id.uuidString)?tab=quyet-dinh").body.string
            #expect(html.contains("15/07/2026 (căn cứ ngày 08/07/2026) — ban hành quá hạn"))

            // A resumption does not run from its grounds: a grounds date sent with it is not read, even a wrong one.
            try await scene.add(
                id, "quyet-dinh",
                [
                    ("decisionKind", "resumption"), ("number", "22/QĐ-CTHADS"), ("decidedOn", "16/07/2026"),
                    ("groundCode", "L106-RESUME"), ("signer", "Trần Văn Thủ"), ("groundsOn", "17/07/2026"),
                ])
            let resumption = try await CaseDecision.query(on: app.db).filter(\.$caseID == id)
                .filter(\.$kind == .resumption).first()
            #expect(resumption != nil && resumption?.groundsOn == nil)
        }
    }

    @Test func aRequestPastItsLimitationNeedsAReasonWithTheLegalBasis() async throws {
        try await withTestApp { app async throws in
            // Effective Mon 10/05/2021: 5 years end Sun 10/05/2026 → Mon 11/05/2026; the request of 15/07/2026 is
            // late.
            app.clock = .fixed(Self.day("2026-07-15"), hour: 10)
            let scene = try await CaseScene.make(app)
            let late: [(String, String)] = [
                ("courtCode", "TANDTC"), ("judgmentDate", "20/04/2021"), ("effectiveDate", "10/05/2021"),
                ("startMode", "onRequest"), ("requestReceivedOn", "15/07/2026"),
            ]
            let refused = try await scene.officer.post("/ho-so/moi", scene.openingForm(late))
            #expect(refused.status == .badRequest)
            let message = CaseScene.errors(refused)
            #expect(message.contains("quá thời hiệu yêu cầu thi hành án"))
            #expect(message.contains("hết ngày 11/05/2026"))
            #expect(message.contains("Luật Thi hành án dân sự 2008 (sửa đổi, bổ sung 2014), Điều 30 khoản 1"))
            #expect(refused.body.string.contains("name=\"limitationReason\""))

            let short = try await scene.officer.post(
                "/ho-so/moi", scene.openingForm(late + [("limitationReason", "Ốm nặng")]))
            #expect(short.status == .badRequest)
            #expect(try await EnforcementCase.query(on: app.db).count() == 0)

            let reason = "Người được thi hành án điều trị dài ngày tại bệnh viện (trở ngại khách quan), có xác nhận"
            let id = try await scene.open(late + [("limitationReason", reason)])
            #expect(try await scene.enforcementCase(id).limitationReason == reason)
            let event = try await AuditEvent.query(on: app.db).filter(\.$action == "case.opened")
                .filter(\.$objectID == id.uuidString).first()
            #expect(event?.afterData?.contains(reason) == true)
            let page = try await scene.officer.get("/ho-so/\(id.uuidString)").body.string
            #expect(page.contains(reason))

            // In time (effective 20/07/2021 → 20/07/2026): no reason asked, none stored.
            let inTime = try await scene.open(
                number: "126/2021/DS-ST",
                [
                    ("courtCode", "TANDTC"), ("judgmentDate", "20/04/2021"), ("effectiveDate", "20/07/2021"),
                    ("startMode", "onRequest"), ("requestReceivedOn", "15/07/2026"),
                ])
            #expect(try await scene.enforcementCase(inTime).limitationReason == nil)
        }
    }
}
