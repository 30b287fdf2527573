import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import ThadsApp

/// What the file mail transport hands over instead of writing a secret to disk: the messages a real mailbox
/// would receive. Every test app has one (`withTestApp` installs it).
final class SecretMailbox: Sendable {
    private let box = NIOLockedValueBox<[MailMessage]>([])

    func receive(_ message: MailMessage) { box.withLockedValue { $0.append(message) } }
    var messages: [MailMessage] { box.withLockedValue { $0 } }
}

extension Application {
    private struct MailboxKey: StorageKey {
        typealias Value = SecretMailbox
    }

    var secretMailbox: SecretMailbox {
        if let existing = storage[MailboxKey.self] { return existing }
        let mailbox = SecretMailbox()
        storage[MailboxKey.self] = mailbox
        return mailbox
    }

    /// Delivers mail as `serve` does without SMTP (.eml files), secrets going to this app's mailbox.
    func captureSecretMail() {
        let mailbox = secretMailbox
        mailTransport = FileMailTransport(directory: settings.mailDirectory, deliverSecret: { mailbox.receive($0) })
    }

    /// The token of the newest set-password link mailed to `address`.
    func passwordLinkToken(to address: String) -> String? {
        guard let body = secretMailbox.messages.last(where: { $0.to == address })?.body,
            let range = body.range(of: "/dat-mat-khau/")
        else { return nil }
        return String(body[range.upperBound...].prefix { !$0.isWhitespace })
    }
}

/// Every log message of the test process while a test records, so a test can show a secret never reached the log.
/// The logging system is set up once per process, on first use.
enum TestLog {
    private static let recorders = NIOLockedValueBox(0)
    private static let lines = NIOLockedValueBox<[String]>([])
    private static let bootstrapped: Bool = {
        LoggingSystem.bootstrap { label in RecordingHandler(label: label) }
        return true
    }()

    static func recording<T>(_ body: () async throws -> T) async rethrows -> T {
        _ = bootstrapped
        recorders.withLockedValue { $0 += 1 }
        defer { recorders.withLockedValue { $0 -= 1 } }
        return try await body()
    }

    static var text: String { lines.withLockedValue { $0.joined(separator: "\n") } }

    fileprivate static func record(_ line: String) {
        guard recorders.withLockedValue({ $0 > 0 }) else { return }
        lines.withLockedValue { $0.append(line) }
    }

    private struct RecordingHandler: LogHandler {
        let label: String
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            TestLog.record("\(event.level) \(label): \(event.message) \(merged)")
        }
    }
}
