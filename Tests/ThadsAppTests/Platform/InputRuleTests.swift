import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// The input rule (`TextInput`) at every edge, as the outside probe found it missing: a NUL in a unit name, a calendar
/// reason or an export purpose broke `audit-verify` from that event on; a "200-character" name held 60,015 scalars.
@Suite struct InputRuleTests {
    static let nul = "Nguyễn\u{0}Văn"
    static let controlMessage = "chứa ký tự điều khiển không hợp lệ"

    /// What each main form writes, counted before and after the junk.
    struct Written: Equatable {
        var accounts = 0
        var requests = 0
        var units = 0
        var unitNames: [String] = []
        var openUnits = 0
        var calendar = ""
        var catalog = 0
        var cases = 0
        var parties = 0
        var corrections = 0
        var exports = 0

        init(_ app: Application) async throws {
            accounts = try await Account.query(on: app.db).count()
            requests = try await AccountRequest.query(on: app.db).count()
            units = try await EnforcementUnit.query(on: app.db).count()
            unitNames = try await EnforcementUnit.query(on: app.db).sort(\.$code).all().map(\.name)
            openUnits = try await EnforcementUnit.query(on: app.db).filter(\.$isOpen == true).count()
            calendar = try await CalendarDecisionRecord.query(on: app.db).all().map(\.decisionJSON).sorted().joined()
            catalog = try await CatalogEntry.query(on: app.db).count()
            cases = try await EnforcementCase.query(on: app.db).count()
            parties = try await CaseParty.query(on: app.db).count()
            corrections = try await CaseCorrection.query(on: app.db).count()
            exports = try await AuditEvent.query(on: app.db).filter(\.$action == "audit.exported").count()
        }
    }

    @Test func aNulInEveryTextFieldOfTheMainFormsIsRefusedNextToTheFieldAndNothingIsWritten() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let caseID = try await scene.open()
            try await scene.add(caseID, "nghia-vu", CaseScene.obligation("10.000.000"))
            let obligation = try #require(
                try await CaseObligation.query(on: app.db).filter(\.$caseID == caseID).first())
            let (admin, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let (inspector, _) = try await Fixtures.signedIn(app, "kiemtra", roles: [.inspector])
            let hanoi = try await Fixtures.unit(app, code: "01")
            let regional = try await Fixtures.regional(app, code: "01-01", under: "01")
            let before = try await Written(app)

            func refused(
                _ client: TestClient, _ path: String, _ fields: [(String, String)], _ what: String,
                sourceLocation: SourceLocation = #_sourceLocation
            ) async throws {
                let response = try await client.post(path, fields)
                #expect(response.status == .badRequest, "\(what): \(response.status)", sourceLocation: sourceLocation)
                #expect(
                    response.body.string.contains(Self.controlMessage), "\(what): no field message",
                    sourceLocation: sourceLocation)
            }
            func replacing(_ fields: [(String, String)], _ key: String, with value: String) -> [(String, String)] {
                fields.filter { $0.0 != key } + [(key, value)]
            }

            // Account: each text field in turn.
            let account = TwoTierTests.newAccountForm(unit: hanoi.id!)
            for key in ["fullName", "position", "note"] {
                try await refused(admin, "/tai-khoan/moi", replacing(account, key, with: Self.nul), "account \(key)")
            }
            for key in ["username", "email"] {
                let response = try await admin.post("/tai-khoan/moi", replacing(account, key, with: "ab\u{0}cd"))
                #expect(response.status == .badRequest, "account \(key)")
            }
            // Unit: a new regional office, a new name, a closing reason.
            try await refused(
                admin, "/don-vi/\(hanoi.id!.uuidString)/khu-vuc", [("name", Self.nul + " khu vực"), ("code", "01-02")],
                "unit name")
            try await refused(
                admin, "/don-vi/\(regional.id!.uuidString)/doi-ten", [("name", Self.nul + " khu vực")], "unit rename")
            let closing = try await admin.post(
                "/don-vi/\(regional.id!.uuidString)/dong", [("reason", "Sáp nhập\u{0} theo quyết định")])
            #expect(closing.status == .badRequest)
            // Calendar reason.
            try await refused(
                admin, "/lich/2027/ngay-nghi", [("date", "05/03/2027"), ("reason", "Nghỉ\u{0} bù")], "calendar reason")
            // Catalog entry: name and legal source.
            let entry = [
                ("code", "TAND-KV01-09"), ("name", "Tòa án khu vực 9"), ("validFrom", "01/07/2025"),
                ("attribute", "01"), ("source", "Luật Tổ chức Tòa án nhân dân 2025"),
            ]
            for key in ["name", "source", "attribute"] {
                try await refused(
                    admin, "/danh-muc/courts", replacing(entry, key, with: "Tòa\u{0}án"), "catalog \(key)")
            }
            // Case entry: the opening form's text fields, a party and an obligation's description.
            for key in ["number", "qd-number", "qd-signer"] {
                var fields = scene.openingForm(number: "200/2026/DS-ST")
                fields = replacing(fields, key, with: "15\u{0}/QĐ")
                try await refused(scene.officer, "/ho-so/moi", fields, "case \(key)")
            }
            for key in ["fullName", "address"] {
                try await refused(
                    scene.officer, "/ho-so/\(caseID.uuidString)/duong-su",
                    replacing(CaseScene.debtor, key, with: Self.nul), "party \(key)")
            }
            try await refused(
                scene.officer, "/ho-so/\(caseID.uuidString)/nghia-vu",
                [("kindCode", "AN-PHI"), ("mode", "asset"), ("description", "Giao\u{0} nhà")], "obligation")
            // Correction reason.
            let correctionPath = "/ho-so/\(caseID.uuidString)/sua/obligation/\(obligation.id!.uuidString)"
            try await refused(
                scene.officer, correctionPath,
                CaseScene.obligation("12.500.000") + [("reasonCode", "CR-WRONG-ENTRY"), ("reasonNote", "Sai\u{0}")],
                "correction reason")
            // Export purpose.
            try await refused(
                inspector, "/nhat-ky/xuat", [("purpose", "Thanh tra\u{0} định kỳ quý IV/2026")], "export purpose")

            #expect(try await Written(app) == before, "nothing refused was written")
            let verification = try await AuditLog.verify(app)
            #expect(verification.isIntact, "\(verification.problem ?? "")")
        }
    }

    @Test func bidiZeroWidthAndAHugeCombiningRunAreRefusedAndVietnameseIsKept() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let caseID = try await scene.open()
            let path = "/ho-so/\(caseID.uuidString)/duong-su"
            func name(_ value: String) -> [(String, String)] {
                CaseScene.debtor.filter { $0.0 != "fullName" } + [("fullName", value)]
            }
            let bidi = try await scene.officer.post(path, name("Nguyễn \u{202E}nỢ nĂv"))
            #expect(bidi.status == .badRequest)
            #expect(bidi.body.string.contains("đảo chiều"))
            let zeroWidth = try await scene.officer.post(path, name("Nguyễn\u{200B} Văn Nợ"))
            #expect(zeroWidth.status == .badRequest)
            #expect(zeroWidth.body.string.contains("vô hình"))
            // The probe's name: one base letter and 60,000 combining marks, one grapheme, under a 200 limit.
            let zalgo = try await scene.officer.post(path, name("a" + String(repeating: "\u{0301}", count: 60_000)))
            #expect(zalgo.status == .badRequest)
            #expect(zalgo.body.string.contains("tối đa 200 ký tự"))
            #expect(try await CaseParty.query(on: app.db).count() == 0)

            let typed = "Nguyễn Văn Đức".decomposedStringWithCanonicalMapping
            try await scene.add(caseID, "duong-su", name(typed))
            let party = try #require(try await CaseParty.query(on: app.db).filter(\.$caseID == caseID).first())
            #expect(party.fullName.unicodeScalars.elementsEqual("Nguyễn Văn Đức".unicodeScalars), "stored in NFC")
            #expect(party.nameFolded == "nguyen van duc")
            #expect(try await AuditLog.verify(app).isIntact)
        }
    }

    @Test func anImportCellWithAControlOrABidiOverrideIsAProblemOfItsColumn() async throws {
        try await withTestApp { app async throws in
            let actor = try await ImportTests.centralActor(app)
            // A NUL makes the whole CSV file binary: refused before any row is read.
            let withNul = try await CaseImportService.dryRun(
                ImportFiles.csv([ImportFiles.row(1), ImportFiles.row(2, [.debtorName: "Nguyễn\u{0}Văn"])]),
                actor: actor, app: app)
            #expect(!withNul.problems.isEmpty)
            #expect(!withNul.canCommit(acceptingDuplicates: true))
            let rows: [ImportFiles.Row] = [
                ImportFiles.row(1),
                ImportFiles.row(2, [.debtorName: "Nguyễn\u{85}Văn"]),
                ImportFiles.row(3, [.debtorAddress: "12 Hàng Bạc\u{202E}"]),
                ImportFiles.row(4, [.decisionSigner: "Trần\u{200D}Văn"]),
            ]
            let report = try await CaseImportService.dryRun(ImportFiles.csv(rows), actor: actor, app: app)
            let found = report.problems.map { "\($0.row) \(String(describing: $0.column)) \($0.message)" }
            #expect(report.problems.count == 3, "\(found)")
            #expect(report.problems.contains { $0.row == 3 && $0.column == .debtorName }, "\(found)")
            #expect(report.problems.contains { $0.row == 4 && $0.column == .debtorAddress }, "\(found)")
            #expect(report.problems.contains { $0.row == 5 && $0.column == .decisionSigner }, "\(found)")
            #expect(!report.canCommit(acceptingDuplicates: true))
        }
    }

    @Test func aTypedLoginNameWithANulIsNotKeptInTheAuditLog() async throws {
        try await withTestApp { app async throws in
            let client = TestClient(app)
            let response = try await client.post("/dang-nhap", [("username", "ad\u{0}min"), ("password", "x-y-z-123")])
            #expect(response.status == .unauthorized)
            let event = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "login.failure").first())
            #expect(event.afterData?.contains("\u{0}") == false && event.afterData?.contains("\\u0000") == false)
            #expect(event.afterData?.contains("không hợp lệ") == true)
            #expect(try await AuditLog.verify(app).isIntact)
        }
    }

    @Test func aNulInASearchOrFilterIsNeverAServerError() async throws {
        try await withTestApp { app async throws in
            let (admin, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let (officer, _) = try await Fixtures.signedIn(app, "chv.hanoi", unit: "01", roles: [.enforcementOfficer])
            for (client, path) in [(admin, "/tai-khoan?q=a%00b"), (officer, "/ho-so?q=a%00b")] {
                let response = try await client.get(path)
                #expect(response.status.code < 500, "\(path): \(response.status)")
            }
        }
    }
}
