import Fluent
import Foundation
import Vapor

/// Outgoing mail is written to an outbox in the same transaction as the change that causes it, then
/// delivered: a failed SMTP server delays a message, it never loses it or rolls back the change.
final class OutboxMail: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [$id, $recipient, $subject, $body, $createdAt, $sentAt, $attempts, $lastError]
    }
    static let schema = "mail_outbox"
    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?

    init() {}
    init(recipient: String, subject: String, body: String, createdAt: Date) {
        self.id = UUID()
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.createdAt = createdAt
        self.attempts = 0
    }
}

struct CreateMailOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMail.schema)
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMail.schema).delete()
    }
}

public struct MailMessage: Sendable {
    public var from: String
    public var to: String
    public var subject: String
    public var body: String
    /// When it is sent (the message's Date header).
    public var date: Date

    /// RFC 5322 text with UTF-8 subject (RFC 2047) and body (8bit).
    public func rfc5322(messageID: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let encodedSubject = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        let normalizedBody = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: "\n", with: "\r\n")
        return [
            "From: \(from)", "To: \(to)", "Subject: \(encodedSubject)", "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)@thads.local>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit", "", normalizedBody,
        ].joined(separator: "\r\n")
    }
}

public protocol MailTransport: Sendable {
    func send(_ message: MailMessage, id: UUID) async throws
}

/// The default without SMTP_URL: each message becomes an .eml file under data/mail.
struct FileMailTransport: MailTransport {
    let directory: String

    func send(_ message: MailMessage, id: UUID) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stamp = Int(message.date.timeIntervalSince1970 * 1000)
        let path = "\(directory)/\(stamp)-\(id.uuidString).eml"
        try Data(message.rfc5322(messageID: id.uuidString).utf8).write(to: URL(fileURLWithPath: path))
    }
}

enum Mailer {
    /// What a failed delivery left in the outbox goes again every five minutes.
    static let deliveryJob = ScheduledJob(
        name: "mail.deliver", schedule: .every(seconds: 300), workingDaysOnly: false,
        run: { ctx in await deliverPending(app: ctx.app) })

    static func enqueue(to recipient: String, subject: String, body: String, at now: Date, on db: any Database)
        async throws
    {
        try await OutboxMail(recipient: recipient, subject: subject, body: body, createdAt: now).create(on: db)
    }

    /// Sends what waits in the outbox; called after each change that queued mail and by the scheduler.
    /// Returns how many messages were sent.
    @discardableResult
    static func deliverPending(app: Application) async -> Int {
        var sent = 0
        do {
            let pending = try await OutboxMail.query(on: app.db).filter(\.$sentAt == nil).filter(\.$attempts < 10)
                .sort(\.$createdAt).limit(100).all()
            for mail in pending {
                let message = MailMessage(
                    from: app.settings.mailFrom, to: mail.recipient, subject: mail.subject, body: mail.body,
                    date: app.clock.now)
                do {
                    try await app.mailTransport.send(message, id: mail.id!)
                    mail.sentAt = app.clock.now
                    mail.lastError = nil
                    sent += 1
                } catch {
                    mail.lastError = String(describing: error).prefix(500).description
                }
                mail.attempts += 1
                try await app.write(on: app.db) { db in try await mail.save(on: db) }
            }
        } catch {
            app.logger.warning("mail delivery failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        }
        return sent
    }
}

extension Application {
    private struct TransportKey: StorageKey {
        typealias Value = any MailTransport
    }

    public var mailTransport: any MailTransport {
        get { storage[TransportKey.self] ?? FileMailTransport(directory: settings.mailDirectory) }
        set { storage[TransportKey.self] = newValue }
    }
}
