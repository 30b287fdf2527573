import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct IncidentTests {
    @Test func staffReportASevereIncidentThatIsDueIn24ClockHoursWithAReminder() async throws {
        try await withTestApp { app async throws in
            // Friday 13/02/2026 20:00 Vietnam time, the eve of Tết.
            let clock = ManualClock(LocalDate(iso: "2026-02-13")!, hour: 20)
            app.clock = clock.clock
            let admin = try await Fixtures.account(app, "qt.anninh", class: .centralAdmin)
            let (officer, _) = try await Fixtures.signedIn(app, "cb.baosuco", unit: "01", roles: [.secretary])
            #expect(try await officer.get("/").body.string.contains("/su-co/bao"), "reachable from any page")
            let refused = try await officer.post(
                "/su-co/bao", [("kind", "attack"), ("detectedOn", ""), ("systems", "")])
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.contains("Nhập ngày phát hiện"))
            let sent = try await officer.post(
                "/su-co/bao",
                [
                    ("kind", "attack"), ("detectedOn", "13/02/2026"), ("detectedTime", "19:30"),
                    ("systems", "Cổng đăng nhập"), ("course", "Hàng trăm lần đăng nhập sai từ một dải địa chỉ"),
                ])
            #expect(sent.status == .seeOther)
            #expect(try await officer.get("/su-co").status == .forbidden, "the register is the operators'")
            let incident = try #require(try await Incident.query(on: app.db).first())
            #expect(incident.severity == IncidentSeverity.severe.rawValue)
            #expect(incident.code == "SC-2026-0001")
            let detected = LocalDate(iso: "2026-02-13")!.startOfDay(in: .vietnam).addingTimeInterval(19.5 * 3600)
            #expect(incident.detectedAt == detected)
            #expect(incident.dueAt == detected.addingTimeInterval(24 * 3600), "Saturday 14/02 19:30, in Tết")
            let toAdmin = { try await OutboxMail.query(on: app.db).filter(\.$recipient == admin.account.email).all() }
            #expect(try await toAdmin().count == 1)
            // No reminder yet; four hours before the due time, one reminder, and only one.
            #expect(try await IncidentService.remind(.system(app, task: "test")) == 0)
            clock.advance(by: 20 * 3600)
            #expect(try await IncidentService.remind(.system(app, task: "test")) == 1)
            #expect(try await IncidentService.remind(.system(app, task: "test")) == 0)
            #expect(try await toAdmin().contains { $0.subject.contains("Nhắc hạn khắc phục sự cố SC-2026-0001") })

            let (operatorClient, _) = try await Fixtures.signedIn(app, "qt.vanhanh", class: .centralAdmin)
            let base = "/su-co/\(incident.id!.uuidString)"
            #expect(
                try await operatorClient.post(base + "/buoc", [("action", "Chặn dải địa chỉ ở tường lửa")]).status
                    == .seeOther)
            let saved = try await operatorClient.post(
                base + "/bao-cao",
                [
                    ("cause", "Dò mật khẩu"), ("damage", "Không"), ("remedy", "Chặn địa chỉ"),
                    ("prevention", "Giới hạn theo địa chỉ"), ("reported", "on"), ("close", "on"),
                ])
            #expect(saved.status == .seeOther)
            let printed = try await operatorClient.get(base + "/in")
            for text in ["Dò mật khẩu", "Chặn dải địa chỉ ở tường lửa", "Giới hạn theo địa chỉ", "Báo cáo Cục lúc"] {
                #expect(printed.body.string.contains(text), "\(text)")
            }
            let stored = try #require(try await Incident.find(incident.id, on: app.db))
            #expect(stored.reportedAt == clock.clock.now && stored.closedAt == clock.clock.now)
        }
    }

    @Test func anAlertBecomesAnIncident() async throws {
        try await withTestApp { app async throws in
            let ctx = ActionContext.system(app, task: "test")
            try await OperationsAlerts.raise(rule: .abnormalAccess, subject: "account:x", summary: "600 lượt", in: ctx)
            let alert = try #require(try await OperationsAlert.query(on: app.db).first())
            let (client, _) = try await Fixtures.signedIn(app, "qt.vanhanh", class: .centralAdmin)
            let made = try await client.post("/van-hanh/canh-bao/\(alert.id!.uuidString)/su-co")
            #expect(made.status == .seeOther)
            let incident = try #require(try await Incident.query(on: app.db).first())
            #expect(incident.alertID == alert.id)
            #expect(incident.kind == IncidentKind.dataLeak.rawValue)
            let closed = try #require(try await OperationsAlert.find(alert.id, on: app.db))
            #expect(closed.incidentID == incident.id && closed.acknowledgedAt != nil)
        }
    }
}

@Suite struct ChangeRequestTests {
    @Test func theCentralDepartmentClassifiesAndTheSubmitterSeesIt() async throws {
        try await withTestApp { app async throws in
            let (officer, made) = try await Fixtures.signedIn(app, "cb.hanoi", unit: "01", roles: [.secretary])
            let (outsider, _) = try await Fixtures.signedIn(app, "cb.hcm", unit: "79", roles: [.secretary])
            let (central, _) = try await Fixtures.signedIn(app, "qt.tw", class: .centralAdmin)
            #expect(try await officer.post("/yeu-cau-thay-doi", [("content", "")]).status == .badRequest)
            let sent = try await officer.post(
                "/yeu-cau-thay-doi",
                [
                    ("content", "Mẫu biên bản xác minh thiếu ô ghi số điện thoại"), ("reason", "Mẫu mới của Bộ"),
                    ("scope", "Mọi đơn vị"), ("wish", "Trước quý 1/2027"),
                ])
            #expect(sent.status == .seeOther)
            let request = try #require(try await ChangeRequest.query(on: app.db).first())
            #expect(request.unitID == made.account.unitID)
            let path = "/yeu-cau-thay-doi/\(request.id!.uuidString)"
            #expect(try await officer.get(path).body.string.contains("chưa phân loại"))
            #expect(try await outsider.get(path).status == .notFound)
            #expect(
                try await officer.post(path + "/phan-loai", [("classification", "a"), ("status", "accepted")]).status
                    == .forbidden)
            let noReason = try await central.post(
                path + "/phan-loai", [("classification", "a"), ("status", "declined")])
            #expect(noReason.status == .badRequest)
            #expect(noReason.body.string.contains("Ghi lý do không chấp nhận"))
            let bad = try await central.post(path + "/phan-loai", [("classification", "d"), ("status", "accepted")])
            #expect(bad.status == .badRequest)
            let done = try await central.post(
                path + "/phan-loai",
                [("classification", "a"), ("status", "scheduled"), ("decision", "Làm trong bản 1.3")])
            #expect(done.status == .seeOther)
            let seen = try await officer.get(path).body.string
            #expect(seen.contains(ChangeClass.a.label))
            #expect(seen.contains(ChangeStatus.scheduled.label))
            #expect(seen.contains("Làm trong bản 1.3"))
            #expect(!seen.contains("/phan-loai"), "the submitter cannot classify")
            #expect(try await officer.get("/yeu-cau-thay-doi").body.string.contains(ChangeStatus.scheduled.label))
            let mailed = try await OutboxMail.query(on: app.db).filter(\.$recipient == made.account.email).all()
            #expect(mailed.contains { $0.subject.contains(ChangeStatus.scheduled.label) })
        }
    }
}
