import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 16, item 6: an upload kept between the dry run and the confirmation holds ID numbers, so it is encrypted,
/// readable by the server's account only, removed once committed and after a day when never committed.
@Suite struct ImportUploadStorageTests {
    @Test func aKeptUploadIsEncryptedAndRemovedOnceCommitted() async throws {
        try await withTestApp { app async throws in
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            let data = ImportFiles.csv([ImportFiles.row(7)])
            let sha = CaseImportService.sha256(data)
            #expect(try await local.upload("/nhap-du-lieu", file: data, fileName: "cu.csv").status == .ok)
            let path = ImportUploads.path(sha256: sha, settings: app.settings)
            let kept = try #require(FileManager.default.contents(atPath: path))
            let idNumber = try #require(ImportFiles.row(7)[.debtorIDNumber])
            #expect(kept.range(of: Data(idNumber.utf8)) == nil)
            #expect(kept.range(of: Data("Nguyễn Văn Nợ".utf8)) == nil)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            #expect(ImportUploads.load(sha256: sha, app: app) == data)

            #expect(try await local.post("/nhap-du-lieu/\(sha)/xac-nhan").status == .ok)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func anUploadNeverCommittedIsRemovedAfterADay() async throws {
        try await withTestApp { app async throws in
            let now = NIOLockedValueBox(Date(timeIntervalSince1970: 1_795_000_000))
            app.clock = AppClock { now.withLockedValue { $0 } }
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            let data = ImportFiles.csv([ImportFiles.row(8)])
            #expect(try await local.upload("/nhap-du-lieu", file: data, fileName: "cu.csv").status == .ok)
            let path = ImportUploads.path(sha256: CaseImportService.sha256(data), settings: app.settings)
            // A file kept in clear by an older version is removed at the first run whatever its age.
            let legacy = ImportUploads.path(sha256: String(repeating: "a", count: 64), settings: app.settings)
            try data.write(to: URL(fileURLWithPath: legacy))

            now.withLockedValue { $0 = $0.addingTimeInterval(23 * 3600) }
            #expect(try await ImportUploads.purgeJob.run(.system(app, task: "test")) == 1)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: legacy))
            now.withLockedValue { $0 = $0.addingTimeInterval(2 * 3600) }
            #expect(try await ImportUploads.purgeJob.run(.system(app, task: "test")) == 1)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(app.jobs.job(named: ImportUploads.purgeJob.name) != nil)
        }
    }
}
