import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct StartupTests {
    @Test func healthAndReadiness() async throws {
        try await withTestApp { app async throws in
            let client = TestClient(app)
            #expect(try await client.get("/healthz").status == .ok)
            #expect(try await client.get("/readyz").status == .ok)
        }
    }

    @Test func catalogLoadsCentralAndThirtyFourProvinces() async throws {
        try await withTestApp { app async throws in
            #expect(try await EnforcementUnit.query(on: app.db).filter(\.$level == .province).count() == 34)
            #expect(try await EnforcementUnit.query(on: app.db).filter(\.$level == .central).count() == 1)
            let hcm = try await Fixtures.unit(app, code: "79")
            #expect(hcm.name == "Thi hành án dân sự thành phố Hồ Chí Minh")
            // A second start loads nothing twice.
            #expect(try await UnitCatalog.load(on: app.db) == 0)
        }
    }

    @Test func firstAdminMustChangePasswordAndEnrolMFA() async throws {
        try await withTestApp { app async throws in
            let password = try await Bootstrap.createFirstAdmin(app)
            let client = TestClient(app)
            let login = try await client.login("admin", password)
            #expect(login.status == .seeOther)
            let home = try await client.get("/")
            #expect(home.location == "/mat-khau/doi")
            let changed = try await client.post(
                "/mat-khau/doi",
                [("current", password), ("new", "Tr0ng-Dong!Xanh#2026"), ("confirm", "Tr0ng-Dong!Xanh#2026")])
            #expect(changed.status == .seeOther)
            #expect(try await client.get("/").location == "/mfa/dang-ky")
            let enrol = try await client.get("/mfa/dang-ky")
            #expect(enrol.body.string.contains("<svg"))
            let admin = try #require(try await Account.query(on: app.db).filter(\.$username == "admin").first())
            let cipher = try #require(admin.mfaSecretCipher)
            let secret = try #require(Base32.decode(try app.keys.decrypt(cipher, purpose: "mfa")))
            let done = try await client.post("/mfa/dang-ky", [("code", TOTP(secret: secret).code(at: Date()))])
            #expect(done.status == .ok)
            #expect(done.body.string.contains("recovery-codes"))
            let page = try await client.get("/")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Xin chào"))
        }
    }

    @Test func settingsRefuseBadValuesNamingTheVariable() throws {
        #expect(throws: AppSettings.Invalid.self) { try AppSettings.fromEnvironment(["PORT": "tám"]) }
        do {
            _ = try AppSettings.fromEnvironment(["DATABASE_URL": "mysql://x"])
            Issue.record("accepted a bad DATABASE_URL")
        } catch let error as AppSettings.Invalid {
            #expect(error.variable == "DATABASE_URL")
        }
        do {
            _ = try AppSettings.fromEnvironment(["PUBLIC_URL": "ftp://thads"])
            Issue.record("accepted a bad PUBLIC_URL")
        } catch let error as AppSettings.Invalid {
            #expect(error.variable == "PUBLIC_URL")
        }
        let defaults = try AppSettings.fromEnvironment([:])
        #expect(defaults.port == 8080)
        #expect(defaults.databaseURL == nil)
        #expect(defaults.passwordHashRounds >= 600_000)
        #expect(try AppSettings.fromEnvironment(["PUBLIC_URL": "https://thads.moj.gov.vn"]).usesHTTPS)
    }

    @Test func demoDataShowsBannerOnEveryPage() async throws {
        try await withTestApp { app async throws in
            let before = try await TestClient(app).get("/dang-nhap")
            #expect(!before.body.string.contains("DỮ LIỆU MẪU"))
            let lines = try await DemoData.create(app)
            #expect(lines.count >= Role.allCases.count + 2)
            let client = TestClient(app)
            #expect(try await client.get("/dang-nhap").body.string.contains("DỮ LIỆU MẪU"))
            let login = try await client.login("demo.enforcementofficer", DemoDataCommand.password)
            #expect(login.status == .seeOther)
            #expect(try await client.get("/").body.string.contains("DỮ LIỆU MẪU"))
        }
    }

    @Test func permissionsDocumentMatchesTheMatrix() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../docs/permissions.md")
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == GeneratedDocs.permissions(), "run `swift run thads docs` and commit docs/permissions.md")
    }
}
