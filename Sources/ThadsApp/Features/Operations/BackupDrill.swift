import Crypto
import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// The restore drill (F2): the latest snapshot restored into a scratch directory (and, on PostgreSQL, a scratch
/// schema), the row counts compared with the manifest, the migrations run on it, the audit chain verified and every
/// attachment's SHA-256 checked. What it found and how long the restore took go into the backup log.
enum BackupDrill {
    struct Failed: Error, CustomStringConvertible {
        var problems: [String]
        var description: String { "Diễn tập khôi phục không đạt: " + problems.prefix(10).joined(separator: "; ") }
    }

    struct Report: Sendable {
        var snapshot: String
        var tables: Int
        var auditEvents: Int
        var attachments: Int
        var restoreSeconds: Double

        var text: String {
            "Bản \(snapshot.prefix(8)): \(tables) bảng khớp số dòng với bản kê, chuỗi nhật ký \(auditEvents) sự kiện "
                + "nguyên vẹn, \(attachments) tệp đính kèm đúng SHA-256; khôi phục trong "
                + String(format: "%.1f", restoreSeconds) + " giây"
        }
    }

    @discardableResult
    static func run(trigger: String, in ctx: ActionContext) async throws -> Report {
        let started = ctx.now
        let timer = ContinuousClock.now
        let settings = ctx.settings
        let scratch = settings.dataDirectory + "/backups/drill-" + UUID().uuidString.prefix(8).lowercased()
        let scratchSchema = "drill_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        var components = ["khôi phục bản mới nhất"]
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            let snapshots = try await BackupService.snapshots(settings)
            guard let latest = snapshots.last else {
                throw Failed(problems: ["kho sao lưu chưa có bản nào"])
            }
            let manifest = try await BackupService.restore(latest.id, to: scratch, settings: settings)
            var problems: [String] = []
            let restored: DatabaseCopy.TableFacts
            let shas: [String]
            if ctx.app.databaseKind == .postgres {
                try await loadIntoScratchSchema(scratch, manifest: manifest, schema: scratchSchema, in: ctx)
                let sql = try ctx.db.sql
                restored = try await DatabaseCopy.facts(
                    sql, tables: DatabaseCopy.postgresTables(sql, schema: scratchSchema), qualifier: scratchSchema)
                shas = try await attachmentHashes(sql, qualifier: scratchSchema)
            } else {
                restored = try await DatabaseCopy.withSQLiteFile(scratch + "/" + DatabaseCopy.sqliteFile, app: ctx.app)
                { sql in
                    try await DatabaseCopy.facts(sql, tables: DatabaseCopy.sqliteTables(sql), qualifier: nil)
                }
                shas = try await DatabaseCopy.withSQLiteFile(scratch + "/" + DatabaseCopy.sqliteFile, app: ctx.app) {
                    try await attachmentHashes($0, qualifier: nil)
                }
            }
            let restoreSeconds = (ContinuousClock.now - timer).seconds
            problems += manifest.countMismatches(restored.rowCounts)
            if restored.migrations != manifest.migrations { problems.append("danh sách migration khác bản kê") }
            if manifest.keyFingerprint != ctx.keys.fingerprint {
                problems.append("bản sao lưu được lập với khóa khác khóa hiện tại")
            }
            components.append("so số dòng")
            problems += checkAttachments(shas, directory: scratch + "/files/attachments")
            components.append("kiểm SHA-256 tệp")
            let audit = try await startAndVerify(scratch, schema: scratchSchema, in: ctx)
            components.append("chạy migration, kiểm chuỗi nhật ký")
            if !audit.isIntact {
                problems.append("chuỗi nhật ký hỏng ở sự kiện \(audit.firstBadSeq ?? 0): \(audit.problem ?? "")")
            }
            try? await dropScratchSchema(scratchSchema, in: ctx)
            guard problems.isEmpty else { throw Failed(problems: problems) }
            let report = Report(
                snapshot: latest.id, tables: manifest.rowCounts.count, auditEvents: audit.checked,
                attachments: shas.count, restoreSeconds: restoreSeconds)
            try await BackupService.log(
                .drill, trigger: trigger, started: started, timer: timer, components: components, snapshot: latest.id,
                bytesAdded: 0, error: nil, detail: report.text, in: ctx)
            return report
        } catch {
            try? await dropScratchSchema(scratchSchema, in: ctx)
            try await BackupService.log(
                .drill, trigger: trigger, started: started, timer: timer, components: components, snapshot: nil,
                bytesAdded: 0, error: error, in: ctx)
            throw error
        }
    }

    static func attachmentHashes(_ sql: any SQLDatabase, qualifier: String?) async throws -> [String] {
        struct Row: Decodable { let sha256: String }
        let table: SQLQueryString =
            qualifier.map { "\(ident: $0).\(ident: "case_attachments")" } ?? "\(ident: "case_attachments")"
        return try await sql.raw("SELECT DISTINCT sha256 FROM " + table).all(decoding: Row.self).map(\.sha256)
    }

    /// Every attachment a restored row names is present and hashes to its name.
    static func checkAttachments(_ shas: [String], directory: String) -> [String] {
        shas.compactMap { sha in
            let path = "\(directory)/\(sha.prefix(2))/\(sha)"
            guard let data = FileManager.default.contents(atPath: path) else { return "thiếu tệp \(sha.prefix(12))…" }
            let digest = SHA256.hex(data)
            return digest == sha ? nil : "tệp \(sha.prefix(12))… sai SHA-256"
        }
    }

    /// Starts a second application on the restored copy — which runs the migrations — and verifies its audit chain
    /// with the installation's key and the checkpoint file that belongs to the snapshot.
    static func startAndVerify(_ directory: String, schema: String, in ctx: ActionContext) async throws
        -> AuditLog.VerificationResult
    {
        var settings = ctx.settings
        settings.dataDirectory = directory
        settings.runsBackgroundJobs = false
        settings.logLevel = .warning
        // The keys are never in a backup: the drill reads the installation's own through a link.
        try? FileManager.default.removeItem(atPath: directory + "/keys")
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/keys",
            withDestinationPath: URL(fileURLWithPath: ctx.settings.keysDirectory).standardizedFileURL.path)
        let drillApp = try await Application.make(Environment(name: "drill", arguments: ["thads"]))
        do {
            try await configure(
                drillApp, settings: settings,
                postgresSearchPath: ctx.app.databaseKind == .postgres ? [schema] : nil, createFirstAdmin: false)
            let result = try await AuditLog.verify(drillApp)
            try await drillApp.asyncShutdown()
            return result
        } catch {
            try? await drillApp.asyncShutdown()
            throw error
        }
    }

    // MARK: PostgreSQL scratch schema

    /// pg_restore writes the dump as SQL; the schema's name is changed outside the COPY data (which is passed
    /// through untouched), and psql runs it into the scratch schema.
    static func loadIntoScratchSchema(
        _ directory: String, manifest: BackupManifest, schema: String, in ctx: ActionContext
    ) async throws {
        guard let url = ctx.settings.databaseURL, let source = manifest.schema else {
            throw Failed(problems: ["bản sao lưu không phải của PostgreSQL"])
        }
        let script = directory + "/restore.sql"
        try await ExternalProgram.check(
            "pg_restore",
            ["--no-owner", "--no-privileges", "--file=" + script, directory + "/" + DatabaseCopy.postgresFile])
        let text = try String(contentsOfFile: script, encoding: .utf8)
        try FileStore.writePrivate(
            Data(SchemaRename.rewrite(text, from: source, to: schema).utf8), to: script)
        try await ctx.db.sql.raw("CREATE SCHEMA \(ident: schema)").run()
        let connection = PostgresConnectionArguments(url: url)
        try await ExternalProgram.check(
            "psql", ["-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", script, connection.dbname],
            environment: connection.environment)
    }

    static func dropScratchSchema(_ schema: String, in ctx: ActionContext) async throws {
        guard ctx.app.databaseKind == .postgres else { return }
        try await ctx.db.sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
}

/// Renames a schema in a pg_restore script: in statements only, never in the data lines of a COPY block.
enum SchemaRename {
    static func rewrite(_ script: String, from source: String, to target: String) -> String {
        let escaped = NSRegularExpression.escapedPattern(for: source)
        let pattern = try! NSRegularExpression(pattern: "(?<![A-Za-z0-9_$])(\"?)\(escaped)\\1(?=\\.)")
        var inCopy = false
        var lines: [String] = []
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            if inCopy {
                if line == "\\." { inCopy = false }
                lines.append(String(line))
                continue
            }
            if line.hasPrefix("CREATE SCHEMA ") || line.hasPrefix("COMMENT ON SCHEMA ")
                || line.hasPrefix("ALTER SCHEMA ")
            {
                continue
            }
            let text = String(line)
            let range = NSRange(text.startIndex..., in: text)
            let renamed = pattern.stringByReplacingMatches(
                in: text, range: range, withTemplate: "\"\(target)\"")
            if line.hasPrefix("COPY ") && line.hasSuffix("FROM stdin;") { inCopy = true }
            lines.append(renamed)
        }
        return lines.joined(separator: "\n")
    }
}
