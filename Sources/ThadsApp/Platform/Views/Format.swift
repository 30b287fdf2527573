import Foundation
import ThadsDomain

/// How the UI writes dates, times and money: Asia/Ho_Chi_Minh, dd/MM/yyyy, `1.234.567 đ`.
enum Format {
    static func date(_ date: Date?) -> String {
        guard let date else { return "" }
        return LocalDate(date: date, in: .vietnam).display
    }

    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .vietnam
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d", c.day!, c.month!, c.year!, c.hour!, c.minute!)
    }

    static func money(_ amount: Int64) -> String { MoneyText.dong(amount) }
}

extension String {
    /// The text made safe inside a double-quoted HTML attribute. Plot writes attribute values exactly as given (it
    /// escapes text nodes only), so a value typed or stored with a quote, such as a company named `Công ty "Hoa Mai"`,
    /// would end the attribute: the form would show and send back a cut value, and markup could be injected.
    var attributeEscaped: String {
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x22 || $0 == 0x27 || $0 == 0x3C || $0 == 0x3E }) else {
            return self
        }
        var escaped = ""
        escaped.reserveCapacity(utf8.count + 16)
        for character in unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
