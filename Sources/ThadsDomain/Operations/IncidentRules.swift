import Foundation

/// How bad an incident is (F5). A severe one must be remedied, together with the central department, within 24
/// hours of its detection (Regulation 000, Art. 13.2).
public enum IncidentSeverity: String, Sendable, Codable, CaseIterable {
    case minor, major, severe

    public var label: String {
        switch self {
        case .minor: "Nhẹ"
        case .major: "Trung bình"
        case .severe: "Nghiêm trọng"
        }
    }

    /// "Trong vòng 24 giờ kể từ khi phát hiện" counts clock hours, not working hours: the regulation names hours, not working days, and
    /// an attack or a leak does not wait for Monday or for the end of Tết. Nights, weekends and holidays count.
    public func remedyDue(detectedAt: Date) -> Date? {
        self == .severe ? detectedAt.addingTimeInterval(24 * 3600) : nil
    }
}

/// What kind of incident staff report from any page (J8).
public enum IncidentKind: String, Sendable, Codable, CaseIterable {
    case hardware, software, connection, attack, dataLeak

    public var label: String {
        switch self {
        case .hardware: "Phần cứng"
        case .software: "Phần mềm"
        case .connection: "Kết nối"
        case .attack: "Tấn công"
        case .dataLeak: "Lộ, lọt dữ liệu"
        }
    }

    /// An attack or a leak is severe until the operator says otherwise: the 24-hour clock starts at once.
    public var defaultSeverity: IncidentSeverity { self == .attack || self == .dataLeak ? .severe : .major }
}

/// The classes of a change request (F6): (a) business process or forms, (b) technical features and usability,
/// (c) defect.
public enum ChangeClass: String, Sendable, Codable, CaseIterable {
    case a, b, c

    public var label: String {
        switch self {
        case .a: "(a) Quy trình nghiệp vụ, biểu mẫu"
        case .b: "(b) Tính năng kỹ thuật, tiện dụng"
        case .c: "(c) Lỗi"
        }
    }
}

public enum ChangeStatus: String, Sendable, Codable, CaseIterable {
    case received, accepted, scheduled, done, declined

    public var label: String {
        switch self {
        case .received: "Đã tiếp nhận"
        case .accepted: "Chấp nhận"
        case .scheduled: "Đã lên kế hoạch"
        case .done: "Đã thực hiện"
        case .declined: "Không chấp nhận"
        }
    }

    /// A decline needs its reason written down; the other decisions may carry one.
    public var needsDecisionText: Bool { self == .declined }
}

/// The month a security summary covers (H4): compiled on the first working day of the next month.
public struct SummaryMonth: Sendable, Hashable, Comparable {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (2000...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    /// "11/2026".
    public init?(display: String) {
        let parts = display.split(separator: "/").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2 else { return nil }
        self.init(year: parts[1], month: parts[0])
    }

    public var display: String { String(format: "%02d/%04d", month, year) }
    public var first: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var next: SummaryMonth {
        month == 12 ? SummaryMonth(year: year + 1, month: 1)! : SummaryMonth(year: year, month: month + 1)!
    }
    public var previous: SummaryMonth {
        month == 1 ? SummaryMonth(year: year - 1, month: 12)! : SummaryMonth(year: year, month: month - 1)!
    }

    public static func containing(_ day: LocalDate) -> SummaryMonth { SummaryMonth(year: day.year, month: day.month)! }

    /// The month whose summary is due on `day`: the previous one, when `day` is the first working day of its month.
    public static func due(on day: LocalDate, calendar: WorkingCalendar) -> SummaryMonth? {
        let month = containing(day)
        var first = month.first
        while !calendar.isWorkingDay(first) { first = first.adding(days: 1) }
        return first == day ? month.previous : nil
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}
