import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct CatalogTests {
    @Test func shippedCatalogsAreLoadedOnceWithValidityDates() async throws {
        try await withTestApp { app async throws in
            for kind in CatalogKind.allCases {
                let count = try await CatalogEntry.query(on: app.db).filter(\.$catalog == kind).count()
                #expect(count >= 5, "\(kind.rawValue) has \(count) entries")
            }
            let courts = try await CatalogEntry.query(on: app.db).filter(\.$catalog == .courts).count()
            try await CatalogStore.seedMissing(app)
            #expect(try await CatalogEntry.query(on: app.db).filter(\.$catalog == .courts).count() == courts)
            // 34 provincial courts, one per province in provinces.csv.
            let provincial = try await CatalogEntry.query(on: app.db).filter(\.$catalog == .courts).all()
                .filter { $0.code.hasPrefix("TAND-") }
            #expect(provincial.count == 34)
            // Grounds of the 2008 law end on 30/06/2026; those of the 2025 law start on 01/07/2026.
            let before = try await CatalogStore.entries(
                .decisionGrounds, validOn: LocalDate(iso: "2026-06-30")!, on: app.db)
            let after = try await CatalogStore.entries(
                .decisionGrounds, validOn: LocalDate(iso: "2026-07-01")!, on: app.db)
            #expect(!before.isEmpty && !after.isEmpty)
            #expect(Set(before.map(\.code)).isDisjoint(with: after.map(\.code)))
            #expect(after.allSatisfy { $0.source.contains("106/2025") })
        }
    }

    @Test func centralAdminAddsAndEndsAnEntryWithMessagesNextToTheField() async throws {
        try await withTestApp { app async throws in
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let bad = try await central.post(
                "/danh-muc/courts",
                [("code", "tand 01"), ("name", "X"), ("validFrom", "31/02/2026"), ("source", "")])
            #expect(bad.status == .badRequest)
            let html = bad.body.string
            #expect(html.contains("Mã gồm 1–20 ký tự"))
            #expect(html.contains("Tên phải từ 2 đến 300 ký tự"))
            #expect(html.contains("Nhập ngày theo dạng dd/mm/yyyy"))
            #expect(html.contains("Nhập căn cứ pháp lý"))
            #expect(html.contains("value=\"TAND 01\""))

            let form = [
                ("code", "TAND-KV01-01"), ("name", "Tòa án nhân dân khu vực 1 – Hà Nội"), ("validFrom", "01/07/2025"),
                ("attribute", "regional:01"), ("source", "Luật Tổ chức Tòa án nhân dân (sửa đổi) 2025"),
            ]
            #expect(try await central.post("/danh-muc/courts", form).status == .seeOther)
            let duplicate = try await central.post("/danh-muc/courts", form)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.body.string.contains("Mã TAND-KV01-01 đã có trong danh mục này."))

            let entry = try #require(
                try await CatalogEntry.query(on: app.db).filter(\.$code == "TAND-KV01-01").first())
            #expect(entry.isValid(on: LocalDate(iso: "2025-07-01")!))
            #expect(!entry.isValid(on: LocalDate(iso: "2025-06-30")!))
            let early = try await central.post(
                "/danh-muc/courts/\(entry.id!.uuidString)/het-hieu-luc", [("end-" + entry.id!.uuidString, "30/06/2025")]
            )
            #expect(early.status == .badRequest)
            #expect(early.body.string.contains("không được trước ngày có hiệu lực"))
            #expect(
                try await central.post(
                    "/danh-muc/courts/\(entry.id!.uuidString)/het-hieu-luc",
                    [("end-" + entry.id!.uuidString, "31/12/2026")]
                ).status == .seeOther)
            let ended = try #require(try await CatalogEntry.find(entry.id, on: app.db))
            #expect(ended.validTo == "2026-12-31")
            #expect(!ended.isValid(on: LocalDate(iso: "2027-01-01")!))
            let actions = try await AuditEvent.query(on: app.db).filter(\.$objectID == entry.id!.uuidString).all()
                .map(\.action)
            #expect(Set(actions) == ["catalog.entry-added", "catalog.entry-ended"])
        }
    }

    @Test func staffReadButCannotChangeCatalogs() async throws {
        try await withTestApp { app async throws in
            let (officer, _) = try await Fixtures.signedIn(app, "chv", unit: "01", roles: [.enforcementOfficer])
            let page = try await officer.get("/danh-muc/obligation-kinds")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Án phí"))
            #expect(!page.body.string.contains("Thêm vào danh mục"))
            let before = try await CatalogEntry.query(on: app.db).count()
            let refused = try await officer.post(
                "/danh-muc/courts", [("code", "X1"), ("name", "Tòa X"), ("validFrom", "01/01/2026"), ("source", "abc")])
            #expect(refused.status == .forbidden)
            #expect(try await CatalogEntry.query(on: app.db).count() == before)
            #expect(try await officer.get("/danh-muc/khong-co").status == .notFound)
        }
    }

    @Test func csvFieldsMayHoldQuotedCommasQuotesAndLineBreaks() {
        let rows = CSVText.rows("a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\n\"line\nbreak\",\n")
        #expect(rows == [["a", "b"], ["x, y", "he said \"hi\""], ["line\nbreak", ""]])
    }
}

@Suite struct SourceCitationTests {
    /// Every reason a user picks (late entry, dismissing a warning, a correction) cites the article that asks for it; an installation that still holds the retired text gets the cited one at the next start, audited.
    @Test func reasonsCiteTheirArticleAndOldTextsAreReplaced() async throws {
        try await withTestApp { app async throws in
            let reasons = try await CatalogEntry.query(on: app.db).filter(\.$catalog == .reasons).all()
            #expect(reasons.count >= 15)
            // Every reason names the article that asks for it (seed 000, Art. 14, for most; Art. 61 for exemption).
            #expect(
                reasons.allSatisfy { $0.source.range(of: #"Điều \d+"#, options: .regularExpression) != nil },
                "\(reasons.map(\.source))")
            #expect(reasons.filter { $0.source.contains("Điều 14 khoản") }.count >= 15)
            let late = try #require(reasons.first { $0.code == "LATE-SYSTEM" })
            late.source = CatalogStore.retiredReasonSource
            try await late.save(on: app.db)
            try await CatalogStore.citeShippedSources(app)
            #expect(try await CatalogEntry.find(late.id, on: app.db)?.source.contains("Điều 14 khoản 4 điểm b") == true)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "catalog.sourcesCited").count() == 1)
        }
    }

    /// The stored legal parameters carry the cited sources, and a value still holding an earlier release's text
    /// without an article is brought up to date; an admin's own source stays as written.
    @Test func legalParametersCiteTheirArticle() async throws {
        try await withTestApp { app async throws in
            let stored = try await LegalParameterRecord.query(on: app.db).all()
            let approval = try #require(stored.first { $0.name == LegalParameterName.accountApprovalWorkingDays })
            #expect(approval.source.contains("Điều 9 khoản 2") && approval.verified)
            let late = try #require(stored.first { $0.name == LegalParameterName.lateEntryWorkingDays })
            late.source = "Quy trình nghiệp vụ của nền tảng THADS (chưa có căn cứ pháp lý xác minh)"
            late.verified = false
            try await late.save(on: app.db)
            let payout = try #require(
                stored.first { $0.name == LegalParameterName.payoutDays && $0.effectiveFrom < "2026-07-01" })
            payout.source = "Văn bản do quản trị Cục ghi"
            try await payout.save(on: app.db)
            try await LegalParameterStore.citeShippedSources(app)
            let fixed = try #require(try await LegalParameterRecord.find(late.id, on: app.db))
            #expect(fixed.source.contains("Điều 14 khoản 4 điểm a") && fixed.verified)
            #expect(try await LegalParameterRecord.find(payout.id, on: app.db)?.source == "Văn bản do quản trị Cục ghi")
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "legalParameter.sourcesCited").count() == 1)
        }
    }
}
