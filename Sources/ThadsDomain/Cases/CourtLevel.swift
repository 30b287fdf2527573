/// The kinds of body whose judgments and decisions are enforced, and when each could issue them.
///
/// Law No. 81/2025/QH15 reorganised the courts from 01/07/2025: the high courts and the district courts ended, the
/// regional courts began, and the 63 provincial courts became 34. A judgment is recorded with the court that issued
/// it on its date, so a district court's judgment of 15/03/2025 is right and one of 15/07/2025 is a mistake.
public enum CourtLevel: String, CaseIterable, Sendable, Codable {
    case supreme
    case high
    case provincial
    case district
    case regional
    case military
    case arbitration
    case competition
    case foreign
    case other

    /// The day the reorganisation took effect (Luật số 81/2025/QH15, effective 01/07/2025).
    public static let reorganisedOn = LocalDate(uncheckedYear: 2025, month: 7, day: 1)
    /// The day the 2014 Law on the organisation of people's courts, which created the high courts, took effect.
    public static let highCourtsFrom = LocalDate(uncheckedYear: 2015, month: 6, day: 1)

    public var label: String {
        switch self {
        case .supreme: "Tòa án nhân dân tối cao"
        case .high: "Tòa án nhân dân cấp cao"
        case .provincial: "Tòa án nhân dân cấp tỉnh"
        case .district: "Tòa án nhân dân cấp huyện"
        case .regional: "Tòa án nhân dân khu vực"
        case .military: "Tòa án quân sự"
        case .arbitration: "Trọng tài thương mại"
        case .competition: "Cơ quan xử lý vụ việc cạnh tranh"
        case .foreign: "Tòa án, trọng tài nước ngoài (đã được công nhận)"
        case .other: "Cơ quan khác"
        }
    }

    /// The days a body of this level could issue a judgment or decision; nil when the law sets no bound here.
    public var period: ClosedRange<LocalDate>? {
        let lastDayBefore = Self.reorganisedOn.adding(days: -1)
        return switch self {
        case .high: Self.highCourtsFrom...lastDayBefore
        case .district: LocalDate(uncheckedYear: 1, month: 1, day: 1)...lastDayBefore
        case .regional: Self.reorganisedOn...LocalDate.latest
        case .supreme, .provincial, .military, .arbitration, .competition, .foreign, .other: nil
        }
    }

    /// Why a body of this level cannot have issued a judgment dated `date`, or nil when it could.
    public func refusal(judgmentDate date: LocalDate) -> String? {
        guard let period, !period.contains(date) else { return nil }
        let law = "Luật số 81/2025/QH15 sửa đổi Luật Tổ chức Tòa án nhân dân"
        let cutoff = Self.reorganisedOn.display
        switch self {
        case .district:
            return "\(label) không còn từ \(cutoff) (\(law)); bản án, quyết định ngày \(date.display) phải của "
                + "Tòa án nhân dân khu vực hoặc cấp tỉnh."
        case .high:
            if date >= Self.reorganisedOn {
                return "\(label) không còn từ \(cutoff) (\(law)); bản án, quyết định ngày \(date.display) phải của "
                    + "Tòa án nhân dân tối cao hoặc cấp tỉnh."
            }
            return "\(label) chỉ có từ \(Self.highCourtsFrom.display) (Luật Tổ chức Tòa án nhân dân 2014); "
                + "bản án, quyết định ngày \(date.display) là của tòa án khác."
        case .regional:
            return "\(label) chỉ có từ \(cutoff) (\(law)); bản án, quyết định ngày \(date.display) là của "
                + "Tòa án nhân dân cấp huyện hoặc cấp tỉnh."
        case .supreme, .provincial, .military, .arbitration, .competition, .foreign, .other:
            return nil
        }
    }
}

/// What a court entry of the catalog says about the court: its level and, for provincial, district and regional
/// courts, the province code. Stored as "level:province" ("district:01", "regional:79", "supreme:").
public struct CourtDescription: Equatable, Sendable {
    public var level: CourtLevel
    public var province: String

    public init(level: CourtLevel, province: String = "") {
        self.level = level
        self.province = province
    }

    public init?(attribute: String) {
        let parts = attribute.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let level = parts.first.flatMap({ CourtLevel(rawValue: String($0)) }) else { return nil }
        let province = parts.count > 1 ? String(parts[1]) : ""
        guard province.isEmpty || province.allSatisfy({ $0.isASCII && $0.isNumber }) && province.count == 2 else {
            return nil
        }
        self.init(level: level, province: province)
    }

    public var attribute: String { level.rawValue + ":" + province }

    /// Why the court named `name`, listed from `validFrom` to `validTo` (nil: still listed), cannot have issued a
    /// judgment dated `date`; nil when it could. The level's bound comes first: it says what the law changed.
    public func refusal(name: String, validFrom: LocalDate, validTo: LocalDate?, judgmentDate date: LocalDate)
        -> String?
    {
        if let why = level.refusal(judgmentDate: date) { return why }
        if date < validFrom {
            return "\(name) chỉ có trong danh mục từ \(validFrom.display); bản án, quyết định ngày \(date.display) "
                + "là của tòa án khác hoặc ngày đã nhập sai."
        }
        if let validTo, date > validTo {
            return "\(name) chỉ có trong danh mục đến \(validTo.display); bản án, quyết định ngày \(date.display) "
                + "là của tòa án kế thừa hoặc ngày đã nhập sai."
        }
        return nil
    }
}
