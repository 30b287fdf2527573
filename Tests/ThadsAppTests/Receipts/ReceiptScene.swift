import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// A Hà Nội unit with its accountant and an approved enforcement-money series, on top of `CaseScene`.
struct ReceiptScene {
    let cases: CaseScene
    let accountant: TestClient
    let accountantAccount: Account
    let admin: TestClient
    let series: ReceiptSeries

    var app: Application { cases.app }
    static var year: Int { CaseScene.today.year }
    static var symbol: String { String(format: "AA-%02dE", year % 100) }

    static func make(_ app: Application, approve: Bool = true) async throws -> ReceiptScene {
        let cases = try await CaseScene.make(app)
        let (accountant, made) = try await Fixtures.signedIn(app, "kt.hanoi", unit: "01", roles: [.accountant])
        let (admin, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin, unit: "TW")
        let registered = try await accountant.post(
            "/bien-lai/dai",
            [
                ("formSymbol", "01BLP0-001"), ("receiptSymbol", symbol), ("purpose", "enforcementMoney"),
                ("validFrom", LocalDate(year: year, month: 1, day: 1)!.display), ("firstNumber", "1"),
                ("lastNumber", "9999999"),
            ])
        #expect(registered.status == .seeOther, "series → \(registered.status.code): \(CaseScene.errors(registered))")
        var series = try #require(try await ReceiptSeries.query(on: app.db).first())
        #expect(series.status == .pending)
        if approve {
            let own = try await accountant.post(
                "/duyet-dai-bien-lai/\(series.id!.uuidString)", [("outcome", "approve")])
            #expect(own.status == .forbidden, "the accountant cannot approve")
            let approved = try await admin.post(
                "/duyet-dai-bien-lai/\(series.id!.uuidString)", [("outcome", "approve")])
            #expect(approved.status == .seeOther, "approve → \(approved.status.code): \(CaseScene.errors(approved))")
            series = try #require(try await ReceiptSeries.find(series.id, on: app.db))
            #expect(series.status == .approved)
        }
        return ReceiptScene(
            cases: cases, accountant: accountant, accountantAccount: made.account, admin: admin, series: series)
    }

    /// A case of the officer with its debtor; returns its id.
    func caseWithDebtor(number: String = "125/2026/DS-ST") async throws -> UUID {
        let id = try await cases.open(number: number)
        // The same debtor on a second case is a namesake the officer confirms.
        try await cases.add(id, "duong-su", CaseScene.debtor + [("confirmDuplicate", "on")])
        return id
    }

    func collect(_ caseID: UUID, _ amount: String, email: String = "", on date: LocalDate = CaseScene.today)
        async throws -> TestingHTTPResponse
    {
        try await cases.officer.post(
            "/ho-so/\(caseID.uuidString)/thu-chi",
            CaseScene.money("collected", amount, on: date) + [("payerEmail", email)])
    }

    func receipts(of caseID: UUID) async throws -> [Receipt] {
        try await Receipt.query(on: app.db).filter(\.$caseID == caseID).sort(\.$number).all()
    }
}
