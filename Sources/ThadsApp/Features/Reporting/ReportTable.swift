import Foundation
import ThadsDomain

/// The forms this platform produces (Circular 05/2024/TT-BTP): the same figures laid out per form. One layout feeds
/// the page, the print view, the CSV and the XLSX, so the four never disagree.
enum ReportForm: String, CaseIterable, Sendable {
    case cases = "01"
    case money = "02"
    case stateBudget = "03"
    case units = "04"
    case officers = "05"

    var title: String {
        switch self {
        case .cases: "Mẫu 01 — Kết quả thi hành án dân sự tính bằng việc"
        case .money: "Mẫu 02 — Kết quả thi hành án dân sự tính bằng tiền"
        case .stateBudget: "Mẫu 03 — Kết quả thi hành các khoản thu nộp ngân sách nhà nước"
        case .units: "Mẫu 04 — Kết quả thi hành án theo cơ quan thi hành án"
        case .officers: "Mẫu 05 — Kết quả thi hành án theo Chấp hành viên"
        }
    }

    var byMoney: Bool { self == .money || self == .stateBudget }

    /// The money figures the form shows, when it shows money.
    func money(_ figures: Figures) -> MoneyResults? {
        switch self {
        case .money: figures.money
        case .stateBudget: figures.budget
        case .cases, .units, .officers: nil
        }
    }
}

/// One column of form 01/02: its number and title on the form, the figure, and the cases behind it (the statuses
/// at the period's end, and carried over or new) for the drill-down.
struct ReportColumn: Sendable {
    let number: Int
    let title: String
    let statuses: [CaseStatus]
    let carried: Bool?
    /// Only the cases in the separate tracking book.
    var separateBook = false
    let caseValue: @Sendable (CaseResults) -> Double?
    let moneyValue: @Sendable (MoneyResults) -> Double?
    let isRate: Bool

    static let open: [CaseStatus] = [.accepted, .withConditions, .postponed, .suspended, .withoutConditions]
    static let withConditions: [CaseStatus] = [
        .accepted, .withConditions, .completed, .terminated, .requestReturned, .postponed, .suspended,
    ]
    static let toEnforce = CaseStatus.allCases.filter { $0 != .transferred }

    static let all: [ReportColumn] = [
        .init(1, "Tổng số thụ lý", CaseStatus.allCases, nil, { $0.totalAccepted }, { $0.totalAccepted }),
        .init(2, "Năm trước chuyển sang", CaseStatus.allCases, true, { $0.carriedOver }, { $0.carriedOver }),
        .init(3, "Mới thụ lý", CaseStatus.allCases, false, { $0.newlyAccepted }, { $0.newlyAccepted }),
        .init(4, "Ủy thác", [.transferred], nil, { $0.transferredOut }, { $0.transferredOut }),
        .init(5, "Tổng số phải thi hành", toEnforce, nil, { $0.totalToEnforce }, { $0.totalToEnforce }),
        .init(6, "Có điều kiện thi hành", withConditions, nil, { $0.withConditions }, { $0.withConditions }),
        .init(7, "Thi hành xong", [.completed], nil, { $0.completed }, { $0.completed }),
        .init(8, "Đình chỉ thi hành án", [.terminated], nil, { $0.terminated }, { $0.terminated }),
        .init(9, "Trả đơn yêu cầu", [.requestReturned], nil, { $0.requestReturned }, { $0.requestReturned }),
        .init(10, "Đang thi hành", [.accepted, .withConditions], nil, { $0.inProgress }, { $0.inProgress }),
        .init(11, "Hoãn thi hành án", [.postponed], nil, { $0.postponed }, { $0.postponed }),
        .init(12, "Tạm đình chỉ", [.suspended], nil, { $0.suspended }, { $0.suspended }),
        .init(
            13, "Chưa có điều kiện thi hành", [.withoutConditions], nil, { $0.withoutConditions },
            { $0.withoutConditions }),
        .init(
            14, "Trong đó: sổ theo dõi riêng", [.withoutConditions], nil, { $0.inSeparateBook },
            { $0.inSeparateBook }, separateBook: true),
        ReportColumn(
            number: 15, title: "Tỷ lệ xong (%)", statuses: [.completed, .terminated, .requestReturned], carried: nil,
            caseValue: { $0.completionRate.map { $0 * 100 } }, moneyValue: { $0.completionRate.map { $0 * 100 } },
            isRate: true),
        .init(16, "Chuyển kỳ sau", open, nil, { $0.carriedForward }, { $0.carriedForward }),
    ]

    init(
        _ number: Int, _ title: String, _ statuses: [CaseStatus], _ carried: Bool?,
        _ cases: @escaping @Sendable (CaseResults) -> Int, _ money: @escaping @Sendable (MoneyResults) -> Int64,
        separateBook: Bool = false
    ) {
        self.init(
            number: number, title: title, statuses: statuses, carried: carried, caseValue: { Double(cases($0)) },
            moneyValue: { Double(money($0)) }, isRate: false)
        self.separateBook = separateBook
    }

    init(
        number: Int, title: String, statuses: [CaseStatus], carried: Bool?,
        caseValue: @escaping @Sendable (CaseResults) -> Double?,
        moneyValue: @escaping @Sendable (MoneyResults) -> Double?,
        isRate: Bool
    ) {
        self.number = number
        self.title = title
        self.statuses = statuses
        self.carried = carried
        self.caseValue = caseValue
        self.moneyValue = moneyValue
        self.isRate = isRate
    }

    func value(_ figures: Figures, form: ReportForm) -> Double? {
        form.money(figures).map(moneyValue) ?? caseValue(figures.cases)
    }
}

/// The laid-out table of one report: rows with their label, figures and the drill-down target of each.
struct ReportTable: Sendable {
    struct Row: Sendable {
        enum Level: Sendable { case total, group, detail }
        let label: String
        let figures: Figures
        let level: Level
        /// The units and kind the row's cases come from (for the drill-down); nil when it cannot be drilled.
        let drill: (units: [UUID], kindCode: String?)?
    }

    let form: ReportForm
    let report: StatisticsReport
    let rows: [Row]

    var columns: [ReportColumn] { ReportColumn.all }

    init(form: ReportForm, report: StatisticsReport, kindNames: [String: String], officerNames: [UUID: String]) {
        self.form = form
        self.report = report
        let allUnits = report.units.compactMap(\.id)
        var rows = [Row(label: "Tổng cộng", figures: report.total, level: .total, drill: (allUnits, nil))]
        switch form {
        case .cases, .money, .stateBudget:
            let byKind = report.grouped(by: \.kindCode)
            rows.append(Row(label: "Theo loại bản án, quyết định", figures: Figures(), level: .group, drill: nil))
            for code in byKind.keys.sorted() {
                rows.append(
                    Row(
                        label: kindNames[code] ?? code, figures: byKind[code]!, level: .detail,
                        drill: (allUnits, code)))
            }
            fallthrough
        case .units:
            guard report.units.count > 1 || form == .units else { break }
            let byUnit = report.grouped(by: \.unitID)
            rows.append(Row(label: "Theo đơn vị", figures: Figures(), level: .group, drill: nil))
            for unit in report.units {
                rows.append(
                    Row(
                        label: "\(unit.code) · \(unit.name)", figures: byUnit[unit.id!] ?? Figures(), level: .detail,
                        drill: ([unit.id!], nil)))
            }
        case .officers:
            let byOfficer = report.grouped(by: \.officerID)
            let ordered = byOfficer.keys.sorted {
                (officerNames[$0 ?? UUID()] ?? "~") < (officerNames[$1 ?? UUID()] ?? "~")
            }
            for officer in ordered {
                rows.append(
                    Row(
                        label: officer.flatMap { officerNames[$0] } ?? "Chưa phân công Chấp hành viên",
                        figures: byOfficer[officer]!, level: .detail, drill: nil))
            }
        }
        self.rows = rows
    }

    /// The cell as text: a count, money in đồng, or a rate with two decimals.
    func text(_ row: Row, _ column: ReportColumn) -> String {
        guard row.level != .group else { return "" }
        guard let value = column.value(row.figures, form: form) else { return "—" }
        if column.isRate { return String(format: "%.2f", value).replacingOccurrences(of: ".", with: ",") }
        return form.byMoney ? Format.money(Int64(value)) : Format.count(Int(value))
    }

    var heading: [String] {
        [
            form.title,
            "Đơn vị: \(report.unit.code) · \(report.unit.name)"
                + (report.units.count > 1 ? " (gồm \(report.units.count - 1) đơn vị trực thuộc)" : ""),
            "Kỳ báo cáo: \(report.period.label)" + (form.byMoney ? " — đơn vị tính: đồng" : " — đơn vị tính: việc"),
        ]
    }

    /// Statistics leave the unit for the department and the ministry, not the public (H1).
    static let classification = InformationClass.internalUse

    var csv: String {
        var lines: [[String]] = heading.map { [$0] }
        lines.append(["Chỉ tiêu"] + columns.map { "(\($0.number)) \($0.title)" })
        for row in rows {
            lines.append(
                [row.label]
                    + columns.map { column in
                        guard row.level != .group, let value = column.value(row.figures, form: form) else {
                            return ""
                        }
                        return column.isRate ? String(format: "%.2f", value) : String(Int64(value))
                    })
        }
        return CSVText.document(lines, classification: Self.classification)
    }

    func xlsx(modified: Date) throws -> [UInt8] {
        var sheet = XLSXSheet(name: "Mau \(form.rawValue)")
        let last = XLSXSheet.column(columns.count)
        for (index, line) in ([Self.classification.marking] + heading).enumerated() {
            sheet.rows.append(.init(cells: [.text(line)], bold: index == 1))
            sheet.merged.append("A\(index + 1):\(last)\(index + 1)")
        }
        sheet.rows.append(
            .init(cells: [.text("Chỉ tiêu")] + columns.map { .text("(\($0.number)) \($0.title)") }, heading: true))
        for row in rows {
            let cells: [XLSXSheet.Cell] = columns.map { column in
                guard row.level != .group, let value = column.value(row.figures, form: form) else {
                    return .empty
                }
                return column.isRate ? .decimal(value) : .number(Int64(value))
            }
            sheet.rows.append(.init(cells: [.text(row.label)] + cells, bold: row.level != .detail))
        }
        sheet.columnWidths = [40] + Array(repeating: form.byMoney ? 18 : 12, count: columns.count)
        return try sheet.workbook(modified: modified)
    }
}
