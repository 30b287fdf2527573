import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 15, item 2: the courts valid on each judgment's date, provisional courts and their mapping.
@Suite struct CourtCatalogTests {
    @Test func theShippedCourtsMatchTheCourtSystemOnEachDate() async throws {
        try await withTestApp { app async throws in
            let courts = try await CatalogEntry.query(on: app.db).filter(\.$catalog == .courts).all()
            #expect(courts.allSatisfy { $0.court != nil }, "every court names its level")
            func provincial(on iso: String) -> [CatalogEntry] {
                courts.filter { $0.court?.level == .provincial && $0.isValid(on: LocalDate(iso: iso)!) }
            }
            #expect(provincial(on: "2025-06-30").count == 63, "the 63 provincial courts before the reorganisation")
            #expect(provincial(on: "2025-07-01").count == 34, "the 34 after it")
            // Hà Nội's court carried on; Bắc Giang's ended with the merger into Bắc Ninh.
            #expect(courts.first { $0.code == "TAND-01" }?.isValid(on: LocalDate(iso: "2020-01-01")!) == true)
            #expect(courts.first { $0.code == "TANDT-24" }?.isValid(on: LocalDate(iso: "2025-07-01")!) == false)
            #expect(courts.contains { $0.court?.level == .military && $0.code == "TAQS-TW" })
            #expect(courts.contains { $0.court?.level == .foreign })
        }
    }

    @Test func anOlderInstallationGetsTheNewCourtsAndTheAdditionIsAudited() async throws {
        try await withTestApp { app async throws in
            try await CatalogEntry.query(on: app.db).filter(\.$code ~~ ["TANDT-24", "TAQS-TW"]).delete()
            let admin = try #require(try await CatalogEntry.query(on: app.db).filter(\.$code == "TAND-01").first())
            admin.name = "Tên do quản trị sửa"
            try await admin.save(on: app.db)
            try await CatalogStore.seedMissing(app)
            let codes = Set(try await CatalogEntry.query(on: app.db).filter(\.$catalog == .courts).all(\.$code))
            #expect(codes.isSuperset(of: ["TANDT-24", "TAQS-TW"]))
            #expect(try await CatalogEntry.find(admin.id, on: app.db)?.name == "Tên do quản trị sửa")
            let event = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "catalog.shippedEntriesAdded").first())
            #expect(event.objectID == "courts")
            // Entries written before levels existed are read from their codes.
            #expect(DescribeCourts.describe(code: "TAND-79", oldAttribute: "79").attribute == "provincial:79")
            #expect(DescribeCourts.describe(code: "TANDCC-HN", oldAttribute: "").level == .high)
            #expect(DescribeCourts.describe(code: "TTTM", oldAttribute: "").level == .arbitration)
        }
    }

    @Test func judgmentsOfRegionalAndDistrictCourtsAreEnteredOnTheirDates() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let regional = try await Self.record(scene.officer, "Tòa án nhân dân khu vực 1 - Hà Nội", .regional, app)
            let district = try await Self.record(scene.officer, "Tòa án nhân dân quận Ba Đình", .district, app)

            _ = try await scene.open(
                number: "10/2025/DS-ST", [("courtCode", regional), ("judgmentDate", "15/07/2025")])
            _ = try await scene.open(
                number: "11/2025/DS-ST", [("courtCode", district), ("judgmentDate", "15/03/2025")])
            let refused = try await scene.officer.post(
                "/ho-so/moi",
                scene.openingForm(number: "12/2025/DS-ST", [("courtCode", district), ("judgmentDate", "15/07/2025")]))
            #expect(refused.status == .badRequest)
            let html = refused.body.string
            #expect(html.contains("Tòa án nhân dân cấp huyện không còn từ 01/07/2025"), "\(CaseScene.errors(refused))")
            #expect(html.contains("81/2025/QH15"))
            #expect(html.contains("value=\"12/2025/DS-ST\""), "the typed data is kept")
            #expect(try await Judgment.query(on: app.db).filter(\.$courtCode == district).count() == 1)

            // The form offers provisional courts, marked, next to the official ones.
            let form = try await scene.officer.get("/ho-so/moi")
            #expect(form.body.string.contains("[Tạm] \(district) — Tòa án nhân dân quận Ba Đình"))
        }
    }

    @Test func theImportUsesTheSameRule() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let regional = try await Self.record(scene.officer, "Tòa án nhân dân khu vực 2 - Hà Nội", .regional, app)
            let district = try await Self.record(scene.officer, "Tòa án nhân dân huyện Gia Lâm", .district, app)
            let made = try await Fixtures.account(app, "qt.nhap", class: .centralAdmin)
            let actor = ImportActor(accountID: made.account.id!, username: "qt.nhap", scope: .all, audit: .system)
            let good = [
                ImportFiles.row(1, [.courtCode: regional, .judgmentDate: "15/07/2025"]),
                ImportFiles.row(2, [.courtCode: district, .judgmentDate: "15/03/2025"]),
            ]
            let outcome = try await CaseImportService.commit(
                ImportFiles.csv(good), actor: actor, acceptingDuplicates: false, app: app)
            #expect(outcome.report.problems.isEmpty, "\(outcome.report.problems)")
            #expect(outcome.created == 2)

            let bad = try await CaseImportService.dryRun(
                ImportFiles.csv([ImportFiles.row(3, [.courtCode: district, .judgmentDate: "15/07/2025"])]),
                actor: actor, app: app)
            let problem = try #require(bad.problems.first)
            #expect(problem.column == .courtCode)
            #expect(problem.message.contains("không còn từ 01/07/2025"), "\(problem.message)")
        }
    }

    @Test func aCentralAdminMapsAProvisionalCourtAndItsJudgmentsFollow() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let provisional = try await Self.record(
                scene.officer, "Tòa án nhân dân khu vực 3 - Hà Nội", .regional, app)
            let twice = try await scene.officer.post(
                "/toa-an-tam", [("name", "TOA AN NHAN DAN KHU VUC 3 - HA NOI"), ("level", "regional")])
            #expect(twice.status == .badRequest)
            #expect(twice.body.string.contains("Đã có trong danh mục: \(provisional)"))
            _ = try await scene.open(
                number: "20/2025/DS-ST", [("courtCode", provisional), ("judgmentDate", "15/07/2025")])

            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let added = try await central.post(
                "/danh-muc/courts",
                [
                    ("code", "TANDKV-01-03"), ("name", "Tòa án nhân dân khu vực 3 - Hà Nội"),
                    ("validFrom", "01/07/2025"), ("attribute", "regional:01"),
                    ("source", "Nghị quyết số 81/2025/UBTVQH15"),
                ])
            #expect(added.status == .seeOther)
            let wrongLevel = try await central.post(
                "/danh-muc/courts",
                [
                    ("code", "X2"), ("name", "Tòa X"), ("validFrom", "01/07/2025"), ("attribute", "01"),
                    ("source", "abc"),
                ])
            #expect(wrongLevel.status == .badRequest)
            #expect(wrongLevel.body.string.contains("Ghi cấp tòa án"))

            let entry = try #require(
                try await CatalogEntry.query(on: app.db).filter(\.$code == provisional).first())
            // An officer cannot map; a district court cannot take a judgment dated after the reorganisation.
            let key = "target-" + entry.id!.uuidString
            #expect(
                try await scene.officer.post("/toa-an-tam/\(entry.id!)/doi-chieu", [(key, "TANDKV-01-03")]).status
                    == .forbidden)
            let refused = try await central.post("/toa-an-tam/\(entry.id!)/doi-chieu", [(key, "TANDT-24")])
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("đến 30/06/2025"))

            let mapped = try await central.post("/toa-an-tam/\(entry.id!)/doi-chieu", [(key, "TANDKV-01-03")])
            #expect(mapped.status == .seeOther)
            #expect(try await Judgment.query(on: app.db).filter(\.$courtCode == provisional).count() == 0)
            #expect(try await Judgment.query(on: app.db).filter(\.$courtCode == "TANDKV-01-03").count() == 1)
            let retired = try #require(try await CatalogEntry.find(entry.id, on: app.db))
            #expect(retired.status == .mapped && retired.mappedTo == "TANDKV-01-03")
            #expect(!retired.isValid(on: LocalDate(iso: "2025-08-01")!))
            let event = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "catalog.provisionalCourtMapped").first())
            #expect(event.summary?.contains("chuyển 1 bản án") == true)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "catalog.provisionalCourtRecorded").count()
                    == 1)
            // Once mapped it is no longer offered.
            let form = try await scene.officer.get("/ho-so/moi")
            #expect(!form.body.string.contains("[Tạm] \(provisional)"))
        }
    }

    /// Records a provisional court through the page, as an officer would; returns its code.
    static func record(_ client: TestClient, _ name: String, _ level: CourtLevel, _ app: Application) async throws
        -> String
    {
        let response = try await client.post("/toa-an-tam", [("name", name), ("level", level.rawValue)])
        #expect(response.status == .seeOther, "\(CaseScene.errors(response))")
        let entry = try #require(
            try await CatalogEntry.query(on: app.db).filter(\.$name == name).filter(\.$status == .provisional).first())
        #expect(entry.code.hasPrefix("TAM-"))
        return entry.code
    }
}
