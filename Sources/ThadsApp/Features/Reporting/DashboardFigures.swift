import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// The overview's counts beside the report figures, per unit over the period: the records entered after their legal
/// time limit (late duties), and the online requests finished on time, finished late and still open past their due
/// time.
struct DashboardFigures: Sendable, Hashable {
    var lateRecords = 0
    var onlineOnTime = 0
    var onlineLate = 0
    var onlineOverdue = 0

    static func + (a: Self, b: Self) -> Self {
        Self(
            lateRecords: a.lateRecords + b.lateRecords, onlineOnTime: a.onlineOnTime + b.onlineOnTime,
            onlineLate: a.onlineLate + b.onlineLate, onlineOverdue: a.onlineOverdue + b.onlineOverdue)
    }

    /// Share of the finished online requests that finished on time; nil when none finished.
    var onlineOnTimeRate: Double? {
        let finished = onlineOnTime + onlineLate
        return finished == 0 ? nil : Double(onlineOnTime) / Double(finished)
    }

    static func read(
        _ period: ReportingPeriod, units: [UUID], now: Date, on db: any Database
    ) async throws -> [UUID: DashboardFigures] {
        guard !units.isEmpty else { return [:] }
        let from = period.start.startOfDay(in: .vietnam)
        let until = min(now, period.end.adding(days: 1).startOfDay(in: .vietnam))
        var counts = UnitCounts(empty: DashboardFigures(), sql: try db.sql)
        for table in ["case_decisions", "case_verifications", "case_money"] {
            try await counts.add(
                """
                SELECT c.unit_id AS unit, COUNT(*) AS n FROM \(unsafeRaw: table) r
                JOIN enforcement_cases c ON c.id = r.case_id
                WHERE r.is_late = \(bind: true) AND r.entered_at >= \(bind: from) AND r.entered_at < \(bind: until)
                    AND c.unit_id IN (\(binds: units))
                GROUP BY c.unit_id
                """, into: \.lateRecords)
        }
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM judgments
            WHERE is_late = \(bind: true) AND entered_at >= \(bind: from) AND entered_at < \(bind: until)
                AND unit_id IN (\(binds: units))
            GROUP BY unit_id
            """, into: \.lateRecords)
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM online_requests
            WHERE completed_at >= \(bind: from) AND completed_at < \(bind: until) AND request_due_at IS NOT NULL
                AND completed_at <= request_due_at AND unit_id IN (\(binds: units))
            GROUP BY unit_id
            """, into: \.onlineOnTime)
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM online_requests
            WHERE completed_at >= \(bind: from) AND completed_at < \(bind: until) AND request_due_at IS NOT NULL
                AND completed_at > request_due_at AND unit_id IN (\(binds: units))
            GROUP BY unit_id
            """, into: \.onlineLate)
        try await counts.add(
            """
            SELECT unit_id AS unit, COUNT(*) AS n FROM online_requests
            WHERE completed_at IS NULL AND submitted_at IS NOT NULL AND request_due_at < \(bind: now)
                AND unit_id IN (\(binds: units))
            GROUP BY unit_id
            """, into: \.onlineOverdue)
        return counts.figures
    }
}
