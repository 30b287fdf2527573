import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Series: validated on the server, approved or rejected through the workflow engine, closed by the accountant.
@Suite struct ReceiptSeriesTests {
    @Test func badSeriesAreRefusedNextToTheFieldRejectionNeedsAReasonAndAClosedSeriesIssuesNothing() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app, approve: false)
            let year = ReceiptScene.year
            let wrongYear = String(format: "AB-%02dE", (year + 1) % 100)
            let refused = try await scene.accountant.post(
                "/bien-lai/dai",
                [
                    ("formSymbol", "01BLP0"), ("receiptSymbol", wrongYear), ("purpose", "fee"),
                    ("validFrom", "31/02/\(year)"), ("firstNumber", "abc"), ("lastNumber", "99999999"),
                ])
            #expect(refused.status == .badRequest)
            let messages = CaseScene.errors(refused)
            #expect(messages.contains("Ký hiệu mẫu gồm 10 ký tự"))
            #expect(messages.contains("dd/mm/yyyy"))
            #expect(messages.contains("tối đa 7 chữ số"))
            let duplicate = try await scene.accountant.post(
                "/bien-lai/dai",
                [
                    ("formSymbol", "01BLP0-001"), ("receiptSymbol", ReceiptScene.symbol),
                    ("purpose", "enforcementMoney"),
                    ("validFrom", LocalDate(year: year, month: 1, day: 1)!.display), ("firstNumber", "1"),
                    ("lastNumber", "10"),
                ])
            #expect(CaseScene.errors(duplicate).contains("đã đăng ký"))

            let id = scene.series.id!.uuidString
            let noReason = try await scene.admin.post("/duyet-dai-bien-lai/\(id)", [("outcome", "reject")])
            #expect(noReason.status == .badRequest)
            let rejected = try await scene.admin.post(
                "/duyet-dai-bien-lai/\(id)", [("outcome", "reject"), ("note", "Sai ký hiệu mẫu")])
            #expect(rejected.status == .seeOther)
            #expect(try await ReceiptSeries.find(scene.series.id, on: app.db)?.status == .rejected)
            let again = try await scene.admin.post("/duyet-dai-bien-lai/\(id)", [("outcome", "approve")])
            #expect(again.status == .conflict, "a decided series cannot be decided again")
            let transitions = try await WorkflowTransition.query(on: app.db).all()
            #expect(transitions.contains { $0.outcome == "reject" && $0.note == "Sai ký hiệu mẫu" })

            // A rejected series issues nothing; the collection still stands.
            let caseID = try await scene.caseWithDebtor()
            #expect(try await scene.collect(caseID, "100.000").status == .seeOther)
            #expect(try await scene.receipts(of: caseID).isEmpty)
        }
    }

    @Test func aClosedSeriesIssuesNoMoreReceipts() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            _ = try await scene.collect(caseID, "100.000")
            let closed = try await scene.accountant.post("/bien-lai/dai/\(scene.series.id!.uuidString)/dong")
            #expect(closed.status == .seeOther)
            #expect(
                try await scene.cases.officer.post("/bien-lai/dai/\(scene.series.id!.uuidString)/dong").status
                    == .forbidden)
            _ = try await scene.collect(caseID, "200.000")
            #expect(try await scene.receipts(of: caseID).map(\.number) == [1])
            let list = try await scene.accountant.get("/bien-lai/dai")
            #expect(list.body.string.contains("Đã đóng"))
        }
    }
}
