import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// The staff page `/nhap-du-lieu`: upload, report, confirmation; scope; junk never answered with a 500.
@Suite struct ImportPageTests {
    @Test func aLocalAdminImportsIntoTheirScopeThroughTheReportAndConfirmation() async throws {
        try await withTestApp { app async throws in
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            let form = try await local.get("/nhap-du-lieu")
            #expect(form.status == .ok)
            #expect(form.body.string.contains("/nhap-du-lieu/mau.csv"))
            let template = try await local.get("/nhap-du-lieu/mau.csv")
            #expect(template.body.string.contains("unit_code,legacy_code,start_mode"))

            let data = ImportFiles.csv([ImportFiles.row(1), ImportFiles.row(2)])
            let sha = CaseImportService.sha256(data)
            let report = try await local.upload("/nhap-du-lieu", file: data, fileName: "ho-so-cu.csv")
            #expect(report.status == .ok, "\(report.body.string.prefix(2000))")
            #expect(report.body.string.contains("/nhap-du-lieu/\(sha)/xac-nhan"))
            #expect(report.body.string.contains("Nhập 2 hồ sơ"))
            #expect(try await EnforcementCase.query(on: app.db).count() == 0, "nothing before the confirmation")

            let done = try await local.post("/nhap-du-lieu/\(sha)/xac-nhan")
            #expect(done.status == .ok, "\(done.body.string.prefix(2000))")
            #expect(done.body.string.contains("Đã tạo 2 hồ sơ"))
            #expect(try await EnforcementCase.query(on: app.db).count() == 2)
            let warnings = try await QualityWarning.query(on: app.db).filter(\.$rule == .missingOfficer).count()
            #expect(warnings == 2, "the new cases were re-checked: no officer assigned yet")
            let event = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == CaseImportService.auditAction).first())
            #expect(event.actorUsername == "qt.hanoi")
            #expect(event.objectID == sha)

            // The committed upload is gone; the same file uploaded and confirmed again is refused as imported.
            #expect(try await local.post("/nhap-du-lieu/\(sha)/xac-nhan").status == .notFound)
            _ = try await local.upload("/nhap-du-lieu", file: data, fileName: "ho-so-cu.csv")
            let twice = try await local.post("/nhap-du-lieu/\(sha)/xac-nhan")
            #expect(twice.status == .notFound || twice.body.string.contains("đã được nhập"))
            #expect(try await EnforcementCase.query(on: app.db).count() == 2)
        }
    }

    @Test func aLocalAdminOfAnotherProvinceCannotImportOutsideTheirScope() async throws {
        try await withTestApp { app async throws in
            let (outsider, _) = try await Fixtures.signedIn(app, "qt.hcm", class: .localAdmin, unit: "79")
            let data = ImportFiles.csv([ImportFiles.row(1, unit: "01")])
            let response = try await outsider.upload("/nhap-du-lieu", file: data, fileName: "ha-noi.csv")
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains("ngoài phạm vi quản lý"))
            #expect(!response.body.string.contains("xac-nhan"))
            // Not kept, so there is nothing to confirm either.
            let sha = CaseImportService.sha256(data)
            #expect(try await outsider.post("/nhap-du-lieu/\(sha)/xac-nhan").status == .notFound)
            #expect(try await EnforcementCase.query(on: app.db).count() == 0)

            // A file checked by someone in scope and kept is still re-checked against the confirming user's scope.
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            #expect(try await central.upload("/nhap-du-lieu", file: data, fileName: "ha-noi.csv").status == .ok)
            let confirmed = try await outsider.post("/nhap-du-lieu/\(sha)/xac-nhan")
            #expect(confirmed.status == .badRequest)
            #expect(confirmed.body.string.contains("ngoài phạm vi quản lý"))
            #expect(try await EnforcementCase.query(on: app.db).count() == 0)

            let (officer, _) = try await Fixtures.signedIn(app, "chv.hanoi", unit: "01", roles: [.enforcementOfficer])
            #expect(try await officer.get("/nhap-du-lieu").status == .forbidden)
        }
    }

    @Test func junkFilesGetAClearMessageNeverAServerError() async throws {
        try await withTestApp { app async throws in
            let (client, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            var random = SystemRandomNumberGenerator()
            let junk: [(String, Data, String)] = [
                ("ngau-nhien.csv", Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }), "UTF-8"),
                ("rong.csv", Data(), "Chọn tệp"),
                ("bom.xlsx", try ImportFiles.bombXLSX(size: 210 * 1024 * 1024), "bom nén"),
                ("nen.xlsx", try ImportFiles.zip([("a.txt", Data("xin chào".utf8))]), "không phải bảng tính"),
                ("cu.xls", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + Data(count: 512), "97–2003"),
                ("chi-tieu-de.csv", Data("unit_code\n".utf8), "Thiếu cột"),
                ("sai.xlsx", Data([0x50, 0x4B, 0x03, 0x04]) + Data(count: 100), "hỏng"),
            ]
            for (name, data, expected) in junk {
                let response = try await client.upload("/nhap-du-lieu", file: data, fileName: name)
                #expect(response.status == .badRequest, "\(name) → \(response.status.code)")
                #expect(response.body.string.contains(expected), "\(name): \(response.body.string.prefix(3000))")
            }
            #expect(try await EnforcementCase.query(on: app.db).count() == 0)
        }
    }
}
