import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// One daily checkpoint of the audit chain's head: its sequence number, hash and HMAC, and where the keyed part of
/// the chain starts. `lineMAC` seals the record itself, so neither the row nor the file line can be altered or made
/// up without the key.
final class AuditCheckpoint: Model, @unchecked Sendable {
    var properties: [any AnyProperty] { [$id, $seq, $hash, $mac, $keyedFrom, $writtenAtMs, $lineMAC] }
    static let schema = "audit_checkpoints"

    @ID(key: .id) var id: UUID?
    @Field(key: "seq") var seq: Int64
    @Field(key: "hash") var hash: String
    /// The head event's HMAC; empty while the head is an event from before the keyed upgrade.
    @Field(key: "mac") var mac: String
    @Field(key: "keyed_from") var keyedFrom: Int64
    @Field(key: "written_at_ms") var writtenAtMs: Int64
    @Field(key: "line_mac") var lineMAC: String

    init() {}
}

/// Writes the chain head daily to the database and to an append-only file outside it (`audit-checkpoints.log` in
/// the data directory, mode 0600). Someone who can rewrite the database can delete the last events and move the
/// head back, and nothing inside the chain shows it; the file still names the head that existed, and
/// `AuditLog.verify` reports the chain that no longer reaches it.
enum AuditCheckpoints {
    struct Mark: Sendable, Equatable {
        var seq: Int64
        var hash: String
        var mac: String
        var keyedFrom: Int64
        var writtenAtMs: Int64

        var sealed: String {
            "seq=\(seq) hash=\(hash) mac=\(mac.isEmpty ? "-" : mac) keyed_from=\(keyedFrom) at_ms=\(writtenAtMs)"
        }

        func lineMAC(_ key: SymmetricKey) -> String {
            Data(HMAC<SHA256>.authenticationCode(for: Data(sealed.utf8), using: key)).hexString
        }
    }

    static let fileName = "audit-checkpoints.log"

    static func filePath(_ app: Application) -> String { app.settings.dataDirectory + "/" + fileName }

    /// The daily job (registered in `jobs.swift`).
    static let job = ScheduledJob(
        name: "audit.checkpoint", schedule: .daily(hour: 0, minute: 15), workingDaysOnly: false
    ) {
        ctx in
        _ = try await write(ctx.app)
        return 1
    }

    /// Records the present head in the database, then appends it to the file.
    @discardableResult
    static func write(_ app: Application) async throws -> Mark {
        let key = app.keys.auditChainKey
        let mark = try await app.write(on: app.db) { db -> Mark in
            struct Head: Decodable {
                let lastSeq: Int64
                let lastHash: String
                let keyedFrom: Int64?
            }
            let sql = try db.sql
            guard
                let head = try await sql.raw("SELECT last_seq, last_hash, keyed_from FROM audit_chain WHERE id = 1")
                    .first(decoding: Head.self, with: AuditLog.rowDecoder)
            else { throw Abort(.internalServerError, reason: "audit chain head missing") }
            let headEvent = try await AuditEvent.query(on: db).filter(\.$seq == head.lastSeq).first()
            let mark = Mark(
                seq: head.lastSeq, hash: head.lastHash, mac: headEvent?.mac ?? "", keyedFrom: head.keyedFrom ?? 1,
                writtenAtMs: Int64((app.clock.now.timeIntervalSince1970 * 1000).rounded()))
            let row = AuditCheckpoint()
            row.id = UUID()
            row.seq = mark.seq
            row.hash = mark.hash
            row.mac = mark.mac
            row.keyedFrom = mark.keyedFrom
            row.writtenAtMs = mark.writtenAtMs
            row.lineMAC = mark.lineMAC(key)
            try await row.create(on: db)
            return mark
        }
        try append(mark.sealed + " line_mac=" + mark.lineMAC(key) + "\n", to: filePath(app))
        return mark
    }

    /// O_APPEND: every write goes to the end, whatever another writer did; 0600 like the key file.
    private static func append(_ line: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { throw Abort(.internalServerError, reason: "cannot open \(fileName)") }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw Abort(.internalServerError, reason: "cannot write \(fileName)")
        }
    }

    /// Every checkpoint from the file and the table, each checked against its seal; lines or rows that fail it are
    /// returned as problems.
    static func load(_ app: Application) async throws -> (marks: [Mark], problems: [String]) {
        let key = app.keys.auditChainKey
        var marks: [Mark] = []
        var problems: [String] = []
        if let text = try? String(contentsOfFile: filePath(app), encoding: .utf8) {
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
                guard let (mark, lineMAC) = parse(String(line)), mark.lineMAC(key) == lineMAC else {
                    problems.append("dòng \(index + 1) của \(fileName) không hợp lệ hoặc đã bị sửa")
                    continue
                }
                marks.append(mark)
            }
        }
        for row in try await AuditCheckpoint.query(on: app.db).sort(\.$seq).all() {
            let mark = Mark(
                seq: row.seq, hash: row.hash, mac: row.mac, keyedFrom: row.keyedFrom, writtenAtMs: row.writtenAtMs)
            guard mark.lineMAC(key) == row.lineMAC else {
                problems.append("mốc kiểm tra số \(row.seq) trong cơ sở dữ liệu đã bị sửa")
                continue
            }
            // Appended to the file right after its row commits: a row the file lacks means lines were removed.
            if !marks.contains(mark) {
                problems.append("mốc kiểm tra số \(row.seq) có trong cơ sở dữ liệu nhưng thiếu trong \(fileName)")
                marks.append(mark)
            }
        }
        return (marks.sorted { $0.seq < $1.seq }, problems)
    }

    static func parse(_ line: String) -> (Mark, String)? {
        var fields: [String: String] = [:]
        for part in line.split(separator: " ") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            fields[pair[0]] = pair[1]
        }
        guard let seq = fields["seq"].flatMap(Int64.init), let hash = fields["hash"], let mac = fields["mac"],
            let keyedFrom = fields["keyed_from"].flatMap(Int64.init), let at = fields["at_ms"].flatMap(Int64.init),
            let lineMAC = fields["line_mac"]
        else { return nil }
        return (Mark(seq: seq, hash: hash, mac: mac == "-" ? "" : mac, keyedFrom: keyedFrom, writtenAtMs: at), lineMAC)
    }
}
