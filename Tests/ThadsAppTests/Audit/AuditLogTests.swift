import Crypto
import Fluent
import Foundation
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct AuditLogTests {
    func seedEvents(_ app: Application, count: Int) async throws {
        for index in 1...count {
            try await app.write(on: app.db) { db in
                try await AuditLog.record(
                    AuditEntry(action: "test.event", objectID: String(index)), actor: .system, at: app.clock.now, on: db
                )
            }
        }
    }

    @Test func hashesAreLowerCaseHexOfSHA256() {
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect([0x00, 0x0f, 0xa0, 0xff].hexString == "000fa0ff")
    }

    @Test func intactChainVerifies() async throws {
        try await withTestApp { app async throws in
            try await seedEvents(app, count: 5)
            let result = try await AuditLog.verify(app)
            #expect(result.isIntact)
            #expect(result.checked >= 5)
        }
    }

    @Test func editedEventIsFound() async throws {
        try await withTestApp { app async throws in
            try await seedEvents(app, count: 6)
            let target = try #require(try await AuditEvent.query(on: app.db).filter(\.$objectID == "3").first())
            try await (try app.db.sql).raw(
                "UPDATE audit_events SET summary = 'sửa lén' WHERE seq = \(bind: target.seq)"
            ).run()
            let result = try await AuditLog.verify(app)
            #expect(result.firstBadSeq == target.seq)
        }
    }

    @Test func deletedEventIsFound() async throws {
        try await withTestApp { app async throws in
            try await seedEvents(app, count: 6)
            let target = try #require(try await AuditEvent.query(on: app.db).filter(\.$objectID == "4").first())
            try await (try app.db.sql).raw("DELETE FROM audit_events WHERE seq = \(bind: target.seq)").run()
            #expect(try await AuditLog.verify(app).firstBadSeq == target.seq)
        }
    }

    @Test func deletedLastEventIsFound() async throws {
        try await withTestApp { app async throws in
            try await seedEvents(app, count: 3)
            let last = try #require(try await AuditEvent.query(on: app.db).sort(\.$seq, .descending).first())
            try await (try app.db.sql).raw("DELETE FROM audit_events WHERE seq = \(bind: last.seq)").run()
            #expect(try await AuditLog.verify(app).firstBadSeq == last.seq)
        }
    }

    @Test func reorderedEventsAreFound() async throws {
        try await withTestApp { app async throws in
            try await seedEvents(app, count: 6)
            let a = try #require(try await AuditEvent.query(on: app.db).filter(\.$objectID == "2").first())
            let b = try #require(try await AuditEvent.query(on: app.db).filter(\.$objectID == "5").first())
            let sql = try app.db.sql
            try await sql.raw("UPDATE audit_events SET seq = -1 WHERE seq = \(bind: a.seq)").run()
            try await sql.raw("UPDATE audit_events SET seq = \(bind: a.seq) WHERE seq = \(bind: b.seq)").run()
            try await sql.raw("UPDATE audit_events SET seq = \(bind: b.seq) WHERE seq = -1").run()
            #expect(try await AuditLog.verify(app).firstBadSeq == a.seq)
        }
    }

    @Test func searchAndExportWithPurposeIsLogged() async throws {
        try await withTestApp { app async throws in
            let (client, _) = try await Fixtures.signedIn(app, "kiemtra", roles: [.inspector])
            let page = try await client.get("/nhat-ky?action=login")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("login.success"))
            let badDate = try await client.get("/nhat-ky?from=31/02/2026")
            #expect(badDate.body.string.contains("Ngày không hợp lệ"))
            let noPurpose = try await client.post("/nhat-ky/xuat", [("purpose", "")])
            #expect(noPurpose.status == .badRequest)
            #expect(noPurpose.body.string.contains("Nêu mục đích trích xuất"))
            let csv = try await client.post(
                "/nhat-ky/xuat", [("action", "login"), ("purpose", "Thanh tra định kỳ quý IV/2026")])
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.body.string.contains("login.success"))
            let export = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "audit.exported").first())
            #expect(export.purpose == "Thanh tra định kỳ quý IV/2026")
        }
    }

    @Test func csvFieldsCannotInjectFormulas() {
        #expect(CSVText.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVText.field("bình thường") == "\"bình thường\"")
    }
}

@Suite struct AuditDiffTests {
    @Test func onlyChangedFieldsAreListed() {
        let changes = AuditDiff.changes(
            before: #"{"name":"Phòng 1","isOpen":true,"code":"01-01"}"#,
            after: #"{"name":"Phòng I","isOpen":false,"code":"01-01"}"#)
        #expect(
            changes == [
                AuditDiff.Change(field: "isOpen", before: "có", after: "không"),
                AuditDiff.Change(field: "name", before: "Phòng 1", after: "Phòng I"),
            ])
    }

    @Test func creationShowsEveryFieldAgainstNothing() {
        let changes = AuditDiff.changes(before: nil, after: #"{"code":"01-02"}"#)
        #expect(changes == [AuditDiff.Change(field: "code", before: "", after: "01-02")])
    }

    @Test func listsShowWhatWasAddedAndRemoved() {
        let changes = AuditDiff.changes(before: #"{"days":["a","b"]}"#, after: #"{"days":["b","c"]}"#)
        #expect(changes == [AuditDiff.Change(field: "days", before: "− a", after: "+ c")])
    }
}
