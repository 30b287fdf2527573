import Foundation

/// The resources a connected system's agreement may name.
public enum ExchangeResource: String, CaseIterable, Codable, Sendable {
    case cases
    case parties
    case catalogs
    case changes
    case judgments
    case debtors
    case onlineRequests = "online-requests"

    public var label: String {
        switch self {
        case .cases: "Hồ sơ thi hành án"
        case .parties: "Đương sự (theo số định danh)"
        case .catalogs: "Danh mục dùng chung"
        case .changes: "Dòng thay đổi"
        case .judgments: "Bản án, quyết định gửi đến"
        case .debtors: "Danh sách người chưa có điều kiện thi hành án"
        case .onlineRequests: "Trạng thái yêu cầu trực tuyến"
        }
    }
}

/// What a written agreement allows a connected system (G2): which units' data, which resources for reading or
/// writing, how often, from when until when, and whether whole ID numbers may leave the platform.
public struct ExchangeAgreement: Equatable, Sendable {
    /// Empty: every unit (a national system).
    public var units: Set<UUID>
    public var read: Set<ExchangeResource>
    public var write: Set<ExchangeResource>
    public var callsPerMinute: Int
    public var validFrom: LocalDate
    public var validTo: LocalDate?
    public var revealsIDNumbers: Bool

    public init(
        units: Set<UUID>, read: Set<ExchangeResource>, write: Set<ExchangeResource>, callsPerMinute: Int,
        validFrom: LocalDate, validTo: LocalDate?, revealsIDNumbers: Bool
    ) {
        self.units = units
        self.read = read
        self.write = write
        self.callsPerMinute = callsPerMinute
        self.validFrom = validFrom
        self.validTo = validTo
        self.revealsIDNumbers = revealsIDNumbers
    }

    public enum Refusal: Error, Equatable, Sendable {
        case suspended
        case notYetValid
        case expired
        case resourceNotGranted(ExchangeResource)
        case unitOutOfScope
        case tooFrequent(retryAfter: Int)

        /// The HTTP status the API answers with.
        public var status: Int {
            switch self {
            case .tooFrequent: 429
            default: 403
            }
        }

        /// Vietnamese title and detail for the problem document.
        public var title: String {
            switch self {
            case .suspended: "Hệ thống kết nối đang bị tạm dừng"
            case .notYetValid: "Thỏa thuận chưa có hiệu lực"
            case .expired: "Thỏa thuận đã hết hiệu lực"
            case .resourceNotGranted: "Thỏa thuận không cho phép thao tác này"
            case .unitOutOfScope: "Đơn vị nằm ngoài phạm vi thỏa thuận"
            case .tooFrequent: "Vượt tần suất cho phép của thỏa thuận"
            }
        }

        public var detail: String {
            switch self {
            case .suspended: "Cơ quan quản lý đã tạm dừng kết nối của hệ thống này."
            case .notYetValid: "Ngày hiện tại trước ngày bắt đầu hiệu lực của thỏa thuận."
            case .expired: "Ngày hiện tại sau ngày hết hiệu lực của thỏa thuận."
            case .resourceNotGranted(let resource): "Thỏa thuận không bao gồm: \(resource.label)."
            case .unitOutOfScope: "Dữ liệu của đơn vị này không thuộc phạm vi thỏa thuận."
            case .tooFrequent(let seconds): "Hãy thử lại sau \(seconds) giây."
            }
        }
    }

    /// Whether the agreement is in force on `day`.
    public func validity(on day: LocalDate) -> Refusal? {
        if day < validFrom { return .notYetValid }
        if let validTo, validTo < day { return .expired }
        return nil
    }

    public func admits(_ resource: ExchangeResource, writing: Bool) -> Bool {
        writing ? write.contains(resource) : read.contains(resource)
    }

    public func covers(unit: UUID) -> Bool { units.isEmpty || units.contains(unit) }
}

/// A fixed one-minute window per client: the count of calls in the current minute decides. The window's start is the
/// minute of the call, so the limit resets on the minute (simple to explain in an agreement: "N calls a minute").
public enum CallWindow {
    /// The minute a call at `epochSeconds` falls in.
    public static func minute(of epochSeconds: Int) -> Int { epochSeconds / 60 }

    /// nil when the call with this 1-based number in its minute is admitted; otherwise the refusal to answer.
    public static func check(callNumber: Int, limit: Int, epochSeconds: Int) -> ExchangeAgreement.Refusal? {
        guard callNumber > limit else { return nil }
        return .tooFrequent(retryAfter: 60 - epochSeconds % 60)
    }
}

/// Whether a signature's `created` time is acceptable at `now`: not older than the window, and not from the future
/// beyond a small skew between clocks.
public enum SignatureAge {
    public static let window = 300
    public static let skew = 60

    public static func acceptable(created: Int, now: Int) -> Bool {
        created <= now + skew && now - created <= window
    }
}
