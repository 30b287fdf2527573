import Fluent
import Foundation
import NIOCore
import NIOPosix
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct BackgroundJobTests {
    @Test func expiryReminderIsMailedOncePerPassword() async throws {
        try await withTestApp { app async throws in
            let soon = try await Fixtures.account(app, "sap.het", roles: [.accountant])
            soon.account.passwordChangedAt = Date().addingTimeInterval(-170 * 86400)
            try await soon.account.save(on: app.db)
            let fresh = try await Fixtures.account(app, "con.lau", roles: [.accountant])
            #expect(try await PasswordExpiryReminders.send(in: .system(app, task: "test")) == 1)
            #expect(try await PasswordExpiryReminders.send(in: .system(app, task: "test")) == 0)
            let mails = try app.mails()
            #expect(mails.filter { $0.contains("To: sap.het@thads.test") }.count == 1)
            #expect(!mails.contains { $0.contains("To: \(fresh.account.email)") })
            #expect(try await Account.find(soon.account.id, on: app.db)?.expiryReminderSentAt != nil)
        }
    }

    @Test func mailToAnUnreachableServerStaysQueued() async throws {
        try await withTestApp { app async throws in
            app.mailTransport = SMTPMailTransport(url: URL(string: "smtp://127.0.0.1:9")!)
            try await app.write(on: app.db) { db in
                try await Mailer.enqueue(
                    to: "a@thads.test", subject: "Thử", body: "Nội dung", at: app.clock.now, on: db)
            }
            await Mailer.deliverPending(app: app)
            let mail = try #require(try await OutboxMail.query(on: app.db).first())
            #expect(mail.sentAt == nil)
            #expect(mail.attempts == 1)
            #expect(mail.lastError != nil)
        }
    }

    /// A real SMTP server (Python's aiosmtpd, installed by .ci/run) receives the message intact.
    @Test func smtpDeliveryToARealServer() async throws {
        let port = try await Self.freePort()
        let maildir = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-" + UUID().uuidString).path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = [
            "python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir,
        ]
        // Its own output must not hold the test runner's pipes open after the test ends.
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        // Python takes a while to start on a busy machine: wait until the server answers, not a fixed time.
        let deadline = ContinuousClock.now + .seconds(60)
        while !(await Self.accepts(port: port)) {
            try #require(server.isRunning, "aiosmtpd must be installed (pip install aiosmtpd)")
            try #require(ContinuousClock.now < deadline, "aiosmtpd did not listen on port \(port) within 60 s")
            try await Task.sleep(for: .milliseconds(100))
        }
        try await withTestApp { app async throws in
            app.mailTransport = SMTPMailTransport(url: URL(string: "smtp://127.0.0.1:\(port)")!)
            try await app.write(on: app.db) { db in
                try await Mailer.enqueue(
                    to: "nguoi.nhan@thads.test", subject: "Đề nghị bị từ chối",
                    body: "Lý do: thiếu hồ sơ.\n.dòng bắt đầu bằng dấu chấm", at: app.clock.now,
                    on: db)
            }
            await Mailer.deliverPending(app: app)
            #expect(try await OutboxMail.query(on: app.db).first()?.sentAt != nil)
        }
        let newDirectory = maildir + "/new"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: newDirectory)) ?? []
        #expect(files.count == 1)
        let message = try String(contentsOfFile: newDirectory + "/" + (files.first ?? ""), encoding: .utf8)
        #expect(message.contains("To: nguoi.nhan@thads.test"))
        #expect(message.contains("Lý do: thiếu hồ sơ."))
        #expect(message.contains("\n.dòng bắt đầu bằng dấu chấm"), "dot-stuffing undone by the server")
    }

    /// A port nobody listens on, chosen by the system (a random one could be taken, or be in the range the system
    /// hands out to outgoing connections).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    static func accepts(port: Int) async -> Bool {
        guard
            let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
        else { return false }
        try? await channel.close()
        return true
    }
}
