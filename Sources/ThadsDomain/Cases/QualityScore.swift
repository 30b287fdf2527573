/// "Đúng – Đủ – Sạch – Sống": four shares in percent and their average.
///
/// Each share counts cases (or entries) without a problem, so one case with ten findings weighs as much as one
/// with a single finding: the score says how much of the book can be trusted, not how many findings are open.
public struct QualityScore: Sendable, Hashable {
    /// Đúng: % of cases without open logic findings.
    public var correct: Int
    /// Đủ: % of cases without open missing-data findings.
    public var complete: Int
    /// Sạch: % of cases without open duplicate findings.
    public var clean: Int
    /// Sống: % of record entries made on time.
    public var live: Int
    /// The rounded average of the four.
    public var overall: Int

    public init(correct: Int, complete: Int, clean: Int, live: Int, overall: Int) {
        self.correct = correct
        self.complete = complete
        self.clean = clean
        self.live = live
        self.overall = overall
    }

    /// cases = number of cases; casesWith[category] = number of cases having ≥1 open finding of that category;
    /// entries/lateEntries = record entries counted for timeliness. Zero cases or zero entries count as 100%
    /// (nothing to fault). Shares are rounded half up to whole percents; counts outside their range are clamped, so
    /// every share is within 0...100.
    public static func compute(cases: Int, casesWith: [QualityCategory: Int], entries: Int, lateEntries: Int)
        -> QualityScore
    {
        func share(bad: Int, of total: Int) -> Int {
            guard total > 0 else { return 100 }
            let good = total - min(max(bad, 0), total)
            return percent(good, of: total)
        }
        let correct = share(bad: casesWith[.logic] ?? 0, of: cases)
        let complete = share(bad: casesWith[.missing] ?? 0, of: cases)
        let clean = share(bad: casesWith[.duplicate] ?? 0, of: cases)
        let live = share(bad: lateEntries, of: entries)
        // Round half up: (sum + 2) / 4 for a non-negative sum.
        let overall = (correct + complete + clean + live + 2) / 4
        return QualityScore(correct: correct, complete: complete, clean: clean, live: live, overall: overall)
    }

    /// `part` of `total` in whole percents, rounded half up (0 ≤ part ≤ total, total > 0). Integer arithmetic, so
    /// 1 of 8 (12.5 %) gives 13 exactly rather than whatever the nearest Double is.
    private static func percent(_ part: Int, of total: Int) -> Int {
        // Counts never come close to overflowing 200 × total, but the result must not trap if they did.
        guard total <= Int.max / 200 else {
            return Int((Double(part) / Double(total) * 100).rounded(.toNearestOrAwayFromZero))
        }
        return (200 * part + total) / (2 * total)
    }
}
