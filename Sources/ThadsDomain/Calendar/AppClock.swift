import Foundation

/// Where every "now" and "today" of the platform comes from. The server reads the system's time; a test fixes or
/// moves it, so that legal clocks (working-day deadlines, password expiry, Tết) can be checked on any day.
/// `AppClock.system` is the only place in the code that reads the machine's time.
public struct AppClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The instant now (UTC inside; shown in Vietnam's time zone).
    public var now: Date { read() }

    /// The calendar day now in Vietnam (a legal date: deadlines are counted on these).
    public var today: LocalDate { LocalDate(date: read(), in: .vietnam) }

    public static let system = AppClock { Date() }

    /// A clock that always answers `date`.
    public static func fixed(_ date: Date) -> AppClock { AppClock { date } }

    /// A clock that always answers `hour`:00 Vietnam time on `day`.
    public static func fixed(_ day: LocalDate, hour: Int = 9) -> AppClock {
        fixed(day.startOfDay(in: .vietnam).addingTimeInterval(TimeInterval(hour * 3600)))
    }
}

/// A clock a test moves by hand: `advance(by:)` and `set(_:)` act on every reader at once.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public convenience init(_ day: LocalDate, hour: Int = 9) {
        self.init(day.startOfDay(in: .vietnam).addingTimeInterval(TimeInterval(hour * 3600)))
    }

    public var clock: AppClock { AppClock { [self] in lock.withLock { current } } }

    public func set(_ date: Date) { lock.withLock { current = date } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}
