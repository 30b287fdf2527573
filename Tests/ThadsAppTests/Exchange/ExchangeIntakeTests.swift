import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct ExchangeIntakeTests {
    static func judgment(number: String = "15/2026/DS-ST", debtor: String = "Trần Thị Bình") -> String {
        """
        {"unitCode":"01","courtCode":"TANDTC","number":"\(number)","date":"2026-01-15","kindCode":"DS",
         "parties":[{"name":"Nguyễn Văn An","role":"creditor"},{"name":"\(debtor)","role":"debtor","idNumber":"001190012345"}],
         "obligations":[{"description":"Trả nợ gốc","amount":150000000}]}
        """
    }

    /// Sends a signed POST with an Idempotency-Key.
    static func post(_ client: ExchangeTestClient, key: String, body: String) async throws -> TestingHTTPResponse {
        var signed = try client.sign(.POST, "/api/v1/judgments", body: Data(body.utf8))
        signed.headers.replaceOrAdd(name: "Idempotency-Key", value: key)
        return try await client.send(.POST, "/api/v1/judgments", signed)
    }

    @Test func aJudgmentPostedTwiceMakesOneIntakeItemThatAnOfficerTurnsIntoACase() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            let court = try await ExchangeTestClient.register(
                app, id: "toa-an", units: [hanoi.id!], read: [], write: [.judgments])
            let first = try await Self.post(court, key: "k-1", body: Self.judgment())
            #expect(first.status == .created, "\(first.body.string)")
            let again = try await Self.post(court, key: "k-1", body: Self.judgment())
            #expect(again.status == .ok)
            struct Receipt: Decodable {
                let id: String
                let possibleDuplicates: [String]
            }
            #expect(try court.decode(Receipt.self, first).id == court.decode(Receipt.self, again).id)
            #expect(try await ExchangeIntake.query(on: app.db).count() == 1)
            // The same key for another judgment is a client error, not a second item.
            let other = try await Self.post(court, key: "k-1", body: Self.judgment(number: "16/2026/DS-ST"))
            #expect(other.status == .conflict)
            #expect(try await ExchangeIntake.query(on: app.db).count() == 1)
            // Refused input: unknown court, a unit outside the agreement.
            let unknownCourt = Self.judgment().replacingOccurrences(of: "TANDTC", with: "KHONG-CO")
            #expect(try await Self.post(court, key: "k-2", body: unknownCourt).status == .badRequest)
            _ = try await Fixtures.unit(app, code: "79")
            let outside = Self.judgment().replacingOccurrences(of: "\"unitCode\":\"01\"", with: "\"unitCode\":\"79\"")
            #expect(try await Self.post(court, key: "k-3", body: outside).status == .forbidden)
            // The intake list of Hà Nội shows it, with the form link pre-filled; ID numbers masked.
            let (officer, _) = try await Fixtures.signedIn(app, "cb.hn", unit: "01", roles: [.enforcementOfficer])
            let list = try await officer.get("/tiep-nhan-ban-an")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("15/2026/DS-ST"))
            #expect(list.body.string.contains("Trần Thị Bình"))
            #expect(list.body.string.contains("*********345"))
            #expect(!list.body.string.contains("001190012345"))
            #expect(list.body.string.contains("/ho-so/moi?courtCode=TANDTC"))
            let form = try await officer.get(
                ExchangeIntakes.newCaseLink(try #require(try await ExchangeIntake.query(on: app.db).first())))
            #expect(form.status == .ok)
            #expect(form.body.string.contains("15/2026/DS-ST"))
            // Once a case exists on the same court and number, the next post names it as a possible duplicate.
            let account = try await Fixtures.account(app, "cb.hn2", unit: "01", roles: [.secretary]).account
            let made = try await CaseQualityServiceTests.makeCase(
                app, unit: hanoi, account: account, number: "17/2026/DS-ST")
            let judgment = try #require(try await Judgment.find(made.judgmentID, on: app.db))
            judgment.courtCode = "TANDTC"
            try await judgment.save(on: app.db)
            let duplicate = try await Self.post(court, key: "k-4", body: Self.judgment(number: "17/2026/DS-ST"))
            #expect(duplicate.status == .created)
            #expect(try court.decode(Receipt.self, duplicate).possibleDuplicates == [made.code])
            #expect(try await officer.get("/tiep-nhan-ban-an").body.string.contains("Đã có hồ sơ: \(made.code)"))
            // A system without the write grant is refused.
            let reader = try await ExchangeTestClient.register(app, id: "chi-doc", read: [.cases])
            #expect(try await Self.post(reader, key: "k-5", body: Self.judgment()).status == .forbidden)
        }
    }
}
