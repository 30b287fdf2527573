import Fluent
import Foundation
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 16, item 1: reads of the audit log are scoped like other data (the probe found a regional inspector
/// searching and exporting the whole country's events).
@Suite struct AuditScopeTests {
    /// One event per unit of two provinces, one across units, one of the platform itself.
    static func seed(_ app: Application) async throws -> (hanoi: EnforcementUnit, hcm: EnforcementUnit) {
        let hanoi = try await Fixtures.regional(app, code: "01-07", under: "01")
        let hcm = try await Fixtures.regional(app, code: "79-07", under: "79")
        let province = try await Fixtures.unit(app, code: "01")
        func actor(_ unit: EnforcementUnit) -> AuditActor {
            AuditActor(accountID: UUID(), username: "nv." + unit.code, unitID: unit.id, ip: "10.0.0.1")
        }
        let events: [(String, UUID?, AuditActor)] = [
            ("su-kien-0107", nil, actor(hanoi)),
            ("su-kien-7907", nil, actor(hcm)),
            ("su-kien-tinh01", nil, actor(province)),
            // A Hà Nội office's account acting on a record of the Hồ Chí Minh City office: both offices see it.
            ("su-kien-cheo", hcm.id, actor(hanoi)),
            ("su-kien-he-thong", nil, .system),
        ]
        try await app.write(on: app.db) { db in
            for (summary, unitID, actor) in events {
                try await AuditLog.record(
                    AuditEntry(action: "test.scope", unitID: unitID, summary: summary), actor: actor,
                    at: app.clock.now, on: db)
            }
        }
        return (hanoi, hcm)
    }

    static let all = ["su-kien-0107", "su-kien-7907", "su-kien-tinh01", "su-kien-cheo", "su-kien-he-thong"]

    func seen(_ text: String) -> Set<String> { Set(Self.all.filter { text.contains($0) }) }

    func searchAndExport(_ client: TestClient) async throws -> (page: Set<String>, csv: Set<String>) {
        let page = try await client.get("/nhat-ky?action=test.")
        #expect(page.status == .ok)
        let csv = try await client.post(
            "/nhat-ky/xuat", [("action", "test."), ("purpose", "Thanh tra phạm vi nhật ký 2026")])
        #expect(csv.status == .ok)
        return (seen(page.body.string), seen(csv.body.string))
    }

    @Test func regionalInspectorReadsOnlyItsOwnUnitInSearchAndExport() async throws {
        try await withTestApp { app async throws in
            _ = try await Self.seed(app)
            let (client, made) = try await Fixtures.signedIn(app, "kt.0107", unit: "01-07", roles: [.inspector])
            let (page, csv) = try await searchAndExport(client)
            #expect(page == ["su-kien-0107", "su-kien-cheo"])
            #expect(csv == ["su-kien-0107", "su-kien-cheo"])
            // The unit filter offers only its own unit; asking for another unit by filter gives nothing of it.
            let hcm = try await Fixtures.unit(app, code: "79-07")
            let hanoi = try await Fixtures.unit(app, code: "01-07")
            let form = try await client.get("/nhat-ky").body.string
            #expect(form.contains("value=\"\(hanoi.id!.uuidString)\""))
            #expect(!form.contains("value=\"\(hcm.id!.uuidString)\""))
            let other = try await client.get("/nhat-ky?action=test.&unit=\(hcm.id!.uuidString)")
            #expect(seen(other.body.string) == ["su-kien-cheo"])
            let export = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "audit.exported")
                    .filter(\.$actorID == made.account.id).first())
            #expect(export.afterData?.contains(#""scope":"01-07""#) == true, "the export records its scope")
            #expect(export.summary == "2 sự kiện")
        }
    }

    @Test func provincialInspectorReadsItsOfficesAndCentralReadsAll() async throws {
        try await withTestApp { app async throws in
            _ = try await Self.seed(app)
            let (province, _) = try await Fixtures.signedIn(app, "kt.tinh01", unit: "01", roles: [.inspector])
            let provincial = try await searchAndExport(province)
            #expect(provincial.page == ["su-kien-0107", "su-kien-tinh01", "su-kien-cheo"])
            #expect(provincial.csv == provincial.page)
            let (central, made) = try await Fixtures.signedIn(app, "kt.tw", unit: "TW", roles: [.inspector])
            let everything = try await searchAndExport(central)
            #expect(everything.page == Set(Self.all))
            #expect(everything.csv == Set(Self.all))
            let export = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "audit.exported")
                    .filter(\.$actorID == made.account.id).first())
            #expect(export.afterData?.contains(#""scope":"all""#) == true)
        }
    }

    @Test func likeWildcardsInTheActionFilterMatchLiterally() async throws {
        try await withTestApp { app async throws in
            try await app.write(on: app.db) { db in
                for action in ["lk.a_b", "lk.axb", "lk%q", "lkzzq", #"lk\w"#, "lk.w"] {
                    try await AuditLog.record(
                        AuditEntry(action: action, summary: "tt-" + action), actor: .system, at: app.clock.now, on: db)
                }
            }
            let (client, _) = try await Fixtures.signedIn(app, "kt.tw", unit: "TW", roles: [.inspector])
            func found(_ prefix: String) async throws -> Set<String> {
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: ".")
                let page = try await client.get(
                    "/nhat-ky?action=" + prefix.addingPercentEncoding(withAllowedCharacters: allowed)!)
                let body = page.body.string
                return Set(
                    ["lk.a_b", "lk.axb", "lk%q", "lkzzq", #"lk\w"#, "lk.w"].filter { body.contains("tt-" + $0) })
            }
            #expect(try await found("lk.a_") == ["lk.a_b"])
            #expect(try await found("lk%") == ["lk%q"])
            #expect(try await found(#"lk\"#) == [#"lk\w"#])
            #expect(try await found("lk") == ["lk.a_b", "lk.axb", "lk%q", "lkzzq", #"lk\w"#, "lk.w"])
        }
    }

    @Test func likePatternsEscapeTheirSpecialCharacters() {
        #expect(LikePattern.prefix(#"a%b_c\d"#) == #"a\%b\_c\\d%"#)
        #expect(LikePattern.escaped("bình thường") == "bình thường")
    }
}
