import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 18: the register follows the no-conditions decision; the portal shows only the allowed fields.
@Suite struct DebtorRegisterTests {
    /// A Hà Nội case whose debtor has no means: debtor, creditor, a state-budget obligation, a verification finding
    /// nothing and the head's no-conditions decision.
    static func caseWithoutConditions(
        _ scene: CaseScene, number: String = "125/2026/DS-ST", debtor: [(String, String)] = CaseScene.debtor
    ) async throws -> UUID {
        let id = try await scene.open(number: number)
        try await scene.add(id, "duong-su", debtor)
        try await scene.add(id, "duong-su", CaseScene.creditor)
        try await scene.add(id, "nghia-vu", CaseScene.obligation("1.500.000"))
        try await scene.add(
            id, "xac-minh",
            [("outcome", "noMeans"), ("verifiedOn", CaseScene.today.display), ("findings", "Không có tài sản")])
        try await scene.add(
            id, "quyet-dinh",
            [
                ("decisionKind", "noConditions"), ("number", "30/QĐ-CTHADS"), ("decidedOn", CaseScene.today.display),
                ("groundCode", "L106-NOCOND"), ("signer", "Trần Văn Thủ"),
            ])
        #expect(try await scene.enforcementCase(id).status == .withoutConditions)
        return id
    }

    @Test func aNoConditionsDecisionPublishesOnlyTheAllowedFieldsAndNewMeansWithdrawIt() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await Self.caseWithoutConditions(scene)
            let publication = try #require(
                try await DebtorPublication.query(on: app.db).filter(\.$caseID == id).first())
            #expect(publication.withdrawnAt == nil)
            #expect(publication.provinceCode == "01")

            let portal = TestClient(app)
            let found = try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien?ten=nguyen+van+no")
            #expect(found.status == .ok)
            #expect(found.body.string.contains("Nguyễn Văn Nợ"), "found by the name typed without marks")
            let anyOrder = try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien?ten=N%E1%BB%A2+nguyen")
            #expect(anyOrder.body.string.contains("Nguyễn Văn Nợ"), "words in any order, marks or none")
            let wrongYear = try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien?ten=nguyen+van+no&nam-sinh=1981")
            #expect(!wrongYear.body.string.contains("Nguyễn Văn Nợ"))
            let otherProvince = try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien?ten=nguyen+van+no&tinh=79")
            #expect(!otherProvince.body.string.contains("Nguyễn Văn Nợ"))
            let page = try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien/\(publication.id!.uuidString)")
            #expect(page.status == .ok)
            let html = page.body.string
            for shown in [
                "Nguyễn Văn Nợ", "1980", "12 Hàng Bạc, Hà Nội", "125/2026/DS-ST", "15/QĐ-CTHADS",
                "1.500.000 đ", "30/QĐ-CTHADS",
            ] {
                #expect(html.contains(shown), "\(shown) is published")
            }
            for hidden in ["001080012345", "*********345", "Lê Thị Được", "5 Tràng Tiền", "Không có tài sản"] {
                #expect(!html.contains(hidden), "\(hidden) must not be published")
            }
            let entry = try #require(try await DebtorEntry.query(on: app.db).filter(\.$caseID == id).first())
            #expect(entry.isListed && entry.verificationsSince == 0)
            #expect(
                entry.reverificationDue
                    == app.workingCalendar.monthPeriodEnd(startingAt: CaseScene.today, months: 6).iso)

            // New means: the case has conditions again and the entry comes down at once.
            try await scene.add(
                id, "xac-minh",
                [("outcome", "meansFound"), ("verifiedOn", CaseScene.today.display), ("findings", "Có thu nhập")])
            let gone = try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien?ten=nguyen+van+no")
            #expect(!gone.body.string.contains("Nguyễn Văn Nợ"))
            #expect(
                try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien/\(publication.id!.uuidString)").status
                    == .notFound)
            let events = try await PublicationEvent.query(on: app.db).filter(\.$caseID == id).sort(\.$at).all()
            #expect(events.map(\.action) == [.published, .withdrawn])
            #expect(events.last?.cause.contains("có điều kiện thi hành") == true)
            let log = try await scene.officer.get("/so-chua-co-dieu-kien/nhat-ky-cong-khai")
            #expect(log.body.string.contains("Công khai") && log.body.string.contains("Rút khỏi công khai"))
            #expect(try await DebtorEntry.query(on: app.db).filter(\.$caseID == id).first()?.isListed == false)
        }
    }

    @Test func thePublicSearchNeedsANameAndIsRateLimited() async throws {
        try await withTestApp(SettingsOverride { $0.publicRequestsPerMinute = 20 }) { app async throws in
            let scene = try await CaseScene.make(app)
            _ = try await Self.caseWithoutConditions(scene)
            let portal = TestClient(app)
            let empty = try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien?tinh=01")
            #expect(empty.status == .badRequest)
            #expect(empty.body.string.contains("Nhập họ tên"))
            #expect(!empty.body.string.contains("Nguyễn Văn Nợ"), "no way to list everyone")
            let wildcard = try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien?ten=%25%25")
            #expect(!wildcard.body.string.contains("Nguyễn Văn Nợ"), "a % is not a wildcard")
            // The debtor search allows half the portal's 20 per minute; 2 used above.
            var statuses: [HTTPResponseStatus] = []
            for _ in 0..<10 {
                statuses.append(try await portal.get("/cong-khai/nguoi-chua-co-dieu-kien?ten=nguyen").status)
            }
            #expect(statuses.filter { $0 == .ok }.count == 8)
            #expect(statuses.last == .tooManyRequests)
            let searches = try await AuditEvent.query(on: app.db).filter(\.$action == "debtors.publicSearch").count()
            #expect(searches == 8, "every answered search is in the access log")
        }
    }

    @Test func theRegisterIsScopedAndTheOfficerMovesAnEligibleCaseToTheSeparateBook() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await Self.caseWithoutConditions(scene)
            let entry = try #require(try await DebtorEntry.query(on: app.db).filter(\.$caseID == id).first())
            let own = try await scene.officer.get("/so-chua-co-dieu-kien")
            #expect(own.body.string.contains(entry.caseCode))
            let other = try await scene.outsider.get("/so-chua-co-dieu-kien")
            #expect(!other.body.string.contains(entry.caseCode), "another unit does not see it")
            let key = "circumstance-" + entry.id!.uuidString
            #expect(
                try await scene.outsider.post("/so-chua-co-dieu-kien/\(entry.id!)/hoan-canh", [(key, "addressUnknown")])
                    .status == .notFound)

            // Not eligible yet: refused with the rule.
            let early = try await scene.officer.post("/so-chua-co-dieu-kien/\(entry.id!)/so-rieng", [])
            #expect(early.status == .conflict)
            #expect(early.body.string.contains("Điều 9 khoản 5"))

            // A legacy case: decided 400 days ago and verified twice since, as the daily pass finds it.
            let decidedOn = CaseScene.today.adding(days: -400)
            try await CaseDecision.query(on: app.db).filter(\.$caseID == id).filter(\.$kind == .noConditions)
                .set(\.$decidedOn, to: decidedOn.iso).update()
            for days in [-300, -100] {
                let verification = CaseVerification()
                verification.id = UUID()
                verification.caseID = id
                verification.verifiedOn = CaseScene.today.adding(days: days).iso
                verification.outcome = .noMeans
                verification.findings = "Không có tài sản"
                verification.statusBefore = .withoutConditions
                verification.statusAfter = .withoutConditions
                verification.enteredAt = app.clock.now
                verification.isLate = false
                verification.createdByID = scene.officerAccount.id!
                try await verification.create(on: app.db)
            }
            // The register took the change in (as the case forms do) 200 days ago, when the year had not passed...
            app.clock = .fixed(CaseScene.today.adding(days: -99), hour: 9)
            try await app.write(on: app.db) { db in
                try await DebtorRegister.sync(caseID: id, ctx: ActionContext.system(app, task: "test"), on: db)
            }
            #expect(try await DebtorEntry.find(entry.id, on: app.db)?.bookEligibleSince == nil)
            // ...and today's daily pass finds the year has passed.
            app.clock = .system
            let count = try await DebtorRegister.reevaluateAll(ActionContext.system(app, task: "test"))
            #expect(count == 1)
            let eligible = try #require(try await DebtorEntry.find(entry.id, on: app.db))
            #expect(eligible.bookEligibleSince != nil && eligible.bookTransferDue != nil)
            #expect(eligible.exemptionBand == nil, "1,500,000 đ owed for under 5 years is not eligible")
            let moved = try await scene.officer.post("/so-chua-co-dieu-kien/\(entry.id!)/so-rieng", [])
            #expect(moved.status == .seeOther)
            #expect(try await DebtorEntry.find(entry.id, on: app.db)?.inSeparateBook == true)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "debtors.movedToSeparateBook").count() == 1)
        }
    }
}

@Suite struct DebtorCrossCheckTests {
    @Test func theCrossCheckFindsASeededMismatchAndTheReminderReachesTheOfficer() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await DebtorRegisterTests.caseWithoutConditions(scene)
            let (statistician, _) = try await Fixtures.signedIn(
                app, "tk.hanoi", unit: "01", roles: [.statisticsOfficer])
            let clean = try await statistician.get("/so-chua-co-dieu-kien/doi-chieu")
            #expect(clean.status == .ok)
            #expect(clean.body.string.contains("khớp với quyết định"))
            // Completed by a repair outside the forms: the entry is still published.
            try await EnforcementCase.query(on: app.db).filter(\.$id == id).set(\.$status, to: .completed).update()
            let found = try await statistician.get("/so-chua-co-dieu-kien/doi-chieu")
            #expect(found.body.string.contains(DebtorCrossCheck.Kind.publishedAfterClosing.label))
            let code = try await scene.enforcementCase(id).code
            #expect(found.body.string.contains(code))
            let other = try await scene.outsider.get("/so-chua-co-dieu-kien/doi-chieu")
            #expect(other.status == .forbidden || !other.body.string.contains(code))
            // The daily pass repairs it: the entry comes down with its cause.
            _ = try await DebtorRegister.reevaluateAll(ActionContext.system(app, task: "test"))
            #expect(try await DebtorCrossCheck.find(unitIDs: nil, on: app.db).isEmpty)
            #expect(
                try await PublicationEvent.query(on: app.db).filter(\.$caseID == id).filter(\.$action == .withdrawn)
                    .first()?.cause == "Thi hành xong")
        }
    }

    @Test func anOfficerIsRemindedOfVerificationsDueWithoutTheDebtorsName() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await DebtorRegisterTests.caseWithoutConditions(scene)
            try await DebtorEntry.query(on: app.db).filter(\.$caseID == id)
                .set(\.$reverificationDue, to: CaseScene.today.adding(days: -1).iso).update()
            let sent = try await ReverificationReminders.send(ActionContext.system(app, task: "test"))
            #expect(sent == 1)
            let mail = try #require(
                try await OutboxMail.query(on: app.db).filter(\.$subject ~~ "xác minh lại").first())
            #expect(mail.recipient == scene.officerAccount.email)
            #expect(mail.body.contains(try await scene.enforcementCase(id).code) && mail.body.contains("quá hạn"))
            #expect(!mail.body.contains("Nguyễn Văn Nợ"))
        }
    }
}

@Suite struct DebtorReportTests {
    @Test func leadersSeeThePublicationStatusOfTheirUnitsOnly() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            _ = try await DebtorRegisterTests.caseWithoutConditions(scene)
            let (head, _) = try await Fixtures.signedIn(app, "tt.hanoi2", unit: "01", roles: [.head])
            let page = try await head.get("/so-chua-co-dieu-kien/bao-cao")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("<td>01 · "), "Hà Nội's row")
            // Listed, separate book, published, published this month, taken down this month, mismatches.
            #expect(
                html.contains(
                    #"<tr class="total"><th>Tổng</th><td class="num">1</td><td class="num">0</td><td class="num">1</td><td class="num">1</td><td class="num">0</td><td class="num">0</td>"#
                ))
            let (otherHead, _) = try await Fixtures.signedIn(app, "tt.hcm", unit: "79", roles: [.head])
            #expect(!(try await otherHead.get("/so-chua-co-dieu-kien/bao-cao").body.string.contains("<td>01 · ")))
        }
    }
}

@Suite struct CourtExemptionTests {
    /// The court's decision (D4) is recorded through the case: a reduction as a correction of the obligation with
    /// the exemption reason, approved by the head; a full exemption as a termination on its ground. The register
    /// and the portal follow both.
    @Test func aReductionLowersWhatIsOwedAndAFullExemptionTakesTheEntryDown() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await DebtorRegisterTests.caseWithoutConditions(scene)
            let obligation = try #require(
                try await CaseObligation.query(on: app.db).filter(\.$caseID == id).first())
            let path = "/ho-so/\(id.uuidString)/sua/obligation/\(obligation.id!.uuidString)"
            let original = try #require(obligation.amount)
            let requested = try await scene.officer.post(
                path, CaseScene.obligation("500.000") + [("reasonCode", "CR-EXEMPTION")])
            #expect(requested.status == .seeOther, "\(CaseScene.errors(requested))")
            let correction = try #require(try await CaseCorrection.query(on: app.db).filter(\.$caseID == id).first())
            #expect(
                try await scene.head.post("/hieu-chinh/\(correction.id!.uuidString)/duyet", [("note", "")]).status
                    == .seeOther)
            let entry = try #require(try await DebtorEntry.query(on: app.db).filter(\.$caseID == id).first())
            #expect(entry.owed == 500_000 && entry.outstanding == 500_000)
            let publication = try #require(
                try await DebtorPublication.query(on: app.db).filter(\.$caseID == id).first())
            #expect(publication.outstanding == 500_000 && publication.withdrawnAt == nil)
            #expect(
                try await PublicationEvent.query(on: app.db).filter(\.$caseID == id).all().map(\.action)
                    .contains(.updated))

            try await scene.add(
                id, "quyet-dinh",
                [
                    ("decisionKind", "termination"), ("number", "31/QĐ-CTHADS"),
                    ("decidedOn", CaseScene.today.display), ("groundsOn", CaseScene.today.display),
                    ("groundCode", "L106-EXEMPT"), ("signer", "Trần Văn Thủ"),
                ])
            #expect(try await scene.enforcementCase(id).status == .terminated)
            let withdrawn = try #require(
                try await PublicationEvent.query(on: app.db).filter(\.$caseID == id).filter(\.$action == .withdrawn)
                    .first())
            #expect(withdrawn.cause == "Đình chỉ thi hành án")
            #expect(try await DebtorEntry.find(entry.id, on: app.db)?.isListed == false)

            // Form 06 (issue 19) counts both: the reduction by what it took off, the exemption by what was still owed.
            let ctx = try await ActionContext.staff(scene.headAccount, app)
            let (unit, units) = try await StatisticsService.units(
                of: scene.headAccount.unitID, withSubunits: false, in: ctx)
            let period = try #require(
                ReportingPeriod(year: StatisticalYear.of(CaseScene.today), months: 12))
            let report = try await ExemptionReport.compute(period, unit: unit, units: units, on: app.db)
            let obligations = try await CaseObligation.query(on: app.db).filter(\.$caseID == id).all()
            let budget = obligations.filter { $0.beneficiary == .stateBudget }.compactMap(\.amount).reduce(0, +)
            let owed = obligations.compactMap(\.amount).reduce(0, +)
            let paid = try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == id).all()
                .filter { $0.direction == .collected }.map(\.amount).reduce(0, +)
            #expect(
                report.values(unit.id!)
                    == [0, 1, min(budget, max(0, owed - paid)), original > 500_000 ? 1 : 0, max(0, original - 500_000)])
            #expect(report.values(nil) == report.values(unit.id!))
            let csv = report.csv
            #expect(csv.contains("Mẫu 06") && csv.contains("\"Số tiền được giảm\""))
        }
    }
}
