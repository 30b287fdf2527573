import Foundation
import NIOCore
import NIOPosix
import Vapor

/// A plain SMTP client (RFC 5321) for the government mail relay named by SMTP_URL
/// (`smtp://[user:password@]host[:port]`). The relay sits on the internal network; TLS to it is the
/// relay's configuration (a local stunnel/MTA), not this client's.
struct SMTPMailTransport: MailTransport {
    let url: URL

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A relay that stops answering must not stall the outbox: the whole exchange has a deadline.
    func send(_ message: MailMessage, id: UUID) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await exchange(message, id: id) }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                throw Failure(description: "SMTP: no answer within 30 s")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func exchange(_ message: MailMessage, id: UUID) async throws {
        let host = url.host ?? "127.0.0.1"
        let port = url.port ?? 25
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var reader = ReplyReader(iterator: inbound.makeAsyncIterator())
            func expect(_ codes: Set<Int>, after command: String?) async throws {
                if let command { try await outbound.write(ByteBuffer(string: command + "\r\n")) }
                let code = try await reader.nextReply()
                guard codes.contains(code) else {
                    throw Failure(description: "SMTP \(command.map { String($0.prefix(10)) } ?? "greeting") → \(code)")
                }
            }
            try await expect([220], after: nil)
            try await expect([250], after: "EHLO thads.local")
            if let user = url.user {
                let credentials =
                    "\u{0}" + (user.removingPercentEncoding ?? user) + "\u{0}"
                    + (url.password?.removingPercentEncoding ?? "")
                try await expect([235], after: "AUTH PLAIN " + Data(credentials.utf8).base64EncodedString())
            }
            try await expect([250], after: "MAIL FROM:<\(Self.address(message.from))> BODY=8BITMIME")
            try await expect([250, 251], after: "RCPT TO:<\(Self.address(message.to))>")
            try await expect([354], after: "DATA")
            // Dot-stuffing: a line that starts with "." gets another one (RFC 5321 §4.5.2).
            let body = message.rfc5322(messageID: id.uuidString).components(separatedBy: "\r\n")
                .map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
            try await expect([250], after: body + "\r\n.")
            try await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }
    }

    /// The bare address of "Name <addr>" or "addr"; refuses line breaks (header injection).
    static func address(_ text: String) -> String {
        let cleaned = text.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
        if let start = cleaned.firstIndex(of: "<"), let end = cleaned.lastIndex(of: ">"), start < end {
            return String(cleaned[cleaned.index(after: start)..<end])
        }
        return cleaned.trimmingCharacters(in: .whitespaces)
    }

    struct ReplyReader {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var pending: [UInt8] = []

        /// Reads one (possibly multi-line) reply and returns its code.
        mutating func nextReply() async throws -> Int {
            while true {
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    pending.removeSubrange(...newline)
                    guard line.count >= 3, let code = Int(line.prefix(3)) else {
                        throw Failure(description: "SMTP: bad reply")
                    }
                    if line.count == 3 || Array(line.utf8)[3] == UInt8(ascii: " ") { return code }
                }
                guard let buffer = try await iterator.next() else {
                    throw Failure(description: "SMTP: connection closed")
                }
                pending += buffer.readableBytesView
            }
        }
    }
}
