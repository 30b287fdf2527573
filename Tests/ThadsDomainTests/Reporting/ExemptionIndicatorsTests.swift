import Testing

@testable import ThadsDomain

@Suite("Form 06: what a court's reduction took off")
struct ExemptionIndicatorsTests {
    @Test("A lowered amount gives the difference in đồng, whatever the display's spacing")
    func lowered() {
        #expect(ExemptionIndicators.reduction(before: "2.000.000 đ", after: "1.500.000 đ") == 500_000)
        #expect(
            ExemptionIndicators.reduction(before: MoneyText.dong(12_345_678), after: MoneyText.dong(1)) == 12_345_677)
        #expect(ExemptionIndicators.reduction(before: "2.000.000\u{00A0}đ", after: "0 đ") == 2_000_000)
    }

    @Test("A raised or unchanged amount, or a side that is not an amount, counts nothing")
    func notAReduction() {
        #expect(ExemptionIndicators.reduction(before: "1.000.000 đ", after: "1.500.000 đ") == nil)
        #expect(ExemptionIndicators.reduction(before: "1.000.000 đ", after: "1.000.000 đ") == nil)
        #expect(ExemptionIndicators.reduction(before: "", after: "0 đ") == nil)
        #expect(ExemptionIndicators.reduction(before: "Giao nhà số 12", after: "0 đ") == nil)
        #expect(ExemptionIndicators.reduction(before: "2.000.000 đ", after: "(trống)") == nil)
    }

    @Test("Full exemptions are counted under the old law's ground and the 2025 law's, reductions under one reason")
    func codes() {
        #expect(Set(ExemptionIndicators.fullExemptionGrounds) == ["D50-1E", "L106-EXEMPT"])
        #expect(ExemptionIndicators.reductionReason == "CR-EXEMPTION")
    }
}
