import Foundation
import Testing
import ThadsDomain

@Suite("Operations rules")
struct OperationsRulesTests {
    static func at(_ iso: String, hour: Int, minute: Int = 0) -> Date {
        LocalDate(iso: iso)!.startOfDay(in: .vietnam).addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    @Test("the nightly slot: archive on the 1st, full on Sundays, incremental otherwise")
    func scheduledKinds() {
        #expect(BackupKind.scheduled(on: LocalDate(iso: "2026-11-01")!) == .archive)  // a Sunday and the 1st
        #expect(BackupKind.scheduled(on: LocalDate(iso: "2026-11-08")!) == .full)
        #expect(BackupKind.scheduled(on: LocalDate(iso: "2026-11-09")!) == .incremental)
        #expect(BackupKind.scheduled(on: LocalDate(iso: "2026-11-14")!) == .incremental)
        #expect(BackupKind.full.readsAllData && BackupKind.verify.readsAllData && !BackupKind.incremental.readsAllData)
        #expect(!BackupKind.drill.takesSnapshot && BackupKind.archive.takesSnapshot)
    }

    @Test("retention arguments for restic forget")
    func retention() {
        #expect(
            BackupRetention(keepDaily: 7, keepWeekly: 4, keepMonthly: 12).resticArguments == [
                "--keep-daily", "7", "--keep-weekly", "4", "--keep-monthly", "12",
            ])
    }

    @Test("a backup is overdue after 26 hours, a drill after 35 days, and never counts as overdue")
    func freshness() {
        let now = Self.at("2026-12-02", hour: 9)
        #expect(BackupFreshness.status(lastSuccess: nil, now: now, maxAge: BackupFreshness.backupMaxAge) == .never)
        #expect(
            !BackupFreshness.status(
                lastSuccess: now.addingTimeInterval(-25 * 3600), now: now, maxAge: BackupFreshness.backupMaxAge
            ).isOverdue)
        #expect(
            BackupFreshness.status(
                lastSuccess: now.addingTimeInterval(-27 * 3600), now: now, maxAge: BackupFreshness.backupMaxAge
            ).isOverdue)
        #expect(
            !BackupFreshness.status(
                lastSuccess: now.addingTimeInterval(-35 * 86400), now: now, maxAge: BackupFreshness.drillMaxAge
            ).isOverdue)
        #expect(
            BackupFreshness.status(
                lastSuccess: now.addingTimeInterval(-35 * 86400 - 60), now: now, maxAge: BackupFreshness.drillMaxAge
            ).isOverdue)
    }

    @Test("the manifest names every table whose restored count differs")
    func manifestCounts() {
        let manifest = BackupManifest(
            application: "thads", createdAt: Date(timeIntervalSince1970: 0), kind: "full", database: "sqlite",
            databaseFile: "thads.sqlite", migrations: ["A"], rowCounts: ["accounts": 3, "cases": 10], attachments: 0,
            keyFingerprint: "f", auditLastSeq: 5)
        #expect(manifest.countMismatches(["accounts": 3, "cases": 10, "extra": 1]).isEmpty)
        #expect(manifest.countMismatches(["accounts": 3, "cases": 9]) == ["cases: 10 ≠ 9"])
        #expect(manifest.countMismatches(["accounts": 3]) == ["cases: 10 ≠ -1"])
    }

    @Test("quiet hours wrap midnight; disk and login thresholds")
    func thresholds() {
        let limits = AlertThresholds()
        #expect(limits.isQuiet(hour: 23) && limits.isQuiet(hour: 0) && limits.isQuiet(hour: 5))
        #expect(!limits.isQuiet(hour: 6) && !limits.isQuiet(hour: 12) && !limits.isQuiet(hour: 21))
        #expect(
            AlertThresholds(quietHours: (1, 5)).isQuiet(hour: 3)
                && !AlertThresholds(quietHours: (1, 5)).isQuiet(hour: 5))
        #expect(limits.diskNearlyFull(freeBytes: 9, totalBytes: 100))
        #expect(!limits.diskNearlyFull(freeBytes: 10, totalBytes: 100))
        #expect(!limits.failedLoginBurst(19) && limits.failedLoginBurst(20))
    }

    @Test("abnormal rate: far above the account's usual day and its peers', and above the floor")
    func abnormalRate() {
        let limits = AlertThresholds()
        let usual = [30, 35, 28, 40, 33, 31]
        let peers = [25, 40, 38]
        #expect(limits.abnormalRate(today: 600, ownHistory: usual, peersToday: peers))
        #expect(!limits.abnormalRate(today: 45, ownHistory: usual, peersToday: peers), "a normal day")
        #expect(!limits.abnormalRate(today: 150, ownHistory: [], peersToday: []), "below the floor")
        // A unit busy as a whole (an inspection) raises nothing: the peers are as busy.
        #expect(!limits.abnormalRate(today: 600, ownHistory: usual, peersToday: [500, 550, 700]))
        // Busy for the account but normal for its work: its own history is high.
        #expect(!limits.abnormalRate(today: 600, ownHistory: [400, 450, 500], peersToday: peers))
    }

    @Test("the operations log keeps two years")
    func retentionOfTheLog() {
        let now = Self.at("2026-12-02", hour: 9)
        #expect(!OperationsRetention.mayDelete(before: now.addingTimeInterval(-365 * 86400), now: now))
        #expect(!OperationsRetention.mayDelete(before: now.addingTimeInterval(-730 * 86400), now: now))
        #expect(OperationsRetention.mayDelete(before: now.addingTimeInterval(-731 * 86400), now: now))
    }

    @Test("a severe incident is due 24 clock hours later, across a weekend and across Tết")
    func incidentDue() {
        // Friday 13/02/2026 17:30, the eve of Tết 2026 (days off 14–22/02): due Saturday 14/02 17:30, during Tết.
        let tetEve = Self.at("2026-02-13", hour: 17, minute: 30)
        #expect(IncidentSeverity.severe.remedyDue(detectedAt: tetEve) == Self.at("2026-02-14", hour: 17, minute: 30))
        // Saturday 28/11/2026 23:00: due Sunday 29/11 23:00, not Monday.
        let saturday = Self.at("2026-11-28", hour: 23)
        #expect(IncidentSeverity.severe.remedyDue(detectedAt: saturday) == Self.at("2026-11-29", hour: 23))
        #expect(IncidentSeverity.major.remedyDue(detectedAt: saturday) == nil)
        #expect(IncidentSeverity.minor.remedyDue(detectedAt: saturday) == nil)
    }
}

@Suite("Security summary month")
struct SummaryMonthTests {
    @Test("due on the first working day of the month, for the month before")
    func due() {
        let calendar = WorkingCalendar(decisions: [.vietnam2026])
        // 1/11/2026 is a Sunday: the summary of October is due on Monday 2/11.
        #expect(SummaryMonth.due(on: LocalDate(iso: "2026-11-01")!, calendar: calendar) == nil)
        #expect(
            SummaryMonth.due(on: LocalDate(iso: "2026-11-02")!, calendar: calendar)
                == SummaryMonth(year: 2026, month: 10))
        #expect(SummaryMonth.due(on: LocalDate(iso: "2026-11-03")!, calendar: calendar) == nil)
        // 1/1/2026 is a holiday (Thursday) and 2/1 a day off: January's first working day is Monday 5/1, for December.
        #expect(
            SummaryMonth.due(on: LocalDate(iso: "2026-01-05")!, calendar: calendar)
                == SummaryMonth(year: 2025, month: 12))
        #expect(SummaryMonth(display: "11/2026")?.display == "11/2026")
        #expect(SummaryMonth(display: "13/2026") == nil)
        #expect(SummaryMonth(year: 2026, month: 12)!.next == SummaryMonth(year: 2027, month: 1))
    }
}

@Suite("Information classification")
struct InformationClassTests {
    @Test("a state secret is refused with its legal reason; the other classes are stored")
    func stateSecret() {
        #expect(InformationClass.stateSecret.refusal?.contains("Luật Bảo vệ bí mật nhà nước số 29/2018/QH14") == true)
        for value in InformationClass.storable { #expect(value.refusal == nil) }
        #expect(!InformationClass.storable.contains(.stateSecret))
        #expect(Set(InformationClass.allCases.map(\.label)).count == InformationClass.allCases.count)
    }
}

@Suite("Backup window")
struct BackupWindowTests {
    @Test("a nightly job acts from its hour for four hours only")
    func window() {
        let window = BackupWindow(startHour: 2)
        #expect(window.contains(localHour: 2) && window.contains(localHour: 5))
        #expect(!window.contains(localHour: 6) && !window.contains(localHour: 1) && !window.contains(localHour: 14))
        #expect(
            BackupWindow(startHour: 22).contains(localHour: 1) && !BackupWindow(startHour: 22).contains(localHour: 2))
    }
}
