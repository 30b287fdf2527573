import Crypto
import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 23: receipts follow collections, are signed and verified, cancelled and replaced, checked in public.
@Suite struct ReceiptIssueTests {
    @Test func aCollectionIssuesASignedReceiptThatIsMailedAndVerified() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            let response = try await scene.collect(caseID, "1.250.000", email: "nop@vidu.vn")
            #expect(response.status == .seeOther, "\(CaseScene.errors(response))")
            let receipt = try #require(try await scene.receipts(of: caseID).first)
            #expect(receipt.number == 1 && receipt.state == .valid && receipt.amount == 1_250_000)
            #expect(receipt.reference == ReceiptScene.symbol + " 0000001")
            for part in [
                "<SoTienBangChu>Một triệu hai trăm năm mươi nghìn đồng</SoTienBangChu>", "<HoTen>Nguyễn Văn Nợ</HoTen>",
                "<SoDinhDanh>001080012345</SoDinhDanh>", "<KyHieuMau>01BLP0-001</KyHieuMau>", "GhiChuChuKy",
            ] {
                #expect(receipt.xml.contains(part), "\(part)")
            }
            #expect(receipt.demoSignature, "a demo install signs with a self-signed certificate and says so")
            let signer = app.receiptSigner
            #expect(await signer.verify(receipt.xml, signature: receipt.signature))
            let tampered = receipt.xml.replacingOccurrences(
                of: "<SoTien>1250000</SoTien>", with: "<SoTien>125000</SoTien>")
            #expect(tampered != receipt.xml)
            #expect(!(await signer.verify(tampered, signature: receipt.signature)), "a tampered XML fails")

            // The accountant sees the whole ID and a verified signature; an inspector without the right a masked one.
            let page = try await scene.accountant.get("/bien-lai/\(receipt.id!.uuidString)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Chữ ký số: hợp lệ"))
            #expect(page.body.string.contains("001080012345"))
            let (inspector, _) = try await Fixtures.signedIn(app, "tt.kiemtra", unit: "TW", roles: [.inspector])
            let masked = try await inspector.get("/bien-lai/\(receipt.id!.uuidString)")
            #expect(masked.body.string.contains("*********345") && !masked.body.string.contains("001080012345"))
            #expect(try await inspector.get("/bien-lai/\(receipt.id!.uuidString)/xml").status == .forbidden)
            #expect(try await scene.cases.outsider.get("/bien-lai/\(receipt.id!.uuidString)").status == .notFound)

            // Tampering with the stored document shows up on the page.
            receipt.xml = tampered
            try await receipt.save(on: app.db)
            let broken = try await scene.accountant.get("/bien-lai/\(receipt.id!.uuidString)")
            #expect(broken.body.string.contains("KHÔNG HỢP LỆ"))

            let mail = try #require(try app.mails().first { $0.contains("To: nop@vidu.vn") })
            #expect(mail.contains("multipart/mixed"))
            #expect(mail.contains(".xml\"") && mail.contains(".html\"") && mail.contains(".p7s\""))
        }
    }

    @Test func publicCheckCancelAndReplace() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            _ = try await scene.collect(caseID, "500.000")
            _ = try await scene.collect(caseID, "700.000")
            let issued = try await scene.receipts(of: caseID)
            #expect(issued.map(\.number) == [1, 2])
            let first = issued[0]
            let second = issued[1]
            let portal = TestClient(app)
            func check(_ r: Receipt, code: String? = nil) async throws -> String {
                let path =
                    "/cong-khai/tra-cuu-bien-lai?ky-hieu=\(ReceiptScene.symbol)&so=\(r.number)&ma=\(code ?? r.lookupCode)"
                return try await portal.get(path).body.string
            }
            let valid = try await check(first)
            #expect(valid.contains("Biên lai có hiệu lực.") && valid.contains("hợp lệ"))
            #expect(!valid.contains("500.000") && !valid.contains("Nguyễn Văn Nợ"), "reveals nothing else")
            #expect(try await check(first, code: "ABCDE-FGHJK").contains("Không tìm thấy"))

            // Only the accountant cancels; a reason is required.
            #expect(
                try await scene.cases.officer.post("/bien-lai/\(first.id!.uuidString)/huy", [("reason", "x")]).status
                    == .forbidden)
            #expect(
                try await scene.accountant.post("/bien-lai/\(first.id!.uuidString)/huy", [("reason", "")]).status
                    == .badRequest)
            let cancelled = try await scene.accountant.post(
                "/bien-lai/\(first.id!.uuidString)/huy", [("reason", "Lập nhầm người nộp")])
            #expect(cancelled.status == .seeOther)
            #expect(try await check(first).contains("Biên lai đã bị hủy."))
            let reread = try #require(try await Receipt.find(first.id, on: app.db))
            #expect(reread.state == .cancelled && reread.number == 1 && reread.cancelReason == "Lập nhầm người nộp")

            let replaced = try await scene.accountant.post(
                "/bien-lai/\(second.id!.uuidString)/thay-the",
                [("replaceReason", "Sai số tiền"), ("replaceAmount", "750.000")])
            #expect(replaced.status == .seeOther, "\(CaseScene.errors(replaced))")
            let all = try await scene.receipts(of: caseID)
            #expect(all.map(\.number) == [1, 2, 3], "numbers stay used; the replacement takes the next")
            let replacement = all[2]
            #expect(replacement.replacesID == second.id && replacement.amount == 750_000)
            #expect(replacement.xml.contains("<ThayTheBienLai>\(second.reference)</ThayTheBienLai>"))
            #expect(try await check(second).contains("đã được thay thế"))
            #expect(try await check(replacement).contains("Biên lai có hiệu lực."))
            let page = try await scene.accountant.get("/bien-lai/\(second.id!.uuidString)")
            #expect(page.body.string.contains(replacement.reference))
            let actions = try await AuditEvent.query(on: app.db).all().map(\.action)
            for action in ["receipt.issued", "receipt.cancelled", "receipt.replaced", "receipt.replacementIssued"] {
                #expect(actions.contains(action), "\(action) audited")
            }
            #expect(try await Receipt.query(on: app.db).count() == 3, "nothing deleted")
        }
    }

    @Test func aClosedDayRefusesNewEntriesAndAFailedCollectionUsesNoNumber() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            let yesterday = CaseScene.today.adding(days: -1)
            _ = try await scene.collect(caseID, "100.000", on: yesterday)
            let close = try await scene.accountant.post("/bien-lai/so-tien/khoa-so", [("day", yesterday.display)])
            #expect(close.status == .seeOther, "\(CaseScene.errors(close))")
            let again = try await scene.accountant.post("/bien-lai/so-tien/khoa-so", [("day", yesterday.display)])
            #expect(again.status == .conflict)

            let refused = try await scene.collect(caseID, "200.000", on: yesterday)
            #expect(refused.status == .ok || refused.status == .badRequest)
            #expect(CaseScene.errors(refused).contains("đã khóa"))
            #expect(try await Sequences.current(scene.series.sequenceKey, on: app.db) == 1, "no number used")
            #expect(try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == caseID).count() == 1)

            _ = try await scene.collect(caseID, "300.000")
            #expect(try await scene.receipts(of: caseID).map(\.number) == [1, 2], "no gap after the refusal")
        }
    }

    /// The day close locks the day for corrections too: a change of form to a row of a closed day is refused next to
    /// the date, and an approved move of a row into the closed day is refused at approval; nothing changes.
    @Test func aClosedDayRefusesCorrectionsOfItsRowsAndMovesIntoIt() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            let yesterday = CaseScene.today.adding(days: -1)
            _ = try await scene.collect(caseID, "100.000", on: yesterday)
            _ = try await scene.collect(caseID, "200.000")
            let rows = try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == caseID).all()
            let old = try #require(rows.first { $0.occurredOn == yesterday.iso })
            let new = try #require(rows.first { $0.occurredOn == CaseScene.today.iso })
            let close = try await scene.accountant.post("/bien-lai/so-tien/khoa-so", [("day", yesterday.display)])
            #expect(close.status == .seeOther, "\(CaseScene.errors(close))")

            let oldPath = "/ho-so/\(caseID.uuidString)/sua/money/\(old.id!.uuidString)"
            let refused = try await scene.cases.officer.post(
                oldPath,
                CaseScene.money("collected", "100.000", on: yesterday, reference: "BL-SUA")
                    + [("reasonCode", "CR-UPDATE")])
            #expect(refused.status == .badRequest)
            #expect(CaseScene.errors(refused).contains("đã khóa"), "\(CaseScene.errors(refused))")
            #expect(try await CaseMoneyEntry.find(old.id, on: app.db)?.reference == "BL-1")

            let newPath = "/ho-so/\(caseID.uuidString)/sua/money/\(new.id!.uuidString)"
            let requested = try await scene.cases.officer.post(
                newPath, CaseScene.money("collected", "200.000", on: yesterday) + [("reasonCode", "CR-WRONG-ENTRY")])
            #expect(requested.status == .seeOther, "\(CaseScene.errors(requested))")
            let correction = try #require(try await CaseCorrection.query(on: app.db).first())
            let approval = try await scene.cases.head.post(
                "/hieu-chinh/\(correction.id!.uuidString)/duyet", [("note", "")])
            #expect(approval.status == .conflict)
            #expect(approval.body.string.contains("đã khóa"))
            #expect(try await CaseMoneyEntry.find(new.id, on: app.db)?.occurredOn == CaseScene.today.iso)
        }
    }

    @Test func reconciliationFindsSeededMismatches() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app, approve: false)
            let caseID = try await scene.caseWithDebtor()
            // Collected before the series was approved: no receipt.
            _ = try await scene.collect(caseID, "400.000")
            #expect(try await scene.receipts(of: caseID).isEmpty)
            _ = try await scene.admin.post(
                "/duyet-dai-bien-lai/\(scene.series.id!.uuidString)", [("outcome", "approve")])
            let other = try await scene.caseWithDebtor(number: "126/2026/DS-ST")
            _ = try await scene.collect(other, "900.000")
            // A receipt not tied to any collection, seeded directly.
            let good = try #require(try await scene.receipts(of: other).first)
            let untied = Receipt()
            untied.id = UUID()
            untied.seriesID = good.seriesID
            untied.unitID = good.unitID
            untied.number = 99
            untied.reference = ReceiptScene.symbol + " 0000099"
            untied.lookupCode = "ABCDE-FGHJK"
            untied.state = .valid
            untied.purpose = .enforcementMoney
            untied.issuedOn = good.issuedOn
            untied.issuedAt = good.issuedAt
            untied.amount = 50_000
            untied.payerName = ""
            untied.xml = good.xml
            untied.signature = good.signature
            untied.demoSignature = true
            untied.createdByID = good.createdByID
            try await untied.create(on: app.db)

            let result = try await MoneyBooks.reconcile(unitID: good.unitID, on: app.db)
            #expect(result.cases.map(\.caseID) == [caseID])
            #expect(result.cases.first?.collected == 400_000 && result.cases.first?.receipted == 0)
            #expect(result.untied.map(\.id) == [untied.id])
            let page = try await scene.accountant.get("/bien-lai/doi-chieu")
            #expect(page.status == .ok && page.body.string.contains("0000099"))

            let book = try await scene.accountant.get("/bien-lai/so-tien")
            #expect(book.body.string.contains("1.300.000 đ"), "received in total")
        }
    }

    /// Money returned to the payer is its own direction: it gets no receipt and the book shows it apart from what
    /// was paid out, and it lowers what is held.
    @Test func returnedMoneyIsBookedApartAndLowersTheMoneyHeld() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            _ = try await scene.collect(caseID, "300.000")
            let paid = try await scene.cases.officer.post(
                "/ho-so/\(caseID.uuidString)/thu-chi", CaseScene.money("paidOut", "50.000", reference: "PC-1"))
            #expect(paid.status == .seeOther, "\(CaseScene.errors(paid))")
            let returned = try await scene.cases.officer.post(
                "/ho-so/\(caseID.uuidString)/thu-chi", CaseScene.money("returned", "100.000", reference: "PC-2"))
            #expect(returned.status == .seeOther, "\(CaseScene.errors(returned))")
            #expect(try await scene.receipts(of: caseID).count == 1, "only the collection has a receipt")
            let today = CaseScene.today
            let book = try await MoneyBooks.book(
                unitID: scene.series.unitID, from: today, to: today, on: app.db)
            #expect(book.received == 300_000 && book.paidOut == 50_000 && book.returned == 100_000)
            #expect(book.held == 150_000)
            let page = try await scene.accountant.get("/bien-lai/so-tien").body.string
            #expect(page.contains("100.000 đ") && page.contains("150.000 đ"))
        }
    }

    /// An imported case's carried-over total was receipted on paper in the old system: it gets no receipt, is not a
    /// collection without one, and the reconciliation lists it as legacy. A later collection on it is checked as usual.
    @Test func importedCollectionsAreLegacyPaperReceiptsNotMismatches() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            let imported = try #require(try await EnforcementCase.find(caseID, on: app.db))
            imported.legacyCode = "HN-2019-0042"
            try await imported.save(on: app.db)
            let carried = CaseMoneyEntry()
            carried.id = UUID()
            carried.caseID = caseID
            carried.direction = .collected
            carried.amount = 7_000_000
            carried.occurredOn = CaseScene.today.adding(days: -30).iso
            carried.reference = CaseImportService.moneyReference
            carried.notes = "Tổng số đã thu theo hệ thống cũ"
            carried.enteredAt = imported.createdAt
            carried.isLate = false
            carried.createdByID = imported.createdByID
            try await carried.create(on: app.db)

            var result = try await MoneyBooks.reconcile(unitID: imported.unitID, on: app.db)
            #expect(result.cases.isEmpty, "the carried-over total is not a collection without receipt")
            #expect(result.legacy.map(\.amount) == [7_000_000])
            let page = try await scene.accountant.get("/bien-lai/doi-chieu")
            #expect(page.body.string.contains("HN-2019-0042") && page.body.string.contains("7.000.000 đ"))

            // The same reference typed on a case entered here is an ordinary collection.
            let other = try await scene.caseWithDebtor(number: "127/2026/DS-ST")
            let typed = try await scene.cases.officer.post(
                "/ho-so/\(other.uuidString)/thu-chi",
                CaseScene.money("collected", "50.000", reference: CaseImportService.moneyReference))
            #expect(typed.status == .seeOther, "\(CaseScene.errors(typed))")
            result = try await MoneyBooks.reconcile(unitID: imported.unitID, on: app.db)
            #expect(result.legacy.count == 1)
            #expect(try await scene.receipts(of: other).count == 1, "it got its receipt")
        }
    }

    @Test func usageReportAndAuditedExport() async throws {
        try await withTestApp { app async throws in
            let scene = try await ReceiptScene.make(app)
            let caseID = try await scene.caseWithDebtor()
            _ = try await scene.collect(caseID, "100.000")
            _ = try await scene.collect(caseID, "200.000")
            let report = try await scene.accountant.get("/bien-lai/bao-cao")
            #expect(report.status == .ok && report.body.string.contains("300.000 đ"))
            #expect(try await scene.accountant.get("/bien-lai/bao-cao/csv").status == .badRequest, "purpose required")
            let csv = try await scene.accountant.get(
                "/bien-lai/bao-cao/csv?muc-dich=B%C3%A1o%20c%C3%A1o%20thu%E1%BA%BF")
            #expect(csv.status == .ok)
            #expect(csv.body.string.contains("01BLP0-001 \(ReceiptScene.symbol)") && csv.body.string.contains("300000"))
            let event = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "receipts.export").first())
            #expect(event.purpose == "Báo cáo thuế")
            #expect(event.summary?.contains("SHA-256") == true)
            #expect(
                csv.body.string.hasPrefix("\u{FEFF}\"Phân loại thông tin: Nội bộ\"\r\n"), "the classification line")

            let xlsx = try await scene.accountant.get(
                "/bien-lai/bao-cao/xlsx?muc-dich=G%E1%BB%ADi%20c%C6%A1%20quan%20thu%E1%BA%BF")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let bytes = Array(xlsx.body.readableBytesView)
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a zip package")
            let sheet = try XLSXReader.read(Data(bytes), limits: .init())
            #expect(sheet.header.first == "Phân loại thông tin: Nội bộ", "\(sheet.header)")
            #expect(
                sheet.rows.contains {
                    $0.cells.first == "01BLP0-001 \(ReceiptScene.symbol)" && $0.cells.contains("300000")
                }, "\(sheet.rows.map(\.cells))")
            let exports = try await Extraction.query(on: app.db).filter(\.$subject == "Báo cáo sử dụng biên lai")
                .sort(\.$at).all()
            #expect(exports.map(\.format) == ["csv", "xlsx"])
            #expect(exports.last?.sha256 == SHA256.hex(bytes), "the hash of the file that left")
            #expect(exports.last?.purpose == "Gửi cơ quan thuế")

            let printed = try await scene.accountant.get("/bien-lai/bao-cao/in")
            #expect(printed.status == .ok)
            #expect(printed.body.string.contains("Phân loại thông tin: Nội bộ"))
            #expect(printed.body.string.contains("300.000 đ"))
            #expect(
                try await Extraction.query(on: app.db).filter(\.$format == "in").filter(\.$kind == .view).count() == 1)
        }
    }
}
