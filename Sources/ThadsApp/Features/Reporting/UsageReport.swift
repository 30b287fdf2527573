import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// The usage report (E5) that units send for the 3-, 6-, 10- and 12-month reports: per unit, the accounts in use,
/// the records entered and corrected, and the online requests received and handled, over the period.
struct UsageReport: UnitTable {
    struct Line: Sendable, Hashable {
        var activeAccounts = 0
        var signedIn = 0
        var casesOpened = 0
        var recordsEntered = 0
        var corrections = 0
        var correctionsApproved = 0
        var onlineReceived = 0
        var onlineHandled = 0
        var onlineOnTime = 0

        static func + (a: Line, b: Line) -> Line {
            Line(
                activeAccounts: a.activeAccounts + b.activeAccounts, signedIn: a.signedIn + b.signedIn,
                casesOpened: a.casesOpened + b.casesOpened, recordsEntered: a.recordsEntered + b.recordsEntered,
                corrections: a.corrections + b.corrections,
                correctionsApproved: a.correctionsApproved + b.correctionsApproved,
                onlineReceived: a.onlineReceived + b.onlineReceived, onlineHandled: a.onlineHandled + b.onlineHandled,
                onlineOnTime: a.onlineOnTime + b.onlineOnTime)
        }
    }

    static let columns: [(title: String, value: @Sendable (Line) -> Int)] = [
        ("Tài khoản đang hoạt động", \.activeAccounts), ("Tài khoản có đăng nhập trong kỳ", \.signedIn),
        ("Hồ sơ thụ lý mới nhập", \.casesOpened),
        ("Bản ghi nhập mới (quyết định, xác minh, thu chi, …)", \.recordsEntered),
        ("Đề nghị hiệu chỉnh", \.corrections), ("Hiệu chỉnh được duyệt", \.correctionsApproved),
        ("Yêu cầu trực tuyến nhận", \.onlineReceived), ("Yêu cầu trực tuyến đã xử lý xong", \.onlineHandled),
        ("Trong đó: đúng hạn", \.onlineOnTime),
    ]

    let period: ReportingPeriod
    let unit: EnforcementUnit
    let units: [EnforcementUnit]
    let lines: [UUID: Line]

    var total: Line { lines.values.reduce(Line(), +) }

    /// Counts every unit of `units` over `period` (Vietnam's calendar days).
    static func compute(
        _ period: ReportingPeriod, unit: EnforcementUnit, units: [EnforcementUnit], on db: any Database
    ) async throws -> UsageReport {
        let ids = units.compactMap(\.id)
        guard !ids.isEmpty else { return UsageReport(period: period, unit: unit, units: units, lines: [:]) }
        let from = period.start.startOfDay(in: .vietnam)
        let until = period.end.adding(days: 1).startOfDay(in: .vietnam)
        var counts = UnitCounts(empty: Line(), sql: try db.sql)
        let within = { (column: String) -> SQLQueryString in
            "\(unsafeRaw: column) >= \(bind: from) AND \(unsafeRaw: column) < \(bind: until)"
        }
        try await counts.add(
            "SELECT unit_id AS unit, COUNT(*) AS n FROM accounts WHERE status = 'active' AND unit_id IN (\(binds: ids)) GROUP BY unit_id",
            into: \.activeAccounts)
        let fromMs = Int64(from.timeIntervalSince1970 * 1000)
        let untilMs = Int64(until.timeIntervalSince1970 * 1000)
        try await counts.add(
            """
            SELECT actor_unit_id AS unit, COUNT(DISTINCT actor_id) AS n FROM audit_events
            WHERE action = 'login.success' AND occurred_at_ms >= \(bind: fromMs) AND occurred_at_ms < \(bind: untilMs)
                AND actor_unit_id IN (\(binds: ids))
            GROUP BY actor_unit_id
            """, into: \.signedIn)
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM enforcement_cases
            WHERE \(within("created_at")) AND unit_id IN (\(binds: ids)) GROUP BY unit_id
            """, into: \.casesOpened)
        for table in ["case_decisions", "case_verifications", "case_money", "case_obligations"] {
            try await counts.add(
                """
                SELECT c.unit_id AS unit, COUNT(*) AS n FROM \(unsafeRaw: table) r
                JOIN enforcement_cases c ON c.id = r.case_id
                WHERE \(within("r.entered_at")) AND c.unit_id IN (\(binds: ids)) GROUP BY c.unit_id
                """, into: \.recordsEntered)
        }
        for table in ["case_parties", "judgments"] {
            try await counts.add(
                """
                SELECT unit_id AS unit, COUNT(*) AS n FROM \(unsafeRaw: table)
                WHERE \(within("entered_at")) AND unit_id IN (\(binds: ids)) GROUP BY unit_id
                """, into: \.recordsEntered)
        }
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM case_corrections
            WHERE \(within("requested_at")) AND unit_id IN (\(binds: ids)) GROUP BY unit_id
            """, into: \.corrections)
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM case_corrections
            WHERE \(within("requested_at")) AND status = 'approved' AND unit_id IN (\(binds: ids)) GROUP BY unit_id
            """, into: \.correctionsApproved)
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM online_requests
            WHERE \(within("submitted_at")) AND unit_id IN (\(binds: ids)) GROUP BY unit_id
            """, into: \.onlineReceived)
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM online_requests
            WHERE \(within("completed_at")) AND unit_id IN (\(binds: ids)) GROUP BY unit_id
            """, into: \.onlineHandled)
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM online_requests
            WHERE \(within("completed_at")) AND request_due_at IS NOT NULL AND completed_at <= request_due_at
                AND unit_id IN (\(binds: ids))
            GROUP BY unit_id
            """, into: \.onlineOnTime)
        return UsageReport(period: period, unit: unit, units: units, lines: counts.figures)
    }

    var title: String { "Báo cáo tình hình sử dụng Nền tảng số Thi hành án dân sự" }
    var columns: [UnitTableColumn] { Self.columns.map { UnitTableColumn(title: $0.title) } }

    func values(_ unitID: UUID?) -> [Int64] {
        let line = unitID.map { lines[$0] ?? Line() } ?? total
        return Self.columns.map { Int64($0.value(line)) }
    }
}
