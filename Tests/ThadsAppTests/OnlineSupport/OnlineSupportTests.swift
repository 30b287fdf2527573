import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 17: citizens file and follow requests on the portal; staff take them through the five steps.
@Suite struct OnlineSupportTests {
    struct Staff {
        let officer: Account
        let verifier: Account
        let head: Account
    }

    static func staff(_ app: Application, unit: String = "01", suffix: String = "") async throws -> Staff {
        Staff(
            officer: try await Fixtures.account(
                app, "httt\(suffix)", unit: unit, roles: [.onlineSupportOfficer], fullName: "Phạm Hỗ Trợ"
            ).account,
            verifier: try await Fixtures.account(
                app, "thamtra\(suffix)", unit: unit, roles: [.verifier], fullName: "Đỗ Thẩm Tra"
            ).account,
            head: try await Fixtures.account(
                app, "cuctruong\(suffix)", unit: unit, roles: [.head], fullName: "Vũ Cục Trưởng"
            )
            .account)
    }

    static func decide(
        _ app: Application, _ request: OnlineRequest, _ outcome: String, by account: Account, note: String = "",
        extras: OnlineSteps.Extras = .init()
    ) async throws {
        let fresh = try #require(try await OnlineRequest.find(request.id!, on: app.db))
        try await OnlineSteps.decide(
            fresh, outcome: outcome, note: note, extras: extras, unitName: "Thi hành án dân sự thành phố Hà Nội",
            in: try await ActionContext.staff(account, app))
    }

    static func reload(_ app: Application, _ request: OnlineRequest) async throws -> OnlineRequest {
        try #require(try await OnlineRequest.find(request.id!, on: app.db))
    }

    @Test func anEnforcementRequestGoesThroughFiveStepsWithAGuidanceRoundTrip() async throws {
        try await withTestApp { app async throws in
            // Monday 7/12/2026 09:00 in Vietnam.
            let start = LocalDate(year: 2026, month: 12, day: 7)!.startOfDay(in: .vietnam).addingTimeInterval(9 * 3600)
            let clock = ManualClock(start)
            app.clock = clock.clock
            let hanoi = try await Fixtures.unit(app, code: "01")
            let staff = try await Self.staff(app)
            let portal = OnlinePortalScene(app)
            let (filed, token) = try await portal.file(.enforcementRequest, unitID: hanoi.id!)
            #expect(filed.trackingCode == "YC-01-2026-000001")
            #expect(filed.state == "receive")
            // 5 working days from Monday → Monday 14/12.
            let endOf14 = LocalDate(year: 2026, month: 12, day: 15)!.startOfDay(in: .vietnam).addingTimeInterval(-0.001)
            #expect(filed.requestDueAt == endOf14)
            #expect(try await OnlineRequestFile.query(on: app.db).filter(\.$requestID == filed.id!).count() == 1)
            #expect(
                try app.mails().contains {
                    $0.contains(
                        "Subject: =?UTF-8?B?"
                            + Data("Đã tiếp nhận yêu cầu \(filed.trackingCode!)".utf8).base64EncodedString())
                })

            try await Self.decide(app, filed, "receive", by: staff.officer)
            // The verifier may not check validity: the step is the online support officer's.
            await #expect(throws: WorkflowError.missingPermission(.handleOnlineRequests)) {
                try await Self.decide(app, filed, "complete", by: staff.verifier, note: "x")
            }
            clock.advance(by: 3600)
            try await Self.decide(app, filed, "incomplete", by: staff.officer, note: "Bổ sung bản sao CCCD")
            var request = try await Self.reload(app, filed)
            #expect(request.state == "awaiting-submitter")
            #expect(request.stepDueAt == nil)
            #expect(request.requestDueAt == nil, "the clock stops while the submitter completes the file")
            let waiting = try await portal.client.get("\(OnlinePortalScene.base)/theo-doi/\(token)")
            #expect(waiting.body.string.contains("Bổ sung bản sao CCCD"))
            #expect(waiting.body.string.contains("Gửi bổ sung"))

            // Two days later (Wednesday 10:00) the submitter sends the copy.
            clock.advance(by: 2 * 86_400)
            let supplement = try await portal.client.upload(
                "\(OnlinePortalScene.base)/theo-doi/\(token)/bo-sung", file: minimalPDF, fileName: "cccd.pdf",
                fields: [("noi-dung", "Gửi bản sao căn cước")])
            #expect(supplement.status == .ok)
            request = try await Self.reload(app, filed)
            #expect(request.state == "check")
            // Paused Monday → Wednesday: 2 working days added → Wednesday 16/12.
            let endOf16 = LocalDate(year: 2026, month: 12, day: 17)!.startOfDay(in: .vietnam).addingTimeInterval(-0.001)
            #expect(request.requestDueAt == endOf16)

            try await Self.decide(app, filed, "complete", by: staff.officer, note: "Hẹn 09:00 ngày 10/12/2026")
            try await Self.decide(
                app, filed, "matched", by: staff.officer, note: "Đơn ký trực tiếp khớp với đơn trực tuyến")
            try await Self.decide(app, filed, "draft", by: staff.verifier)
            try await Self.decide(
                app, filed, "approve", by: staff.head, note: "Đã ra quyết định thi hành án", extras: .init(fee: 50_000))
            request = try await Self.reload(app, filed)
            #expect(request.state == "completed")
            #expect(request.completedAt != nil)
            #expect(request.fee == 50_000)

            let status = try await portal.client.get("\(OnlinePortalScene.base)/theo-doi/\(token)")
            let html = status.body.string
            for label in [
                "Bước 1: Tiếp nhận yêu cầu", "Bước 2: Kiểm tra tính hợp lệ", "Bước 3: Tiếp nhận trực tiếp, đối chiếu",
                "Bước 4: Thẩm tra, dự thảo văn bản", "Bước 5: Ký phê duyệt, trả kết quả",
                "Đã ra quyết định thi hành án",
            ] {
                #expect(html.contains(label), "status page shows \(label)")
            }
            let mails = try app.mails().joined()
            for subject in ["Hướng dẫn bổ sung hồ sơ", "Thông báo lịch hẹn hồ sơ", "Kết quả giải quyết hồ sơ"] {
                let encoded = Data("\(subject) \(filed.trackingCode!)".utf8).base64EncodedString()
                #expect(mails.contains(encoded), "mail \(subject)")
            }
            let transitions = try await WorkflowTransition.query(on: app.db).count()
            #expect(transitions == 7)
        }
    }

    @Test func anotherUnitsStaffSeeNothingAndStepsNeedTheRightRole() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            _ = try await Self.staff(app)
            let portal = OnlinePortalScene(app)
            let (filed, _) = try await portal.file(.resultConfirmation, unitID: hanoi.id!)
            let (own, _) = try await Fixtures.signedIn(app, "httt-hn", unit: "01", roles: [.onlineSupportOfficer])
            let page = try await own.get("/ho-tro-truc-tuyen/\(filed.id!.uuidString)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(filed.trackingCode!))
            #expect(try await own.get("/ho-tro-truc-tuyen").body.string.contains(filed.trackingCode!))
            let (other, _) = try await Fixtures.signedIn(app, "httt-hcm", unit: "79", roles: [.onlineSupportOfficer])
            #expect(try await other.get("/ho-tro-truc-tuyen/\(filed.id!.uuidString)").status == .notFound)
            #expect(
                try await other.post("/ho-tro-truc-tuyen/\(filed.id!.uuidString)/buoc", [("outcome", "receive")]).status
                    == .notFound)
            #expect(!(try await other.get("/ho-tro-truc-tuyen").body.string.contains(filed.trackingCode!)))
            // Refusal through the page: the reason reaches the submitter.
            #expect(
                try await own.post("/ho-tro-truc-tuyen/\(filed.id!.uuidString)/buoc", [("outcome", "receive")]).status
                    == .seeOther)
            let refused = try await own.post(
                "/ho-tro-truc-tuyen/\(filed.id!.uuidString)/buoc",
                [("outcome", "refuse"), ("note", "Hồ sơ do cơ quan khác thụ lý")])
            #expect(refused.status == .seeOther)
            let request = try await Self.reload(app, filed)
            #expect(request.state == "refused")
            let message = try await OnlineRequestMessage.query(on: app.db).filter(\.$requestID == filed.id!)
                .filter(\.$template == "refusal/v1").first()
            #expect(message?.body == "Hồ sơ do cơ quan khác thụ lý")
        }
    }

    @Test func aPetitionIsClassifiedAssignedAndAnsweredByTheAssignedOfficer() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let staff = try await Self.staff(app)
            let other = try await Fixtures.account(app, "thamtra2", unit: "01", roles: [.verifier]).account
            let (filed, _) = try await OnlinePortalScene(app).file(.petition, unitID: hanoi.id!)
            try await Self.decide(
                app, filed, "classify", by: staff.officer,
                extras: .init(classification: "kien-nghi|du-dieu-kien|thuoc-tham-quyen|2"))
            try await Self.decide(app, filed, "assign", by: staff.head, extras: .init(assigneeID: staff.verifier.id))
            await #expect(throws: OnlineSteps.Refused.self) {
                try await Self.decide(app, filed, "propose-answer", by: other, note: "Dự thảo")
            }
            try await Self.decide(app, filed, "propose-answer", by: staff.verifier, note: "Dự thảo trả lời")
            var request = try await Self.reload(app, filed)
            #expect(request.state == "approval")
            #expect(request.stepDueAt == nil, "step 4 of a petition has no fixed limit")
            try await Self.decide(app, filed, "approve", by: staff.head)
            try await Self.decide(
                app, filed, "inform", by: staff.officer, note: "Cơ quan đã chỉ đạo đẩy nhanh việc thi hành")
            request = try await Self.reload(app, filed)
            #expect(request.state == "completed")
            // The petitioner's markup is shown as text on the staff page.
            let (client, _) = try await Fixtures.signedIn(app, "lanhdao", unit: "01", roles: [.head])
            let page = try await client.get("/ho-tro-truc-tuyen/\(filed.id!.uuidString)").body.string
            #expect(page.contains("Vụ việc &lt;b&gt;chậm&lt;/b&gt; thi hành"))
            let overview = try await client.get("/ho-tro-truc-tuyen/tong-hop")
            #expect(overview.status == .ok)
            #expect(overview.body.string.contains("Phạm Hỗ Trợ"))
        }
    }

    @Test func theRateLimitAnswers429AndLosesNoAcceptedSubmission() async throws {
        try await withTestApp(SettingsOverride { $0.publicRequestsPerMinute = 12 }) { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let portal = OnlinePortalScene(app)
            var accepted = 0
            var limited = 0
            for index in 0..<4 {
                let response = try await portal.post(
                    .petition, unitID: hanoi.id!, email: "a\(index)@vi-du.vn", file: nil)
                if response.status == .seeOther { accepted += 1 }
                if response.status == .tooManyRequests {
                    limited += 1
                    #expect(response.headers.first(name: .retryAfter) != nil)
                }
            }
            #expect(accepted == 2)
            #expect(limited == 2)
            #expect(try await OnlineRequest.query(on: app.db).count() == accepted)
        }
    }

    @Test func aWrongAnswerOrAnExhaustedEmailIsRefusedNextToTheField() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let portal = OnlinePortalScene(app)
            let wrong = try await portal.post(
                .petition, unitID: hanoi.id!, email: "x@vi-du.vn", file: nil, answer: "99")
            #expect(wrong.status == .badRequest)
            #expect(wrong.body.string.contains("Câu trả lời chưa đúng"))
            let noFile = try await portal.post(.enforcementRequest, unitID: hanoi.id!, email: "x@vi-du.vn", file: nil)
            #expect(noFile.body.string.contains("Đính kèm bản án"))
            let exe = try await portal.post(.petition, unitID: hanoi.id!, email: "x@vi-du.vn", file: windowsExecutable)
            #expect(exe.status == .badRequest)
            for index in 0..<OnlineSubmissions.perEmailDailyLimit {
                let response = try await OnlinePortalScene(app).post(
                    .petition, unitID: hanoi.id!, email: "y@vi-du.vn", file: nil)
                #expect(response.status == .seeOther, "submission \(index)")
            }
            let over = try await OnlinePortalScene(app).post(
                .petition, unitID: hanoi.id!, email: "y@vi-du.vn", file: nil)
            #expect(over.status == .badRequest)
            #expect(over.body.string.contains("quá số yêu cầu cho phép"))
        }
    }

    @Test func theReminderGoesToWhoeverHoldsAnOverdueStep() async throws {
        try await withTestApp { app async throws in
            let start = LocalDate(year: 2026, month: 12, day: 7)!.startOfDay(in: .vietnam).addingTimeInterval(9 * 3600)
            let clock = ManualClock(start)
            app.clock = clock.clock
            let hanoi = try await Fixtures.unit(app, code: "01")
            let staff = try await Self.staff(app)
            let (filed, _) = try await OnlinePortalScene(app).file(.enforcementRequest, unitID: hanoi.id!)
            #expect(try await OnlineReminders.send(.system(app, task: "test")) == 0)
            clock.advance(by: 3 * 86_400)
            #expect(try await OnlineReminders.send(.system(app, task: "test")) == 1)
            let mails = try app.mails().joined()
            #expect(mails.contains("To: \(staff.officer.email)"))
            #expect(mails.contains(filed.trackingCode!))
            let (client, _) = try await Fixtures.signedIn(app, "httt-q", unit: "01", roles: [.onlineSupportOfficer])
            let overdue = try await client.get("/ho-tro-truc-tuyen?han=qua-han")
            #expect(overdue.body.string.contains(filed.trackingCode!))
            #expect(overdue.body.string.contains("Quá hạn"))
            #expect(
                !(try await client.get("/ho-tro-truc-tuyen?han=dung-han").body.string.contains(filed.trackingCode!)))
        }
    }

    struct RefusingRelay: MailTransport {
        struct Down: Error {}
        func send(_ message: MailMessage, id: UUID) async throws { throw Down() }
    }

    @Test func anAcceptedRequestIsLinkedToItsCaseAndAFailedEmailShowsToStaff() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let scene = try await CaseScene.make(app)
            let caseID = try await scene.open()
            let code = try await scene.enforcementCase(caseID).code
            let staff = try await Self.staff(app)
            let (filed, _) = try await OnlinePortalScene(app).file(.enforcementRequest, unitID: hanoi.id!)
            try await Self.decide(app, filed, "receive", by: staff.officer)
            // The relay is down when the appointment notice goes out: the step stands, the staff page says so.
            app.mailTransport = RefusingRelay()
            try await Self.decide(app, filed, "complete", by: staff.officer, note: "Hẹn 09:00 ngày 10/12/2026")
            let page = try await scene.officer.get("/ho-tro-truc-tuyen/\(filed.id!.uuidString)")
            #expect(page.body.string.contains("Gửi email lỗi"))
            #expect(page.body.string.contains("Mở hồ sơ mới với thông tin của yêu cầu"))
            let wrong = try await scene.officer.post(
                "/ho-tro-truc-tuyen/\(filed.id!.uuidString)/ho-so", [("ma-ho-so", "KHONG-CO")])
            #expect(wrong.status == .badRequest)
            #expect(wrong.body.string.contains("Không tìm thấy hồ sơ thi hành án"))
            let linked = try await scene.officer.post(
                "/ho-tro-truc-tuyen/\(filed.id!.uuidString)/ho-so", [("ma-ho-so", code)])
            #expect(linked.status == .seeOther)
            #expect(try await Self.reload(app, filed).caseID == caseID)
            // Another unit's officer cannot link it.
            #expect(
                try await scene.outsider.post("/ho-tro-truc-tuyen/\(filed.id!.uuidString)/ho-so", [("ma-ho-so", code)])
                    .status == .notFound)
            // The new-case form opens with what the request says.
            let form = try await scene.officer.get("/ho-so/moi?startMode=onRequest&requestReceivedOn=07%2F12%2F2026")
            #expect(form.body.string.contains("07/12/2026"))
        }
    }
}
