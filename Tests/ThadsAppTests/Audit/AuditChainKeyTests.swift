import Crypto
import Fluent
import Foundation
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 16, item 5: the chain is keyed (an HMAC under a key outside the database) and checkpointed daily, so a
/// rewrite with recomputed hashes and head, or a cut-off end, is found; and it is verified over exactly the bytes
/// the database holds.
@Suite struct AuditChainKeyTests {
    func seed(_ app: Application, count: Int) async throws {
        for index in 1...count {
            try await app.write(on: app.db) { db in
                try await AuditLog.record(
                    AuditEntry(action: "test.chain", objectID: String(index), summary: "sự kiện \(index)"),
                    actor: .system,
                    at: app.clock.now, on: db)
            }
        }
    }

    /// What someone with write access to the database but not the key can do: change an event, then recompute
    /// every hash after it and the head. With `key`, also the HMACs (only the real key makes that pass).
    func rewrite(
        _ app: Application, fromSeq: Int64, macKey: SymmetricKey?,
        canonical: (AuditEvent) -> [UInt8] = { AuditCanonical($0).keyed }, edit: (AuditEvent) -> Void
    ) async throws {
        let sql = try app.db.sql
        let events = try await AuditEvent.query(on: app.db).filter(\.$seq >= fromSeq - 1).sort(\.$seq).all()
        var previous = events[0].hash
        for event in events.dropFirst() {
            if event.seq == fromSeq { edit(event) }
            event.prevHash = previous
            let bytes = canonical(event)
            event.hash = SHA256.hex(bytes)
            if let macKey { event.mac = AuditLog.mac(bytes, key: macKey) }
            try await sql.raw(
                """
                UPDATE audit_events SET summary = \(bind: event.summary), prev_hash = \(bind: event.prevHash),
                hash = \(bind: event.hash), mac = \(bind: event.mac) WHERE seq = \(bind: event.seq)
                """
            ).run()
            previous = event.hash
        }
        try await sql.raw("UPDATE audit_chain SET last_hash = \(bind: previous) WHERE id = 1").run()
    }

    @Test func editedEventWithRecomputedHashesAndHeadFailsVerify() async throws {
        try await withTestApp { app async throws in
            try await seed(app, count: 6)
            let untouched = try await AuditLog.verify(app)
            #expect(untouched.isIntact, "\(untouched.problem ?? "")")
            #expect(untouched.keyedFrom == 1, "a new installation is keyed from its first event")
            let target = try #require(try await AuditEvent.query(on: app.db).filter(\.$objectID == "3").first())
            try await rewrite(app, fromSeq: target.seq, macKey: SymmetricKey(size: .bits256)) { $0.summary = "sửa lén" }
            let result = try await AuditLog.verify(app)
            #expect(result.firstBadSeq == target.seq)
            #expect(result.problem?.contains("HMAC") == true)
            // Stripping the HMACs instead is found too.
            try await (try app.db.sql).raw("UPDATE audit_events SET mac = NULL WHERE seq >= \(bind: target.seq)").run()
            #expect(try await AuditLog.verify(app).firstBadSeq == target.seq)
            // The same rewrite under the installation's own key passes: the key is what the check rests on.
            try await rewrite(app, fromSeq: target.seq, macKey: app.keys.auditChainKey) { $0.summary = "sửa lén" }
            #expect(try await AuditLog.verify(app).isIntact)
        }
    }

    @Test func truncatedChainIsFoundAgainstTheDailyCheckpoint() async throws {
        try await withTestApp { app async throws in
            try await seed(app, count: 5)
            #expect(app.jobs.job(named: "audit.checkpoint") != nil, "the daily checkpoint is a registered job")
            let runs = try await JobRunner.runDue(app, runner: "test")
            #expect(runs.contains { $0.job == "audit.checkpoint" && $0.result == .succeeded })
            let path = AuditCheckpoints.filePath(app)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 1)
            let checkpoint = try #require(try await AuditCheckpoint.query(on: app.db).first())
            let head = try #require(try await AuditEvent.query(on: app.db).filter(\.$seq == checkpoint.seq).first())
            #expect(head.mac?.isEmpty == false)
            #expect(lines[0].hasPrefix("seq=\(head.seq) hash=\(head.hash) mac=\(head.mac ?? "")"))
            #expect(try await AuditCheckpoint.query(on: app.db).count() == 1)
            let intact = try await AuditLog.verify(app)
            #expect(intact.isIntact, "\(intact.problem ?? "")")
            #expect(intact.checkpointsChecked == 1)

            // Delete the last two events, move the head back to the one before, and remove the checkpoint row.
            let sql = try app.db.sql
            let keep = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$seq == head.seq - 2).first())
            try await sql.raw("DELETE FROM audit_events WHERE seq > \(bind: keep.seq)").run()
            try await sql.raw(
                "UPDATE audit_chain SET last_seq = \(bind: keep.seq), last_hash = \(bind: keep.hash) WHERE id = 1"
            ).run()
            try await sql.raw("DELETE FROM audit_checkpoints").run()
            let cut = try await AuditLog.verify(app)
            #expect(!cut.isIntact)
            #expect(cut.firstBadSeq == keep.seq + 1)
            #expect(cut.problem?.contains("chuỗi bị cắt") == true, "\(cut.problem ?? "")")
        }
    }

    @Test func aForgedOrEditedCheckpointLineIsReported() async throws {
        try await withTestApp { app async throws in
            try await seed(app, count: 3)
            let mark = try await AuditCheckpoints.write(app)
            let path = AuditCheckpoints.filePath(app)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.replacingOccurrences(of: "seq=\(mark.seq) ", with: "seq=\(mark.seq - 1) ")
                .write(toFile: path, atomically: false, encoding: .utf8)
            let result = try await AuditLog.verify(app)
            #expect(result.problem?.contains(AuditCheckpoints.fileName) == true, "\(result.problem ?? "")")
        }
    }

    /// Events written before the keyed upgrade verify by their plain hash chain (a NUL in one included); the first
    /// keyed event seals the link to them, so a rewrite of the old part is found at the first keyed event.
    @Test func eventsFromBeforeTheKeyedUpgradeStillVerify() async throws {
        try await withTestApp { app async throws in
            try await seed(app, count: 4)
            // Turn the chain so far into a pre-upgrade one: legacy hashes, no HMACs, keyed from the next event.
            let sql = try app.db.sql
            var previous = AuditLog.genesisHash
            for event in try await AuditEvent.query(on: app.db).sort(\.$seq).all() {
                // The probe's finding: an old SQLite event holding a NUL (its driver reads text only up to it).
                // PostgreSQL never stored one.
                if !isPostgres && event.objectID == "1" { event.summary = "mục đích\u{0}ẩn" }
                event.prevHash = previous
                event.hash = SHA256.hex(AuditCanonical(event).legacy)
                try await sql.raw(
                    """
                    UPDATE audit_events SET prev_hash = \(bind: event.prevHash), hash = \(bind: event.hash), mac = NULL,
                    summary = \(bind: event.summary) WHERE seq = \(bind: event.seq)
                    """
                ).run()
                previous = event.hash
            }
            try await sql.raw(
                "UPDATE audit_chain SET last_hash = \(bind: previous), keyed_from = last_seq + 1 WHERE id = 1"
            ).run()
            let keyedFrom = Int64(try await AuditEvent.query(on: app.db).count()) + 1
            try await seed(app, count: 3)
            let result = try await AuditLog.verify(app)
            #expect(result.isIntact, "\(result.problem ?? "")")
            #expect(result.keyedFrom == keyedFrom)
            // Rewrite an old event and every plain hash after it, up to the first keyed event's link.
            let old = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$objectID == "2").filter(\.$seq < keyedFrom).first())
            try await rewrite(
                app, fromSeq: old.seq, macKey: nil,
                canonical: { $0.seq < keyedFrom ? AuditCanonical($0).legacy : AuditCanonical($0).keyed }
            ) { $0.summary = "sửa lén" }
            let broken = try await AuditLog.verify(app)
            #expect(broken.firstBadSeq == keyedFrom, "\(broken.problem ?? "")")
            #expect(broken.problem?.contains("HMAC") == true)
        }
    }

    /// A NUL and other awkward bytes in every text field: stored, read back and hashed the same on both drivers.
    @Test func awkwardBytesVerifyOnBothDatabasesAndNULIsStoredReplaced() async throws {
        try await withTestApp { app async throws in
            let awkward = "a\u{0}b\u{1F}c\u{7}\r\n\t é e\u{301} 🇻🇳 \u{202E}x\u{200B}y \u{FEFF}' \" \\ %_"
            let actor = AuditActor(accountID: UUID(), username: "u" + awkward, unitID: nil, ip: "ip" + awkward)
            try await app.write(on: app.db) { db in
                try await AuditLog.record(
                    AuditEntry(
                        action: "test.bytes" + awkward, objectType: "t" + awkward, objectID: "o" + awkward,
                        summary: "s" + awkward, before: "b" + awkward, after: "a" + awkward, purpose: "p" + awkward),
                    actor: actor, at: app.clock.now, on: db)
            }
            let result = try await AuditLog.verify(app)
            #expect(result.isIntact, "\(result.problem ?? "")")
            let stored = try #require(try await AuditEvent.query(on: app.db).sort(\.$seq, .descending).first())
            #expect(stored.purpose?.hasPrefix("pa\u{FFFD}b\u{1F}c") == true)
            #expect(stored.summary?.utf8.contains(0) == false)
        }
    }
}
