/// Amounts of money as Vietnamese users read them: đồng, thousands grouped with dots.
///
/// The domain formats amounts itself (rather than through `NumberFormatter`) so that messages are
/// the same on every platform and locale the server runs with.
public enum MoneyText {
    /// "1.234.567 đ"; negative amounts get a leading minus ("-5.000 đ").
    public static func dong(_ amount: Int64) -> String {
        grouped(amount) + " đ"
    }

    /// "1.234.567": any count or amount with Vietnamese thousands separators.
    public static func grouped(_ value: Int64) -> String {
        // `magnitude` is a UInt64, so Int64.min formats without overflow.
        let digits = Array(String(value.magnitude))
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}
