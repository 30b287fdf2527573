import Testing

@testable import ThadsDomain

@Suite("Quality score")
struct QualityScoreTests {
    @Test("no cases and no entries count as 100 %")
    func empty() {
        let score = QualityScore.compute(cases: 0, casesWith: [:], entries: 0, lateEntries: 0)
        #expect(score == QualityScore(correct: 100, complete: 100, clean: 100, live: 100, overall: 100))
        // Findings without cases cannot lower anything.
        let odd = QualityScore.compute(cases: 0, casesWith: [.logic: 3], entries: 0, lateEntries: 2)
        #expect(odd.overall == 100)
    }

    @Test("each category feeds its own share")
    func categories() {
        let score = QualityScore.compute(
            cases: 10, casesWith: [.logic: 1, .missing: 2, .duplicate: 3], entries: 20, lateEntries: 5)
        #expect(score.correct == 90)
        #expect(score.complete == 80)
        #expect(score.clean == 70)
        #expect(score.live == 75)
        // (90 + 80 + 70 + 75) / 4 = 78.75 → 79.
        #expect(score.overall == 79)
    }

    @Test("shares round half up to whole percents")
    func rounding() {
        // 7 of 8 = 87.5 % → 88; 1 of 8 = 12.5 % → 13.
        #expect(QualityScore.compute(cases: 8, casesWith: [.logic: 1], entries: 0, lateEntries: 0).correct == 88)
        #expect(QualityScore.compute(cases: 8, casesWith: [.logic: 7], entries: 0, lateEntries: 0).correct == 13)
        // 2 of 3 = 66.67 % → 67; 1 of 3 = 33.33 % → 33.
        #expect(QualityScore.compute(cases: 3, casesWith: [.missing: 1], entries: 0, lateEntries: 0).complete == 67)
        #expect(QualityScore.compute(cases: 3, casesWith: [.missing: 2], entries: 0, lateEntries: 0).complete == 33)
        // 199 of 200 = 99.5 % → 100 (a share rounds up to 100 only from 99.5 %).
        #expect(QualityScore.compute(cases: 200, casesWith: [.duplicate: 1], entries: 0, lateEntries: 0).clean == 100)
        #expect(QualityScore.compute(cases: 201, casesWith: [.duplicate: 2], entries: 0, lateEntries: 0).clean == 99)
        // Entries: 1 late of 3 → 67.
        #expect(QualityScore.compute(cases: 0, casesWith: [:], entries: 3, lateEntries: 1).live == 67)
    }

    @Test("the overall score is the average rounded half up")
    func overall() {
        // 100 + 100 + 100 + 98 = 398 → 99.5 → 100.
        let up = QualityScore.compute(cases: 0, casesWith: [:], entries: 50, lateEntries: 1)
        #expect(up.live == 98)
        #expect(up.overall == 100)
        // 100 + 100 + 99 + 98 = 397 → 99.25 → 99.
        let down = QualityScore.compute(cases: 100, casesWith: [.duplicate: 1], entries: 50, lateEntries: 1)
        #expect(down.clean == 99)
        #expect(down.overall == 99)
        // All zero.
        let zero = QualityScore.compute(
            cases: 5, casesWith: [.logic: 5, .missing: 5, .duplicate: 5], entries: 5, lateEntries: 5)
        #expect(zero == QualityScore(correct: 0, complete: 0, clean: 0, live: 0, overall: 0))
    }

    @Test("counts out of range are clamped to 0...100")
    func clamping() {
        let over = QualityScore.compute(
            cases: 4, casesWith: [.logic: 9, .missing: -3, .duplicate: 4], entries: 2, lateEntries: 7)
        #expect(over.correct == 0)
        #expect(over.complete == 100)
        #expect(over.clean == 0)
        #expect(over.live == 0)
        #expect(over.overall == 25)
        let negative = QualityScore.compute(cases: -1, casesWith: [.logic: 1], entries: -4, lateEntries: 1)
        #expect(negative.overall == 100)
        // Very large counts do not trap.
        let huge = QualityScore.compute(cases: .max, casesWith: [.logic: .max / 2], entries: 0, lateEntries: 0)
        #expect(huge.correct == 50)
    }
}
