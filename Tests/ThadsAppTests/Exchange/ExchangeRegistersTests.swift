import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Debtors' register entries and online requests' status through `/api/v1`, within the agreement's units.
@Suite struct ExchangeRegistersTests {
    struct DebtorPage: Decodable {
        struct Item: Decodable {
            let id: String
            let state: String
            let name: String?
            let decisionNumber: String
            let outstanding: Int64?
        }
        let items: [Item]
        let next: String?
    }

    @Test func debtorsArePublishedFieldsWithinTheAgreementAndWithdrawnOnesLoseThePerson() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let hcm = try await Fixtures.unit(app, code: "79")
            let scene = try await CaseScene.make(app)
            let caseID = try await DebtorRegisterTests.caseWithoutConditions(scene)
            let publication = try #require(
                try await DebtorPublication.query(on: app.db).filter(\.$caseID == caseID).first())
            let inside = try await ExchangeTestClient.register(app, id: "ha-noi", units: [hanoi.id!], read: [.debtors])
            let outside = try await ExchangeTestClient.register(app, id: "hcm", units: [hcm.id!], read: [.debtors])
            let notGranted = try await ExchangeTestClient.register(app, id: "khac", read: [.cases])

            let found = try inside.decode(
                DebtorPage.self, try await inside.call(.GET, "/api/v1/debtors?name=nguyen%20van%20no"))
            #expect(found.items.map(\.id) == [publication.id!.uuidString])
            #expect(found.items.first?.state == "published" && found.items.first?.name == "Nguyễn Văn Nợ")
            #expect(found.items.first?.decisionNumber == "30/QĐ-CTHADS")
            let all = try inside.decode(DebtorPage.self, try await inside.call(.GET, "/api/v1/debtors?limit=1"))
            #expect(all.items.count == 1 && all.next == nil)
            let one = try await inside.call(.GET, "/api/v1/debtors/\(publication.id!.uuidString)")
            #expect(one.status == .ok)
            // The register's own fields (ID number, case code) never leave through this resource.
            #expect(!one.body.string.contains("001080012345") && !one.body.string.contains("caseCode"))

            let elsewhere = try outside.decode(
                DebtorPage.self, try await outside.call(.GET, "/api/v1/debtors?name=nguyen"))
            #expect(elsewhere.items.isEmpty)
            #expect(try await outside.call(.GET, "/api/v1/debtors/\(publication.id!.uuidString)").status == .notFound)
            #expect(try await outside.call(.GET, "/api/v1/debtors?unit=\(hanoi.id!.uuidString)").status == .forbidden)
            #expect(try await notGranted.call(.GET, "/api/v1/debtors").status == .forbidden)
            #expect(try await inside.call(.GET, "/api/v1/debtors?name=%21%21").status == .badRequest)

            publication.withdrawnAt = app.clock.now
            try await publication.save(on: app.db)
            let withdrawn = try inside.decode(
                DebtorPage.Item.self, try await inside.call(.GET, "/api/v1/debtors/\(publication.id!.uuidString)"))
            #expect(withdrawn.state == "withdrawn" && withdrawn.name == nil)
            let listed = try inside.decode(DebtorPage.self, try await inside.call(.GET, "/api/v1/debtors"))
            #expect(listed.items.first?.state == "withdrawn" && listed.items.first?.name == nil)
            #expect(listed.items.first?.outstanding == nil)
            let byName = try inside.decode(
                DebtorPage.self, try await inside.call(.GET, "/api/v1/debtors?name=nguyen%20van%20no"))
            #expect(byName.items.isEmpty, "a name finds published entries only")

            let logged = try await ExchangeLogEntry.query(on: app.db).filter(\.$operation == "GET /api/v1/debtors")
                .all()
            #expect(logged.contains { $0.resources == "debtors:đọc" && $0.records == 1 })
        }
    }

    @Test func anOnlineRequestsStatusAndStepsAreReadByCodeWithinTheAgreement() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let hcm = try await Fixtures.unit(app, code: "79")
            let (filed, _) = try await OnlinePortalScene(app).file(.enforcementRequest, unitID: hanoi.id!)
            let code = try #require(filed.trackingCode)
            let inside = try await ExchangeTestClient.register(
                app, id: "ha-noi", units: [hanoi.id!], read: [.onlineRequests])
            let outside = try await ExchangeTestClient.register(
                app, id: "hcm", units: [hcm.id!], read: [.onlineRequests])
            struct Status: Decodable {
                let code: String
                let state: String
                let stateLabel: String
                let steps: [[String: String]]
            }
            let answer = try await inside.call(.GET, "/api/v1/online-requests/\(code)")
            #expect(answer.status == .ok, "\(answer.body.string)")
            let status = try inside.decode(Status.self, answer)
            #expect(status.code == code && status.state == "receive" && !status.stateLabel.isEmpty)
            // Nothing of the submitter leaves: no email, no name.
            #expect(!answer.body.string.contains("nguoi.gui@vi-du.vn"))
            #expect(try await outside.call(.GET, "/api/v1/online-requests/\(code)").status == .notFound)
            #expect(try await inside.call(.GET, "/api/v1/online-requests/YC-00-0000-000000").status == .notFound)
            #expect(try await inside.call(.GET, "/api/v1/debtors").status == .forbidden)
        }
    }
}
