import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Every route, who may call it, and what each kind of account gets. Adding a route without adding
/// it here fails `everyRouteIsListed`.
@Suite struct RouteMatrixTests {
    static let expected: [String: String] = [
        "GET /": "signedIn",
        "GET /healthz": "anyone",
        "GET /readyz": "anyone",
        "GET /static/app.css": "anyone",
        "GET /static/app.js": "anyone",
        "GET /ban-nhap": "signedIn",
        "GET /static/favicon.svg": "anyone",
        "GET /favicon.ico": "anyone",
        "GET /dang-nhap": "anyone",
        "POST /dang-nhap": "anyone",
        "POST /dang-xuat": "signedInDuringGate",
        "GET /mfa": "signedInDuringGate",
        "POST /mfa": "signedInDuringGate",
        "GET /mfa/dang-ky": "signedInDuringGate",
        "POST /mfa/dang-ky": "signedInDuringGate",
        "GET /mat-khau/doi": "signedInDuringGate",
        "POST /mat-khau/doi": "signedInDuringGate",
        "GET /dat-mat-khau/:token": "anyone",
        "POST /dat-mat-khau/:token": "anyone",
        "GET /phien": "signedIn",
        "POST /phien/:sessionID/ket-thuc": "signedIn",
        "GET /bao-mat": "signedIn",
        "POST /bao-mat/ma-khoi-phuc": "signedIn",
        "POST /bao-mat/bao-lo": "signedIn",
        "GET /tai-khoan": "permission(viewAccounts)",
        "GET /tai-khoan/moi": "permission(changeAccounts)",
        "POST /tai-khoan/moi": "permission(changeAccounts)",
        "GET /tai-khoan/:accountID": "permission(viewAccounts)",
        "GET /tai-khoan/:accountID/sua": "permission(changeAccounts)",
        "POST /tai-khoan/:accountID/sua": "permission(changeAccounts)",
        "POST /tai-khoan/:accountID/trang-thai": "permission(changeAccounts)",
        "POST /tai-khoan/:accountID/ket-thuc-phien": "permission(endAccountSessions)",
        "POST /tai-khoan/:accountID/dat-lai-mat-khau": "permission(manageAccountsDirectly)",
        "POST /tai-khoan/:accountID/dat-lai-mfa": "permission(manageAccountsDirectly)",
        "GET /phe-duyet": "permission(approveAccountRequests)",
        "GET /phe-duyet/:requestID": "permission(approveAccountRequests)",
        "POST /phe-duyet/:requestID/duyet": "permission(approveAccountRequests)",
        "POST /phe-duyet/:requestID/tu-choi": "permission(approveAccountRequests)",
        "GET /de-nghi": "permission(requestAccountChanges)",
        "GET /don-vi": "permission(viewUnits)",
        "GET /don-vi/:unitID": "permission(viewUnits)",
        "POST /don-vi/:unitID/khu-vuc": "permission(manageUnits)",
        "POST /don-vi/:unitID/doi-ten": "permission(manageUnits)",
        "POST /don-vi/:unitID/dong": "permission(manageUnits)",
        "POST /don-vi/:unitID/ho-tro": "permission(viewUnits)",
        "GET /nhat-ky": "permission(viewAuditLog)",
        "POST /nhat-ky/xuat": "permission(exportAuditLog)",
        "GET /lich": "permission(viewCalendar)",
        "GET /cong-khai/ngay-lam-viec": "anyone",
        "POST /lich/:year/ngay-nghi": "permission(manageCalendar)",
        "POST /lich/:year/lam-bu": "permission(manageCalendar)",
        "POST /lich/:year/xoa": "permission(manageCalendar)",
        "POST /lich/:year/thay-the": "permission(manageCalendar)",
        "GET /tham-so": "permission(viewLegalParameters)",
        "GET /tham-so/:parameterID/sua": "permission(manageLegalParameters)",
        "POST /tham-so/:parameterID/sua": "permission(manageLegalParameters)",
        "POST /tham-so/:parameterID/gia-tri-moi": "permission(manageLegalParameters)",
        "GET /danh-muc": "permission(viewCatalogs)",
        "GET /danh-muc/:catalog": "permission(viewCatalogs)",
        "POST /danh-muc/:catalog": "permission(manageCatalogs)",
        "POST /danh-muc/:catalog/:entryID/het-hieu-luc": "permission(manageCatalogs)",
        "GET /ho-so": "permission(viewCases)",
        "GET /api/ho-so": "permission(viewCases)",
        "GET /ho-so/moi": "permission(enterCaseData)",
        "POST /ho-so/moi": "permission(enterCaseData)",
        "GET /ho-so/:caseID": "permission(viewCases)",
        "GET /ho-so/:caseID/in": "permission(viewCases)",
        "GET /ho-so/xuat": "permission(viewCases)",
        "POST /ho-so/:caseID/duong-su": "permission(enterCaseData)",
        "POST /ho-so/:caseID/giao-quyet-dinh": "permission(enterCaseData)",
        "POST /ho-so/:caseID/nghia-vu": "permission(enterCaseData)",
        "POST /ho-so/:caseID/quyet-dinh": "permission(enterCaseData)",
        "POST /ho-so/:caseID/xac-minh": "permission(enterCaseData)",
        "POST /ho-so/:caseID/thu-chi": "permission(enterCaseData)",
        "GET /ho-so/:caseID/sua/:kind/:recordID": "permission(enterCaseData)",
        "POST /ho-so/:caseID/sua/:kind/:recordID": "permission(enterCaseData)",
        "POST /ho-so/:caseID/canh-bao/:warningID/bo-qua": "permission(dismissQualityWarnings)",
        "POST /ho-so/:caseID/tai-lieu": "permission(enterCaseData)",
        "GET /ho-so/:caseID/tai-lieu/:attachmentID": "permission(viewCases)",
        "GET /hieu-chinh": "permission(approveCaseCorrections)",
        "POST /hieu-chinh/:correctionID/duyet": "permission(approveCaseCorrections)",
        "POST /hieu-chinh/:correctionID/tu-choi": "permission(approveCaseCorrections)",
        "GET /toa-an-tam": "permission(viewCatalogs)",
        "POST /toa-an-tam": "permission(enterCaseData)",
        "POST /toa-an-tam/:entryID/doi-chieu": "permission(manageCatalogs)",
        "GET /so-chua-co-dieu-kien": "permission(viewCases)",
        "GET /so-chua-co-dieu-kien/nhat-ky-cong-khai": "permission(viewCases)",
        "GET /so-chua-co-dieu-kien/doi-chieu": "permission(viewDataQuality)",
        "GET /so-chua-co-dieu-kien/bao-cao": "permission(viewDataQuality)",
        "POST /so-chua-co-dieu-kien/:entryID/hoan-canh": "permission(enterCaseData)",
        "POST /so-chua-co-dieu-kien/:entryID/so-rieng": "permission(enterCaseData)",
        "GET /thong-ke": "permission(viewStatistics)",
        "GET /thong-ke/in": "permission(viewStatistics)",
        "POST /thong-ke/xuat": "permission(viewStatistics)",
        "GET /thong-ke/ho-so": "permission(viewStatistics)",
        "GET /thong-ke/tong-quan": "permission(viewStatistics)",
        "GET /thong-ke/su-dung": "permission(viewStatistics)",
        "POST /thong-ke/su-dung/xuat": "permission(viewStatistics)",
        "GET /thong-ke/mien-giam": "permission(viewStatistics)",
        "POST /thong-ke/mien-giam/xuat": "permission(viewStatistics)",
        "GET /thong-ke/khoa-so": "permission(viewStatistics)",
        "POST /thong-ke/khoa-so": "permission(lockReportingPeriods)",
        "GET /thong-ke/dieu-chinh": "permission(viewCases)",
        "POST /thong-ke/dieu-chinh": "permission(enterCaseData)",
        "POST /thong-ke/dieu-chinh/:amendmentID": "signedIn",
        "GET /nhat-ky-trich-xuat": "permission(viewExtractionLog)",
        "GET /cong-khai/nguoi-chua-co-dieu-kien": "anyone",
        "GET /cong-khai/nguoi-chua-co-dieu-kien/:entryID": "anyone",
        "GET /bien-lai": "permission(viewReceipts)",
        "GET /bien-lai/:receiptID": "permission(viewReceipts)",
        "GET /bien-lai/:receiptID/ban-in": "permission(viewReceipts)",
        "GET /bien-lai/:receiptID/xml": "permission(viewReceipts)",
        "GET /bien-lai/:receiptID/chu-ky": "permission(viewReceipts)",
        "POST /bien-lai/:receiptID/huy": "permission(manageReceipts)",
        "POST /bien-lai/:receiptID/thay-the": "permission(manageReceipts)",
        "GET /bien-lai/dai": "permission(viewReceipts)",
        "POST /bien-lai/dai": "permission(manageReceipts)",
        "POST /bien-lai/dai/:seriesID/dong": "permission(manageReceipts)",
        "GET /duyet-dai-bien-lai": "permission(approveReceiptSeries)",
        "POST /duyet-dai-bien-lai/:seriesID": "permission(approveReceiptSeries)",
        "GET /bien-lai/so-tien": "permission(viewReceipts)",
        "POST /bien-lai/so-tien/khoa-so": "permission(manageReceipts)",
        "GET /bien-lai/doi-chieu": "permission(viewReceipts)",
        "GET /bien-lai/bao-cao": "permission(viewReceipts)",
        "GET /bien-lai/phi-le-phi": "permission(manageReceipts)",
        "POST /bien-lai/phi-le-phi": "permission(manageReceipts)",
        "GET /bien-lai/bao-cao/csv": "permission(viewReceipts)",
        "GET /bien-lai/bao-cao/xlsx": "permission(viewReceipts)",
        "GET /bien-lai/bao-cao/in": "permission(viewReceipts)",
        "GET /cong-khai/tra-cuu-bien-lai": "anyone",
        "GET /cong-khai/ho-tro-truc-tuyen": "anyone",
        "GET /cong-khai/ho-tro-truc-tuyen/gui": "anyone",
        "POST /cong-khai/ho-tro-truc-tuyen/gui": "anyone",
        "GET /cong-khai/ho-tro-truc-tuyen/xac-thuc/:draftID": "anyone",
        "POST /cong-khai/ho-tro-truc-tuyen/xac-thuc/:draftID": "anyone",
        "GET /cong-khai/ho-tro-truc-tuyen/tra-cuu": "anyone",
        "POST /cong-khai/ho-tro-truc-tuyen/tra-cuu": "anyone",
        "GET /cong-khai/ho-tro-truc-tuyen/theo-doi/:token": "anyone",
        "POST /cong-khai/ho-tro-truc-tuyen/theo-doi/:token/bo-sung": "anyone",
        "GET /ho-tro-truc-tuyen": "permission(viewOnlineRequests)",
        "GET /ho-tro-truc-tuyen/tong-hop": "permission(viewOnlineSupportOverview)",
        "GET /ho-tro-truc-tuyen/:requestID": "permission(viewOnlineRequests)",
        "POST /ho-tro-truc-tuyen/:requestID/buoc": "permission(viewOnlineRequests)",
        "POST /ho-tro-truc-tuyen/:requestID/tin-nhan": "permission(handleOnlineRequests)",
        "POST /ho-tro-truc-tuyen/:requestID/ghi-chu": "permission(viewOnlineRequests)",
        "POST /ho-tro-truc-tuyen/:requestID/ho-so": "permission(enterCaseData)",
        "GET /ho-tro-truc-tuyen/:requestID/tep/:fileID": "permission(viewOnlineRequests)",
        "GET /viec-cua-toi": "permission(viewCases)",
        "GET /chat-luong": "permission(viewDataQuality)",
        "GET /nhap-du-lieu": "permission(importCases)",
        "GET /nhap-du-lieu/mau.csv": "permission(importCases)",
        "POST /nhap-du-lieu": "permission(importCases)",
        "POST /nhap-du-lieu/:sha/xac-nhan": "permission(importCases)",
        "GET /van-hanh": "permission(operatePlatform)",
        "POST /van-hanh/canh-bao/:alertID/xac-nhan": "permission(operatePlatform)",
        "POST /van-hanh/sao-luu": "permission(operatePlatform)",
        "GET /van-hanh/cam-ket": "permission(operatePlatform)",
        "POST /van-hanh/cam-ket": "permission(operatePlatform)",
        "GET /van-hanh/nhat-ky": "permission(operatePlatform)",
        "POST /van-hanh/nhat-ky": "permission(operatePlatform)",
        "POST /van-hanh/nhat-ky/xuat": "permission(operatePlatform)",
        "GET /metrics": "anyone",
        "GET /van-hanh/tong-hop": "permission(operatePlatform)",
        "GET /su-co": "permission(operatePlatform)",
        "GET /su-co/bao": "signedIn",
        "POST /su-co/bao": "signedIn",
        "GET /su-co/:incidentID": "permission(operatePlatform)",
        "GET /su-co/:incidentID/in": "permission(operatePlatform)",
        "POST /su-co/:incidentID/buoc": "permission(operatePlatform)",
        "POST /su-co/:incidentID/bao-cao": "permission(operatePlatform)",
        "POST /van-hanh/canh-bao/:alertID/su-co": "permission(operatePlatform)",
        "GET /yeu-cau-thay-doi": "signedIn",
        "POST /yeu-cau-thay-doi": "signedIn",
        "GET /yeu-cau-thay-doi/:requestID": "signedIn",
        "POST /yeu-cau-thay-doi/:requestID/phan-loai": "permission(operatePlatform)",
        "POST /api/v1/token": "connectedSystem",
        "GET /api/v1/server-key": "connectedSystem",
        "GET /api/v1/agreement": "connectedSystem",
        "GET /api/v1/cases": "connectedSystem",
        "GET /api/v1/cases/:caseId": "connectedSystem",
        "POST /api/v1/parties/lookup": "connectedSystem",
        "GET /api/v1/catalogs": "connectedSystem",
        "GET /api/v1/catalogs/:name": "connectedSystem",
        "GET /api/v1/changes": "connectedSystem",
        "POST /api/v1/judgments": "connectedSystem",
        "GET /api/v1/debtors": "connectedSystem",
        "GET /api/v1/debtors/:debtorId": "connectedSystem",
        "GET /api/v1/online-requests/:code": "connectedSystem",
        "GET /tiep-nhan-ban-an": "permission(enterCaseData)",
        "GET /api/v1/openapi.yaml": "anyone",
        "GET /api/v1/reference": "anyone",
        "GET /he-thong-ket-noi": "permission(manageConnectedSystems)",
        "GET /he-thong-ket-noi/moi": "permission(manageConnectedSystems)",
        "POST /he-thong-ket-noi/moi": "permission(manageConnectedSystems)",
        "GET /he-thong-ket-noi/:systemID": "permission(manageConnectedSystems)",
        "POST /he-thong-ket-noi/:systemID/tam-dung": "permission(manageConnectedSystems)",
        "POST /he-thong-ket-noi/:systemID/kich-hoat": "permission(manageConnectedSystems)",
        "POST /he-thong-ket-noi/:systemID/dia-chi-nhan": "permission(manageConnectedSystems)",
        "POST /he-thong-ket-noi/:systemID/gui-lai": "permission(manageConnectedSystems)",
        "GET /nhat-ky-trao-doi": "permission(viewExchangeLog)",
        "POST /nhat-ky-trao-doi/xuat": "permission(viewExchangeLog)",
    ]

    static func key(_ route: Route) -> String {
        route.method.rawValue + " /" + route.path.map(\.description).joined(separator: "/")
    }

    @Test func everyRouteIsListed() async throws {
        try await withTestApp { app async throws in
            for route in app.routes.all {
                let key = Self.key(route)
                let rule = route.userInfo[AccessRule.userInfoKey] as? AccessRule
                #expect(rule != nil, "\(key) registered without an access rule")
                #expect(Self.expected[key] != nil, "\(key) has no entry in the route matrix")
                #expect(Self.expected[key] == rule?.description, "\(key): \(rule?.description ?? "none")")
            }
            #expect(app.routes.all.count == Self.expected.count, "a listed route is no longer registered")
        }
    }

    /// Each kind of account against every route: 403 exactly when the matrix says no.
    @Test func everyRoleAgainstEveryRoute() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.unit(app, code: "01")
            var kinds: [(String, AccountClass, Set<Role>, String)] = [
                ("central", .centralAdmin, [], "TW"), ("local", .localAdmin, [], "01"),
                ("external", .externalUser, [.externalReader], "01"),
            ]
            for role in Role.allCases where role != .externalReader {
                kinds.append((role.rawValue.lowercased(), .internalUser, [role], "01"))
            }
            let routes = app.routes.all.filter {
                // Logging out or reporting a compromise would end the client's own session mid-loop.
                !["POST /dang-xuat", "POST /bao-mat/bao-lo"].contains(Self.key($0))
            }
            for (name, accountClass, roles, unit) in kinds {
                let made = try await Fixtures.account(
                    app, "m." + name, class: accountClass, unit: unit, roles: roles,
                    externalValidUntil: accountClass == .externalUser ? app.clock.today.adding(days: 10) : nil,
                    grants: accountClass == .externalUser ? [hanoi.id!] : nil)
                let client = TestClient(app)
                _ = try await client.login("m." + name, Fixtures.password, totpSecret: made.totpSecret)
                let permissions = made.account.permissions
                for route in routes {
                    let key = Self.key(route)
                    guard let rule = route.userInfo[AccessRule.userInfoKey] as? AccessRule else { continue }
                    let path =
                        "/"
                        + route.path.map { component -> String in
                            switch component {
                            case .parameter("year"): "2026"
                            case .parameter: UUID().uuidString
                            default: component.description
                            }
                        }.joined(separator: "/")
                    // Upload routes take the CSRF token from the URL (checked before the body); others ignore it there.
                    let response =
                        route.method == .GET
                        ? try await client.get(path)
                        : try await client.post(CSRF.uploadAction(path, token: try await client.token()))
                    let allowed: Bool =
                        switch rule {
                        case .anyone, .signedIn, .signedInDuringGate: true
                        case .permission(let permission): permissions.contains(permission)
                        case .connectedSystem: false
                        }
                    if rule == .connectedSystem {
                        // A staff session is no credential for the exchange API: its gate asks for a token (the
                        // token and key endpoints are open to anyone by design).
                        #expect(
                            response.status == .unauthorized || ExchangeGate.openPaths.contains(path),
                            "\(name) \(key) → \(response.status.code)")
                        #expect(response.status.code < 500, "\(name) \(key) → \(response.status.code)")
                    } else if rule == .anyone {
                        #expect(response.status != .forbidden, "\(name) \(key) → \(response.status.code)")
                    } else if allowed {
                        #expect(
                            response.status != .forbidden && response.status != .unauthorized,
                            "\(name) \(key) → \(response.status.code)")
                    } else {
                        #expect(response.status == .forbidden, "\(name) \(key) → \(response.status.code), expected 403")
                    }
                }
            }
        }
    }

    /// The unit dimension: a local admin of Hà Nội against every account route, with an account of
    /// Hồ Chí Minh City (out of scope: 403/404, nothing changes) and one of Hà Nội (in scope: allowed).
    @Test func everyAccountRouteRespectsTheUnitScope() async throws {
        try await withTestApp { app async throws in
            let outside = try await Fixtures.account(app, "cb.hcm", unit: "79", roles: [.secretary])
            let inside = try await Fixtures.account(app, "cb.hanoi", unit: "01", roles: [.secretary])
            let (local, made) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            let accountRoutes = app.routes.all.filter { $0.path.contains(.parameter("accountID")) }
            #expect(accountRoutes.count >= 7)
            for route in accountRoutes {
                let rule = route.userInfo[AccessRule.userInfoKey] as? AccessRule
                guard case .permission(let permission) = rule, made.account.permissions.contains(permission) else {
                    continue
                }
                for (account, inScope) in [(outside.account, false), (inside.account, true)] {
                    let path =
                        "/"
                        + route.path.map {
                            $0 == .parameter("accountID") ? account.id!.uuidString : $0.description
                        }.joined(separator: "/")
                    let response = route.method == .GET ? try await local.get(path) : try await local.post(path)
                    if inScope {
                        #expect(
                            response.status != .forbidden && response.status != .notFound, "\(Self.key(route)) in scope"
                        )
                    } else {
                        #expect(
                            [.forbidden, .notFound].contains(response.status),
                            "\(Self.key(route)) out of scope → \(response.status.code)")
                    }
                }
            }
            let unchanged = try #require(try await Account.find(outside.account.id, on: app.db))
            #expect(unchanged.status == .active)
            #expect(try await AccountRequest.query(on: app.db).filter(\.$accountID == outside.account.id!).count() == 0)
        }
    }

    /// Whatever a user types, no route answers with a server error.
    @Test func junkInputNeverCausesAServerError() async throws {
        try await withTestApp { app async throws in
            let (client, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let hanoi = try await Fixtures.unit(app, code: "01")
            let junk = [
                "", " ", "'; DROP TABLE accounts; --", String(repeating: "Đ", count: 5000), "<script>alert(1)</script>",
                "99999999999999999999999", "-1", "31/02/2026", "2026-13-45", "\u{0}", "%00", "🙂",
            ]
            let fields = [
                "username", "fullName", "email", "nationalID", "accountClass", "unitID", "roles[]", "note", "reason",
                "code", "name", "date", "value", "source", "verified", "newValue", "effectiveFrom", "newSource",
                "purpose", "action", "current", "new", "confirm", "from", "to", "grants[]", "externalValidUntil",
            ]
            for route in app.routes.all where route.method == .POST {
                let key = Self.key(route)
                if ["POST /dang-xuat", "POST /bao-mat/bao-lo", "POST /mat-khau/doi"].contains(key) { continue }
                let path =
                    "/"
                    + route.path.map { component -> String in
                        switch component {
                        case .parameter("year"): "2026"
                        case .parameter("unitID"): hanoi.id!.uuidString
                        case .parameter: UUID().uuidString
                        default: component.description
                        }
                    }.joined(separator: "/")
                for value in junk {
                    let response = try await client.post(path, fields.map { ($0, value) })
                    #expect(response.status.code < 500, "\(key) with \(value.prefix(20)) → \(response.status.code)")
                }
            }
            for path in [
                "/tai-khoan?trang=abc&q=%25", "/nhat-ky?from=xx&to=yy&unit=zz", "/lich?nam=-5", "/tham-so?loc=%00",
            ] {
                #expect(try await client.get(path).status.code < 500, "\(path)")
            }
        }
    }

    @Test func anonymousVisitorsAreSentToLogin() async throws {
        try await withTestApp { app async throws in
            let client = TestClient(app)
            for route in app.routes.all {
                guard let rule = route.userInfo[AccessRule.userInfoKey] as? AccessRule, rule != .anyone,
                    rule != .connectedSystem
                else {
                    continue
                }
                let path =
                    "/"
                    + route.path.map { if case .parameter = $0 { return "2026" } else { return $0.description } }
                    .joined(separator: "/")
                let response = route.method == .GET ? try await client.get(path) : try await client.post(path)
                if route.method == .GET {
                    #expect(response.location?.hasPrefix("/dang-nhap") == true, "\(Self.key(route))")
                } else {
                    #expect(response.status == .unauthorized, "\(Self.key(route)) → \(response.status.code)")
                }
            }
        }
    }

    @Test func everyStateChangingRouteRefusesAMissingOrWrongCSRFToken() async throws {
        try await withTestApp { app async throws in
            let (client, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let states = try await Account.query(on: app.db).count()
            // The exchange API has no session and no cookie to forge a request with; its gate checks signatures.
            for route in app.routes.all
            where route.method != .GET && route.userInfo[AccessRule.userInfoKey] as? AccessRule != .connectedSystem {
                let path =
                    "/"
                    + route.path.map { if case .parameter = $0 { return "2026" } else { return $0.description } }
                    .joined(separator: "/")
                let missing = try await client.post(path, [("note", "x")], csrf: false)
                #expect(missing.status == .forbidden, "\(Self.key(route)) without token → \(missing.status.code)")
                let wrong = try await client.post(path, [("_csrf", "gia-mao")], csrf: false)
                #expect(wrong.status == .forbidden, "\(Self.key(route)) with a forged token → \(wrong.status.code)")
            }
            #expect(try await Account.query(on: app.db).count() == states)
            #expect(try await client.get("/phien").status == .ok, "still signed in: nothing was changed")
        }
    }
}
