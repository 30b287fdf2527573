import Fluent
import Foundation
import Vapor

/// Outgoing mail is written to an outbox in the same transaction as the change that causes it, then
/// delivered: a failed SMTP server delays a message, it never loses it or rolls back the change.
final class OutboxMail: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [$id, $recipient, $subject, $body, $carriesSecret, $createdAt, $sentAt, $attempts, $lastError, $attachments]
    }
    static let schema = "mail_outbox"
    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    /// Encrypted while `carriesSecret`, and emptied once sent.
    @Field(key: "body") var body: String
    @Field(key: "carries_secret") var carriesSecret: Bool
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    /// JSON array of `MailAttachment`, nil for a plain message.
    @OptionalField(key: "attachments") var attachments: String?

    init() {}
    init(recipient: String, subject: String, body: String, carriesSecret: Bool, createdAt: Date) {
        self.id = UUID()
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.carriesSecret = carriesSecret
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

/// A message that carries a secret (a set-password link) is kept encrypted in the outbox, emptied once sent, and
/// never written to disk in clear.
struct AddOutboxSecrecy: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMail.schema)
            .field("carries_secret", .bool, .required, .sql(.default(false)))
            .update()
        // Mail sent before this version carried one-time passwords in clear.
        try await OutboxMail.query(on: database).filter(\.$sentAt != nil)
            .filter(\.$body ~~ "Mật khẩu dùng một lần").set(\.$body, to: Mailer.purgedBody).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMail.schema).deleteField("carries_secret").update()
    }
}

/// Messages may carry files (a receipt's print view and its signed XML).
struct AddOutboxAttachments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMail.schema).field("attachments", .sql(.text)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMail.schema).deleteField("attachments").update()
    }
}

/// A file sent with a message.
public struct MailAttachment: Sendable, Codable, Equatable {
    public var filename: String
    public var contentType: String
    public var data: Data

    public init(filename: String, contentType: String, data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

public struct MailMessage: Sendable {
    public var from: String
    public var to: String
    public var subject: String
    public var body: String
    /// When it is sent (the message's Date header).
    public var date: Date
    public var carriesSecret = false
    public var attachments: [MailAttachment] = []

    /// RFC 5322 text with UTF-8 subject (RFC 2047) and body (8bit); with attachments, a multipart/mixed message whose
    /// files are base64 in lines of 76.
    public func rfc5322(messageID: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let encodedSubject = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        let normalizedBody = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: "\n", with: "\r\n")
        let head = [
            "From: \(from)", "To: \(to)", "Subject: \(encodedSubject)", "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)@thads.local>", "MIME-Version: 1.0",
        ]
        let textPart = [
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", normalizedBody,
        ]
        guard !attachments.isEmpty else { return (head + textPart).joined(separator: "\r\n") }
        let boundary = "=_thads_" + messageID.replacingOccurrences(of: "-", with: "")
        var lines = head + ["Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "", "--" + boundary] + textPart
        for file in attachments {
            // Names are ASCII by construction where the platform builds them; anything else is dropped, not encoded.
            let name = String(file.filename.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0.value >= 0x20 })
            lines += [
                "--" + boundary, "Content-Type: \(file.contentType); name=\"\(name)\"",
                "Content-Disposition: attachment; filename=\"\(name)\"", "Content-Transfer-Encoding: base64", "",
                file.data.base64EncodedString(options: [
                    .lineLength76Characters, .endLineWithCarriageReturn,
                    .endLineWithLineFeed,
                ]),
            ]
        }
        lines += ["--" + boundary + "--", ""]
        return lines.joined(separator: "\r\n")
    }
}

public protocol MailTransport: Sendable {
    func send(_ message: MailMessage, id: UUID) async throws
}

/// The default without SMTP_URL: each message becomes an .eml file under data/mail, readable by its owner only.
/// A message with a secret is written without its body, which goes to `deliverSecret` instead (the console by
/// default, like the first admin's password): the directory then holds nothing a reader could sign in with.
struct FileMailTransport: MailTransport {
    let directory: String
    var deliverSecret: @Sendable (MailMessage) -> Void = { message in
        print(Self.consoleText(message))
    }

    static let withheldBody = "(Nội dung có liên kết đặt mật khẩu: không lưu trên đĩa.)"

    static func consoleText(_ message: MailMessage) -> String {
        """

        ===== Thư gửi \(message.to): \(message.subject) =====
        \(message.body)
        ===== Hết thư =====

        """
    }

    func send(_ message: MailMessage, id: UUID) async throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let stamp = Int(message.date.timeIntervalSince1970 * 1000)
        let path = "\(directory)/\(stamp)-\(id.uuidString).eml"
        var stored = message
        if message.carriesSecret { stored.body = Self.withheldBody }
        try FileStore.writePrivate(Data(stored.rfc5322(messageID: id.uuidString).utf8), to: path)
        if message.carriesSecret { deliverSecret(message) }
    }
}

enum Mailer {
    /// What a failed delivery left in the outbox goes again every five minutes.
    static let deliveryJob = ScheduledJob(
        name: "mail.deliver", schedule: .every(seconds: 300), workingDaysOnly: false,
        run: { ctx in await deliverPending(app: ctx.app) })

    static let purgedBody = "(đã xóa sau khi gửi)"

    /// Returns the outbox row's id, so that a feature can show whether its message went out.
    @discardableResult
    static func enqueue(
        to recipient: String, subject: String, body: String, secretWith keys: KeyStore? = nil,
        attachments: [MailAttachment] = [], at now: Date, on db: any Database
    ) async throws -> UUID {
        let stored = try keys.map { try $0.encrypt(body, purpose: "mail-body") } ?? body
        let mail = OutboxMail(
            recipient: recipient, subject: subject, body: stored, carriesSecret: keys != nil, createdAt: now)
        if !attachments.isEmpty {
            mail.attachments = String(decoding: try JSONEncoder().encode(attachments), as: UTF8.self)
        }
        try await mail.create(on: db)
        return mail.id!
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
                do {
                    let body = mail.carriesSecret ? try app.keys.decrypt(mail.body, purpose: "mail-body") : mail.body
                    var message = MailMessage(
                        from: app.settings.mailFrom, to: mail.recipient, subject: mail.subject, body: body,
                        date: app.clock.now, carriesSecret: mail.carriesSecret)
                    if let files = mail.attachments {
                        message.attachments = try JSONDecoder().decode([MailAttachment].self, from: Data(files.utf8))
                    }
                    try await app.mailTransport.send(message, id: mail.id!)
                    mail.sentAt = app.clock.now
                    mail.lastError = nil
                    if mail.carriesSecret { mail.body = purgedBody }
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
