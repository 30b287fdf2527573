import Foundation
import Testing
import ThadsDomain

@Suite struct ReceiptRulesTests {
    @Test(arguments: [
        ("01BLP0-001", true), ("02BLP0-123", true), ("01blp0-001", false), ("01BLP0001", false),
        ("01BLP0-0011", false), ("AABLP0-001", false), ("01BLP0_001", false), ("", false),
    ])
    func formSymbol(symbol: String, valid: Bool) {
        #expect((ReceiptRules.formSymbolProblem(symbol) == nil) == valid)
    }

    @Test func receiptSymbolCarriesTheSeriesYear() {
        #expect(ReceiptRules.receiptSymbolProblem("AA-25E", year: 2025) == nil)
        #expect(ReceiptRules.receiptSymbolProblem("AB-26E", year: 2026) == nil)
        #expect(ReceiptRules.receiptSymbolProblem("AA-25E", year: 2026)?.contains("26") == true)
        for wrong in ["AA-25", "A1-25E", "aa-25E", "AA25E", "AA-25P", "AAA-25E"] {
            #expect(ReceiptRules.receiptSymbolProblem(wrong, year: 2025) != nil, "\(wrong)")
        }
    }

    @Test func rangesAndNumbers() {
        #expect(ReceiptRules.rangeProblem(first: 1, last: 1000) == nil)
        #expect(ReceiptRules.rangeProblem(first: 0, last: 10) != nil)
        #expect(ReceiptRules.rangeProblem(first: 10, last: 9) != nil)
        #expect(ReceiptRules.rangeProblem(first: 1, last: 10_000_000) != nil, "at most 7 digits")
        #expect(ReceiptRules.number(taken: 1, first: 1, last: 3) == 1)
        #expect(ReceiptRules.number(taken: 3, first: 1, last: 3) == 3)
        #expect(ReceiptRules.number(taken: 4, first: 1, last: 3) == nil)
        #expect(ReceiptRules.number(taken: 1, first: 501, last: 600) == 501)
        #expect(ReceiptRules.display(12) == "0000012")
        #expect(ReceiptRules.display(9_999_999) == "9999999")
    }

    @Test func lookupCodes() {
        let code = ReceiptRules.lookupCode(randomBytes: Array(0..<10))
        #expect(code.count == 11 && code.contains("-"))
        #expect(ReceiptRules.normalisedLookupCode(code.lowercased().replacingOccurrences(of: "-", with: " ")) == code)
        #expect(ReceiptRules.normalisedLookupCode("ABCDE-FGHI0") == nil, "0 is not in the alphabet")
        #expect(ReceiptRules.normalisedLookupCode("ABC") == nil)
    }

    static let document = ReceiptDocument(
        unitCode: "01", unitName: "Cục THADS thành phố Hà Nội", formSymbol: "01BLP0-001", receiptSymbol: "AA-26E",
        number: 12, lookupCode: "ABCDE-FGHJK", purpose: .enforcementMoney, issuedOn: LocalDate(iso: "2026-03-05")!,
        collector: "Nguyễn Văn Thu",
        payer: .init(name: "Trần <Thị> & \"Nộp\"", address: "12 Hàng Bạc\nHà Nội", idNumber: "001080012345"),
        caseCode: "01-2026-000001", item: "Thu tiền thi hành án", amount: 1_250_000, replaces: "AA-26E 0000011",
        demoSignature: true)

    @Test func documentHoldsTheLegalContentsAndReadsBack() throws {
        let xml = Self.document.xml
        for part in [
            "<KyHieuMau>01BLP0-001</KyHieuMau>", "<KyHieu>AA-26E</KyHieu>", "<So>0000012</So>",
            "<SoTien>1250000</SoTien>", "<SoTienBangChu>Một triệu hai trăm năm mươi nghìn đồng</SoTienBangChu>",
            "<HoTen>Trần &lt;Thị&gt; &amp; &quot;Nộp&quot;</HoTen>", "12 Hàng Bạc&#10;Hà Nội",
            "<ThayTheBienLai>AA-26E 0000011</ThayTheBienLai>", "<NgayLap>2026-03-05</NgayLap>", "GhiChuChuKy",
        ] {
            #expect(xml.contains(part), "\(part)")
        }
        #expect(ReceiptDocument(xml: xml) == Self.document)
        #expect(Self.document.xml == xml, "written the same way every time")
        var plain = Self.document
        plain.demoSignature = false
        plain.replaces = nil
        #expect(!plain.xml.contains("GhiChuChuKy") && !plain.xml.contains("ThayThe"))
        #expect(ReceiptDocument(xml: "<x/>") == nil)
    }

    @Test func seriesFlowNeedsAnotherPersonToApprove() throws {
        let machine = StepMachine.receiptSeries
        let initiator = UUID()
        let admin = StepActor(id: UUID(), permissions: [.approveReceiptSeries])
        let accountant = StepActor(id: initiator, permissions: [.manageReceipts, .approveReceiptSeries])
        #expect(
            try machine.decide("approve", at: "pending", by: admin, initiatorID: initiator, note: nil).get()
                == "approved")
        #expect(throws: WorkflowError.self) {
            try machine.decide("approve", at: "pending", by: accountant, initiatorID: initiator, note: nil).get()
        }
        #expect(throws: WorkflowError.self) {
            try machine.decide("reject", at: "pending", by: admin, initiatorID: initiator, note: nil).get()
        }
    }
}
