import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// Reads a stored case into the domain snapshot and keeps its quality warnings in step with it (B4):
/// findings that appear are opened, findings that disappear are marked resolved, dismissed ones stay
/// dismissed until their finding disappears and comes back.
enum CaseQualityService {
    static func snapshot(of enforcementCase: EnforcementCase, on db: any Database) async throws -> CaseSnapshot {
        guard let snapshot = try await snapshots(of: [enforcementCase], on: db).first?.snapshot else {
            throw Abort(.internalServerError, reason: "case without judgment")
        }
        return snapshot
    }

    /// The snapshots of many cases with one query per record kind (work lists, batch checks), in the given order;
    /// a case whose judgment is missing is left out.
    static func snapshots(of cases: [EnforcementCase], on db: any Database) async throws
        -> [(enforcementCase: EnforcementCase, snapshot: CaseSnapshot)]
    {
        guard !cases.isEmpty else { return [] }
        let ids = try cases.map { try $0.requireID() }
        let judgments = Dictionary(
            uniqueKeysWithValues: try await Judgment.query(on: db).filter(\.$id ~~ Set(cases.map(\.judgmentID))).all()
                .map { ($0.id!, $0) })
        let parties = Dictionary(
            grouping: try await CaseParty.query(on: db).filter(\.$caseID ~~ ids).all(), by: \.caseID)
        let obligations = Dictionary(
            grouping: try await CaseObligation.query(on: db).filter(\.$caseID ~~ ids).all(), by: \.caseID)
        let decisions = Dictionary(
            grouping: try await CaseDecision.query(on: db).filter(\.$caseID ~~ ids).all(), by: \.caseID)
        let verifications = Dictionary(
            grouping: try await CaseVerification.query(on: db).filter(\.$caseID ~~ ids).all(), by: \.caseID)
        let money = Dictionary(
            grouping: try await CaseMoneyEntry.query(on: db).filter(\.$caseID ~~ ids).all(), by: \.caseID)
        return cases.compactMap { enforcementCase in
            let id = enforcementCase.id!
            guard let judgment = judgments[enforcementCase.judgmentID] else { return nil }
            return (
                enforcementCase,
                snapshot(
                    enforcementCase, judgment: judgment, parties: parties[id] ?? [], obligations: obligations[id] ?? [],
                    decisions: decisions[id] ?? [], verifications: verifications[id] ?? [], money: money[id] ?? [])
            )
        }
    }

    /// The snapshot of records already read (the case page reads them anyway). Voided rows are left out: a record
    /// entered by mistake counts nowhere — not in the totals, the duties or the quality checks.
    static func snapshot(
        _ enforcementCase: EnforcementCase, judgment: Judgment, parties: [CaseParty], obligations: [CaseObligation],
        decisions: [CaseDecision], verifications: [CaseVerification], money: [CaseMoneyEntry]
    ) -> CaseSnapshot {
        let parties = parties.filter { $0.voidNote == nil }
        let obligations = obligations.filter { $0.voidNote == nil }
        let money = money.filter { $0.voidNote == nil }
        return CaseSnapshot(
            status: enforcementCase.status, startMode: enforcementCase.startMode,
            requestReceivedOn: enforcementCase.requestReceivedOn.flatMap(LocalDate.init(iso:)),
            officerAssigned: enforcementCase.officerID != nil,
            judgment: .init(
                courtCode: judgment.courtCode, number: judgment.number,
                judgmentDate: judgment.judgmentDate.flatMap(LocalDate.init(iso:)),
                effectiveDate: judgment.effectiveDate.flatMap(LocalDate.init(iso:)),
                receivedOn: judgment.receivedOn.flatMap(LocalDate.init(iso:)),
                provisionalReceivedAt: judgment.provisionalReceivedAt),
            parties: parties.map {
                .init(
                    id: $0.id!, role: $0.role, kind: $0.kind, fullName: $0.fullName, birthYear: $0.birthYear,
                    hasIdentifier: $0.idNumberIndex != nil, address: $0.address)
            },
            obligations: obligations.map {
                .init(id: $0.id!, mode: $0.mode, amount: $0.amount, beneficiary: $0.beneficiary)
            },
            decisions: decisions.compactMap { decision in
                LocalDate(iso: decision.decidedOn).map {
                    .init(
                        id: decision.id!, kind: decision.kind, decidedOn: $0,
                        notifiedOn: decision.notifiedOn.flatMap(LocalDate.init(iso:)),
                        groundsOn: decision.groundsOn.flatMap(LocalDate.init(iso:)))
                }
            },
            verifications: verifications.compactMap { verification in
                LocalDate(iso: verification.verifiedOn).map {
                    .init(id: verification.id!, verifiedOn: $0, outcome: verification.outcome)
                }
            },
            money: money.compactMap { entry in
                LocalDate(iso: entry.occurredOn).map {
                    .init(id: entry.id!, direction: entry.direction, amount: entry.amount, occurredOn: $0)
                }
            })
    }

    /// A key of `casesOnJudgments`: a court and a judgment's number key, and, when given, the debtor's folded name.
    struct JudgmentKey: Hashable, Sendable {
        var court: String
        var numberKey: String
        /// Only the cases whose debtor has this folded name (`name_folded`).
        var debtor: String? = nil

        /// "court|number" or "court|number|debtor": how `casesOnJudgments` files what it finds.
        var text: String { court + "|" + numberKey + (debtor.map { "|" + $0 } ?? "") }
    }

    /// The key text of a court and a judgment's number key, without a debtor.
    static func judgmentKey(_ court: String, _ numberKey: String) -> String {
        JudgmentKey(court: court, numberKey: numberKey).text
    }

    /// A case on a judgment found by `casesOnJudgments`.
    struct CaseOnJudgment: Sendable, Decodable {
        let courtCode: String
        let numberKey: String
        let debtor: String?
        let id: UUID
        let code: String
        let unitID: UUID
        let startMode: CaseStartMode
    }

    /// The cases on the judgments of these keys, by `JudgmentKey.text`, sorted by code: what the case form warns of
    /// before a case is opened, what the duplicate-judgment rule reports and what an import's dry run calls a
    /// possible duplicate (with the debtor's name). Every key is found exactly through the (court, number) index:
    /// the keys are joined as a list of values, up to 500 a statement. Lists of courts and numbers matched with IN
    /// would select every pair of them, and on PostgreSQL weigh each listed value when planning. The joins are
    /// `CROSS JOIN` because SQLite, left to choose, built a temporary index over every party; PostgreSQL plans them
    /// as the inner joins they are.
    static func casesOnJudgments(_ keys: [JudgmentKey], on db: any Database) async throws
        -> [String: [CaseOnJudgment]]
    {
        let keys = Array(Set(keys.filter { !$0.court.isEmpty && !$0.numberKey.isEmpty }))
            .sorted { ($0.court, $0.numberKey, $0.debtor ?? "") < ($1.court, $1.numberKey, $1.debtor ?? "") }
        let sql = try db.sql
        var found: [String: [CaseOnJudgment]] = [:]
        for start in stride(from: 0, to: keys.count, by: 500) {
            let batch = keys[start..<min(keys.count, start + 500)]
            // One statement shape per batch: with or without the debtor (a key without one matches any debtor).
            for debtors in [false, true] {
                let part = batch.filter { ($0.debtor != nil) == debtors }
                guard !part.isEmpty else { continue }
                var query = SQLQueryString("WITH k(court, number, name) AS (VALUES ")
                for (index, key) in part.enumerated() {
                    query.appendLiteral(index == 0 ? "(" : ", (")
                    query.appendInterpolation(bind: key.court)
                    query.appendLiteral(", ")
                    query.appendInterpolation(bind: key.numberKey)
                    query.appendLiteral(", ")
                    query.appendInterpolation(bind: key.debtor ?? "")
                    query.appendLiteral(")")
                }
                query.appendLiteral(
                    debtors
                        ? """
                        ) SELECT k.court AS "courtCode", k.number AS "numberKey", k.name AS "debtor", c.id, c.code,
                        c.unit_id AS "unitID", c.start_mode AS "startMode"
                        FROM k CROSS JOIN judgments j CROSS JOIN enforcement_cases c CROSS JOIN case_parties p
                        WHERE j.court_code = k.court AND j.number_key = k.number AND c.judgment_id = j.id
                        AND p.case_id = c.id AND p.role = 'debtor' AND p.name_folded = k.name
                        """
                        : """
                        ) SELECT k.court AS "courtCode", k.number AS "numberKey", NULL AS "debtor", c.id, c.code,
                        c.unit_id AS "unitID", c.start_mode AS "startMode"
                        FROM k CROSS JOIN judgments j CROSS JOIN enforcement_cases c
                        WHERE j.court_code = k.court AND j.number_key = k.number AND c.judgment_id = j.id
                        """)
                for row in try await sql.raw(query).all(decoding: CaseOnJudgment.self) {
                    let key = JudgmentKey(court: row.courtCode, numberKey: row.numberKey, debtor: row.debtor)
                    found[key.text, default: []].append(row)
                }
            }
        }
        return found.mapValues { $0.sorted { $0.code < $1.code } }
    }

    /// The possible duplicates of each case: other cases on the same court and judgment number, and, per debtor,
    /// other cases of the same unit with a debtor of the same folded name and birth year. Two queries for the whole
    /// batch, whatever its size.
    static func duplicateFindings(of cases: [EnforcementCase], on db: any Database) async throws
        -> [UUID: [QualityFinding]]
    {
        let sql = try db.sql
        let ids = try cases.map { try $0.requireID() }
        let judgments = try await Judgment.query(on: db).filter(\.$id ~~ Set(cases.map(\.judgmentID))).all()
        let judgmentByID = Dictionary(uniqueKeysWithValues: judgments.map { ($0.id!, $0) })
        let sameJudgment = try await casesOnJudgments(
            judgments.map { JudgmentKey(court: $0.courtCode, numberKey: $0.numberKey) }, on: db)
        let debtors = try await CaseParty.query(on: db).filter(\.$caseID ~~ ids).filter(\.$role == .debtor)
            .filter(\.$voidNote == nil).all()
        let people = debtors.filter { $0.kind == .person && $0.birthYear != nil }
        // Debtors by unit, folded name and birth year: "unit|name|year" → [(case id, code)].
        var sameDebtor: [String: [(id: UUID, code: String)]] = [:]
        func debtorKey(_ unitID: UUID, _ name: String, _ year: Int) -> String { "\(unitID)|\(name)|\(year)" }
        if !people.isEmpty {
            struct Row: Decodable {
                let unitID: UUID
                let nameFolded: String
                let birthYear: Int
                let caseID: UUID
                let code: String
            }
            let rows = try await sql.raw(
                """
                SELECT p.unit_id AS "unitID", p.name_folded AS "nameFolded", p.birth_year AS "birthYear",
                p.case_id AS "caseID", c.code FROM case_parties p
                JOIN enforcement_cases c ON c.id = p.case_id
                WHERE \(sql.isOneOf("p.unit_id", Array(Set(people.map(\.unitID) + cases.map(\.unitID)))))
                AND \(sql.isOneOf("p.name_folded", Array(Set(people.map(\.nameFolded)))))
                AND \(sql.isOneOf("p.birth_year", Array(Set(people.compactMap(\.birthYear)))))
                AND p.role = 'debtor' AND p.void_note IS NULL
                """
            ).all(decoding: Row.self)
            for row in rows {
                sameDebtor[debtorKey(row.unitID, row.nameFolded, row.birthYear), default: []].append(
                    (row.caseID, row.code))
            }
        }
        let debtorsByCase = Dictionary(grouping: people, by: \.caseID)
        var findings: [UUID: [QualityFinding]] = [:]
        for enforcementCase in cases {
            let caseID = enforcementCase.id!
            var found: [QualityFinding] = []
            if let judgment = judgmentByID[enforcementCase.judgmentID], !judgment.numberKey.isEmpty {
                let others = (sameJudgment[judgmentKey(judgment.courtCode, judgment.numberKey)] ?? [])
                    .filter {
                        $0.id != caseID && CaseQuality.isDuplicateOnJudgment(enforcementCase.startMode, $0.startMode)
                    }
                    .map(\.code).sorted()
                if !others.isEmpty {
                    found.append(
                        QualityFinding(
                            rule: .duplicateJudgment, subject: CaseQuality.judgmentSubject,
                            message: "Cùng tòa án và số bản án \(judgment.number) với hồ sơ "
                                + others.prefix(5).joined(separator: ", ") + (others.count > 5 ? "…" : "") + "."))
                }
            }
            for debtor in debtorsByCase[caseID] ?? [] {
                let codes = Set(
                    (sameDebtor[debtorKey(enforcementCase.unitID, debtor.nameFolded, debtor.birthYear!)] ?? [])
                        .filter { $0.id != caseID }.map(\.code)
                ).sorted()
                guard !codes.isEmpty else { continue }
                found.append(
                    QualityFinding(
                        rule: .duplicateDebtor, subject: debtor.id!.uuidString,
                        message: "Người phải thi hành án \(debtor.fullName) (sinh năm \(debtor.birthYear!)) trùng tên "
                            + "và năm sinh với hồ sơ " + codes.prefix(5).joined(separator: ", ")
                            + (codes.count > 5 ? "…" : "") + " của cùng đơn vị."))
            }
            findings[caseID] = found
        }
        return findings
    }

    /// Re-checks one case and stores the outcome; returns the warnings now open.
    @discardableResult
    static func refresh(
        _ enforcementCase: EnforcementCase, today: LocalDate, at now: Date, deadlines: CaseDeadlines? = nil,
        on db: any Database
    ) async throws -> [QualityWarning] {
        guard
            let open = try await refresh([enforcementCase], today: today, at: now, deadlines: deadlines, on: db).first
        else {
            throw Abort(.internalServerError, reason: "case without judgment")
        }
        return open
    }

    /// Re-checks cases and stores the outcome, reading each kind of record once for the whole batch (a scan of
    /// millions of cases read them case by case at about 80 cases a second); returns each case's open warnings,
    /// in order. A case whose judgment is missing is left out. With `deadlines`, the cases' open duties are stored
    /// too (`CaseDutySummaries`), from the same snapshots.
    static func refresh(
        _ cases: [EnforcementCase], today: LocalDate, at now: Date, deadlines: CaseDeadlines? = nil,
        on db: any Database
    ) async throws -> [[QualityWarning]] {
        let snapshots = try await snapshots(of: cases, on: db)
        guard !snapshots.isEmpty else { return [] }
        if let deadlines {
            try await CaseDutySummaries.store(
                snapshots.map { ($0.enforcementCase, CaseDuties.duties(for: $0.snapshot, deadlines: deadlines)) },
                at: now, on: db)
        }
        let checked = snapshots.map(\.enforcementCase)
        let duplicates = try await duplicateFindings(of: checked, on: db)
        let storedByCase = Dictionary(
            grouping: try await QualityWarning.query(on: db).filter(\.$caseID ~~ checked.map { $0.id! }).all(),
            by: \.caseID)
        var result: [[QualityWarning]] = []
        for (enforcementCase, snapshot) in snapshots {
            let caseID = enforcementCase.id!
            let findings = CaseQuality.check(snapshot, today: today) + (duplicates[caseID] ?? [])
            let stored = storedByCase[caseID] ?? []
            var byKey = Dictionary(uniqueKeysWithValues: stored.map { ("\($0.rule.rawValue)|\($0.subject)", $0) })
            var created: [QualityWarning] = []
            for finding in findings {
                let key = "\(finding.rule.rawValue)|\(finding.subject)"
                if let warning = byKey.removeValue(forKey: key) {
                    guard warning.status == .resolved || warning.message != finding.message else { continue }
                    if warning.status == .resolved {
                        warning.status = .open
                        warning.openedAt = now
                        warning.closedAt = nil
                    }
                    warning.message = finding.message
                    try await warning.save(on: db)
                } else {
                    let warning = QualityWarning()
                    warning.id = UUID()
                    warning.caseID = caseID
                    warning.unitID = enforcementCase.unitID
                    warning.rule = finding.rule
                    warning.category = finding.rule.category
                    warning.subject = finding.subject
                    warning.message = finding.message
                    warning.status = .open
                    warning.openedAt = now
                    try await warning.create(on: db)
                    created.append(warning)
                }
            }
            // What is no longer found is fixed; a dismissal ends with its finding too.
            for warning in byKey.values where warning.status != .resolved {
                warning.status = .resolved
                warning.closedAt = now
                try await warning.save(on: db)
            }
            result.append((stored + created).filter { $0.status == .open }.sorted { $0.openedAt < $1.openedAt })
        }
        return result
    }

    /// The next case code of a unit for the statistical year of `openedOn`; the counter row is bumped in
    /// the caller's transaction so concurrent openings on PostgreSQL queue on the row lock.
    static func nextCode(unit: EnforcementUnit, openedOn: LocalDate, startMonth: Int, on db: any Database)
        async throws -> (code: String, year: Int)
    {
        let year = StatisticalYear.of(openedOn, startMonth: startMonth)
        let sequence = try await reserveSequences(unitID: unit.id!, year: year, count: 1, on: db)
        return (CaseCode.make(unitCode: unit.code, year: year, sequence: sequence), year)
    }

    /// The counter of a unit's case codes in a statistical year.
    static func codeSequence(unitID: UUID, year: Int) -> Sequences.Key {
        Sequences.Key(series: "case-code", unitID: unitID, period: year)
    }

    /// Takes `count` consecutive sequence numbers of a unit's statistical year with one bump of its counter (an
    /// import takes thousands at once); returns the first. Same counter as `nextCode`, so the two never overlap.
    static func reserveSequences(unitID: UUID, year: Int, count: Int, on db: any Database) async throws -> Int {
        try await Sequences.take(codeSequence(unitID: unitID, year: year), count: count, on: db)
    }
}

extension CaseQualityService {
    /// Re-checks every open case (or those of one unit) in batches of one transaction each, so duplicates
    /// entered in different places are found without one long lock; returns (cases checked, open warnings).
    static func scanAll(
        _ app: Application, unitID: UUID? = nil, today: LocalDate, batchSize: Int = 200,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> (checked: Int, openWarnings: Int) {
        var checked = 0
        var openWarnings = 0
        var lastCode = ""
        while true {
            var query = EnforcementCase.query(on: app.db).filter(\.$code > lastCode).sort(\.$code).limit(batchSize)
            if let unitID { query = query.filter(\.$unitID == unitID) }
            let batch = try await query.all()
            guard let last = batch.last else { break }
            let open = try await app.write(on: app.db) { db in
                try await refresh(batch, today: today, at: app.clock.now, deadlines: app.caseDeadlines, on: db)
                    .reduce(0) { $0 + $1.count }
            }
            openWarnings += open
            checked += batch.count
            lastCode = last.code
            progress(checked)
        }
        return (checked, openWarnings)
    }
}

extension CaseQualityService {
    /// Re-checks the given cases (those just imported) in the batches of `scanAll`; returns their open warnings.
    static func scan(
        _ caseIDs: [UUID], app: Application, today: LocalDate, batchSize: Int = 200,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Int {
        var openWarnings = 0
        for start in stride(from: 0, to: caseIDs.count, by: batchSize) {
            let ids = Array(caseIDs[start..<min(caseIDs.count, start + batchSize)])
            let batch = try await EnforcementCase.query(on: app.db).filter(\.$id ~~ ids).all()
            openWarnings += try await app.write(on: app.db) { db in
                try await refresh(batch, today: today, at: app.clock.now, deadlines: app.caseDeadlines, on: db)
                    .reduce(0) { $0 + $1.count }
            }
            progress(start + ids.count)
        }
        return openWarnings
    }
}

/// `thads quality-scan`: the batch run of the data-quality rules (B4) over every case.
struct QualityScanCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Quét chất lượng dữ liệu toàn bộ hồ sơ (thiếu, trùng lặp, sai logic)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let today = app.clock.today
        let result = try await CaseQualityService.scanAll(app, today: today) { done in
            if done % 10_000 == 0 { print("… đã kiểm tra \(done) hồ sơ") }
        }
        try await app.write(on: app.db) { db in
            try await AuditLog.record(
                AuditEntry(
                    action: "quality.scanned", objectType: "cases",
                    summary: "Quét \(result.checked) hồ sơ, \(result.openWarnings) cảnh báo đang mở"),
                actor: .system, at: app.clock.now, on: db)
        }
        context.console.print(
            "Đã kiểm tra \(result.checked) hồ sơ; \(result.openWarnings) cảnh báo chất lượng đang mở.")
    }
}
