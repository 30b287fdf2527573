import Testing

@testable import ThadsDomain

@Suite struct DuplicateOnJudgmentTests {
    /// Every pair of start modes: only two cases started the same way are a duplicate.
    @Test(arguments: CaseStartMode.allCases, CaseStartMode.allCases)
    func onlyTheSameStartIsADuplicate(_ a: CaseStartMode, _ b: CaseStartMode) {
        #expect(CaseQuality.isDuplicateOnJudgment(a, b) == (a == b))
        #expect(CaseQuality.isDuplicateOnJudgment(a, b) == CaseQuality.isDuplicateOnJudgment(b, a))
    }

    @Test func theUsualPairIsNotADuplicate() {
        #expect(!CaseQuality.isDuplicateOnJudgment(.exOfficio, .onRequest))
        #expect(!CaseQuality.isDuplicateOnJudgment(.onRequest, .transferredIn))
        #expect(CaseQuality.isDuplicateOnJudgment(.onRequest, .onRequest))
        #expect(CaseQuality.isDuplicateOnJudgment(.exOfficio, .exOfficio))
    }
}
