import Crypto
import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct ExchangePagesTests {
    @Test func aCentralAdminRegistersAndSuspendsASystemAndTheFormRefusesBadInput() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let (admin, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            #expect(try await admin.get("/he-thong-ket-noi/moi").status == .ok)
            let key = P256.Signing.PrivateKey()
            var fields: [(String, String)] = [
                ("clientID", "toa-an-ha-noi"), ("name", "Tòa án nhân dân thành phố Hà Nội"),
                ("operator", "TAND Hà Nội"),
                ("reference", "12/TTKN"), ("agreementDate", "01/11/2026"), ("validFrom", "01/11/2026"),
                ("validTo", "31/12/2027"), ("callsPerMinute", "120"), ("responsibilities", "Bảo mật dữ liệu."),
                ("units[]", hanoi.id!.uuidString), ("read[]", "cases"), ("read[]", "catalogs"),
                ("write[]", "judgments"), ("publicKey", key.publicKey.pemRepresentation),
            ]
            let bad = try await admin.post(
                "/he-thong-ket-noi/moi",
                fields.map { $0.0 == "publicKey" ? ($0.0, "khóa sai") : $0.0 == "validTo" ? ($0.0, "31/12/2020") : $0 })
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("Khóa công khai phải là khóa EC P-256"))
            #expect(bad.body.string.contains("Ngày hết hiệu lực phải từ ngày bắt đầu hiệu lực trở đi"))
            let made = try await admin.post("/he-thong-ket-noi/moi", fields)
            #expect(made.status == .seeOther, "\(made.body.string.prefix(2000))")
            let system = try #require(
                try await ConnectedSystem.query(on: app.db).filter(\.$clientID == "toa-an-ha-noi").first())
            #expect(system.agreement.units == [hanoi.id!])
            #expect(system.agreement.read == [.cases, .catalogs])
            #expect(system.agreement.write == [.judgments])
            #expect(system.validTo == "2027-12-31")
            fields[0] = ("clientID", "toa-an-ha-noi")
            #expect(try await admin.post("/he-thong-ket-noi/moi", fields).status == .conflict)
            let page = try await admin.get("/he-thong-ket-noi/\(system.id!.uuidString)")
            #expect(page.body.string.contains("12/TTKN"))
            #expect(try await admin.post("/he-thong-ket-noi/\(system.id!.uuidString)/tam-dung").status == .seeOther)
            #expect(try await ConnectedSystem.find(system.id, on: app.db)?.status == .suspended)
            #expect(try await admin.get("/he-thong-ket-noi").body.string.contains("Tạm dừng"))
            let events = try await AuditEvent.query(on: app.db).filter(
                \.$action ~~ [
                    "exchange.client.registered", "exchange.client.suspended",
                ]
            ).count()
            #expect(events == 2)
        }
    }

    @Test func auditorsSearchTheExchangeLogAndItsExportIsAnExtraction() async throws {
        try await withTestApp { app async throws in
            let client = try await ExchangeTestClient.register(app)
            _ = try await client.call(.GET, "/api/v1/agreement")
            var forged = try client.sign(.GET, "/api/v1/agreement", with: P256.Signing.PrivateKey())
            forged.headers.replaceOrAdd(name: "X-Test", value: "1")
            _ = try await client.send(.GET, "/api/v1/agreement", forged)
            let (auditor, _) = try await Fixtures.signedIn(app, "tt.vien", unit: "TW", roles: [.inspector])
            let all = try await auditor.get("/nhat-ky-trao-doi")
            #expect(all.status == .ok)
            #expect(all.body.string.contains("chữ ký sai"))
            let refused = try await auditor.get("/nhat-ky-trao-doi?result=refused")
            #expect(refused.body.string.contains("chữ ký sai"))
            #expect(!refused.body.string.contains("hợp lệ"))
            #expect(try await auditor.post("/nhat-ky-trao-doi/xuat", [("purpose", "")]).status == .badRequest)
            let csv = try await auditor.post(
                "/nhat-ky-trao-doi/xuat", [("purpose", "Kiểm tra định kỳ kết nối với Tòa án")])
            #expect(csv.status == .ok)
            #expect(csv.body.string.contains("GET /api/v1/agreement"))
            let extraction = try await Extraction.query(on: app.db).filter(\.$subject == "Nhật ký trao đổi dữ liệu")
                .first()
            #expect(extraction?.rows == 3)
        }
    }
}
