import Fluent
import Foundation
import Testing
import VaporTesting

@testable import ThadsApp

/// The bench measures pages, not the redirects in front of them: its sessions open the case page and the search
/// directly (until stop 10 its account still had the first-sign-in password change pending, and every figure was
/// of a redirect to that form).
@Suite struct BenchSessionTests {
    @Test func theBenchSessionsOpenTheCasePageAndTheSearchWithoutARedirect() async throws {
        try await withTestApp { app async throws in
            _ = try await DemoData.create(app)
            _ = try await DemoCases.generate(app, count: 20, seed: 5, batchSize: 20) { _, _ in }
            let inputs = try await BenchData.sample(app, count: 3)
            let enforcementCase = try #require(try await EnforcementCase.find(inputs[0].caseID, on: app.db))
            // Twice: the second run finds the account made by the first.
            for _ in 0..<2 {
                let sessions = try await BenchData.sessions(app)
                let reader = TestClient(app)
                reader.cookies[SessionStore.cookieName] = sessions.reader
                let page = try await reader.get("/ho-so/\(enforcementCase.id!.uuidString)")
                #expect(page.status == .ok)
                #expect(page.body.string.contains(enforcementCase.code))
                let search = try await reader.get("/api/ho-so?cach-tim=whole&ten=x")
                #expect(search.status == .ok)
                let officer = TestClient(app)
                officer.cookies[SessionStore.cookieName] = sessions.officer
                #expect(try await officer.get("/viec-cua-toi").status == .ok)
            }
        }
    }
}
