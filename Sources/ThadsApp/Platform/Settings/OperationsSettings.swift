import Foundation

/// Where backups go and what the alert rules watch for. Every value is a setting with a default that fits a
/// single-machine install: the repository under the data directory, its password beside the master key (which
/// is never in a backup), so a copy of the repository alone opens nothing.
public struct OperationsSettings: Sendable {
    /// Nil: `<data>/backups/restic`.
    public var repository: String?
    /// Nil: `<data>/keys/backup-password`, made on first use.
    public var passwordFile: String?
    public var copyRepository: String?
    public var keepDaily = 14
    public var keepWeekly = 8
    public var keepMonthly = 24
    public var metricsToken: String?
    public var metricsAllow: [String] = ["127.0.0.1", "::1"]
    public var failedLoginBurst = 20
    public var diskFreePercent = 10
    /// Vietnam hours [start, end) in which staff access is unusual; start > end wraps midnight.
    public var quietHours: (start: Int, end: Int) = (22, 6)
    /// The nightly backup, the monthly drill and the alert rules are registered with the job runner; tests that run
    /// the runner by hand for other jobs switch them off and call them directly.
    public var scheduled = true

    public init() {}

    init(
        repository: String?, passwordFile: String?, copyRepository: String?, keepDaily: Int, keepWeekly: Int,
        keepMonthly: Int, metricsToken: String?, metricsAllow: [String], failedLoginBurst: Int, diskFreePercent: Int,
        quietHours: (start: Int, end: Int)
    ) {
        self.repository = repository
        self.passwordFile = passwordFile
        self.copyRepository = copyRepository
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
        self.keepMonthly = keepMonthly
        self.metricsToken = metricsToken
        self.metricsAllow = metricsAllow
        self.failedLoginBurst = failedLoginBurst
        self.diskFreePercent = diskFreePercent
        self.quietHours = quietHours
    }

    static func parseHours(_ text: String) throws -> (start: Int, end: Int) {
        let parts = text.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, (0...23).contains(parts[0]), (0...24).contains(parts[1]) else {
            throw AppSettings.Invalid(variable: "ALERT_QUIET_HOURS", message: "phải có dạng giờ-giờ, ví dụ 22-6")
        }
        return (parts[0], parts[1])
    }
}

extension AppSettings {
    public var backupRepository: String { operations.repository ?? dataDirectory + "/backups/restic" }
    public var backupPasswordFile: String { operations.passwordFile ?? keysDirectory + "/backup-password" }
}
