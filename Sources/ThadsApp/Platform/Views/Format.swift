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

    /// "1.234": a count with the thousands separator.
    static func count(_ value: Int) -> String { MoneyText.grouped(Int64(value)) }
}
