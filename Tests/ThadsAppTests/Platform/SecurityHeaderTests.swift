import Foundation
import Testing
import VaporTesting

@testable import ThadsApp

@Suite struct SecurityHeaderTests {
    func expectHardened(_ response: TestingHTTPResponse, _ what: String) {
        let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
        #expect(csp.contains("frame-ancestors 'none'"), "\(what): CSP")
        #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(what): CSP script")
        #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(what): nosniff")
        #expect(response.headers.first(name: "Referrer-Policy") != nil, "\(what): Referrer-Policy")
        #expect(response.headers.first(name: .cacheControl) == "no-store", "\(what): no-store")
    }

    @Test func headersOn200404And500() async throws {
        try await withTestApp { app async throws in
            app.get("test-failure") { _ -> String in throw TestFailure() }
            let client = TestClient(app)
            let ok = try await client.get("/dang-nhap")
            #expect(ok.status == .ok)
            expectHardened(ok, "200")
            let missing = try await client.get("/khong-ton-tai")
            #expect(missing.status == .notFound)
            expectHardened(missing, "404")
            #expect(missing.body.string.contains("Mã tham chiếu"))
            let failed = try await client.get("/test-failure")
            #expect(failed.status == .internalServerError)
            expectHardened(failed, "500")
            #expect(failed.body.string.contains("Mã tham chiếu"))
            #expect(!failed.body.string.contains("TestFailure"), "no internals on error pages")
        }
    }

    @Test func hstsAndSecureCookiesWhenHTTPS() async throws {
        try await withTestApp(SettingsOverride { $0.publicURL = URL(string: "https://thads.example.vn")! }) {
            app async throws in
            _ = try await Fixtures.account(app, "canbo1", roles: [.enforcementOfficer])
            let client = TestClient(app)
            let page = try await client.get("/dang-nhap")
            #expect(page.headers.first(name: "Strict-Transport-Security")?.contains("max-age=") == true)
            #expect(
                page.headers[.setCookie].allSatisfy {
                    $0.contains("Secure") && $0.contains("HttpOnly") && $0.contains("SameSite=Strict")
                })
            let login = try await client.login("canbo1", Fixtures.password)
            #expect(
                login.headers[.setCookie].contains {
                    $0.hasPrefix("__Host-thads_session=") && $0.contains("Secure") && $0.contains("HttpOnly")
                })
        }
    }

    @Test func oversizedBodyIsRefusedWithAMessage() async throws {
        try await withTestApp(SettingsOverride { $0.maxRequestBodyBytes = 2048 }) { app async throws in
            let client = TestClient(app)
            let response = try await client.post(
                "/dang-nhap", [("username", String(repeating: "a", count: 5000)), ("password", "x")])
            #expect(response.status == .payloadTooLarge)
            #expect(response.body.string.contains("vượt quá dung lượng"))
        }
    }

    struct TestFailure: Error {}
}

@Suite struct ForwardedAddressTests {
    /// Behind the proxy, a client that writes its own X-Forwarded-For cannot choose the address the throttles
    /// count: the proxy's appended entry is the one read.
    @Test func aForgedForwardedForDoesNotEscapeThePerAddressLimit() async throws {
        try await withTestApp(
            SettingsOverride {
                $0.trustProxyHeaders = true
                $0.publicRequestsPerMinute = 2
            }
        ) { app async throws in
            var statuses: [HTTPResponseStatus] = []
            for forged in ["6.6.6.1", "6.6.6.2", "6.6.6.3"] {
                let visitor = TestClient(app)
                visitor.headers.replaceOrAdd(name: "X-Forwarded-For", value: "\(forged), 10.1.2.3")
                statuses.append(try await visitor.get("/cong-khai/ngay-lam-viec").status)
            }
            #expect(statuses == [.ok, .ok, .tooManyRequests])
        }
    }
}
