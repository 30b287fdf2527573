import Foundation

/// The unit of a legal parameter.
public enum ParameterUnit: String, Codable, Sendable, CaseIterable {
    case workingDays
    case days
    case months
    case years
    case dong
    case count
    case hour

    /// Vietnamese label, as shown after a value ("5 ngày làm việc").
    public var label: String {
        switch self {
        case .workingDays: "ngày làm việc"
        case .days: "ngày"
        case .months: "tháng"
        case .years: "năm"
        case .dong: "đồng"
        case .count: "lần/số"
        case .hour: "giờ"
        }
    }
}

/// One value of a legal parameter, in force from `effectiveFrom` until the next value of the same
/// name takes effect.
public struct LegalParameterValue: Sendable, Codable, Hashable {
    public var name: String
    public var value: Int64
    public var unit: ParameterUnit
    public var effectiveFrom: LocalDate
    /// The legal text it comes from.
    public var source: String
    /// True when read in a legal or official source ([confirmed] in DOMAIN.md).
    public var verified: Bool
    public var note: String?

    public init(
        name: String, value: Int64, unit: ParameterUnit, effectiveFrom: LocalDate, source: String,
        verified: Bool, note: String? = nil
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.effectiveFrom = effectiveFrom
        self.source = source
        self.verified = verified
        self.note = note
    }

    /// Vietnamese name of the parameter.
    public var displayName: String { LegalParameterName.displayName(for: name) }
}

/// A table of legal parameter values keyed by name and effective date.
public struct LegalParameterSet: Sendable {
    /// Values by name, sorted by `effectiveFrom`; for equal dates the one given later wins.
    private let byName: [String: [LegalParameterValue]]

    public init(_ values: [LegalParameterValue]) {
        var byName: [String: [LegalParameterValue]] = [:]
        for value in values { byName[value.name, default: []].append(value) }
        for (name, list) in byName {
            // Stable sort by date, then keep only the last value given for each date.
            let sorted = list.enumerated()
                .sorted {
                    ($0.element.effectiveFrom, $0.offset) < ($1.element.effectiveFrom, $1.offset)
                }
                .map(\.element)
            var unique: [LegalParameterValue] = []
            for value in sorted {
                if unique.last?.effectiveFrom == value.effectiveFrom { unique.removeLast() }
                unique.append(value)
            }
            byName[name] = unique
        }
        self.byName = byName
    }

    /// The shipped values (`LegalParameterName.seed`).
    public static let seeded = LegalParameterSet(LegalParameterName.seed)

    /// The value in force on `date`: the latest with `effectiveFrom <= date`, or nil.
    public func value(_ name: String, on date: LocalDate) -> LegalParameterValue? {
        guard let list = byName[name] else { return nil }
        // Binary search for the last value with effectiveFrom <= date.
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].effectiveFrom <= date { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : list[low - 1]
    }

    /// The number in force on `date`, as an `Int`.
    public func int(_ name: String, on date: LocalDate) -> Int? {
        value(name, on: date).map { Int($0.value) }
    }

    /// All values of `name`, oldest first.
    public func history(_ name: String) -> [LegalParameterValue] { byName[name] ?? [] }

    /// The names present, sorted.
    public var names: [String] { byName.keys.sorted() }

    /// Every value, by name then date.
    public var allValues: [LegalParameterValue] { names.flatMap { history($0) } }
}

/// Names of the legal parameters, their Vietnamese display names and the seed values.
public enum LegalParameterName {
    // Case lifecycle (Law on Civil Judgment Enforcement 2008, amended 2014).
    public static let requestLimitationYears = "requestLimitationYears"
    public static let refusalWorkingDays = "refusalWorkingDays"
    public static let enforcementDecisionWorkingDays = "enforcementDecisionWorkingDays"
    public static let provisionalMeasureDecisionHours = "provisionalMeasureDecisionHours"
    public static let documentNotificationWorkingDays = "documentNotificationWorkingDays"
    public static let voluntaryPaymentDays = "voluntaryPaymentDays"
    public static let verificationDaysAfterVoluntary = "verificationDaysAfterVoluntary"
    public static let stateDecisionWorkingDays = "stateDecisionWorkingDays"
    public static let payoutDays = "payoutDays"

    // Debtors without conditions.
    public static let reverificationMonths = "reverificationMonths"
    public static let reverificationMonthsLongTerm = "reverificationMonthsLongTerm"
    public static let longTermImprisonmentYears = "longTermImprisonmentYears"
    public static let publicationUpdateWorkingDays = "publicationUpdateWorkingDays"
    public static let separateBookYears = "separateBookYears"
    public static let separateBookYearsLongTerm = "separateBookYearsLongTerm"
    public static let separateBookMinVerifications = "separateBookMinVerifications"
    public static let separateBookTransferWorkingDays = "separateBookTransferWorkingDays"

    // Exemption and reduction (Art. 61).
    public static let exemptionFullTier1MaxDong = "exemptionFullTier1MaxDong"
    public static let exemptionFullTier1Years = "exemptionFullTier1Years"
    public static let exemptionFullTier2MaxDong = "exemptionFullTier2MaxDong"
    public static let exemptionFullTier2Years = "exemptionFullTier2Years"
    public static let exemptionRemainderTier1MaxDong = "exemptionRemainderTier1MaxDong"
    public static let exemptionRemainderTier1Years = "exemptionRemainderTier1Years"
    public static let exemptionRemainderTier2MaxDong = "exemptionRemainderTier2MaxDong"
    public static let exemptionRemainderTier2Years = "exemptionRemainderTier2Years"
    public static let partialPaymentFractionDenominator = "partialPaymentFractionDenominator"
    public static let reductionMinYears = "reductionMinYears"
    public static let verificationReportMaxAgeMonths = "verificationReportMaxAgeMonths"

    // Statistics, receipts.
    public static let statisticalYearStartMonth = "statisticalYearStartMonth"
    public static let receiptNumberMaxDigits = "receiptNumberMaxDigits"

    // Working days and platform practice.
    public static let cutoffHour = "cutoffHour"
    public static let onlineRequestStepWorkingDays = "onlineRequestStepWorkingDays"
    public static let accountApprovalWorkingDays = "accountApprovalWorkingDays"
    public static let lateEntryWorkingDays = "lateEntryWorkingDays"

    /// Every name, in display order.
    public static let all: [String] = [
        requestLimitationYears, refusalWorkingDays, enforcementDecisionWorkingDays,
        provisionalMeasureDecisionHours, documentNotificationWorkingDays, voluntaryPaymentDays,
        verificationDaysAfterVoluntary,
        stateDecisionWorkingDays, payoutDays,
        reverificationMonths, reverificationMonthsLongTerm, longTermImprisonmentYears,
        publicationUpdateWorkingDays, separateBookYears, separateBookYearsLongTerm,
        separateBookMinVerifications, separateBookTransferWorkingDays,
        exemptionFullTier1MaxDong, exemptionFullTier1Years, exemptionFullTier2MaxDong,
        exemptionFullTier2Years, exemptionRemainderTier1MaxDong, exemptionRemainderTier1Years,
        exemptionRemainderTier2MaxDong, exemptionRemainderTier2Years,
        partialPaymentFractionDenominator, reductionMinYears, verificationReportMaxAgeMonths,
        statisticalYearStartMonth, receiptNumberMaxDigits,
        cutoffHour, onlineRequestStepWorkingDays, accountApprovalWorkingDays, lateEntryWorkingDays,
    ]

    /// Vietnamese names for the admin page.
    public static let displayNames: [String: String] = [
        requestLimitationYears: "Thời hiệu yêu cầu thi hành án",
        refusalWorkingDays: "Thời hạn từ chối nhận đơn yêu cầu thi hành án",
        enforcementDecisionWorkingDays: "Thời hạn ra quyết định thi hành án",
        provisionalMeasureDecisionHours:
            "Thời hạn ra quyết định thi hành quyết định áp dụng biện pháp khẩn cấp tạm thời",
        documentNotificationWorkingDays: "Thời hạn thông báo văn bản về thi hành án",
        voluntaryPaymentDays: "Thời hạn tự nguyện thi hành án",
        verificationDaysAfterVoluntary:
            "Thời hạn xác minh điều kiện thi hành án sau thời hạn tự nguyện",
        stateDecisionWorkingDays:
            "Thời hạn ra quyết định hoãn, tạm đình chỉ, đình chỉ, trả đơn, ủy thác thi hành án",
        payoutDays: "Thời hạn chi trả tiền thi hành án",
        reverificationMonths: "Chu kỳ xác minh lại điều kiện thi hành án",
        reverificationMonthsLongTerm:
            "Chu kỳ xác minh lại (người phải thi hành án đang chấp hành hình phạt tù hoặc không rõ địa chỉ)",
        longTermImprisonmentYears:
            "Thời gian chấp hành hình phạt tù còn lại tối thiểu (trường hợp dài hạn)",
        publicationUpdateWorkingDays:
            "Thời hạn cập nhật thông tin công khai người chưa có điều kiện thi hành",
        separateBookYears: "Thời gian tối thiểu để chuyển sang sổ theo dõi riêng",
        separateBookYearsLongTerm:
            "Thời gian tối thiểu để chuyển sang sổ theo dõi riêng (đang chấp hành hình phạt tù hoặc không rõ địa chỉ)",
        separateBookMinVerifications:
            "Số lần xác minh tối thiểu trước khi chuyển sổ theo dõi riêng",
        separateBookTransferWorkingDays: "Thời hạn chuyển sang sổ theo dõi riêng",
        exemptionFullTier1MaxDong: "Miễn toàn bộ: mức nghĩa vụ còn lại dưới (mức 1)",
        exemptionFullTier1Years: "Miễn toàn bộ: thời gian từ khi có quyết định thi hành án (mức 1)",
        exemptionFullTier2MaxDong: "Miễn toàn bộ: mức nghĩa vụ còn lại dưới (mức 2)",
        exemptionFullTier2Years: "Miễn toàn bộ: thời gian từ khi có quyết định thi hành án (mức 2)",
        exemptionRemainderTier1MaxDong:
            "Miễn phần còn lại sau khi đã thi hành một phần: mức dưới (mức 1)",
        exemptionRemainderTier1Years:
            "Miễn phần còn lại sau khi đã thi hành một phần: thời gian (mức 1)",
        exemptionRemainderTier2MaxDong:
            "Miễn phần còn lại sau khi đã thi hành một phần: mức dưới (mức 2)",
        exemptionRemainderTier2Years:
            "Miễn phần còn lại sau khi đã thi hành một phần: thời gian (mức 2)",
        partialPaymentFractionDenominator: "Phần đã thi hành tối thiểu (mẫu số của phân số 1/N)",
        reductionMinYears: "Thời gian tối thiểu để xét giảm nghĩa vụ thi hành án",
        verificationReportMaxAgeMonths:
            "Thời hạn tối đa của biên bản xác minh dùng cho hồ sơ miễn, giảm",
        statisticalYearStartMonth: "Tháng bắt đầu năm thống kê",
        receiptNumberMaxDigits: "Số chữ số tối đa của số biên lai",
        cutoffHour: "Giờ chốt nhận hồ sơ trong ngày (sau giờ này tính từ ngày làm việc tiếp theo)",
        onlineRequestStepWorkingDays: "Thời hạn xử lý mỗi bước của yêu cầu trực tuyến",
        accountApprovalWorkingDays: "Thời hạn duyệt tài khoản",
        lateEntryWorkingDays: "Thời hạn nhập liệu muộn cho phép",
    ]

    /// The Vietnamese name of `name` (the name itself when unknown).
    public static func displayName(for name: String) -> String { displayNames[name] ?? name }

    // MARK: Seed

    /// When the 2008/2014-law values are taken to apply from (a placeholder date early enough for
    /// the data the platform holds; the law itself: Law 26/2008/QH12 from 1/7/2009, amended by Law
    /// 64/2014/QH13 from 1/7/2015).
    public static let oldLawEffective = LocalDate(uncheckedYear: 2015, month: 1, day: 1)
    /// Law 106/2025/QH15 in force.
    public static let newLawEffective = LocalDate(uncheckedYear: 2026, month: 7, day: 1)

    /// The 2008 law as amended in 2014, at an article. Articles marked "[chưa xác minh]" were not read in a source
    /// available to the project (DOMAIN.md marks those values unverified); the flag `verified` follows.
    public static func oldLaw(_ article: String, checked: Bool = false) -> String {
        "Luật Thi hành án dân sự 2008 (sửa đổi, bổ sung 2014), " + article + (checked ? "" : " [chưa xác minh]")
    }
    static let newLawSource = "Luật Thi hành án dân sự 106/2025/QH15 (chưa xác minh)"
    static let separateBookSource = "Nghị định 62/2015/NĐ-CP, Điều 9 khoản 5"
    static let reverificationSource = oldLaw("Điều 44 khoản 4")
    static let publicationSource =
        oldLaw("Điều 44a khoản 3") + "; Nghị định 62/2015/NĐ-CP; Thông tư 04/2023/TT-BTP"
    static let article61Source = oldLaw("Điều 61")
    /// Seed 000: the Ministry's regulation on operating the THADS digital platform (2026).
    static func platformRegulation(_ article: String) -> String {
        "Quy chế quản lý, vận hành và sử dụng Nền tảng số THADS (Quyết định …/QĐ-BTP năm 2026), " + article
    }
    /// Seed 001: the interim regulation of the online support software and its process tables.
    static let onlineSupportSource =
        "Quy chế tạm thời Phần mềm Hỗ trợ trực tuyến THADS (Quyết định 250/QĐ-TCTHADS ngày 20/3/2020), Điều 12 "
        + "và Quy trình kèm theo: mỗi bước trong vòng 01 ngày làm việc"

    /// The values shipped with the platform. `verified` follows DOMAIN.md: [confirmed] → true;
    /// [unverified] or unmarked → false. Law-based values get an unverified row from 1/7/2026
    /// (Law 106/2025/QH15) with the same value until the new detailed deadlines are known.
    public static let seed: [LegalParameterValue] = {
        func v(
            _ name: String, _ value: Int64, _ unit: ParameterUnit, _ source: String, verified: Bool,
            from: LocalDate = oldLawEffective, note: String? = nil
        ) -> LegalParameterValue {
            LegalParameterValue(
                name: name, value: value, unit: unit, effectiveFrom: from, source: source,
                verified: verified, note: note)
        }
        let lifecycleNote = "DOMAIN.md: thời hạn theo Luật 2008/2014, chưa xác minh"
        let lawBased: [LegalParameterValue] = [
            v(requestLimitationYears, 5, .years, oldLaw("Điều 30 khoản 1"), verified: false, note: lifecycleNote),
            v(
                refusalWorkingDays, 5, .workingDays, oldLaw("Điều 31 khoản 5"), verified: false,
                note:
                    "Căn cứ từ chối: khoản 5 Điều 31 (Quy trình hỗ trợ trực tuyến, seed 001); thời hạn 05 ngày làm việc chưa xác minh"
            ),
            v(
                enforcementDecisionWorkingDays, 5, .workingDays, oldLaw("Điều 36 khoản 1, khoản 2", checked: true),
                verified: true,
                note: "Kể từ ngày nhận bản án (chủ động) hoặc đơn yêu cầu"),
            // DOMAIN.md marks the 24 hours [confirmed]; counted in clock hours from the receipt.
            v(
                provisionalMeasureDecisionHours, 24, .hour, oldLaw("Điều 130"), verified: true,
                note: "Kể từ thời điểm nhận quyết định áp dụng biện pháp khẩn cấp tạm thời"),
            v(
                documentNotificationWorkingDays, 3, .workingDays, oldLaw("Điều 39 khoản 1"), verified: false,
                note: lifecycleNote),
            v(voluntaryPaymentDays, 10, .days, oldLaw("Điều 45 khoản 1"), verified: false, note: lifecycleNote),
            v(
                verificationDaysAfterVoluntary, 10, .days, oldLaw("Điều 44 khoản 1"), verified: false,
                note: lifecycleNote),
            v(
                stateDecisionWorkingDays, 5, .workingDays, oldLaw("Điều 48, 49, 50, 51, 55"), verified: false,
                note: "Hoãn, tạm đình chỉ, đình chỉ, trả đơn, ủy thác: kể từ ngày có căn cứ"),
            v(payoutDays, 10, .days, oldLaw("Điều 47 khoản 1"), verified: false, note: lifecycleNote),
            v(
                exemptionFullTier1MaxDong, 2_000_000, .dong, article61Source, verified: false,
                note:
                    "Người phải thi hành án không có tài sản, thu nhập; nghĩa vụ còn lại dưới mức này"
            ),
            v(exemptionFullTier1Years, 5, .years, article61Source, verified: false),
            v(
                exemptionFullTier2MaxDong, 5_000_000, .dong, article61Source, verified: false,
                note: "Từ mức 1 đến dưới mức này"),
            v(exemptionFullTier2Years, 10, .years, article61Source, verified: false),
            v(exemptionRemainderTier1MaxDong, 5_000_000, .dong, article61Source, verified: false),
            v(exemptionRemainderTier1Years, 5, .years, article61Source, verified: false),
            v(
                exemptionRemainderTier2MaxDong, 10_000_000, .dong, article61Source, verified: false,
                note: "Từ mức 1 đến dưới mức này"),
            v(exemptionRemainderTier2Years, 10, .years, article61Source, verified: false),
            v(
                partialPaymentFractionDenominator, 50, .count, article61Source, verified: false,
                note: "Đã thi hành được ít nhất 1/50"),
            v(
                reductionMinYears, 10, .years, article61Source, verified: false,
                note: "Mức giảm tối đa chưa xác minh"),
            v(verificationReportMaxAgeMonths, 3, .months, article61Source, verified: false),
        ]
        let newLaw = lawBased.map {
            v(
                $0.name, $0.value, $0.unit, newLawSource, verified: false, from: newLawEffective,
                note: "Giữ giá trị cũ cho đến khi xác minh quy định chi tiết của Luật 106/2025/QH15"
            )
        }
        let others: [LegalParameterValue] = [
            v(
                reverificationMonths, 6, .months, reverificationSource, verified: false,
                note: "Ít nhất 6 tháng một lần (cách diễn đạt chưa xác minh)"),
            v(
                reverificationMonthsLongTerm, 12, .months, reverificationSource, verified: false,
                note:
                    "Tối đa 1 năm một lần khi đang chấp hành án phạt tù còn từ 2 năm hoặc không rõ địa chỉ mới"
            ),
            v(
                longTermImprisonmentYears, 2, .years, separateBookSource, verified: true,
                note: "Thời gian chấp hành hình phạt tù còn lại từ 2 năm trở lên"),
            v(publicationUpdateWorkingDays, 3, .workingDays, publicationSource, verified: true),
            v(
                separateBookYears, 1, .years, separateBookSource, verified: true,
                note: "Kể từ ngày có quyết định về việc chưa có điều kiện thi hành án"),
            v(separateBookYearsLongTerm, 2, .years, separateBookSource, verified: true),
            v(separateBookMinVerifications, 2, .count, separateBookSource, verified: true),
            v(separateBookTransferWorkingDays, 3, .workingDays, separateBookSource, verified: true),
            v(
                statisticalYearStartMonth, 10, .count, "Thông tư 05/2024/TT-BTP", verified: true,
                note: "Năm thống kê từ 1/10 đến 30/9"),
            v(
                receiptNumberMaxDigits, 7, .count, "Nghị định 123/2020/NĐ-CP, Điều 32",
                verified: false),
            v(
                cutoffHour, 15, .hour, "Thực tiễn một cửa (DOMAIN.md, mục Working days)",
                verified: true,
                note: "Hồ sơ nộp từ 15:00 tính từ ngày làm việc tiếp theo"),
            v(onlineRequestStepWorkingDays, 1, .workingDays, onlineSupportSource, verified: true),
            v(
                accountApprovalWorkingDays, 1, .workingDays, platformRegulation("Điều 9 khoản 2"), verified: true,
                note:
                    "Toàn bộ việc cấp mới, thay đổi, khóa, thu hồi tài khoản trong 01 ngày làm việc kể từ khi khởi tạo"),
            v(
                lateEntryWorkingDays, 1, .workingDays, platformRegulation("Điều 14 khoản 4 điểm a"), verified: true,
                note: "Trừ trường hợp quy định chuyên ngành có thời hạn khác"),
        ]
        return lawBased + newLaw + others
    }()
}
