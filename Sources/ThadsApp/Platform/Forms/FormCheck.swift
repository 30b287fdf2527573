import Foundation
import ThadsDomain
import Vapor

/// A submitted form's text fields (trimmed, NFC) and the messages for the fields it refused, so that every form
/// validates the same way and shows each error next to its field.
struct FormCheck {
    private(set) var values: [String: String]
    var errors: [String: String] = [:]

    init(_ values: [String: String]) {
        self.values = values.mapValues { TextInput.normalized(Self.trimmed($0)) }
    }

    /// Without surrounding whitespace and newlines; a value with none is returned as is (the common case, and
    /// Foundation's trimming is slow enough to show in an import of a million rows).
    static func trimmed(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return value }
        if !Self.mayBeSpace(first) && !Self.mayBeSpace(last) { return value }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Reads the named fields of a form body; absent fields read as empty. With a prefix, field "qd-number" is
    /// read as "number" (one page holding two records with the same field names).
    init(_ req: Request, keys: [String], prefix: String = "") {
        var values: [String: String] = [:]
        for key in keys { values[key] = (try? req.content.get(String.self, at: prefix + key)) ?? "" }
        self.init(values)
    }

    /// The errors keyed by the names the page used (see `init(_:keys:prefix:)`).
    func errors(prefix: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: errors.map { (prefix + $0.key, $0.value) })
    }

    func values(prefix: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: values.map { (prefix + $0.key, $0.value) })
    }

    subscript(_ key: String) -> String { values[key] ?? "" }

    /// Every whitespace or newline Foundation trims has Unicode's White_Space property; ASCII is decided without
    /// looking the property up.
    static func mayBeSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    var isValid: Bool { errors.isEmpty }

    mutating func fail(_ key: String, _ message: String) {
        if errors[key] == nil { errors[key] = message }
    }

    /// Free text of at most `max` characters (Unicode scalars), under the platform's input rule (`TextInput`):
    /// `.multi` for a text area, which keeps line breaks and tabs. "" when empty and not required.
    mutating func text(
        _ key: String, label: String, required: Bool = false, max: Int = 500, lines: TextInput.Lines = .single
    ) -> String {
        let value = self[key]
        if value.isEmpty && required {
            fail(key, "Nhập \(label.lowercased()).")
        } else if let message = Self.refusal(value, label: label, max: max, lines: lines) {
            fail(key, message)
        }
        return value
    }

    /// The message for a field `TextInput` refuses, for forms that keep their own error dictionary; `value` is
    /// normalised first, as `FormCheck` stores it.
    static func refusal(_ value: String, label: String, max: Int, lines: TextInput.Lines = .single) -> String? {
        TextInput.refusal(TextInput.normalized(value), lines: lines, maxScalars: max).map {
            TextInput.message($0, label: label)
        }
    }

    /// A date typed as dd/mm/yyyy (or ISO); nil when empty or refused. Event dates cannot be after `today`.
    mutating func date(_ key: String, label: String, required: Bool = false, notAfter today: LocalDate? = nil)
        -> LocalDate?
    {
        let value = self[key]
        if value.isEmpty {
            if required { fail(key, "Nhập \(label.lowercased()) theo dạng dd/mm/yyyy.") }
            return nil
        }
        guard let date = LocalDate(typed: value), date.year >= 1900 else {
            fail(key, "\(label) không hợp lệ: nhập theo dạng dd/mm/yyyy.")
            return nil
        }
        if let today, date > today {
            fail(key, "\(label) không được sau ngày hôm nay (\(today.display)).")
            return nil
        }
        return date
    }

    /// An amount in đồng typed as "1.234.567", "1 234 567" or "1234567 đ"; nil when empty or refused.
    mutating func amount(_ key: String, label: String, required: Bool = false) -> Int64? {
        let value = self[key]
        if value.isEmpty {
            if required { fail(key, "Nhập \(label.lowercased()) (đồng).") }
            return nil
        }
        let digits = value.filter { !Self.amountSeparators.contains($0) }
        guard !digits.isEmpty, digits.count <= 16, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let amount = Int64(digits), amount > 0, amount <= 1_000_000_000_000_000
        else {
            fail(key, "\(label) phải là số tiền dương tính bằng đồng, ví dụ 1.234.567.")
            return nil
        }
        return amount
    }

    private static let amountSeparators: Set<Character> = [".", " ", "\u{00A0}", "đ", "₫"]

    /// One of an enum's raw values, as offered by a select.
    mutating func choice<Value: RawRepresentable>(_ key: String, label: String, _ type: Value.Type) -> Value?
    where Value.RawValue == String {
        guard let value = Value(rawValue: self[key]) else {
            fail(key, "Chọn \(label.lowercased()).")
            return nil
        }
        return value
    }

    /// The code of a catalog entry among `entries` (those valid on the relevant day).
    mutating func catalogCode(_ key: String, label: String, entries: [CatalogEntry], required: Bool = true)
        -> String?
    {
        catalogCode(key, label: label, required: required) { code in entries.contains { $0.code == code } }
    }

    /// The code of a catalog entry, `isValid` telling whether it may be chosen on the relevant day.
    mutating func catalogCode(
        _ key: String, label: String, required: Bool = true, isValid: (String) -> Bool
    ) -> String? {
        let value = self[key]
        if value.isEmpty {
            if required { fail(key, "Chọn \(label.lowercased()).") }
            return nil
        }
        guard isValid(value) else {
            fail(key, "\(label) không có trong danh mục hoặc không còn hiệu lực vào ngày này.")
            return nil
        }
        return value
    }
}
