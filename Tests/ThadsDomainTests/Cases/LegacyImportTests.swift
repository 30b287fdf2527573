import Testing

@testable import ThadsDomain

@Suite struct LegacyImportTests {
    @Test func headersAnswerToTheirKeyOrVietnameseTitle() {
        #expect(LegacyImportColumn.named("unit_code") == .unitCode)
        #expect(LegacyImportColumn.named("UNIT-CODE") == .unitCode)
        #expect(LegacyImportColumn.named("Mã đơn vị thụ lý") == .unitCode)
        #expect(LegacyImportColumn.named("ma don vi thu ly") == .unitCode)
        #expect(LegacyImportColumn.named("Ngày ra quyết định thi hành án") == .decisionDate)
        #expect(LegacyImportColumn.named("ngay_gi_do") == nil)
        #expect(
            Set(LegacyImportColumn.allCases.map { LegacyImportChoice.normalized($0.label) }).count
                == LegacyImportColumn.allCases.count, "no two titles read the same")
    }

    @Test func choicesAnswerToShortFormsLabelsAndRawValues() {
        #expect(LegacyImportChoice.startMode("chu-dong") == .exOfficio)
        #expect(LegacyImportChoice.startMode("Theo đơn yêu cầu") == .onRequest)
        #expect(LegacyImportChoice.startMode("transferredIn") == .transferredIn)
        #expect(LegacyImportChoice.status("Thi hành xong") == .completed)
        #expect(LegacyImportChoice.status("co_dieu_kien") == .withConditions)
        #expect(LegacyImportChoice.status("chua-co-dieu-kien") == .withoutConditions)
        #expect(LegacyImportChoice.status("TẠM ĐÌNH CHỈ THI HÀNH ÁN") == .suspended)
        #expect(LegacyImportChoice.status("đình chỉ") == .terminated)
        #expect(LegacyImportChoice.partyKind("to-chuc") == .organisation)
        #expect(LegacyImportChoice.obligationMode("Trả tiền") == .money)
        #expect(LegacyImportChoice.beneficiary("ngan-sach") == .stateBudget)
        #expect(LegacyImportChoice.status("xong roi") == nil)
        #expect(LegacyImportChoice.startMode("") == nil)
    }
}
