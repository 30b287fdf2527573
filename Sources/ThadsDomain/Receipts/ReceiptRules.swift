import Foundation

/// What a receipt series collects (Decree 123/2020 Art. 32 covers all three on one kind of document).
public enum ReceiptPurpose: String, Sendable, Codable, CaseIterable, Hashable {
    case enforcementMoney
    case fee
    case charge

    public var label: String {
        switch self {
        case .enforcementMoney: "Thu tiền thi hành án"
        case .fee: "Thu phí thi hành án"
        case .charge: "Thu lệ phí"
        }
    }
}

/// The state of one receipt: the number stays used whatever happens to it.
public enum ReceiptState: String, Sendable, Codable, CaseIterable, Hashable {
    case valid
    case cancelled
    case replaced

    public var label: String {
        switch self {
        case .valid: "Có hiệu lực"
        case .cancelled: "Đã hủy"
        case .replaced: "Đã bị thay thế"
        }
    }
}

/// The symbols and numbers of a receipt series (Decree 123/2020 Art. 32; Circular 78/2021 Art. 6).
public enum ReceiptRules {
    /// Receipt numbers have at most 7 digits.
    public static let largestNumber = 9_999_999

    /// The form symbol ("ký hiệu mẫu"): 10 characters, e.g. `01BLP0-001` — two digits, four capitals or digits,
    /// a dash and three digits.
    public static func formSymbolProblem(_ symbol: String) -> String? {
        let chars = Array(symbol)
        guard chars.count == 10, chars[6] == "-",
            chars[0...1].allSatisfy(\.isASCIIDigit), chars[2...5].allSatisfy(\.isASCIIUpperOrDigit),
            chars[7...9].allSatisfy(\.isASCIIDigit)
        else { return "Ký hiệu mẫu gồm 10 ký tự, ví dụ 01BLP0-001." }
        return nil
    }

    /// The receipt symbol ("ký hiệu biên lai"): two capitals, a dash, the 2-digit year of the series and E for an
    /// electronic receipt, e.g. `AA-25E` for 2025.
    public static func receiptSymbolProblem(_ symbol: String, year: Int) -> String? {
        let chars = Array(symbol)
        guard chars.count == 6, chars[2] == "-", chars[5] == "E",
            chars[0...1].allSatisfy(\.isASCIIUpper), chars[3...4].allSatisfy(\.isASCIIDigit)
        else { return "Ký hiệu biên lai gồm 2 chữ in hoa, dấu gạch, 2 số cuối của năm và chữ E, ví dụ AA-25E." }
        let digits = String(chars[3...4])
        guard digits == String(format: "%02d", year % 100) else {
            return "Hai số trong ký hiệu phải là hai số cuối của năm \(year) (\(String(format: "%02d", year % 100)))."
        }
        return nil
    }

    /// The range of numbers a series may hand out, or why not.
    public static func rangeProblem(first: Int, last: Int) -> String? {
        guard first >= 1 else { return "Số đầu tiên từ 1 trở lên." }
        guard last >= first else { return "Số cuối không nhỏ hơn số đầu." }
        guard last <= largestNumber else { return "Số biên lai có tối đa 7 chữ số (đến 9999999)." }
        return nil
    }

    /// The number as printed: 7 digits with leading zeros ("0000123").
    public static func display(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    /// The `taken`-th number of a series whose range starts at `first` (the counter starts at 1), or nil when the
    /// range is used up.
    public static func number(taken: Int, first: Int, last: Int) -> Int? {
        let number = first + taken - 1
        return number <= last ? number : nil
    }

    /// Lookup codes are printed on the receipt and typed on the public page: 10 characters from an alphabet without
    /// look-alikes (no 0/O, 1/I/L), grouped 5-5.
    public static let lookupAlphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    public static func lookupCode(randomBytes: [UInt8]) -> String {
        precondition(randomBytes.count >= 10, "ten random bytes make a lookup code")
        let chars = randomBytes.prefix(10).map { lookupAlphabet[Int($0) % lookupAlphabet.count] }
        return String(chars[0..<5]) + "-" + String(chars[5..<10])
    }

    /// The typed code in its stored form: capitals, the dash put back, spaces ignored; nil if it cannot be one.
    public static func normalisedLookupCode(_ typed: String) -> String? {
        let mapped = Array(typed.uppercased().filter { $0 != " " && $0 != "-" })
        guard mapped.count == 10, mapped.allSatisfy({ lookupAlphabet.contains($0) }) else { return nil }
        return String(mapped[0..<5]) + "-" + String(mapped[5..<10])
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isASCIIUpper: Bool { ("A"..."Z").contains(self) }
    fileprivate var isASCIIUpperOrDigit: Bool { isASCIIDigit || isASCIIUpper }
}
