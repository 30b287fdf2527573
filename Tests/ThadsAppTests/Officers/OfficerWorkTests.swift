import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 20: sortable lists, exports, the print view, refused filters, error summaries, duties as actions, reversible
/// mistakes, one-time form tokens, forms kept across an ended session, scans and the homes per role.
@Suite struct OfficerWorkTests {
    /// The case codes of the list's table, in order.
    static func codes(_ html: String) -> [String] {
        guard let table = html.range(of: "id=\"case-list\"") else { return [] }
        var found: [String] = []
        var rest = html[table.upperBound...]
        while let link = rest.range(of: "<a class=\"code\" href=\"/ho-so/") {
            let after = rest[link.upperBound...]
            guard let start = after.firstIndex(of: ">"), let end = after.range(of: "</a>") else { break }
            found.append(String(after[after.index(after: start)..<end.lowerBound]))
            rest = after[end.upperBound...]
        }
        return found
    }

    /// Three cases of unequal codes, judgments, opening days and statuses.
    static func threeCases(_ scene: CaseScene, _ app: Application) async throws -> [EnforcementCase] {
        let today = app.clock.today
        var ids: [UUID] = []
        for (index, number) in ["300/2026/DS-ST", "100/2026/DS-ST", "200/2026/DS-ST"].enumerated() {
            let day = today.adding(days: -index)
            ids.append(
                try await scene.open(
                    number: number,
                    [("receivedOn", day.display), ("qd-decidedOn", day.display), ("lateReason", "LATE-DOCS")]))
        }
        // Different statuses: the second case is postponed.
        try await scene.add(
            ids[1], "quyet-dinh",
            [
                ("decisionKind", "postponement"), ("number", "5/QĐ-HOAN"), ("decidedOn", today.display),
                ("groundCode", "L106-POSTPONE"), ("signer", "Trần Văn Thủ"), ("groundsOn", today.display),
            ])
        var cases: [EnforcementCase] = []
        for id in ids { cases.append(try await scene.enforcementCase(id)) }
        return cases
    }

    @Test func theCaseListSortsByEveryColumnBothWays() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let cases = try await Self.threeCases(scene, app)
            let judgments = Dictionary(
                uniqueKeysWithValues: try await Judgment.query(on: app.db).all().map { ($0.id!, $0.number) })
            let keyed: [(CaseSearch.SortColumn, (EnforcementCase) -> String)] = [
                (.code, { $0.code }), (.judgment, { judgments[$0.judgmentID] ?? "" }),
                (.opened, { $0.openedOn }), (.status, { $0.status.rawValue }), (.unit, { _ in "" }),
            ]
            for (column, key) in keyed {
                for descending in [false, true] {
                    let sort = CaseSearch.Sort(column: column, descending: descending)
                    let page = try await scene.officer.get("/ho-so?sap-xep=\(sort.rawValue)")
                    #expect(page.status == .ok)
                    let shown = Self.codes(page.body.string)
                    #expect(Set(shown) == Set(cases.map(\.code)), "\(sort.rawValue)")
                    guard column != .unit else { continue }
                    let keys = shown.compactMap { code in cases.first { $0.code == code }.map(key) }
                    #expect(keys == (descending ? keys.sorted(by: >) : keys.sorted()), "\(sort.rawValue): \(shown)")
                    #expect(page.body.string.contains("aria-sort=\"\(descending ? "descending" : "ascending")\""))
                }
            }
            let page = try await scene.officer.get("/ho-so?sap-xep=ma")
            #expect(page.body.string.contains("<p id=\"case-total\">3 hồ sơ phù hợp.</p>"))
            #expect(try await scene.officer.get("/ho-so?sap-xep=khong-co").status == .badRequest)
        }
    }

    @Test func aBadFilterIsRefusedWithItsMessageAndKeptAsTyped() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            _ = try await scene.open()
            let page = try await scene.officer.get("/ho-so?tu-ngay=31%2F02%2F2026&trang-thai=accepted")
            #expect(page.status == .badRequest)
            let html = page.body.string
            #expect(html.contains("data-error-summary"))
            #expect(html.contains("href=\"#f-tu-ngay\""))
            #expect(html.contains("không phải ngày hợp lệ"))
            #expect(html.contains("value=\"31/02/2026\""), "the bad value is shown as typed")
            #expect(Self.codes(html).isEmpty, "no widened result")
            #expect(try await scene.officer.get("/api/ho-so?tu-ngay=abc").status == .badRequest)
        }
    }

    @Test func aRefusedFormShowsTheSummaryWithLinksAndMarksItsFields() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            let refused = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/thu-chi", [("direction", ""), ("amount", "abc"), ("occurredOn", "")])
            #expect(refused.status == .badRequest)
            let html = refused.body.string
            let summary = try #require(html.range(of: "data-error-summary"))
            let form = try #require(html.range(of: "id=\"form-money\""))
            #expect(form.lowerBound < summary.lowerBound, "the summary is at the top of the failed form")
            #expect(html.contains("href=\"#f-amount\""))
            #expect(html.contains("href=\"#f-direction\""))
            #expect(html.contains("tabindex=\"-1\""))
            #expect(html.contains("<select name=\"direction\" id=\"f-direction\" aria-invalid=\"true\""))
            #expect(html.contains("src=\"/static/app.js\""))
            let script = try await scene.officer.get("/static/app.js")
            #expect(script.body.string.contains("data-error-summary"))
        }
    }

    @Test func exportsHoldExactlyTheListsRowsAndLogThePurpose() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let cases = try await Self.threeCases(scene, app)
            try await scene.add(cases[0].id!, "duong-su", CaseScene.debtor)
            let filter = "trang-thai=accepted&sap-xep=ma"
            let listed = Self.codes(try await scene.officer.get("/ho-so?\(filter)").body.string)
            #expect(listed.count == 2)
            let refused = try await scene.officer.get("/ho-so/xuat?\(filter)&dinh-dang=csv&muc-dich=")
            #expect(refused.status == .badRequest)
            #expect(try await Extraction.query(on: app.db).count() == 0)
            let purpose = "Đối chiếu hồ sơ đang thụ lý với sổ thụ lý"
            let encoded = purpose.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let csv = try await scene.officer.get("/ho-so/xuat?\(filter)&dinh-dang=csv&muc-dich=\(encoded)")
            #expect(csv.status == .ok)
            // The first line is the classification marking (H1), then the headings and the rows.
            let marked = csv.body.string.split(separator: "\r\n").map(String.init)
            #expect(marked.first?.contains("Phân loại thông tin") == true)
            let lines = Array(marked.dropFirst())
            #expect(lines.count == listed.count + 1)
            #expect(
                lines.dropFirst().map { $0.split(separator: ",").first.map(String.init) ?? "" }
                    == listed.map { "\"\($0)\"" })
            #expect(csv.body.string.contains("Nguyễn Văn Nợ"))
            let xlsx = try await scene.officer.get("/ho-so/xuat?\(filter)&dinh-dang=xlsx&muc-dich=\(encoded)")
            #expect(xlsx.status == .ok)
            #expect(Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            let logged = try await Extraction.query(on: app.db).sort(\.$at).all()
            #expect(logged.count == 2)
            #expect(logged.allSatisfy { $0.purpose == purpose && $0.rows == listed.count && $0.sha256 != nil })
            #expect(Set(logged.map(\.format)) == ["csv", "xlsx"])
        }
    }

    @Test func thePrintViewHoldsEveryTabsData() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "duong-su", CaseScene.debtor)
            try await scene.add(id, "nghia-vu", CaseScene.obligation("7.000.000"))
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "1.500.000"))
            let party = try #require(try await CaseParty.query(on: app.db).filter(\.$caseID == id).first())
            var fields = CaseScene.debtor.filter { $0.0 != "idNumber" && $0.0 != "address" }
            fields += [("address", "99 Lý Thường Kiệt, Hà Nội"), ("reasonCode", "CR-UPDATE")]
            _ = try await scene.officer.post("/ho-so/\(id.uuidString)/sua/party/\(party.id!.uuidString)", fields)
            let page = try await scene.officer.get("/ho-so/\(id.uuidString)/in")
            #expect(page.status == .ok)
            let html = page.body.string
            for tab in CasePageData.Tab.allCases { #expect(html.contains("id=\"in-\(tab.rawValue)\""), "\(tab)") }
            #expect(html.contains("Nguyễn Văn Nợ"))
            #expect(html.contains("7.000.000 đ"))
            #expect(html.contains("1.500.000 đ"))
            #expect(html.contains("15/QĐ-CTHADS"))
            #expect(html.contains("99 Lý Thường Kiệt, Hà Nội"), "the history tab's correction")
            #expect(html.contains("12 Hàng Bạc, Hà Nội"), "with its value before")
            let css = try await scene.officer.get("/static/app.css").body.string
            #expect(css.contains("@media print"))
            #expect(css.contains("size: A4"))
        }
    }

    @Test func theDeliveryIsRecordedFromTheDutyRowAsANormalRecord() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            let work = try await scene.officer.get("/viec-cua-toi").body.string
            #expect(work.contains("action=\"/ho-so/\(id.uuidString)/giao-quyet-dinh\""))
            let today = app.clock.today
            let early = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/giao-quyet-dinh", [("notifiedOn", today.adding(days: -400).display)])
            #expect(early.status == .badRequest, "not before the decision")
            let done = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/giao-quyet-dinh", [("notifiedOn", today.display), ("ve", "viec-cua-toi")])
            #expect(done.status == .seeOther)
            #expect(done.location == "/viec-cua-toi?thongbao=da-giao")
            let decision = try #require(try await CaseDecision.query(on: app.db).filter(\.$caseID == id).first())
            #expect(decision.notifiedOn == today.iso)
            #expect(try await CaseFieldChange.query(on: app.db).count() == 0, "not a correction")
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "case.decision-delivered").count() == 1)
            let after = try await scene.officer.get("/viec-cua-toi").body.string
            #expect(!after.contains(DutyKind.notifyEnforcementDecision.label))
            let again = try await scene.officer.post(
                "/ho-so/\(id.uuidString)/giao-quyet-dinh", [("notifiedOn", today.display)])
            #expect(again.status == .badRequest, "already recorded")
        }
    }

    @Test func aVoidedMoneyRowIsStruckThroughAndLeavesTheTotals() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "2.000.000", reference: "BL-1"))
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "3.000.000", reference: "BL-2"))
            let wrong = try #require(
                try await CaseMoneyEntry.query(on: app.db).filter(\.$reference == "BL-2").first())
            let path = "/ho-so/\(id.uuidString)/sua/money/\(wrong.id!.uuidString)"
            let form = try await scene.officer.get(path).body.string
            #expect(form.contains("name=\"voided\""))
            let fields: [(String, String)] = [
                ("direction", "collected"), ("amount", "3.000.000"), ("occurredOn", app.clock.today.display),
                ("reference", "BL-2"), ("voided", "on"), ("reasonCode", "CR-WRONG-ENTRY"),
            ]
            let requested = try await scene.officer.post(path, fields)
            #expect(requested.status == .seeOther, "\(CaseScene.errors(requested))")
            #expect(requested.location?.contains("cho-duyet") == true, "a void waits for the head")
            let correction = try #require(try await CaseCorrection.query(on: app.db).first())
            let approved = try await scene.head.post(
                "/hieu-chinh/\(correction.id!.uuidString)/duyet", [("note", "")])
            #expect(approved.status == .seeOther)
            let stored = try #require(try await CaseMoneyEntry.find(wrong.id, on: app.db))
            #expect(stored.voidNote?.contains("Nhập nhầm") == true || stored.voidNote?.isEmpty == false)
            #expect(try await CaseMoneyEntry.query(on: app.db).count() == 2, "nothing deleted")
            let page = try await scene.officer.get("/ho-so/\(id.uuidString)?tab=nghia-vu").body.string
            #expect(page.contains("<tr class=\"voided\">"))
            #expect(page.contains("Đã hủy: "))
            let summary = try await scene.officer.get("/ho-so/\(id.uuidString)").body.string
            #expect(summary.contains("<dt>Đã thu</dt><dd>2.000.000 đ</dd>"), "the totals leave the void out")
        }
    }

    @Test func aVoidedPartyLeavesTheCaseHeaderAndThePrintView() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "duong-su", CaseScene.debtor)
            let wrong = try #require(try await CaseParty.query(on: app.db).filter(\.$caseID == id).first())
            try await scene.add(
                id, "duong-su",
                [
                    ("role", "debtor"), ("kind", "person"), ("fullName", "Trần Văn Đúng"), ("birthYear", "1982"),
                    ("address", "3 Hàng Gai, Hà Nội"),
                ])
            let path = "/ho-so/\(id.uuidString)/sua/party/\(wrong.id!.uuidString)"
            var fields = CaseScene.debtor.filter { $0.0 != "idNumber" }
            fields += [("voided", "on"), ("reasonCode", "CR-WRONG-ENTRY")]
            let requested = try await scene.officer.post(path, fields)
            #expect(requested.status == .seeOther, "\(CaseScene.errors(requested))")
            let correction = try #require(try await CaseCorrection.query(on: app.db).first())
            let approved = try await scene.head.post("/hieu-chinh/\(correction.id!.uuidString)/duyet", [("note", "")])
            #expect(approved.status == .seeOther)
            #expect(try await CaseParty.find(wrong.id, on: app.db)?.voidNote != nil)
            let page = try await scene.officer.get("/ho-so/\(id.uuidString)").body.string
            let header = try #require(page.range(of: "id=\"case-debtors\""))
            let debtors = page[header.upperBound...].prefix { $0 != "<" }
            #expect(debtors.contains("Trần Văn Đúng") && !debtors.contains("Nguyễn Văn Nợ"), "\(debtors)")
            let printed = try await scene.officer.get("/ho-so/\(id.uuidString)/in").body.string
            #expect(printed.contains("<dd>Trần Văn Đúng</dd>"))
        }
    }

    @Test func aCorrectionTurnsACollectionIntoAPaymentAndCanZeroAnAmount() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "4.000.000"))
            let entry = try #require(try await CaseMoneyEntry.query(on: app.db).first())
            let path = "/ho-so/\(id.uuidString)/sua/money/\(entry.id!.uuidString)"
            let requested = try await scene.officer.post(
                path,
                [
                    ("direction", "paidOut"), ("amount", "0"), ("occurredOn", app.clock.today.display),
                    ("reference", "BL-1"), ("reasonCode", "CR-WRONG-ENTRY"),
                ])
            #expect(requested.status == .seeOther, "\(CaseScene.errors(requested))")
            let correction = try #require(try await CaseCorrection.query(on: app.db).first())
            #expect(Set(correction.changes.map(\.field)) == ["direction", "amount"])
            _ = try await scene.head.post("/hieu-chinh/\(correction.id!.uuidString)/duyet", [("note", "")])
            let stored = try #require(try await CaseMoneyEntry.find(entry.id, on: app.db))
            #expect(stored.direction == .paidOut)
            #expect(stored.amount == 0)
        }
    }

    @Test func aFormSubmittedTwiceIsStoredOnce() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            let page = try await scene.officer.get("/ho-so/\(id.uuidString)?tab=nghia-vu").body.string
            #expect(page.contains("name=\"_once\""))
            let fields = CaseScene.money("collected", "1.000.000") + [("_once", "test-once-token-1")]
            let first = try await scene.officer.post("/ho-so/\(id.uuidString)/thu-chi", fields)
            let second = try await scene.officer.post("/ho-so/\(id.uuidString)/thu-chi", fields)
            #expect(first.status == .seeOther)
            #expect(second.status == .seeOther)
            #expect(second.location == first.location, "sent where the first one went")
            #expect(try await CaseMoneyEntry.query(on: app.db).count() == 1)
        }
    }

    @Test func aFormSentAfterTheSessionEndedComesBackAfterSigningIn() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            let officer = scene.officer
            officer.cookies.removeValue(forKey: SessionStore.cookieName)
            officer.headers.replaceOrAdd(name: .referer, value: "http://localhost/ho-so/\(id.uuidString)?tab=nghia-vu")
            let fields = CaseScene.money("collected", "1.234.567", reference: "BL-HET-PHIEN")
            let kept = try await officer.post("/ho-so/\(id.uuidString)/thu-chi", fields, csrf: false)
            #expect(kept.status == .seeOther)
            #expect(kept.location?.hasPrefix("/dang-nhap?het-phien=1&tiep=") == true)
            #expect(officer.cookies[FormDrafts.markerCookie] == "1")
            #expect(try await CaseMoneyEntry.query(on: app.db).count() == 0, "never submitted")
            officer.headers = [:]
            let made = try #require(try await Account.query(on: app.db).filter(\.$username == "chv.hanoi").first())
            _ = made
            let signIn = try await officer.login("chv.hanoi", Fixtures.password)
            #expect(signIn.status == .seeOther)
            let draft = try await officer.get("/ban-nhap")
            #expect(draft.status == .ok)
            let restored = try JSONDecoder().decode(FormDrafts.Draft.self, from: Data(draft.body.readableBytesView))
            #expect(restored.path == "/ho-so/\(id.uuidString)?tab=nghia-vu")
            #expect(restored.fields.contains(["reference", "BL-HET-PHIEN"]))
            #expect(!restored.fields.contains { $0.first == "_csrf" })
            #expect(try await officer.get("/ban-nhap").status == .noContent, "read once")
        }
    }

    @Test func scansInPNGAndTIFFAreAcceptedByTheirContent() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        let tiff = Data([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0])
        #expect(try AttachmentInspector.inspect(png, fileName: "ban-quet.png") == .png)
        #expect(try AttachmentInspector.inspect(tiff, fileName: "ban-quet.TIF") == .tiff)
        #expect(throws: AttachmentRejection.extensionMismatch(declared: "png", detected: .tiff)) {
            try AttachmentInspector.inspect(tiff, fileName: "ban-quet.png")
        }
        #expect(throws: AttachmentRejection.unknownType) {
            try AttachmentInspector.inspect(Data("not an image".utf8), fileName: "ban-quet.png")
        }
    }

    @Test func eachRoleFindsItsWorkOnTheHomePage() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let today = app.clock.today
            // Never notified, decided 20 days ago: overdue.
            let id = try await scene.open([
                ("receivedOn", today.adding(days: -20).display), ("qd-decidedOn", today.adding(days: -20).display),
                ("lateReason", "LATE-DOCS"),
            ])
            let code = try await scene.enforcementCase(id).code
            let officerHome = try await scene.officer.get("/").body.string
            #expect(officerHome.contains("id=\"home-duties\""))
            #expect(officerHome.contains(code))
            #expect(officerHome.contains("id=\"recent-cases\""))
            let headHome = try await scene.head.get("/").body.string
            #expect(headHome.contains("id=\"home-head\""))
            #expect(headHome.contains("id=\"overdue-by-officer\""))
            #expect(headHome.contains("chap-hanh-vien=\(scene.officerAccount.id!.uuidString)"))
        }
    }
}
