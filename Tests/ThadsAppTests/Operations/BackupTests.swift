import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// A restic repository and password outside the data directory, as docs/operations.md asks, so that losing the
/// data directory loses neither.
struct BackupPlace {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("thads-backup-" + UUID().uuidString).path

    var override: SettingsOverride {
        let root = self.root
        return SettingsOverride {
            $0.operations.repository = root + "/repo"
            $0.operations.passwordFile = root + "/password"
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// Starts a second application on `settings` (a restored data directory), runs `body`, shuts it down.
func withRestoredApp(
    _ settings: AppSettings, schema: String?, _ body: (Application) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    do {
        try await configure(app, settings: settings, postgresSearchPath: schema.map { [$0] }, createFirstAdmin: false)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

func currentSchema(_ app: Application) async throws -> String? {
    guard app.databaseKind == .postgres else { return nil }
    struct Row: Decodable { let schema: String }
    return try await app.db.sql.raw("SELECT current_schema() AS schema").first(decoding: Row.self)?.schema
}

/// Opens a case with a debtor and uploads a document, so the backup holds an attachment and its row.
func populatedCase(_ app: Application) async throws -> (CaseScene, Data) {
    let scene = try await CaseScene.make(app)
    let id = try await scene.open()
    try await scene.add(id, "duong-su", CaseScene.debtor)
    let uploaded = try await scene.officer.upload(
        "/ho-so/\(id.uuidString)/tai-lieu", file: minimalPDF, fileName: "quyet-dinh.pdf")
    #expect(uploaded.status == .seeOther, "\(CaseScene.errors(uploaded))")
    return (scene, minimalPDF)
}

@Suite(.serialized) struct BackupTests {
    /// F1's acceptance test: a backup taken while writes go on, the data directory (and on PostgreSQL the schema)
    /// destroyed, the snapshot restored: every write acknowledged before the backup began is there, the writes made
    /// meanwhile form an unbroken prefix (a consistent copy), the attachment is byte-equal, and the audit chain
    /// verifies.
    @Test func aBackupTakenDuringWritesRestoresEverythingAcknowledged() async throws {
        let place = BackupPlace()
        defer { place.remove() }
        try await withTestApp(place.override) { app async throws in
            _ = try await populatedCase(app)
            let ctx = ActionContext.system(app, task: "test-writer")
            for index in 0..<20 {
                try await OperationsLog.record(task: "ghi-\(index)", result: "ok", notes: "", in: ctx)
            }
            let acknowledgedBefore = 20
            let written = NIOLockedValueBox(acknowledgedBefore)
            let stop = NIOLockedValueBox(false)
            let writer = Task {
                while !stop.withLockedValue({ $0 }) {
                    let index = written.withLockedValue { $0 }
                    try await OperationsLog.record(task: "ghi-\(index)", result: "ok", notes: "", in: ctx)
                    written.withLockedValue { $0 += 1 }
                }
            }
            // The writer stops before the app does, whatever the backup's outcome (a write after shutdown crashes).
            let backup = await Task { try await BackupService.run(.incremental, trigger: "kiểm thử", in: ctx) }.result
            stop.withLockedValue { $0 = true }
            try await writer.value
            let outcome = try backup.get()
            let snapshot = try #require(outcome.run.snapshot)
            #expect(outcome.run.succeeded)
            #expect(outcome.manifest?.attachments == 1)
            #expect((outcome.manifest?.rowCounts["accounts"] ?? 0) >= 3)
            // restic 0.14 names the new snapshot by its short id, later versions by the full one.
            let listed = try await BackupService.snapshots(app.settings)
            #expect(listed.count == 1 && listed[0].id.hasPrefix(snapshot))

            // What the operator kept apart: the key files. Everything else is lost.
            let attachment = try #require(try await CaseAttachment.query(on: app.db).first())
            let schema = try await currentSchema(app)
            let keysCopy = place.root + "/keys-kept-apart"
            try FileManager.default.copyItem(atPath: app.settings.keysDirectory, toPath: keysCopy)
            try FileManager.default.removeItem(atPath: app.settings.dataDirectory)
            if let schema { try await app.db.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }

            let restored = place.root + "/restored"
            let manifest = try await BackupService.restore(snapshot, to: restored, settings: app.settings)
            #expect(manifest.keyFingerprint == app.keys.fingerprint)
            #expect(!FileManager.default.fileExists(atPath: restored + "/keys"), "a backup never holds the keys")
            try FileManager.default.copyItem(atPath: keysCopy, toPath: restored + "/keys")
            if schema != nil { try await BackupService.loadPostgres(from: restored, settings: app.settings) }

            var settings = app.settings
            settings.dataDirectory = restored
            try await withRestoredApp(settings, schema: schema) { back async throws in
                let tasks = Set(try await OperationsLogEntry.query(on: back.db).all().map(\.task))
                for index in 0..<acknowledgedBefore { #expect(tasks.contains("ghi-\(index)"), "ghi-\(index) lost") }
                // Consistent: the writes that made it in are exactly the first n, none missing in between.
                let numbers = tasks.compactMap { $0.hasPrefix("ghi-") ? Int($0.dropFirst(4)) : nil }.sorted()
                #expect(numbers == Array(0..<numbers.count))
                #expect(numbers.count <= written.withLockedValue { $0 })
                let counts = try await OperationsLogEntry.query(on: back.db).count()
                #expect(counts >= acknowledgedBefore)
                let copy = try #require(try await CaseAttachment.find(attachment.id, on: back.db))
                let path = "\(restored)/files/attachments/\(copy.sha256.prefix(2))/\(copy.sha256)"
                #expect(FileManager.default.contents(atPath: path) == minimalPDF)
                let audit = try await AuditLog.verify(back)
                #expect(audit.isIntact, "\(audit.problem ?? "")")
                #expect(audit.checked > 20)
            }
        }
    }

    /// A damaged pack is found by `backup verify`: it fails, the failure is in the backup and operations logs, and
    /// an alert is stored and mailed to the central administrators.
    @Test func aCorruptedPackFailsVerificationLogsAndAlerts() async throws {
        let place = BackupPlace()
        defer { place.remove() }
        try await withTestApp(place.override) { app async throws in
            let admin = try await Fixtures.account(app, "qt.trunguong", class: .centralAdmin)
            _ = try await populatedCase(app)
            let ctx = ActionContext.system(app, task: "test")
            try await BackupService.run(.full, trigger: "kiểm thử", in: ctx)
            try await BackupService.verify(trigger: "kiểm thử", in: ctx)
            #expect(try await OperationsAlert.query(on: app.db).count() == 0)

            let data = place.root + "/repo/data"
            let packs = try #require(FileManager.default.enumerator(atPath: data)?.allObjects as? [String])
                .filter { $0.count > 3 }
            let largest = try #require(
                packs.max { (Self.size(data + "/" + $0)) < (Self.size(data + "/" + $1)) })
            var bytes = try Data(contentsOf: URL(fileURLWithPath: data + "/" + largest))
            for index in stride(from: 40, to: min(bytes.count, 400), by: 7) { bytes[index] ^= 0xFF }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: data + "/" + largest)
            try bytes.write(to: URL(fileURLWithPath: data + "/" + largest))

            await #expect(throws: ExternalProgram.Failed.self) {
                try await BackupService.verify(trigger: "kiểm thử", in: ctx)
            }
            let failed = try #require(
                try await BackupRun.query(on: app.db).filter(\.$kind == "verify").filter(\.$succeeded == false).first())
            #expect(failed.detail?.isEmpty == false)
            let logged = try await OperationsLogEntry.query(on: app.db).filter(\.$result == "thất bại").count()
            #expect(logged == 1)
            let alert = try #require(try await OperationsAlert.query(on: app.db).first())
            #expect(alert.rule == AlertRule.verifyFailed.rawValue)
            let mailed = try await OutboxMail.query(on: app.db).filter(\.$recipient == admin.account.email).all()
            #expect(mailed.contains { $0.subject.contains(AlertRule.verifyFailed.label) })
        }
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The drill restores the latest snapshot aside, checks it and logs what it found; the operator page shows it,
    /// and warns once the last good drill is more than 35 days old.
    @Test func theDrillRestoresAsideChecksAndShowsOnTheOperatorPage() async throws {
        let place = BackupPlace()
        defer { place.remove() }
        try await withTestApp(place.override) { app async throws in
            _ = try await populatedCase(app)
            let ctx = ActionContext.system(app, task: "test")
            let before = try await CaseAttachment.query(on: app.db).count()
            try await BackupService.run(.incremental, trigger: "kiểm thử", in: ctx)
            let report = try await BackupDrill.run(trigger: "kiểm thử", in: ctx)
            #expect(report.attachments == 1)
            #expect(report.auditEvents > 0)
            #expect(report.tables > 20)
            let drill = try #require(
                try await BackupRun.query(on: app.db).filter(\.$kind == "drill").first())
            #expect(drill.succeeded, "\(drill.detail ?? "")")
            // The live installation is untouched by the drill.
            #expect(try await CaseAttachment.query(on: app.db).count() == before)
            if let schema = try await currentSchema(app) {
                struct Row: Decodable { let n: Int }
                let scratch = try await app.db.sql.raw(
                    "SELECT count(*) AS n FROM information_schema.schemata WHERE schema_name LIKE 'drill_%' AND schema_name <> \(bind: schema)"
                ).first(decoding: Row.self)?.n
                #expect(scratch == 0, "the scratch schema is dropped")
            }
            let (admin, _) = try await Fixtures.signedIn(app, "qt.vanhanh", class: .centralAdmin)
            let page = try await admin.get("/van-hanh")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("tệp đính kèm đúng SHA-256"))
            #expect(!page.body.string.contains("drill-warning"))
            drill.startedAt = app.clock.now.addingTimeInterval(-36 * 86400)
            try await drill.save(on: app.db)
            let later = try await admin.get("/van-hanh")
            #expect(later.body.string.contains("drill-warning"))
        }
    }

    /// An operator starts a backup and a drill from the operator page (a form with its CSRF token); the requests are
    /// audited and the job runner does the work on its next pass, under the operator's name in the backup log.
    @Test func anOperatorStartsABackupAndADrillFromTheOperatorPage() async throws {
        let place = BackupPlace()
        defer { place.remove() }
        try await withTestApp(place.override) { app async throws in
            _ = try await populatedCase(app)
            let (admin, _) = try await Fixtures.signedIn(app, "qt.vanhanh", class: .centralAdmin)
            let page = try await admin.get("/van-hanh")
            #expect(page.body.string.contains("action=\"/van-hanh/sao-luu\""))
            #expect(try await admin.post("/van-hanh/sao-luu", [("kind", "xoa-het")]).status == .badRequest)
            #expect(try await admin.post("/van-hanh/sao-luu", [("kind", "incremental")]).status == .seeOther)
            let twice = try await admin.post("/van-hanh/sao-luu", [("kind", "incremental")])
            #expect(twice.status == .badRequest, "one waiting request per kind")
            #expect(twice.body.string.contains("đang chờ hoặc đang chạy"))
            #expect(try await admin.post("/van-hanh/sao-luu", [("kind", "drill")]).status == .seeOther)
            #expect(try await admin.get("/van-hanh").body.string.contains("chờ tác vụ định kỳ nhận"))
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "operations.backupRequested").count() == 2)
            #expect(try await BackupRun.query(on: app.db).count() == 0, "the form only queues the work")

            try await JobRunner.runDue(app, runner: "kiem-thu")
            let runs = try await BackupRun.query(on: app.db).sort(\.$startedAt).all()
            #expect(Set(runs.map(\.kind)) == ["incremental", "drill"])
            #expect(runs.allSatisfy { $0.succeeded && $0.trigger == "qt.vanhanh" }, "\(runs.map(\.detail))")
            #expect(try await BackupRequests.pending(on: app.db).isEmpty)
            let after = try await admin.get("/van-hanh")
            #expect(!after.body.string.contains("chờ tác vụ định kỳ nhận"))
            #expect(after.body.string.contains("tệp đính kèm đúng SHA-256"))
        }
    }

    @Test func schemaRenameLeavesCopyDataAlone() {
        let script = """
            CREATE SCHEMA t_src;
            CREATE TABLE t_src.a (id integer, t text);
            ALTER TABLE ONLY t_src.a ALTER COLUMN id SET DEFAULT nextval('t_src.a_id_seq'::regclass);
            COPY t_src.a (id, t) FROM stdin;
            1\tt_src.a is mentioned in the data
            \\.
            CREATE INDEX a_idx ON "t_src".a USING btree (t);
            """
        let out = SchemaRename.rewrite(script, from: "t_src", to: "drill_x")
        #expect(!out.contains("CREATE SCHEMA"))
        #expect(out.contains("CREATE TABLE \"drill_x\".a"))
        #expect(out.contains("nextval('\"drill_x\".a_id_seq'::regclass)"))
        #expect(out.contains("COPY \"drill_x\".a (id, t) FROM stdin;"))
        #expect(out.contains("1\tt_src.a is mentioned in the data"))
        #expect(out.contains("ON \"drill_x\".a USING"))
    }
}
