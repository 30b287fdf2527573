import Foundation

/// The rules evaluated inside the application (F3, H3), so a single-machine install is warned without a
/// Prometheus server.
public enum AlertRule: String, Sendable, Codable, CaseIterable {
    case backupFailed, backupOverdue, drillOverdue, verifyFailed, diskNearlyFull, failedLoginBurst, abnormalAccess,
        unusualHours

    public var label: String {
        switch self {
        case .backupFailed: "Sao lưu thất bại"
        case .backupOverdue: "Quá hạn sao lưu"
        case .drillOverdue: "Quá hạn diễn tập khôi phục"
        case .verifyFailed: "Kho sao lưu hỏng"
        case .diskNearlyFull: "Ổ đĩa sắp đầy"
        case .failedLoginBurst: "Nhiều lần đăng nhập sai"
        case .abnormalAccess: "Truy cập bất thường"
        case .unusualHours: "Truy cập ngoài giờ"
        }
    }
}

/// The figures the rules compare, each a setting with a default.
public struct AlertThresholds: Sendable, Equatable {
    public var failedLoginsPer15Minutes: Int
    public var diskFreePercent: Int
    /// An account's views in a day above this multiple of its own usual day (and of its unit's peers) is abnormal.
    public var rateMultiple: Double
    /// Below this many views in a day nothing is abnormal, whatever the history (a new account's first day).
    public var minimumDailyViews: Int
    public var quietHours: (start: Int, end: Int)

    public init(
        failedLoginsPer15Minutes: Int = 20, diskFreePercent: Int = 10, rateMultiple: Double = 5,
        minimumDailyViews: Int = 200, quietHours: (start: Int, end: Int) = (22, 6)
    ) {
        self.failedLoginsPer15Minutes = failedLoginsPer15Minutes
        self.diskFreePercent = diskFreePercent
        self.rateMultiple = rateMultiple
        self.minimumDailyViews = minimumDailyViews
        self.quietHours = quietHours
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.failedLoginsPer15Minutes == rhs.failedLoginsPer15Minutes && lhs.diskFreePercent == rhs.diskFreePercent
            && lhs.rateMultiple == rhs.rateMultiple && lhs.minimumDailyViews == rhs.minimumDailyViews
            && lhs.quietHours == rhs.quietHours
    }

    /// Whether an hour (0–23, Vietnam time) lies in the quiet hours; a range like 22–6 wraps midnight.
    public func isQuiet(hour: Int) -> Bool {
        let (start, end) = quietHours
        if start == end { return false }
        return start < end ? (start..<end).contains(hour) : (hour >= start || hour < end)
    }

    public func diskNearlyFull(freeBytes: Int64, totalBytes: Int64) -> Bool {
        guard totalBytes > 0 else { return false }
        return Double(freeBytes) * 100 < Double(totalBytes) * Double(diskFreePercent)
    }

    public func failedLoginBurst(_ count: Int) -> Bool { count >= failedLoginsPer15Minutes }

    /// One account's views today against its own usual day (the median of its previous days) and its unit's
    /// peers' days today (their median): abnormal when above the minimum and above `rateMultiple` times the larger
    /// of the two, so a unit that is busy as a whole raises nothing.
    public func abnormalRate(today: Int, ownHistory: [Int], peersToday: [Int]) -> Bool {
        guard today >= minimumDailyViews else { return false }
        let usual = max(Self.median(ownHistory), Self.median(peersToday), 1)
        return Double(today) > rateMultiple * Double(usual)
    }

    static func median(_ values: [Int]) -> Int {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// The operations log is kept at least two years (Regulation 000, Art. 17).
public enum OperationsRetention {
    public static let minimumDays = 731

    /// Whether deleting every entry older than `before` leaves the last two years untouched.
    public static func mayDelete(before: Date, now: Date) -> Bool {
        before <= now.addingTimeInterval(-Double(minimumDays) * 86400)
    }
}
