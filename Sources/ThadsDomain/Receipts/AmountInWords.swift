/// Amounts read out in Vietnamese words, as a receipt prints them beside the figures ("Bằng chữ").
///
/// The reading follows the usual rules of accounting documents (northern usage, as in Decree 123/2020 forms):
/// - groups of three digits named "nghìn", "triệu", "tỷ"; above 999 tỷ the count of tỷ is itself read out
///   ("một nghìn tỷ");
/// - a group after a non-zero higher group is read in full: "không trăm" for a zero hundreds digit
///   (1.005 → "một nghìn không trăm linh năm"); an all-zero group is skipped;
/// - a zero tens digit before a non-zero unit reads "linh" (105 → "một trăm linh năm", never "lăm");
/// - tens 1 reads "mười", tens 2–9 read "… mươi";
/// - unit 1 after "mươi" reads "mốt" (21 → "hai mươi mốt"), but "một" after "mười" or "linh";
/// - unit 4 after "mươi" reads "tư" (24 → "hai mươi tư"), but "bốn" after "mười" or "linh";
/// - unit 5 after "mười" or "mươi" reads "lăm" (15, 25), but "năm" after "linh" or alone.
public enum AmountInWords {
    static let digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
    static let groupNames = ["", "nghìn", "triệu"]

    /// "một triệu hai trăm năm mươi nghìn"; 0 → "không"; a negative amount is read with "âm" before it.
    public static func words(_ amount: Int64) -> String {
        if amount == 0 { return "không" }
        let text = read(amount.magnitude)
        return amount < 0 ? "âm " + text : text
    }

    /// The line printed on a receipt: capitalised, in đồng ("Một triệu hai trăm năm mươi nghìn đồng").
    public static func receiptLine(_ amount: Int64) -> String {
        let text = words(amount) + " đồng"
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// Reads a positive number; `full` reads a leading group in full ("không trăm linh …") because a higher part
    /// was already said.
    private static func read(_ value: UInt64, full: Bool = false) -> String {
        let billion: UInt64 = 1_000_000_000
        if value >= billion {
            let rest = value % billion
            let head = read(value / billion, full: full) + " tỷ"
            return rest == 0 ? head : head + " " + read(rest, full: true)
        }
        var groups: [Int] = []
        var remaining = value
        while remaining > 0 {
            groups.append(Int(remaining % 1000))
            remaining /= 1000
        }
        var parts: [String] = []
        var spoken = full
        for index in stride(from: groups.count - 1, through: 0, by: -1) {
            let group = groups[index]
            guard group > 0 else { continue }
            parts.append(readGroup(group, full: spoken) + (groupNames[index].isEmpty ? "" : " " + groupNames[index]))
            spoken = true
        }
        return parts.joined(separator: " ")
    }

    /// Reads 1…999; `full` says the hundreds even when zero (a group after a higher one).
    static func readGroup(_ group: Int, full: Bool) -> String {
        let hundreds = group / 100
        let tens = group / 10 % 10
        let units = group % 10
        var words: [String] = []
        if hundreds > 0 || full { words += [digits[hundreds], "trăm"] }
        let saidHundreds = !words.isEmpty
        switch tens {
        case 0:
            if units > 0 {
                if saidHundreds { words.append("linh") }
                words.append(digits[units])
            }
        case 1:
            words.append("mười")
            if units > 0 { words.append(units == 5 ? "lăm" : digits[units]) }
        default:
            words += [digits[tens], "mươi"]
            switch units {
            case 0: break
            case 1: words.append("mốt")
            case 4: words.append("tư")
            case 5: words.append("lăm")
            default: words.append(digits[units])
            }
        }
        return words.joined(separator: " ")
    }
}
