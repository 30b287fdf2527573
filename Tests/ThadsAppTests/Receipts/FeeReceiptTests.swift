import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct FeeReceiptTests {
    /// Registers and approves a fee or charge series with `symbol` (two capitals) for this year.
    static func series(_ scene: ReceiptScene, _ letters: String, purpose: ReceiptPurpose) async throws -> ReceiptSeries
    {
        let symbol = String(format: "\(letters)-%02dE", ReceiptScene.year % 100)
        let registered = try await scene.accountant.post(
            "/bien-lai/dai",
            [
                ("formSymbol", "01BLP0-002"), ("receiptSymbol", symbol), ("purpose", purpose.rawValue),
                ("validFrom", LocalDate(year: ReceiptScene.year, month: 1, day: 1)!.display), ("firstNumber", "1"),
                ("lastNumber", "500"),
            ])
        #expect(registered.status == .seeOther, "\(CaseScene.errors(registered))")
        let series = try #require(
            try await ReceiptSeries.query(on: scene.app.db).filter(\.$receiptSymbol == symbol).first())
        let approved = try await scene.admin.post(
            "/duyet-dai-bien-lai/\(series.id!.uuidString)", [("outcome", "approve")])
        #expect(approved.status == .seeOther)
        return series
    }

    /// With several open enforcement-money series the collection form offers the choice (the oldest by default); with
    /// one it offers none; a series that cannot issue refuses the collection next to the choice.
    @Test func theCollectionFormOffersTheSeriesWhenSeveralAreOpen() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            let tab = "/ho-so/\(caseID.uuidString)?tab=nghia-vu"
            #expect(!(try await scene.cases.officer.get(tab).body.string.contains("name=\"receiptSeries\"")))
            let second = try await Self.series(scene, "AB", purpose: .enforcementMoney)
            let page = try await scene.cases.officer.get(tab).body.string
            #expect(page.contains("name=\"receiptSeries\""))
            #expect(page.contains(second.id!.uuidString) && page.contains(scene.series.id!.uuidString))

            let path = "/ho-so/\(caseID.uuidString)/thu-chi"
            let chosen = try await scene.cases.officer.post(
                path, CaseScene.money("collected", "100.000") + [("receiptSeries", second.id!.uuidString)])
            #expect(chosen.status == .seeOther, "\(CaseScene.errors(chosen))")
            _ = try await scene.collect(caseID, "200.000")
            let receipts = try await scene.receipts(of: caseID)
            #expect(Set(receipts.map(\.seriesID)) == Set([second.id!, scene.series.id!]))
            #expect(receipts.allSatisfy { $0.number == 1 }, "each series starts at its first number")

            let bogus = try await scene.cases.officer.post(
                path, CaseScene.money("collected", "300.000") + [("receiptSeries", UUID().uuidString)])
            #expect(bogus.status == .badRequest || bogus.status == .ok)
            #expect(CaseScene.errors(bogus).contains("không còn dùng được"))
            #expect(try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == caseID).count() == 2)
        }
    }

    /// The accountant issues a fee receipt from the series they choose (the oldest open one by default), with its
    /// item and words; it goes into the fee book, not into the reconciliation; a closed day refuses the next one.
    @Test func theAccountantIssuesFeeAndChargeReceiptsFromTheChosenSeries() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let empty = try await scene.accountant.get("/bien-lai/phi-le-phi")
            #expect(empty.body.string.contains("chưa có dải biên lai phí, lệ phí"))
            let fees = try await Self.series(scene, "BB", purpose: .fee)
            let charges = try await Self.series(scene, "CC", purpose: .charge)
            let form = try await scene.accountant.get("/bien-lai/phi-le-phi")
            #expect(form.status == .ok)
            let option = { (id: UUID) -> String in
                let page = form.body.string
                guard let at = page.range(of: "value=\"\(id.uuidString)\"") else { return "" }
                return String(page[at.lowerBound...].prefix { $0 != ">" })
            }
            #expect(option(fees.id!).contains("selected"), "the oldest by default")
            #expect(!option(charges.id!).contains("selected"))
            #expect(form.body.string.contains(charges.id!.uuidString))
            #expect(!form.body.string.contains(scene.series.id!.uuidString), "enforcement-money series not offered")

            let fields: [(String, String)] = [
                ("seriesID", charges.id!.uuidString), ("item", "Lệ phí cấp bản sao quyết định"),
                ("amount", "1.250.000"), ("payerName", "Trần Thị Nộp"), ("payerAddress", "Hà Nội"),
                ("payerIDNumber", "001080012345"), ("payerEmail", ""), ("caseCode", ""),
            ]
            let bad = try await scene.accountant.post(
                "/bien-lai/phi-le-phi", fields.map { $0.0 == "amount" ? ($0.0, "-5") : $0 })
            #expect(bad.status == .badRequest)
            #expect(CaseScene.errors(bad).contains("Số tiền"))
            let wrong = try await scene.accountant.post(
                "/bien-lai/phi-le-phi", fields.map { $0.0 == "seriesID" ? ($0.0, scene.series.id!.uuidString) : $0 })
            #expect(wrong.status == .badRequest, "an enforcement-money series cannot issue a charge receipt")
            #expect(try await Receipt.query(on: app.db).count() == 0)

            let issued = try await scene.accountant.post("/bien-lai/phi-le-phi", fields)
            #expect(issued.status == .seeOther, "\(CaseScene.errors(issued))")
            let receipt = try #require(try await Receipt.query(on: app.db).first())
            #expect(receipt.seriesID == charges.id && receipt.number == 1 && receipt.purpose == .charge)
            #expect(receipt.moneyEntryID == nil && receipt.caseID == nil)
            #expect(receipt.xml.contains("Lệ phí cấp bản sao quyết định"))
            #expect(receipt.xml.contains("Một triệu hai trăm năm mươi nghìn đồng"))
            #expect(await app.receiptSigner.verify(receipt.xml, signature: receipt.signature))
            #expect(try await Sequences.current(fees.sequenceKey, on: app.db) == 0, "the other series is untouched")

            let book = try await scene.accountant.get("/bien-lai/so-tien")
            #expect(book.body.string.contains("fee-book") && book.body.string.contains("1.250.000 đ"))
            let result = try await MoneyBooks.reconcile(unitID: receipt.unitID, on: app.db)
            #expect(result.untied.isEmpty && result.cases.isEmpty, "a fee is not enforcement money")

            let close = try await scene.accountant.post(
                "/bien-lai/so-tien/khoa-so", [("day", CaseScene.today.display)])
            #expect(close.status == .seeOther)
            let closed = try await scene.accountant.post("/bien-lai/phi-le-phi", fields)
            #expect(closed.status == .badRequest)
            #expect(CaseScene.errors(closed).contains("đã khóa"))
            #expect(try await Receipt.query(on: app.db).count() == 1)
            #expect(try await scene.cases.officer.get("/bien-lai/phi-le-phi").status == .forbidden)
        }
    }
}
