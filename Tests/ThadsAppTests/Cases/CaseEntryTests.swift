import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct CaseEntryTests {
    /// One case from entry to completion through the forms, with the status after each step.
    @Test func aCaseIsWalkedFromEntryToCompletion() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            var stored = try await scene.enforcementCase(id)
            #expect(stored.status == .accepted)
            #expect(stored.code.hasPrefix("01/"), "code \(stored.code)")
            #expect(
                try await scene.openRules(id).isSuperset(of: [.missingDebtor, .missingObligation]),
                "a new case lacks its debtor and obligation")

            try await scene.add(id, "duong-su", CaseScene.debtor)
            try await scene.add(id, "duong-su", CaseScene.creditor)
            try await scene.add(id, "nghia-vu", CaseScene.obligation("10.000.000"))
            try await scene.add(
                id, "xac-minh",
                [("outcome", "meansFound"), ("verifiedOn", CaseScene.today.display), ("findings", "Có tài khoản")])
            #expect(try await scene.enforcementCase(id).status == .withConditions)
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "10.000.000"))
            try await scene.add(id, "thu-chi", CaseScene.money("paidOut", "10000000", reference: "PC-1"))
            try await scene.add(
                id, "quyet-dinh",
                [
                    ("decisionKind", "completion"), ("number", "20/QĐ-CTHADS"), ("decidedOn", CaseScene.today.display),
                    ("groundCode", "L106-COMPLETE"), ("signer", "Trần Văn Thủ"),
                ])
            stored = try await scene.enforcementCase(id)
            #expect(stored.status == .completed)
            #expect(stored.closedOn == CaseScene.today.iso)
            let remaining = try await scene.openRules(id)
            #expect(remaining.isEmpty, "complete and consistent: \(remaining)")

            let page = try await scene.officer.get("/ho-so/\(id.uuidString)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Thi hành xong"))
            #expect(page.body.string.contains("10.000.000 đ"))
            let parties = try await scene.officer.get("/ho-so/\(id.uuidString)?tab=duong-su").body.string
            #expect(parties.contains("001080012345"), "the officer acting on the case sees the whole ID number")
            let (statistician, _) = try await Fixtures.signedIn(
                app, "tk.hanoi", unit: "01", roles: [.statisticsOfficer])
            let masked = try await statistician.get("/ho-so/\(id.uuidString)?tab=duong-su").body.string
            #expect(masked.contains("*********345"), "others see it masked")
            #expect(!masked.contains("001080012345"))
            let party = try #require(try await CaseParty.query(on: app.db).filter(\.$caseID == id).first())
            #expect(party.idNumberCipher?.contains("001080012345") == false)
            #expect(party.nameFolded == "nguyen van no")

            // A closed case takes no more decisions.
            let refused = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/quyet-dinh",
                [
                    ("decisionKind", "postponement"), ("number", "21"), ("decidedOn", CaseScene.today.display),
                    ("groundCode", "L106-POSTPONE"), ("signer", "A"),
                ])
            #expect(refused.status == .badRequest)
            #expect(CaseScene.errors(refused).contains("Hồ sơ đã kết thúc"))
            let audit = try await AuditEvent.query(on: app.db).filter(\.$objectID == id.uuidString).all().map(\.action)
            for action in ["case.opened", "case.party-added", "case.decision-added", "case.money-added", "case.viewed"]
            {
                #expect(audit.contains(action), "audited: \(action)")
            }
        }
    }

    @Test func aSecondEntryOfTheSameJudgmentShowsTheFirstAndNeedsConfirmation() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let first = try await scene.open(number: "88/2026/DS-ST")
            let again = try await scene.officer.post("/ho-so/moi", scene.openingForm(number: " 88 / 2026 / ds-st "))
            #expect(again.status == .badRequest)
            let body = again.body.string
            #expect(body.contains("Có thể trùng"))
            #expect(body.contains("/ho-so/\(first.uuidString)"), "linked to the first case")
            #expect(try await EnforcementCase.query(on: app.db).count() == 1, "nothing saved without confirmation")
            let second = try await scene.open(number: " 88 / 2026 / ds-st ", [("confirmDuplicate", "on")])
            #expect(try await scene.openRules(second).contains(.duplicateJudgment))
            #expect(try await scene.openRules(first).contains(.duplicateJudgment))
        }
    }

    /// One judgment, its ex officio case (fees, fines) and its on-request case (a private creditor): the usual pair,
    /// no duplicate. A second on-request case on it is one too many, and both on-request cases say so.
    @Test func theExOfficioAndOnRequestPairIsNoDuplicateButASecondRequestIs() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let today = app.clock.today.display
            let exOfficio = try await scene.open(number: "90/2026/DS-ST")
            let onRequest = try await scene.open(
                number: "90/2026/DS-ST", [("startMode", "onRequest"), ("requestReceivedOn", today)])
            #expect(try await !scene.openRules(exOfficio).contains(.duplicateJudgment))
            #expect(try await !scene.openRules(onRequest).contains(.duplicateJudgment))
            let refused = try await scene.officer.post(
                "/ho-so/moi",
                scene.openingForm(
                    number: "90/2026/DS-ST", [("startMode", "onRequest"), ("requestReceivedOn", today)]))
            #expect(refused.status == .badRequest, "another case started the same way needs confirming")
            let second = try await scene.open(
                number: "90/2026/DS-ST",
                [("startMode", "onRequest"), ("requestReceivedOn", today), ("confirmDuplicate", "on")])
            #expect(try await scene.openRules(second).contains(.duplicateJudgment))
            #expect(try await scene.openRules(onRequest).contains(.duplicateJudgment))
            #expect(try await !scene.openRules(exOfficio).contains(.duplicateJudgment))
        }
    }

    @Test func aNamesakeDebtorIsShownWithLinksBeforeSaving() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let first = try await scene.open(number: "1/2026/DS-ST")
            try await scene.add(first, "duong-su", CaseScene.debtor)
            let second = try await scene.open(number: "2/2026/DS-ST")
            let namesake = CaseScene.debtor.map { $0.0 == "fullName" ? ("fullName", "NGUYEN VAN NO") : $0 }
            let shown = try await scene.officer.post("/ho-so/\(second.uuidString)/duong-su", namesake)
            #expect(shown.status == .badRequest)
            #expect(shown.body.string.contains("href=\"/ho-so/\(first.uuidString)\""), "linked to the other case")
            try await scene.add(second, "duong-su", namesake + [("confirmDuplicate", "on")])
            #expect(try await scene.openRules(second).contains(.duplicateDebtor))
            #expect(try await scene.openRules(first).contains(.duplicateDebtor))
        }
    }

    @Test func formsRefuseBadInputNextToTheFieldAndKeepWhatWasTyped() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let future = CaseScene.today.adding(days: 2).display
            let response = try await scene.officer.post(
                "/ho-so/moi",
                scene.openingForm([
                    ("judgmentDate", "31/02/2026"), ("courtCode", "KHONG-CO"), ("qd-decidedOn", future),
                    ("number", ""), ("startMode", "onRequest"),
                ]))
            #expect(response.status == .badRequest)
            let errors = CaseScene.errors(response)
            #expect(errors.contains("Ngày bản án, quyết định không hợp lệ"))
            #expect(errors.contains("Tòa án không có trong danh mục"))
            #expect(errors.contains("không được sau ngày hôm nay"))
            #expect(errors.contains("Nhập số"))
            #expect(errors.contains("Nhập ngày nhận đơn yêu cầu"), "a case on request needs the request's date")
            #expect(response.body.string.contains("value=\"Trần Văn Thủ\""), "typed values are kept")
            #expect(try await EnforcementCase.query(on: app.db).count() == 0)

            let id = try await scene.open()
            let money = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/thu-chi", [("direction", "collected"), ("amount", "mười triệu")])
            #expect(money.status == .badRequest)
            #expect(CaseScene.errors(money).contains("số tiền dương"))
            let party = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/duong-su",
                [("role", "debtor"), ("kind", "person"), ("fullName", "Ai Đó"), ("idNumber", "12345")])
            #expect(CaseScene.errors(party).contains("12 chữ số"))
        }
    }

    @Test func anEntryMoreThanOneWorkingDayLateNeedsAReasonAndIsCounted() async throws {
        try await withTestApp { app async throws in
            // Friday 12/02/2027, the first working day after Tết (05/02 – 11/02): Thursday 04/02 is one working day
            // back (no reason needed, though eight days have passed), Wednesday 03/02 two.
            app.clock = .fixed(LocalDate(iso: "2027-02-12")!, hour: 10)
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(
                id, "thu-chi",
                CaseScene.money("collected", "500.000", on: LocalDate(iso: "2027-02-04")!, reference: "BL-0"))
            let longAgo = LocalDate(iso: "2027-02-03")!
            let refused = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/thu-chi", CaseScene.money("collected", "1.000.000", on: longAgo))
            #expect(refused.status == .badRequest)
            #expect(CaseScene.errors(refused).contains("chọn lý do nhập muộn"))
            try await scene.add(
                id, "thu-chi", CaseScene.money("collected", "1.000.000", on: longAgo) + [("lateReason", "LATE-DOCS")])
            let entries = try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == id).all()
            #expect(entries.map(\.isLate).sorted { !$0 && $1 } == [false, true])
            let entry = try #require(entries.first { $0.isLate })
            #expect(entry.lateReason?.contains("muộn") == true)
            let unit = try await Fixtures.unit(app, code: "01")
            let figures = try await WorkAndQualityController.figures(for: unit, on: app.db)
            #expect(figures.lateEntries == 1)
            #expect(figures.entries == 4, "judgment, enforcement decision, two collections")
            let page = try await scene.head.get("/chat-luong")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("trong đó 1 lượt nhập muộn"))
        }
    }

    @Test func theWorkListShowsDutiesAndTheQualityPageDrillsDown() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            let work = try await scene.officer.get("/viec-cua-toi")
            #expect(work.status == .ok)
            #expect(work.body.string.contains(DutyKind.notifyEnforcementDecision.label))
            let quality = try await scene.head.get("/chat-luong")
            #expect(quality.body.string.contains("quy-tac=missingDebtor"))
            let unit = try await Fixtures.unit(app, code: "01")
            let drill = try await scene.head.get("/chat-luong?don-vi=\(unit.id!.uuidString)&quy-tac=missingDebtor")
            #expect(drill.body.string.contains("/ho-so/\(id.uuidString)?tab=canh-bao"))
            let other = try await Fixtures.unit(app, code: "79")
            #expect(try await scene.head.get("/chat-luong?don-vi=\(other.id!.uuidString)").status == .notFound)
        }
    }

    @Test func theHeadDismissesAWarningWithAReason() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            let warning = try #require(
                try await QualityWarning.query(on: app.db).filter(\.$caseID == id).filter(\.$rule == .missingDebtor)
                    .first())
            let path = "/ho-so/\(id.uuidString)/canh-bao/\(warning.id!.uuidString)/bo-qua"
            #expect(try await scene.officer.post(path, []).status == .forbidden)
            let key = "dismiss-" + warning.id!.uuidString
            let missing = try await scene.head.post(path, [(key, "")])
            #expect(missing.status == .badRequest)
            let done = try await scene.head.post(path, [(key, "DW-OTHER"), (key + "-note", "Chờ bổ sung hồ sơ giấy")])
            #expect(done.status == .seeOther)
            let stored = try #require(try await QualityWarning.find(warning.id, on: app.db))
            #expect(stored.status == .dismissed)
            #expect(stored.dismissReason == "Khác: Chờ bổ sung hồ sơ giấy")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "case.warning-dismissed").count() == 1)
        }
    }
}
