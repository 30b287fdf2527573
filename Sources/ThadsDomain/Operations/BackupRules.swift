import Foundation

/// What a backup run does (Regulation 000, Art. 14: daily incremental, weekly full, monthly archive), plus the two
/// checks that go into the same log: a repository verification and a restore drill.
public enum BackupKind: String, Sendable, Codable, CaseIterable, Hashable {
    case incremental, full, archive, verify, drill

    public var label: String {
        switch self {
        case .incremental: "Gia tăng (hằng ngày)"
        case .full: "Toàn bộ (hằng tuần)"
        case .archive: "Lưu trữ (hằng tháng)"
        case .verify: "Kiểm tra kho sao lưu"
        case .drill: "Diễn tập khôi phục"
        }
    }

    /// restic deduplicates, so every snapshot is complete and only changed chunks are stored; the kinds differ in
    /// the tag (which retention keeps) and in how much of the repository is read back afterwards.
    public var takesSnapshot: Bool { self == .incremental || self == .full || self == .archive }

    /// The nightly slot's kind: the month's archive on the 1st, the week's full backup on Sundays, otherwise
    /// incremental.
    public static func scheduled(on day: LocalDate) -> BackupKind {
        if day.day == 1 { return .archive }
        if day.weekday == 7 { return .full }
        return .incremental
    }

    /// A full backup reads every pack of the repository back (`check --read-data`); the others check the structure.
    public var readsAllData: Bool { self == .full || self == .verify }
}

/// How many snapshots `forget --prune` keeps, per kind of tag.
public struct BackupRetention: Sendable, Equatable {
    public var keepDaily: Int
    public var keepWeekly: Int
    public var keepMonthly: Int

    public init(keepDaily: Int = 14, keepWeekly: Int = 8, keepMonthly: Int = 24) {
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
        self.keepMonthly = keepMonthly
    }

    /// restic's arguments. Archives are kept by month, so two years of monthly archives survive by default.
    public var resticArguments: [String] {
        ["--keep-daily", String(keepDaily), "--keep-weekly", String(keepWeekly), "--keep-monthly", String(keepMonthly)]
    }
}

/// When a backup or a drill is overdue: the operator page's warnings and the alert rules read the same answer.
public struct BackupFreshness: Sendable, Equatable {
    /// A daily job that missed one slot is overdue after 26 hours (a day plus slack for a slow run).
    public static let backupMaxAge: TimeInterval = 26 * 3600
    /// The drill is monthly; the page warns after 35 days (a month plus slack).
    public static let drillMaxAge: TimeInterval = 35 * 86400

    public enum Status: Sendable, Equatable {
        case never
        case fresh(age: TimeInterval)
        case overdue(age: TimeInterval)

        public var isOverdue: Bool {
            switch self {
            case .never, .overdue: true
            case .fresh: false
            }
        }
    }

    public static func status(lastSuccess: Date?, now: Date, maxAge: TimeInterval) -> Status {
        guard let lastSuccess else { return .never }
        let age = max(0, now.timeIntervalSince(lastSuccess))
        return age > maxAge ? .overdue(age: age) : .fresh(age: age)
    }
}

/// What a snapshot says about itself, stored beside the data as `manifest.json`: enough to check a restore without
/// the running system. It never holds a key, only the key store's fingerprint.
public struct BackupManifest: Codable, Sendable, Equatable {
    public var format: Int = 1
    public var application: String
    public var createdAt: Date
    public var kind: String
    public var database: String
    public var databaseFile: String
    /// The migrations applied, in order: the schema version of the copy.
    public var migrations: [String]
    public var rowCounts: [String: Int]
    public var attachments: Int
    public var keyFingerprint: String
    public var auditLastSeq: Int64
    /// The PostgreSQL schema the dump was taken from; nil for SQLite.
    public var schema: String?

    public init(
        application: String, createdAt: Date, kind: String, database: String, databaseFile: String,
        migrations: [String], rowCounts: [String: Int], attachments: Int, keyFingerprint: String, auditLastSeq: Int64,
        schema: String? = nil
    ) {
        self.schema = schema
        self.application = application
        self.createdAt = createdAt
        self.kind = kind
        self.database = database
        self.databaseFile = databaseFile
        self.migrations = migrations
        self.rowCounts = rowCounts
        self.attachments = attachments
        self.keyFingerprint = keyFingerprint
        self.auditLastSeq = auditLastSeq
    }

    /// The tables whose restored count differs from the manifest's, with both counts. A restore of a copy taken while
    /// writes went on must still match exactly: the copy is one consistent read, and the counts were taken from it.
    public func countMismatches(_ restored: [String: Int]) -> [String] {
        rowCounts.keys.sorted().compactMap { table in
            let expected = rowCounts[table] ?? 0
            let found = restored[table] ?? -1
            return expected == found ? nil : "\(table): \(expected) ≠ \(found)"
        }
    }
}

/// The hours in which a scheduled backup or drill may run: from its slot's hour for four hours.
public struct BackupWindow: Sendable, Equatable {
    public var startHour: Int
    public var hours = 4

    public init(startHour: Int) { self.startHour = startHour }

    public func contains(localHour: Int) -> Bool {
        (0..<hours).contains((localHour - startHour + 24) % 24)
    }
}
