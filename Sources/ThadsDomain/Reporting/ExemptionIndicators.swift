import Foundation

/// What form 06 counts (Art. 61: the court exempts or reduces a state-budget obligation), by catalog code so that a
/// renamed catalog entry does not change a report.
public enum ExemptionIndicators {
    /// The termination grounds that record the court's full exemption: Art. 50.1(e) until 30/06/2026, then the 2025
    /// law's ground.
    public static let fullExemptionGrounds = ["D50-1E", "L106-EXEMPT"]
    /// The correction reason a partial reduction of an obligation's amount is recorded under.
    public static let reductionReason = "CR-EXEMPTION"

    /// The amount a correction took off, from the amounts as the history shows them ("2.000.000 đ"); nil when the
    /// correction did not lower the amount or a side is not an amount.
    public static func reduction(before: String, after: String) -> Int64? {
        guard let old = amount(before), let new = amount(after), old > new else { return nil }
        return old - new
    }

    private static func amount(_ shown: String) -> Int64? {
        let digits = shown.filter(\.isASCII).filter(\.isNumber)
        guard !digits.isEmpty, shown.allSatisfy({ $0.isNumber || $0 == "." || $0.isWhitespace || $0 == "đ" }) else {
            return nil
        }
        return Int64(digits)
    }
}
