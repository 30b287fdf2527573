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

    static func money(_ amount: Int64) -> String {
        let negative = amount < 0
        var digits = String(amount.magnitude)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (negative ? "-" : "") + groups.joined(separator: ".") + " đ"
    }
}
