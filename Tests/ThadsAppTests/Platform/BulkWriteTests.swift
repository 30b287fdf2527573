import Fluent
import Foundation
import NIOCore
import SQLKit
import SQLiteKit
import Testing
import VaporTesting

@testable import ThadsApp

@Suite struct BulkWriteTests {
    func text(_ value: any Encodable & Sendable) throws -> String {
        var buffer = ByteBuffer()
        try PostgresCopy.write(value, into: &buffer, table: "t")
        return String(buffer: buffer)
    }

    @Test func copyTextEscapesEveryControlCharacterAndMarksNull() throws {
        #expect(try text("a\tb\\c\nd\re") == "a\\tb\\\\c\\nd\\re")
        #expect(try text("Nguyễn Thị Hoà") == "Nguyễn Thị Hoà")
        #expect(try text(String?.none) == "\\N")
        #expect(try text(Int?.some(7)) == "7")
        #expect(try text(true) == "t")
        #expect(try text(Int64(-12_000_000)) == "-12000000")
        #expect(try text(Date(timeIntervalSince1970: 1_795_478_400.25)) == "2026-11-24 00:00:00.250000+00")
        #expect(try text(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000000+00")
        #expect(throws: PostgresCopy.UnsupportedValue.self) { try text(Data([1, 2])) }
    }

    /// SQLite values converted directly are what Fluent's own encoder makes of them, so rows written in bulk read
    /// back through the models like rows written one by one.
    @Test func directSQLiteValuesMatchFluentsEncoder() throws {
        let values: [any Encodable & Sendable] = [
            UUID(), "Đặng Văn Giang", Int64(12_000_000), 7, true, false, Date(timeIntervalSince1970: 1_795_478_400.25),
            String?.none, Int?.some(1_990), UUID?.some(UUID()), 2.5,
        ]
        let encoder = SQLiteDataEncoder()
        for value in values {
            #expect(BulkInsert.sqliteData(value) == (try encoder.encode(value)), "\(value)")
        }
    }

    /// The same rows read back unchanged whichever way they went in: COPY on PostgreSQL for a large batch, one
    /// INSERT for a small one (an audit group commit), INSERTs on SQLite.
    @Test(arguments: [1_500, 7])
    func rowsWrittenInBulkReadBackUnchanged(count: Int) async throws {
        try await withTestApp { app async throws in
            let sql = try app.db.sql
            let timestamp = app.databaseKind == .postgres ? "TIMESTAMPTZ" : "REAL"
            try await sql.raw(
                """
                CREATE TABLE bulk_probe (id UUID PRIMARY KEY, note TEXT NOT NULL, amount BIGINT, flag BOOLEAN NOT NULL,
                at \(unsafeRaw: timestamp) NOT NULL)
                """
            ).run()
            struct Probe: Decodable, Equatable {
                let id: UUID
                let note: String
                let amount: Int64?
                let flag: Bool
                let at: Date
            }
            let notes = ["tab\there", "back\\slash", "line\nbreak", "Đặng Văn Giang", "\\N", ""]
            let at = Date(timeIntervalSince1970: 1_795_478_400.5)
            let probes = (0..<count).map { index in
                Probe(
                    id: UUID(), note: notes[index % notes.count], amount: index % 3 == 0 ? nil : Int64(index) * 1_000,
                    flag: index % 2 == 0, at: at)
            }
            var bulk = BulkInsert("bulk_probe", ["id", "note", "amount", "flag", "at"])
            for probe in probes { bulk.add([probe.id, probe.note, probe.amount, probe.flag, probe.at]) }
            let filled = bulk
            let encoded = try bulk.encoded(for: sql)
            if case .copy = encoded.form {
                #expect(app.databaseKind == .postgres && count >= BulkInsert.copyThreshold)
            } else {
                #expect(app.databaseKind != .postgres || count < BulkInsert.copyThreshold)
            }
            try await app.write(on: app.db) { db in
                var rows = filled
                try await rows.flush(on: db)
            }
            let read = try await sql.raw("SELECT id, note, amount, flag, at FROM bulk_probe").all(decoding: Probe.self)
            let byID = Dictionary(uniqueKeysWithValues: read.map { ($0.id, $0) })
            #expect(read.count == probes.count)
            #expect(probes.allSatisfy { byID[$0.id] == $0 })
        }
    }

    /// Page views logged at the same moment share transactions, and the audit chain stays whole and in order.
    @Test func concurrentAccessEventsAreAllLoggedInOneIntactChain() async throws {
        try await withTestApp { app async throws in
            let before = try await AuditEvent.query(on: app.db).count()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        try await app.accessLog.record(
                            AuditEntry(action: "case.viewed", objectType: "case", objectID: String(index)),
                            actor: .system, app: app)
                    }
                }
                try await group.waitForAll()
            }
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "case.viewed").all()
            #expect(Set(events.compactMap(\.objectID)) == Set((0..<60).map(String.init)))
            #expect(try await AuditEvent.query(on: app.db).count() == before + 60)
            let verification = try await AuditLog.verify(app)
            #expect(verification.isIntact, "\(verification.problem ?? "")")
        }
    }

    /// At shutdown the events already taken are committed before the database goes, and later ones are refused
    /// instead of reaching a database that is no longer there.
    @Test func closingTheAccessLogCommitsWhatItTookAndRefusesTheRest() async throws {
        try await withTestApp { app async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await app.accessLog.record(
                            AuditEntry(action: "case.viewed", objectType: "case", objectID: String(index)),
                            actor: .system, app: app)
                    }
                }
                try await group.waitForAll()
            }
            await app.accessLog.close()
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "case.viewed").count() == 20)
            await #expect(throws: AccessLogWriter.Closed.self) {
                try await app.accessLog.record(
                    AuditEntry(action: "case.viewed", objectType: "case", objectID: "late"), actor: .system, app: app)
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$objectID == "late").count() == 0)
        }
    }
}
