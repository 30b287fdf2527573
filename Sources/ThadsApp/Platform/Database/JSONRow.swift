import Fluent
import Foundation

/// A PostgreSQL row given as JSON (`row_to_json`), read as a model's fields. Only the types the models use are
/// read: text, UUID, integers, booleans and `timestamptz`; any other type is an error, never a guess.
struct JSONRow: DatabaseOutput, @unchecked Sendable {
    let object: [String: Any]

    init(_ object: [String: Any]) { self.object = object }

    var description: String { "\(object)" }
    func schema(_ schema: String) -> any DatabaseOutput { self }
    func contains(_ key: FieldKey) -> Bool { object[key.description] != nil }
    func decodeNil(_ key: FieldKey) throws -> Bool { object[key.description] is NSNull }

    /// A value of `type`, or of the type it wraps when Fluent asks for an optional; anything else, or a value that
    /// does not convert, is an error (a silent nil would read as a missing value).
    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        let value = object[key.description]
        guard let converted = Self.convert(value, to: type), let result = converted as? T else {
            throw DecodingError.typeMismatch(
                T.self, .init(codingPath: [], debugDescription: "\(key.description): \(String(describing: value))"))
        }
        return result
    }

    private static func convert(_ value: Any?, to type: Any.Type) -> Any? {
        switch type {
        case is String.Type, is String?.Type: value as? String
        case is UUID.Type, is UUID?.Type: (value as? String).flatMap(UUID.init(uuidString:))
        case is Date.Type, is Date?.Type: (value as? String).flatMap(timestamp)
        case is Int.Type, is Int?.Type: (value as? Int) ?? (value as? NSNumber)?.intValue
        case is Int64.Type, is Int64?.Type:
            (value as? Int64) ?? (value as? Int).map(Int64.init) ?? (value as? NSNumber)?.int64Value
        case is Bool.Type, is Bool?.Type: (value as? Bool) ?? (value as? NSNumber)?.boolValue
        default: nil
        }
    }

    /// `2026-11-24T02:03:17.123456+07:00` as PostgreSQL writes a `timestamptz` in JSON, to the same `Date` its
    /// binary form gives (microseconds since 2000-01-01 UTC), so a model reads the same either way.
    static func timestamp(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + digits] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func skip(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip(45), let month = number(2), skip(45), let day = number(2), skip(84),
            let hour = number(2), skip(58), let minute = number(2), skip(58), let second = number(2)
        else { return nil }
        var micros = 0
        if skip(46) {
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 6 { micros = micros * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            let sign = bytes[index] == 45 ? -1 : 1
            guard bytes[index] == 43 || bytes[index] == 45 else { return nil }
            index += 1
            guard let hours = number(2) else { return nil }
            let minutes = skip(58) ? (number(2) ?? 0) : 0
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count else { return nil }
        // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds - 946_684_800
        let sinceYear2000 = Int64(seconds) * 1_000_000 + Int64(micros)
        return Date(timeInterval: Double(sinceYear2000) / 1_000_000, since: Date(timeIntervalSince1970: 946_684_800))
    }
}
