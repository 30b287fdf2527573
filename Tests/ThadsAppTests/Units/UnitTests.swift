import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct UnitTests {
    @Test func centralAdminOpensRenamesAndClosesARegionalOffice() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let bad = try await central.post(
                "/don-vi/\(hanoi.id!.uuidString)/khu-vuc", [("code", "79-01"), ("name", "Phòng khu vực sai tỉnh")])
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("Mã phải có dạng 01-NN"))
            let created = try await central.post(
                "/don-vi/\(hanoi.id!.uuidString)/khu-vuc",
                [("code", "01-01"), ("name", "Phòng Thi hành án dân sự khu vực 1 – Hà Nội")])
            #expect(created.status == .seeOther)
            let regional = try #require(try await EnforcementUnit.query(on: app.db).filter(\.$code == "01-01").first())
            #expect(regional.parentID == hanoi.id)
            _ = try await central.post(
                "/don-vi/\(regional.id!.uuidString)/doi-ten", [("name", "Phòng Thi hành án dân sự khu vực I – Hà Nội")])
            _ = try await Fixtures.account(app, "cb", unit: "01-01", roles: [.secretary])
            let refused = try await central.post(
                "/don-vi/\(regional.id!.uuidString)/dong", [("reason", "Sáp nhập đơn vị")])
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.contains("còn tài khoản"))
            try await Account.query(on: app.db).filter(\.$username == "cb").set(\.$status, to: .revoked).update()
            #expect(
                try await central.post("/don-vi/\(regional.id!.uuidString)/dong", [("reason", "Sáp nhập đơn vị")])
                    .status == .seeOther)
            let closed = try #require(try await EnforcementUnit.find(regional.id, on: app.db))
            #expect(!closed.isOpen && closed.name.contains("khu vực I"))
            let actions = try await AuditEvent.query(on: app.db).filter(\.$objectID == regional.id!.uuidString).all()
                .map(\.action)
            #expect(Set(actions) == ["unit.created", "unit.renamed", "unit.closed"])
        }
    }

    @Test func dataScopeFollowsTheHierarchy() {
        let central = UnitRef(id: UUID(), level: .central, parentID: nil)
        let province = UnitRef(id: UUID(), level: .province, parentID: central.id)
        let regional = UnitRef(id: UUID(), level: .regional, parentID: province.id)
        let otherRegional = UUID()
        #expect(DataScope.of(accountClass: .internalUser, unit: central, childUnitIDs: [], grantedUnitIDs: []) == .all)
        let provincial = DataScope.of(
            accountClass: .localAdmin, unit: province, childUnitIDs: [regional.id], grantedUnitIDs: [])
        #expect(
            provincial.contains(province.id) && provincial.contains(regional.id) && !provincial.contains(otherRegional))
        let own = DataScope.of(accountClass: .internalUser, unit: regional, childUnitIDs: [], grantedUnitIDs: [])
        #expect(own.contains(regional.id) && !own.contains(province.id))
        let external = DataScope.of(
            accountClass: .externalUser, unit: central, childUnitIDs: [], grantedUnitIDs: [regional.id])
        #expect(external.contains(regional.id) && !external.contains(central.id))
    }
}
