import Foundation
import Vapor

/// Every setting is an environment variable with a safe default, validated at start.
public struct AppSettings: Sendable {
    public var dataDirectory: String
    public var databaseURL: String?
    public var databasePoolSize: Int
    public var publicURL: URL
    public var host: String
    public var port: Int
    public var smtpURL: URL?
    public var mailFrom: String
    public var maxRequestBodyBytes: Int
    public var maxUploadBytes: Int
    public var trustProxyHeaders: Bool
    public var loginAttemptsPerIPPer15Minutes: Int
    public var publicRequestsPerMinute: Int
    public var logLevel: Logger.Level
    /// PBKDF2 rounds for new hashes. Not an environment variable: nobody should lower it in
    /// production. Tests build settings with fewer rounds to stay fast.
    public var passwordHashRounds: Int = PasswordHasher.productionRounds
    /// Mail delivery and reminders every few minutes; tests run the jobs by hand instead.
    public var runsBackgroundJobs = true
    /// Uploads are scanned by clamd when set; otherwise recorded as not scanned.
    public var clamd: ClamdEndpoint? = nil
    /// The PKCS#12 file (key and certificate) that signs receipts; nil: a self-signed demonstration certificate
    /// under `keysDirectory`, which every receipt signed with it names.
    public var receiptSigningP12: String? = nil
    public var receiptSigningPassword: String? = nil
    /// Backups, `/metrics` and alert thresholds (Regulation 000, Chapter III).
    public var operations = OperationsSettings()
    /// HTTPS served by the app itself (`ServerTLS`) when both are set; otherwise plain HTTP, for a reverse proxy that
    /// terminates TLS in front of it.
    public var tlsCertificateFile: String? = nil
    public var tlsKeyFile: String? = nil
    /// With it, every client must present a certificate issued by one of these CAs (PEM): mutual TLS for the
    /// integration platform's connection.
    public var tlsClientCAFile: String? = nil

    public var usesHTTPS: Bool { publicURL.scheme == "https" }

    /// A cookie's name as sent: under https with the `__Host-` prefix, which the browser accepts only from this
    /// host, over TLS, for path `/` and without a Domain, so a sibling host cannot plant or shadow it. Plain over
    /// http (development and tests), where browsers refuse the prefix.
    public func cookieName(_ base: String) -> String { usesHTTPS ? "__Host-" + base : base }
    public var filesDirectory: String { dataDirectory + "/files" }
    public var mailDirectory: String { dataDirectory + "/mail" }
    public var keysDirectory: String { dataDirectory + "/keys" }

    public struct Invalid: Error, CustomStringConvertible {
        public let variable: String
        public let message: String
        public var description: String { "Cấu hình không hợp lệ: \(variable) — \(message)" }
    }

    /// The settings table printed in the README; keep the two in step.
    public static let documented: [(name: String, defaultValue: String, meaning: String)] = [
        ("THADS_DATA_DIR", "./data", "where the SQLite database, files, keys and outgoing mail live"),
        ("DATABASE_URL", "(empty: SQLite)", "postgres://user:pass@host:5432/db selects PostgreSQL"),
        ("DATABASE_POOL_SIZE", "4", "connections per event loop (PostgreSQL)"),
        ("PUBLIC_URL", "http://127.0.0.1:8080", "the address users type; https turns on Secure cookies and HSTS"),
        ("HOST", "127.0.0.1", "address to listen on"),
        ("PORT", "8080", "port to listen on"),
        ("SMTP_URL", "(empty: .eml files)", "smtp://user:pass@host:port sends mail through a real server"),
        ("MAIL_FROM", "no-reply@thads.local", "sender address of outgoing mail"),
        ("MAX_BODY_SIZE", "1048576", "largest accepted form body in bytes"),
        ("MAX_UPLOAD_SIZE", "20971520", "largest accepted upload in bytes"),
        ("TRUST_PROXY", "false", "true: take the client address from X-Forwarded-For (behind a reverse proxy)"),
        ("LOGIN_IP_LIMIT", "30", "failed logins allowed per client address per 15 minutes"),
        ("PUBLIC_RATE_LIMIT", "60", "requests per client address per minute on the public portal (/cong-khai)"),
        ("LOG_LEVEL", "info", "trace, debug, info, notice, warning, error, critical"),
        ("CLAMD_SOCKET", "(empty: no scan)", "clamd's Unix socket; uploads are scanned with INSTREAM"),
        (
            "RECEIPT_SIGNING_P12", "(empty: self-signed demo certificate)",
            "PKCS#12 file with the key and X.509 certificate that sign electronic receipts"
        ),
        ("RECEIPT_SIGNING_P12_PASSWORD", "(empty)", "password of that PKCS#12 file"),
        ("CLAMD_HOST / CLAMD_PORT", "(empty) / 3310", "clamd over TCP, instead of CLAMD_SOCKET"),
        ("BACKUP_REPOSITORY", "$THADS_DATA_DIR/backups/restic", "restic repository (path, sftp:…, s3:…)"),
        ("BACKUP_PASSWORD_FILE", "$THADS_DATA_DIR/keys/backup-password", "restic password file (made on first use)"),
        ("BACKUP_COPY_REPOSITORY", "(empty: none)", "second restic repository that receives a copy of each snapshot"),
        ("BACKUP_KEEP_DAILY / _WEEKLY / _MONTHLY", "14 / 8 / 24", "snapshots kept by `forget --prune`"),
        ("METRICS_TOKEN", "(empty)", "bearer token that may read /metrics"),
        ("METRICS_ALLOW", "127.0.0.1,::1", "client addresses that may read /metrics without the token"),
        ("ALERT_FAILED_LOGINS", "20", "failed logins in 15 minutes that raise an alert"),
        ("ALERT_DISK_FREE_PERCENT", "10", "free space on the data disk below which an alert is raised"),
        ("ALERT_QUIET_HOURS", "22-6", "Vietnam hours in which staff access raises an alert"),
        (
            "TLS_CERT_FILE", "(empty: plain HTTP)",
            "PEM certificate chain: the server itself answers HTTPS (with TLS_KEY_FILE)"
        ),
        ("TLS_KEY_FILE", "(empty)", "PEM private key of that certificate"),
        (
            "TLS_CLIENT_CA_FILE", "(empty: no client certificates)",
            "PEM CA certificates; clients must present one they issued"
        ),
    ]

    /// Event loops (and blocking threads) for this process: twice the cores on SQLite, whose driver opens one
    /// connection per event loop; the cores on PostgreSQL, whose pool size is set separately.
    public static func eventLoopCount(_ settings: AppSettings) -> Int {
        settings.databaseURL == nil ? 2 * System.coreCount : System.coreCount
    }

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws
        -> AppSettings
    {
        func value(_ name: String) -> String? {
            guard let raw = env[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
            guard let raw = value(name) else { return fallback }
            guard let number = Int(raw), range.contains(number) else {
                throw Invalid(
                    variable: name,
                    message:
                        "phải là số nguyên trong khoảng \(range.lowerBound)…\(range.upperBound), nhận được “\(raw)”")
            }
            return number
        }
        func boolean(_ name: String) throws -> Bool {
            guard let raw = value(name)?.lowercased() else { return false }
            switch raw {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw Invalid(variable: name, message: "phải là true hoặc false, nhận được “\(raw)”")
            }
        }
        let publicURLText = value("PUBLIC_URL") ?? "http://127.0.0.1:8080"
        guard let publicURL = URL(string: publicURLText), ["http", "https"].contains(publicURL.scheme ?? ""),
            publicURL.host != nil
        else {
            throw Invalid(
                variable: "PUBLIC_URL", message: "phải là địa chỉ http:// hoặc https://, nhận được “\(publicURLText)”")
        }
        var databaseURL: String?
        if let url = value("DATABASE_URL") {
            guard let parsed = URL(string: url), ["postgres", "postgresql"].contains(parsed.scheme ?? ""),
                parsed.host != nil
            else {
                throw Invalid(
                    variable: "DATABASE_URL", message: "phải có dạng postgres://người-dùng:mật-khẩu@máy:5432/tên-csdl")
            }
            databaseURL = url
        }
        var smtpURL: URL?
        if let raw = value("SMTP_URL") {
            guard let parsed = URL(string: raw), ["smtp"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw Invalid(variable: "SMTP_URL", message: "phải có dạng smtp://máy:cổng, nhận được “\(raw)”")
            }
            smtpURL = parsed
        }
        let levelText = value("LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            throw Invalid(variable: "LOG_LEVEL", message: "không có mức “\(levelText)”")
        }
        let mailFrom = value("MAIL_FROM") ?? "no-reply@thads.local"
        guard mailFrom.contains("@"), !mailFrom.contains("\r"), !mailFrom.contains("\n") else {
            throw Invalid(variable: "MAIL_FROM", message: "phải là một địa chỉ thư")
        }
        var clamd: ClamdEndpoint?
        if let socket = value("CLAMD_SOCKET") {
            guard socket.hasPrefix("/") else {
                throw Invalid(variable: "CLAMD_SOCKET", message: "phải là đường dẫn tuyệt đối tới socket của clamd")
            }
            clamd = .unixSocket(socket)
        } else if let host = value("CLAMD_HOST") {
            clamd = .tcp(host: host, port: try integer("CLAMD_PORT", default: 3310, range: 1...65535))
        }
        var settings = AppSettings(
            dataDirectory: value("THADS_DATA_DIR") ?? "./data",
            databaseURL: databaseURL,
            databasePoolSize: try integer("DATABASE_POOL_SIZE", default: 4, range: 1...64),
            publicURL: publicURL,
            host: value("HOST") ?? "127.0.0.1",
            port: try integer("PORT", default: 8080, range: 1...65535),
            smtpURL: smtpURL,
            mailFrom: mailFrom,
            maxRequestBodyBytes: try integer("MAX_BODY_SIZE", default: 1_048_576, range: 1024...104_857_600),
            maxUploadBytes: try integer("MAX_UPLOAD_SIZE", default: 20_971_520, range: 1024...1_073_741_824),
            trustProxyHeaders: try boolean("TRUST_PROXY"),
            loginAttemptsPerIPPer15Minutes: try integer("LOGIN_IP_LIMIT", default: 30, range: 1...100_000),
            publicRequestsPerMinute: try integer("PUBLIC_RATE_LIMIT", default: 60, range: 1...100_000),
            logLevel: level
        )
        settings.clamd = clamd
        if let p12 = value("RECEIPT_SIGNING_P12") {
            guard FileManager.default.isReadableFile(atPath: p12) else {
                throw Invalid(variable: "RECEIPT_SIGNING_P12", message: "không đọc được tệp “\(p12)”")
            }
            settings.receiptSigningP12 = p12
            settings.receiptSigningPassword = value("RECEIPT_SIGNING_P12_PASSWORD")
        }
        func readableFile(_ name: String) throws -> String? {
            guard let path = value(name) else { return nil }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw Invalid(
                    variable: name, message: "không đọc được tệp “\(path)” (không có tệp hoặc không có quyền đọc)")
            }
            return path
        }
        settings.tlsCertificateFile = try readableFile("TLS_CERT_FILE")
        settings.tlsKeyFile = try readableFile("TLS_KEY_FILE")
        settings.tlsClientCAFile = try readableFile("TLS_CLIENT_CA_FILE")
        if (settings.tlsCertificateFile == nil) != (settings.tlsKeyFile == nil) {
            let missing = settings.tlsCertificateFile == nil ? "TLS_CERT_FILE" : "TLS_KEY_FILE"
            throw Invalid(variable: missing, message: "phải đặt cùng TLS_CERT_FILE và TLS_KEY_FILE để phục vụ HTTPS")
        }
        if settings.tlsClientCAFile != nil, settings.tlsCertificateFile == nil {
            throw Invalid(
                variable: "TLS_CLIENT_CA_FILE",
                message: "chỉ dùng được khi máy chủ phục vụ HTTPS (TLS_CERT_FILE, TLS_KEY_FILE)")
        }
        settings.operations = try OperationsSettings(
            repository: value("BACKUP_REPOSITORY"), passwordFile: value("BACKUP_PASSWORD_FILE"),
            copyRepository: value("BACKUP_COPY_REPOSITORY"),
            keepDaily: integer("BACKUP_KEEP_DAILY", default: 14, range: 1...3650),
            keepWeekly: integer("BACKUP_KEEP_WEEKLY", default: 8, range: 1...520),
            keepMonthly: integer("BACKUP_KEEP_MONTHLY", default: 24, range: 1...1200),
            metricsToken: value("METRICS_TOKEN"),
            metricsAllow: (value("METRICS_ALLOW") ?? "127.0.0.1,::1").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            },
            failedLoginBurst: integer("ALERT_FAILED_LOGINS", default: 20, range: 1...1_000_000),
            diskFreePercent: integer("ALERT_DISK_FREE_PERCENT", default: 10, range: 0...99),
            quietHours: OperationsSettings.parseHours(value("ALERT_QUIET_HOURS") ?? "22-6"))
        return settings
    }
}

extension Application {
    private struct SettingsKey: StorageKey {
        typealias Value = AppSettings
    }

    public var settings: AppSettings {
        get {
            guard let settings = storage[SettingsKey.self] else { fatalError("configure(_:) sets the settings first") }
            return settings
        }
        set { storage[SettingsKey.self] = newValue }
    }
}
