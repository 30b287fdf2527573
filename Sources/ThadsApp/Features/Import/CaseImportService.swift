import Crypto
import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// Who imports: the account the records are created by, the units it may import into, and who the audit names.
struct ImportActor: Sendable {
    let accountID: UUID
    let username: String
    let scope: DataScope
    let audit: AuditActor
}

/// What a dry run found: the problems that stop an import, the possible duplicates that need a confirmation,
/// and the checked rows ready to write.
struct ImportReport: Sendable {
    let sha256: String
    var rowCount = 0
    /// Row 0 is the file itself, row 1 its header.
    var problems: [ImportProblem] = []
    var duplicates: [ImportProblem] = []
    var rows: [CaseImportRow] = []
    var seconds: Double = 0

    var hasErrors: Bool { !problems.isEmpty }
    var rowsPerSecond: Int { seconds > 0 ? Int(Double(rowCount) / seconds) : rowCount }

    /// Nothing wrong, something to write, and possible duplicates only when the caller has looked at them (as the
    /// case form asks for a confirmation when the judgment is already on another case).
    func canCommit(acceptingDuplicates: Bool) -> Bool {
        !hasErrors && !rows.isEmpty && (duplicates.isEmpty || acceptingDuplicates)
    }
}

/// The legacy import (B9): a dry run that checks every row like the case forms do, and a commit that writes the
/// whole file in one transaction or nothing.
enum CaseImportService {
    static let auditAction = "cases.imported"

    static func sha256(_ data: Data) -> String {
        SHA256.hex(data)
    }

    static func dryRun(
        _ data: Data, actor: ImportActor, limits: ImportLimits = .init(), app: Application,
        progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> ImportReport {
        let started = ContinuousClock.now
        var report = try await examine(data, actor: actor, limits: limits, app: app, progress: progress)
        report.seconds = seconds(since: started)
        return report
    }

    private static func examine(
        _ data: Data, actor: ImportActor, limits: ImportLimits, app: Application,
        progress: @escaping @Sendable (Int) -> Void
    ) async throws -> ImportReport {
        var report = ImportReport(sha256: sha256(data))
        if let previous = try await previousImport(report.sha256, on: app.db) {
            report.problems.append(ImportProblem(row: 0, column: nil, message: previous))
        }
        let sheet: ImportSheet
        do {
            sheet = try ImportFileReader.read(data, limits: limits)
        } catch {
            report.problems.append(ImportProblem(row: 0, column: nil, message: error.message))
            return report
        }
        report.rowCount = sheet.rows.count
        let (columns, headerProblems) = CaseImportValidator.readHeader(sheet.header)
        guard headerProblems.isEmpty else {
            report.problems += headerProblems
            return report
        }
        if sheet.rows.isEmpty {
            report.problems.append(
                ImportProblem(row: 0, column: nil, message: "Tệp chỉ có dòng tiêu đề, không có dữ liệu."))
        }
        // One validator per worker, each over its own catalog objects: threads sharing the same class instances
        // spend their time on reference counts instead of checking rows.
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var validators: [CaseImportValidator] = []
        for _ in 0..<min(workers, max(1, sheet.rows.count / 1_000)) {
            validators.append(try await .load(columns: columns, scope: actor.scope, app: app))
        }
        let (rows, problems) = try await validate(sheet.rows, with: validators, progress: progress)
        report.rows = rows
        report.problems += problems
        let found = try await CaseImportDuplicates.find(in: rows, on: app.db)
        report.problems = (report.problems + found.errors).sorted { ($0.row, $0.message) < ($1.row, $1.message) }
        report.duplicates = found.duplicates
        return report
    }

    /// Rows are independent, so they are checked in parallel (one slice per validator), 10,000 at a time with
    /// progress after each.
    private static func validate(
        _ rows: [ImportSheet.Row], with validators: [CaseImportValidator], progress: @Sendable (Int) -> Void
    ) async throws -> ([CaseImportRow], [ImportProblem]) {
        var valid: [CaseImportRow] = []
        var problems: [ImportProblem] = []
        valid.reserveCapacity(rows.count)
        for sliceStart in stride(from: 0, to: rows.count, by: 10_000) {
            let slice = rows[sliceStart..<min(rows.count, sliceStart + 10_000)]
            let part = (slice.count + validators.count - 1) / validators.count
            let results = try await withThrowingTaskGroup(of: (Int, [CaseImportRow], [ImportProblem]).self) { group in
                for (index, validator) in validators.enumerated() {
                    let start = slice.startIndex + index * part
                    guard start < slice.endIndex else { break }
                    let chunk = Array(slice[start..<min(slice.endIndex, start + part)])
                    group.addTask {
                        var rows: [CaseImportRow] = []
                        var problems: [ImportProblem] = []
                        rows.reserveCapacity(chunk.count)
                        for row in chunk {
                            let (checked, found) = validator.check(row)
                            if let checked { rows.append(checked) }
                            problems += found
                        }
                        return (index, rows, problems)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.0 < $1.0 }
            }
            for (_, rows, found) in results {
                valid += rows
                problems += found
            }
            progress(sliceStart + slice.count)
        }
        return (valid, problems)
    }

    /// "Đã nhập …" when this very file was committed before, so that it is not imported twice.
    static func previousImport(_ sha256: String, on db: any Database) async throws -> String? {
        guard
            let event = try await AuditEvent.query(on: db).filter(\.$action == auditAction)
                .filter(\.$objectID == sha256).first()
        else { return nil }
        let when = Format.dateTime(event.occurredAt)
        return "Tệp này (SHA-256 \(sha256.prefix(12))…) đã được nhập lúc \(when) bởi \(event.actorUsername ?? "?")."
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double { (ContinuousClock.now - start).seconds }
}
