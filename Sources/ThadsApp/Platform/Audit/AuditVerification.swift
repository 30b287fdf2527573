import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

extension AuditLog {
    public struct VerificationResult: Sendable, Equatable {
        public var checked: Int
        /// The sequence number of the first event that breaks the chain, and why.
        public var firstBadSeq: Int64?
        public var problem: String?
        /// Where HMACs start (events before it verify by their plain hash chain only).
        public var keyedFrom: Int64 = 1
        public var checkpointsChecked: Int = 0
        public var isIntact: Bool { firstBadSeq == nil && problem == nil }
    }

    /// One event as stored: the text columns as the bytes the database holds, read as hex on both drivers.
    private struct StoredRow: Decodable {
        let seq: Int64
        let occurredAtMs: Int64
        let actorId: UUID?
        let unitId: UUID?
        let actorUnitId: UUID?
        let actorUsername: String?
        let action: String?
        let objectType: String?
        let objectId: String?
        let summary: String?
        let beforeData: String?
        let afterData: String?
        let ip: String?
        let purpose: String?
        let prevHash: String?
        let hash: String?
        let mac: String?

        var canonical: AuditCanonical {
            let hexTexts = [
                actorUsername, action, objectType, objectId, summary, beforeData, afterData, ip, purpose,
                prevHash,
            ]
            return AuditCanonical(
                seq: seq, occurredAtMs: occurredAtMs, actorID: actorId, unitID: unitId, actorUnitID: actorUnitId,
                texts: hexTexts.map { AuditLog.bytes(hex: $0 ?? "") })
        }

        var storedHash: String { String(decoding: AuditLog.bytes(hex: hash ?? ""), as: UTF8.self) }
        var storedMAC: String? { mac.map { String(decoding: AuditLog.bytes(hex: $0), as: UTF8.self) } }
    }

    static let rowDecoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)

    /// Verifies the chain with this application's key and checkpoints (`thads audit-verify`).
    public static func verify(_ app: Application, batchSize: Int = 1000) async throws -> VerificationResult {
        let checkpoints = try await AuditCheckpoints.load(app)
        return try await verify(
            on: app.db, key: app.keys.auditChainKey, checkpoints: checkpoints.marks,
            checkpointProblems: checkpoints.problems, batchSize: batchSize)
    }

    /// Walks the chain in sequence order and reports the first event that was edited, removed or moved; then checks
    /// that the chain still reaches and matches every checkpoint.
    static func verify(
        on db: any Database, key: SymmetricKey, checkpoints: [AuditCheckpoints.Mark], checkpointProblems: [String],
        batchSize: Int
    ) async throws -> VerificationResult {
        struct Chain: Decodable {
            let lastSeq: Int64
            let lastHash: String
            let keyedFrom: Int64?
        }
        let sql = try db.sql
        let kind = try sql.kind
        guard
            let head = try await sql.raw("SELECT last_seq, last_hash, keyed_from FROM audit_chain WHERE id = 1")
                .first(decoding: Chain.self, with: rowDecoder)
        else { throw Abort(.internalServerError, reason: "audit chain head missing") }
        let keyedFrom = head.keyedFrom ?? 1
        var result = VerificationResult(checked: 0, firstBadSeq: nil, problem: nil, keyedFrom: keyedFrom)
        func broken(_ seq: Int64, _ problem: String) -> VerificationResult {
            var broken = result
            broken.firstBadSeq = seq
            broken.problem = problem
            return broken
        }
        if let first = checkpointProblems.first { return broken(0, first) }
        if let changed = checkpoints.first(where: { $0.keyedFrom != keyedFrom }) {
            return broken(
                min(changed.keyedFrom, keyedFrom),
                "điểm bắt đầu khóa HMAC đã bị đổi (mốc ghi \(changed.keyedFrom), cơ sở dữ liệu ghi \(keyedFrom))")
        }
        var wanted = Dictionary(checkpoints.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        let columns =
            ["seq", "occurred_at_ms", "actor_id", "unit_id", "actor_unit_id"]
            + (AuditCanonical.textColumns + ["hash", "mac"]).map { kind.storedBytesHex($0) + " AS " + $0 }
        var expectedSeq: Int64 = 1
        var previousHash = genesisHash
        while true {
            let batch = try await sql.raw(
                """
                SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM audit_events
                WHERE seq >= \(bind: expectedSeq) ORDER BY seq LIMIT \(bind: batchSize)
                """
            ).all(decoding: StoredRow.self, with: rowDecoder)
            if batch.isEmpty { break }
            for row in batch {
                if row.seq != expectedSeq {
                    return broken(expectedSeq, "thiếu sự kiện số \(expectedSeq) (bị xóa hoặc đổi thứ tự)")
                }
                let canonical = row.canonical
                if String(decoding: canonical.texts[9], as: UTF8.self) != previousHash {
                    return broken(row.seq, "mã băm liên kết không khớp sự kiện trước (bị xóa, chèn hoặc đổi thứ tự)")
                }
                if row.seq < keyedFrom {
                    if SHA256.hex(canonical.legacy) != row.storedHash {
                        return broken(row.seq, "nội dung đã bị sửa")
                    }
                } else {
                    let bytes = canonical.keyed
                    if SHA256.hex(bytes) != row.storedHash { return broken(row.seq, "nội dung đã bị sửa") }
                    guard let mac = row.storedMAC, !mac.isEmpty else {
                        return broken(row.seq, "thiếu mã xác thực HMAC (sự kiện bị thay hoặc chèn)")
                    }
                    if mac != AuditLog.mac(bytes, key: key) {
                        return broken(row.seq, "mã xác thực HMAC sai: nội dung và mã băm đã bị tính lại")
                    }
                }
                if let mark = wanted.removeValue(forKey: row.seq),
                    mark.hash != row.storedHash || mark.mac != (row.storedMAC ?? "")
                {
                    return broken(row.seq, "sự kiện khác với mốc kiểm tra ngày \(markDay(mark))")
                }
                previousHash = row.storedHash
                expectedSeq += 1
                result.checked += 1
            }
        }
        if head.lastSeq != expectedSeq - 1 || head.lastHash != previousHash {
            return broken(expectedSeq, "sự kiện cuối cùng (số \(head.lastSeq)) đã bị xóa")
        }
        if let missing = wanted.values.filter({ $0.seq > 0 }).min(by: { $0.seq < $1.seq }) {
            return broken(
                expectedSeq,
                "chuỗi bị cắt: mốc kiểm tra ngày \(markDay(missing)) ghi sự kiện số \(missing.seq), "
                    + "chuỗi hiện chỉ đến số \(expectedSeq - 1)")
        }
        result.checkpointsChecked = checkpoints.count
        return result
    }

    private static func markDay(_ mark: AuditCheckpoints.Mark) -> String {
        Format.dateTime(Date(timeIntervalSince1970: Double(mark.writtenAtMs) / 1000))
    }

    /// Hex text (either case) to bytes; anything that is not hex yields no bytes and so fails the comparison.
    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return [] }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x41...0x46: digit - 0x41 + 10
            case 0x61...0x66: digit - 0x61 + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return [] }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
