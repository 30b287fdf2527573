import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// The outcome of `commit`: the report it re-checked, and what was written when it could be.
struct ImportOutcome: Sendable {
    var report: ImportReport
    var created = 0
    /// The first and last code issued per unit code.
    var codes: [String: (first: String, last: String)] = [:]
    var seconds: Double = 0
    var casesPerSecond: Int { seconds > 0 ? Int(Double(created) / seconds) : created }
    var caseIDs: [UUID] = []
}

/// What the import transaction wrote.
private struct Written: Sendable {
    var codes: [String: (first: String, last: String)] = [:]
    var caseIDs: [UUID] = []
}

/// Raised inside the import transaction to undo it: the file was committed meanwhile by someone else.
struct ImportAlreadyCommitted: Error {
    let message: String
}

extension CaseImportService {
    static let moneyReference = "Số liệu kế thừa"

    /// Re-checks the file and, when it may be committed, writes every row in one transaction: all or nothing.
    static func commit(
        _ data: Data, actor: ImportActor, acceptingDuplicates: Bool, limits: ImportLimits = .init(),
        app: Application, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> ImportOutcome {
        let report = try await dryRun(data, actor: actor, limits: limits, app: app) {
            progress("… đã kiểm tra \(MoneyText.grouped(Int64($0))) dòng")
        }
        var outcome = ImportOutcome(report: report)
        guard report.canCommit(acceptingDuplicates: acceptingDuplicates) else { return outcome }
        let started = ContinuousClock.now
        let today = app.clock.today
        let startMonth =
            app.legalParameters.value(LegalParameterName.statisticalYearStartMonth, on: today).map { Int($0.value) }
            ?? 10
        let units = try await EnforcementUnit.query(on: app.db).all()
        let unitCodes = Dictionary(units.map { ($0.id!, $0.code) }, uniquingKeysWith: { a, _ in a })
        let keys = app.keys
        let rows = report.rows
        let written: Written = try await app.write(on: app.db) { db in
            // Counters first, in a fixed order: a second commit of this file on PostgreSQL waits here for the
            // first to finish, and then sees its audit event below.
            struct Year: Hashable, Comparable {
                let unitID: UUID
                let year: Int
                static func < (a: Year, b: Year) -> Bool {
                    (a.unitID.uuidString, a.year) < (b.unitID.uuidString, b.year)
                }
            }
            var counts: [Year: Int] = [:]
            for row in rows {
                counts[
                    Year(unitID: row.unitID, year: StatisticalYear.of(row.decidedOn, startMonth: startMonth)),
                    default: 0] += 1
            }
            var next: [Year: Int] = [:]
            for (year, count) in counts.sorted(by: { $0.key < $1.key }) {
                next[year] = try await CaseQualityService.reserveSequences(
                    unitID: year.unitID, year: year.year, count: count, on: db)
            }
            if let previous = try await previousImport(report.sha256, on: db) {
                throw ImportAlreadyCommitted(message: previous)
            }
            let writer = CaseBulkWriter(try db.sql)
            let now = app.clock.now
            return try await DatabaseSetup.withBulkWriteCache(on: db) {
                var written = Written()
                written.caseIDs.reserveCapacity(rows.count)
                func reportProgress(_ done: Int) {
                    if done % 10_000 == 0 || done == rows.count {
                        progress(
                            "… đã ghi \(MoneyText.grouped(Int64(done))) / \(MoneyText.grouped(Int64(rows.count))) hồ sơ"
                        )
                    }
                }
                // Each batch is built (records, encrypted ID numbers, statements) while the one before is being written: the
                // database writes on one connection, so building them in turn left a core idle half the time.
                try await withThrowingTaskGroup(of: Int.self) { writes in
                    for start in stride(from: 0, to: rows.count, by: 2_000) {
                        var batch = CaseBulkWriter.Batch()
                        for row in rows[start..<min(rows.count, start + 2_000)] {
                            let year = Year(
                                unitID: row.unitID, year: StatisticalYear.of(row.decidedOn, startMonth: startMonth))
                            let sequence = next[year]!
                            next[year] = sequence + 1
                            let unitCode = unitCodes[row.unitID] ?? "?"
                            let code = CaseCode.make(unitCode: unitCode, year: year.year, sequence: sequence)
                            written.codes[unitCode] = (written.codes[unitCode]?.first ?? code, code)
                            written.caseIDs.append(
                                try append(
                                    row, code: code, year: year.year, to: &batch, by: actor.accountID, at: now,
                                    keys: keys))
                        }
                        let ready = try writer.encode(batch)
                        if let done = try await writes.next() { reportProgress(done) }
                        let done = min(rows.count, start + 2_000)
                        writes.addTask {
                            try await writer.insert(ready)
                            return done
                        }
                    }
                    while let done = try await writes.next() { reportProgress(done) }
                }
                let perUnit = Dictionary(grouping: rows, by: \.unitID).map {
                    (unitCodes[$0.key] ?? "?", $0.value.count)
                }
                try await AuditLog.record(
                    AuditEntry(
                        action: auditAction, objectType: "import", objectID: report.sha256,
                        unitID: perUnit.count == 1 ? rows.first?.unitID : nil,
                        summary: "Nhập \(rows.count) hồ sơ từ dữ liệu cũ, tệp SHA-256 \(report.sha256)",
                        after: AuditEntry.json(
                            ImportAuditFacts(
                                sha256: report.sha256, rows: report.rowCount, cases: rows.count,
                                units: Dictionary(perUnit, uniquingKeysWith: +), account: actor.username,
                                acceptedDuplicates: report.duplicates.count))),
                    actor: actor.audit, at: now, on: db)
                // Bulk writes pass by the change observers: the statistics' spans of the new cases, in the same
                // transaction, so a report right after the import counts them.
                try await CaseStates.rebuild(caseIDs: written.caseIDs, on: db)
                return written
            }
        }
        outcome.created = rows.count
        outcome.codes = written.codes
        outcome.caseIDs = written.caseIDs
        outcome.seconds = seconds(since: started)
        return outcome
    }

    /// The records of one row, as the case forms would have stored them (see `CaseEntryService.open`): the
    /// enforcement decision opens the case as accepted; the status it reached in the old system is the case's.
    private static func append(
        _ row: CaseImportRow, code: String, year: Int, to batch: inout CaseBulkWriter.Batch, by accountID: UUID,
        at now: Date, keys: KeyStore
    ) throws -> UUID {
        func date(_ values: CaseRecordFields.Values, _ key: String) -> LocalDate? {
            values[key].flatMap(LocalDate.init(iso:))
        }
        let judgmentID = UUID.timeOrdered()
        let caseID = UUID.timeOrdered()
        batch.judgments.append(
            .init(
                id: judgmentID, unitID: row.unitID, courtCode: row.judgment["courtCode"] ?? "",
                number: row.judgment["number"] ?? "", judgmentDate: date(row.judgment, "judgmentDate"),
                kindCode: row.judgment["kindCode"] ?? "", effectiveDate: date(row.judgment, "effectiveDate"),
                receivedOn: nil, enteredAt: now, createdByID: accountID))
        batch.cases.append(
            .init(
                id: caseID, code: code, unitID: row.unitID, judgmentID: judgmentID,
                startMode: CaseStartMode(rawValue: row.caseFile["startMode"] ?? "") ?? .exOfficio,
                requestReceivedOn: date(row.caseFile, "requestReceivedOn"), status: row.status,
                resumeStatus: row.resumeStatus, officerID: nil, statisticalYear: year, openedOn: row.decidedOn,
                closedOn: row.closedOn, createdAt: now, createdByID: accountID, legacyCode: row.legacyCode))
        for party in [row.debtor, row.creditor].compactMap({ $0 }) {
            batch.parties.append(
                try .init(
                    caseID: caseID, unitID: row.unitID,
                    role: PartyRole(rawValue: party["role"] ?? "") ?? .debtor,
                    kind: PartyKind(rawValue: party["kind"] ?? "") ?? .person, fullName: party["fullName"] ?? "",
                    birthYear: party["birthYear"].flatMap { Int($0) }, idNumber: party["idNumber"],
                    address: party["address"] ?? "", enteredAt: now, createdByID: accountID, keys: keys))
        }
        batch.obligations.append(
            .init(
                caseID: caseID, kindCode: row.obligation["kindCode"] ?? "",
                mode: ObligationMode(rawValue: row.obligation["mode"] ?? "") ?? .money,
                amount: row.obligation["amount"].flatMap { Int64($0) },
                description: row.obligation["description"] ?? "",
                beneficiary: Beneficiary(rawValue: row.obligation["beneficiary"] ?? "") ?? .person, enteredAt: now,
                createdByID: accountID))
        batch.decisions.append(
            .init(
                caseID: caseID, kind: .enforcement, number: row.decision["number"] ?? "", decidedOn: row.decidedOn,
                groundCode: row.decision["groundCode"] ?? "", signer: row.decision["signer"] ?? "", notifiedOn: nil,
                statusBefore: CaseLifecycle.initialStatus, statusAfter: CaseLifecycle.initialStatus, enteredAt: now,
                createdByID: accountID))
        for (direction, amount) in [(MoneyDirection.collected, row.collected), (.paidOut, row.paidOut)] {
            guard let amount, let asOf = row.moneyAsOf else { continue }
            batch.money.append(
                .init(
                    caseID: caseID, direction: direction, amount: amount, occurredOn: asOf, reference: moneyReference,
                    notes: "Tổng số \(direction == .collected ? "đã thu" : "đã chi trả") đến ngày \(asOf.display) "
                        + "theo hệ thống cũ" + (row.legacyCode.map { " (hồ sơ \($0))" } ?? "") + ".",
                    enteredAt: now, createdByID: accountID))
        }
        return caseID
    }
}

/// What the audit event of an import records besides its summary.
struct ImportAuditFacts: Codable, Sendable {
    var sha256: String
    var rows: Int
    var cases: Int
    var units: [String: Int]
    var account: String
    var acceptedDuplicates: Int
}
