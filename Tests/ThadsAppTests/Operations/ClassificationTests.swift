import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct ClassificationTests {
    /// H1: a document declared a state secret is refused with the legal reason and nothing is kept; the other
    /// classes are stored with the document and shown beside it.
    @Test func aStateSecretUploadIsRefusedWithItsLegalReason() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            let path = "/ho-so/\(id.uuidString)/tai-lieu"
            let refused = try await scene.officer.upload(
                path, file: minimalPDF, fileName: "mat.pdf", fields: [("classification", "stateSecret")])
            #expect(refused.status == .badRequest || refused.status == .ok)
            #expect(refused.body.string.contains("Luật Bảo vệ bí mật nhà nước số 29/2018/QH14"))
            #expect(try await CaseAttachment.query(on: app.db).count() == 0)
            let files =
                (try? FileManager.default.subpathsOfDirectory(atPath: app.settings.filesDirectory + "/attachments"))
                ?? []
            #expect(files.filter { $0.count > 3 }.isEmpty, "nothing of the refused file is kept")

            let shared = try await scene.officer.upload(
                path, file: minimalPDF, fileName: "chia-se.pdf", fields: [("classification", "interAgency")])
            #expect(shared.status == .seeOther, "\(CaseScene.errors(shared))")
            let stored = try #require(try await CaseAttachment.query(on: app.db).first())
            #expect(stored.classification == InformationClass.interAgency.rawValue)
            let page = try await scene.officer.get("/ho-so/\(id.uuidString)?tab=tai-lieu")
            #expect(page.body.string.contains(InformationClass.interAgency.label))
            // Without a choice (an older form), a document is internal.
            _ = try await scene.officer.upload(path, file: minimalPDF + Data("%x\n".utf8), fileName: "b.pdf")
            let classes = Set(try await CaseAttachment.query(on: app.db).all().map(\.classification))
            #expect(
                classes.isSubset(of: [InformationClass.interAgency.rawValue, InformationClass.internalUse.rawValue]))
        }
    }
}
