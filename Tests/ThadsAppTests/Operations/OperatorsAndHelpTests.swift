import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// J7 and J8: the technical operator's commitment before the operations pages, and each unit's help contacts.
@Suite struct OperatorsAndHelpTests {
    @Test func aTechnicalOperatorReachesTheOperationsPagesOnlyAfterTheCommitment() async throws {
        try await withTestApp { app async throws in
            let (operator_, made) = try await Fixtures.signedIn(app, "ktv.vanhanh", class: .technicalOperator)
            let first = try await operator_.get("/van-hanh")
            #expect(first.status == .seeOther && first.location == "/van-hanh/cam-ket")
            #expect(try await operator_.get("/su-co").location == "/van-hanh/cam-ket")
            #expect(try await operator_.post("/van-hanh/sao-luu", [("kind", "incremental")]).status == .forbidden)
            let page = try await operator_.get("/van-hanh/cam-ket")
            #expect(page.status == .ok && page.body.string.contains("cam kết giữ bí mật"))
            let unticked = try await operator_.post("/van-hanh/cam-ket", [])
            #expect(unticked.status == .badRequest)
            #expect(try await OperatorCommitment.query(on: app.db).count() == 0)
            let signed = try await operator_.post("/van-hanh/cam-ket", [("agree", "on")])
            #expect(signed.status == .seeOther)
            let row = try #require(try await OperatorCommitment.query(on: app.db).first())
            #expect(row.accountID == made.account.id && row.textSHA256 == OperatorCommitment.textDigest)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "operations.commitmentAccepted").count()
                    == 1)
            #expect(
                try await OperationsLogEntry.query(on: app.db).filter(\.$actor == "ktv.vanhanh").count() == 1)
            #expect(try await operator_.get("/van-hanh").status == .ok)
            #expect(try await operator_.get("/van-hanh/cam-ket").body.string.contains("commitment-accepted"))
            // The operator sees no unit's records.
            #expect(try await operator_.get("/ho-so").status == .forbidden)
            #expect(try await operator_.get("/nhat-ky").status == .forbidden)
            // A central admin is not asked.
            let (admin, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            #expect(try await admin.get("/van-hanh").status == .ok)
        }
    }

    @Test func adminsSetEachUnitsHelpContactsAndItsStaffSeeThemOnEveryPage() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let hcm = try await Fixtures.unit(app, code: "79")
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            let path = "/don-vi/\(hanoi.id!.uuidString)/ho-tro"
            let saved = try await local.post(
                path,
                [
                    ("supportContact", "Phòng Tổ chức: Nguyễn Thị Hỗ Trợ, 024 3333 4444"),
                    ("itFocalPoint", "Trần Văn Mạng, 0912 345 678, cntt@thads.hanoi.vn"),
                ])
            #expect(saved.status == .seeOther)
            #expect(
                try await local.post("/don-vi/\(hcm.id!.uuidString)/ho-tro", [("supportContact", "x")]).status
                    == .forbidden)
            let bad = try await local.post(path, [("supportContact", "a\u{0}b")])
            #expect(bad.status == .badRequest)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "unit.supportContactsSet").count() == 1)

            let (officer, _) = try await Fixtures.signedIn(
                app, "cb.hanoi", unit: "01", roles: [.enforcementOfficer])
            let home = try await officer.get("/ho-so").body.string
            #expect(home.contains("Hỗ trợ: Phòng Tổ chức: Nguyễn Thị Hỗ Trợ, 024 3333 4444"))
            #expect(home.contains("Đầu mối CNTT: Trần Văn Mạng"))
            #expect(home.contains("href=\"/su-co/bao\""), "an incident is reported from any page")
            #expect(try await officer.post(path, [("supportContact", "x")]).status == .forbidden)
            let (other, _) = try await Fixtures.signedIn(app, "cb.hcm", unit: "79", roles: [.enforcementOfficer])
            #expect(!(try await other.get("/ho-so").body.string.contains("Trần Văn Mạng")), "another unit's contacts")
        }
    }
}
