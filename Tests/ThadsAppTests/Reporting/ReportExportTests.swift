import Crypto
import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 19, E2–E3: the exports carry the form's figures, LibreOffice opens the workbook, and every view and export
/// is in the extraction log with its purpose and the file's hash.
@Suite struct ReportExportTests {
    static var office: String? {
        ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// CI installs LibreOffice and poppler; elsewhere the conversion is skipped when they are missing.
    static var canConvert: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true"
            || (office != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"))
    }

    static func reportForm(_ unit: UUID, purpose: String, format: String? = nil) -> [(String, String)] {
        let year = StatisticalYear.of(AppClock.system.today)
        return [
            ("unit", unit.uuidString), ("sub", "1"), ("year", String(year)), ("months", "12"), ("form", "01"),
            ("purpose", purpose),
        ] + (format.map { [("format", $0)] } ?? [])
    }

    @Test func everyViewAndExportIsLoggedWithItsPurposeAndTheFilesHash() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "nghia-vu", CaseScene.obligation("2.000.000"))
            let province = try await Fixtures.unit(app, code: "01")
            let (statistician, _) = try await Fixtures.signedIn(
                app, "tk.hanoi", unit: "01", roles: [.statisticsOfficer])
            #expect(try await scene.officer.get("/thong-ke").status == .forbidden, "officers do not extract statistics")

            let noPurpose = try await statistician.post(
                "/thong-ke/xuat", Self.reportForm(province.id!, purpose: "", format: "xlsx"))
            #expect(noPurpose.status == .badRequest)
            #expect(noPurpose.body.string.contains("mục đích trích xuất"))
            #expect(try await Extraction.query(on: app.db).count() == 0)

            let query = TestClient.encode(Self.reportForm(province.id!, purpose: "Báo cáo 12 tháng gửi Cục"))
            let page = try await statistician.get("/thong-ke?" + query)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Mẫu 01") && page.body.string.contains("report-table"))
            let csv = try await statistician.post(
                "/thong-ke/xuat", Self.reportForm(province.id!, purpose: "Đối chiếu số liệu với Cục", format: "csv"))
            #expect(csv.status == .ok)
            #expect(csv.body.string.contains("\"Tổng cộng\",\"1\",\"0\",\"1\""), "one case newly accepted")
            let xlsx = try await statistician.post(
                "/thong-ke/xuat", Self.reportForm(province.id!, purpose: "Gửi Bộ Tư pháp theo yêu cầu", format: "xlsx"))
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let bytes = Array(xlsx.body.readableBytesView)
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a zip package")

            let logged = try await Extraction.query(on: app.db).sort(\.$at).all()
            #expect(logged.map(\.kind) == [.view, .export, .export])
            #expect(
                logged.map(\.purpose) == [
                    "Báo cáo 12 tháng gửi Cục", "Đối chiếu số liệu với Cục", "Gửi Bộ Tư pháp theo yêu cầu",
                ])
            #expect(logged[2].sha256 == SHA256.hex(bytes), "the hash of the file that left")
            #expect(logged[1].sha256 == SHA256.hex(Array(csv.body.readableBytesView)))
            #expect(logged.allSatisfy { $0.unitID == province.id && $0.period.contains("12 tháng") })
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "data.extracted").count() >= 3,
                "each extraction is sealed in the audit chain")

            let overview = try await statistician.get("/thong-ke/tong-quan")
            #expect(overview.status == .ok)
            #expect(
                overview.body.string.contains("<svg") && overview.body.string.contains("Tỷ lệ thi hành xong về tiền"))
            // The page's only script is the shared progressive-enhancement file (issue 20); the charts are SVG.
            #expect(
                overview.body.string.components(separatedBy: "<script").count == 2
                    && overview.body.string.contains("<script src=\"/static/app.js\""), "charts drawn on the server")
            #expect(try await Extraction.query(on: app.db).filter(\.$subject == "Bảng tổng quan").count() == 1)

            let (inspector, _) = try await Fixtures.signedIn(app, "tt.tw", unit: "TW", roles: [.inspector])
            let search = try await inspector.get("/nhat-ky-trich-xuat?actor=tk.hanoi")
            #expect(search.body.string.contains("Gửi Bộ Tư pháp theo yêu cầu"))
            #expect(try await scene.officer.get("/nhat-ky-trich-xuat").status == .forbidden)
        }
    }

    @Test(.enabled(if: ReportExportTests.canConvert))
    func libreOfficeOpensTheWorkbookAndItShowsTheFigures() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            for number in ["1/2026/DS-ST", "2/2026/DS-ST", "3/2026/DS-ST"] { _ = try await scene.open(number: number) }
            let province = try await Fixtures.unit(app, code: "01")
            let (statistician, _) = try await Fixtures.signedIn(
                app, "tk.hanoi", unit: "01", roles: [.statisticsOfficer])
            let xlsx = try await statistician.post(
                "/thong-ke/xuat", Self.reportForm(province.id!, purpose: "Kiểm tra tệp mở được", format: "xlsx"))
            #expect(xlsx.status == .ok)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("thads-xlsx-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("mau-01.xlsx")
            try Data(xlsx.body.readableBytesView).write(to: file)
            let office = try #require(Self.office, "LibreOffice is installed in CI")
            try Self.run(
                office,
                [
                    "-env:UserInstallation=file://\(directory.path)/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", directory.path, file.path,
                ])
            let pdf = directory.appendingPathComponent("mau-01.pdf")
            #expect(FileManager.default.fileExists(atPath: pdf.path), "soffice converted the workbook")
            let text = try Self.run("/usr/bin/pdftotext", ["-layout", pdf.path, "-"])
            #expect(text.contains("Mẫu 01"))
            #expect(text.contains("Tổng cộng"))
            #expect(text.contains("(1) Tổng"), "the headings")
            #expect(text.contains("Dân sự"), "the breakdown by judgment kind")
            let totalLine = try #require(text.split(separator: "\n").first { $0.contains("Tổng cộng") })
            #expect(totalLine.split(separator: " ").contains("3"), "the three cases accepted: \(totalLine)")
        }
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
