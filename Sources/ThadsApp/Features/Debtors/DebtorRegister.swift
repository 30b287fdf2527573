import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// Keeps the register and the public portal in step with the case records: called in the transaction of every case
/// change (through `ChangeObservers`), so a no-conditions decision publishes the debtor and a change of status takes
/// the entry down at once (D2 allows 3 working days; the platform needs none), and daily for the rules that move
/// with the date (separate book, exemption).
enum DebtorRegister {
    static func start(_ app: Application) {
        app.changeObservers.observe(.enforcementCase) { caseID, ctx, db in
            try await sync(caseID: caseID, ctx: ctx, on: db)
        }
    }

    static func rules(_ app: Application) -> DebtorRules {
        DebtorRules(deadlines: CaseDeadlines(calendar: app.workingCalendar, parameters: app.legalParameters))
    }

    /// Brings the register entry and the publication of one case up to date, in the caller's transaction.
    static func sync(caseID: UUID, ctx: ActionContext, on db: any Database) async throws {
        guard let enforcementCase = try await EnforcementCase.find(caseID, on: db) else { return }
        let decisions = try await CaseDecision.query(on: db).filter(\.$caseID == caseID).all()
        let noConditions = decisions.filter { $0.kind == .noConditions }.max { $0.decidedOn < $1.decidedOn }
        let entry = try await DebtorEntry.query(on: db).filter(\.$caseID == caseID).first()
        let publication = try await DebtorPublication.query(on: db).filter(\.$caseID == caseID).first()
        guard PublicationRule.isListed(status: enforcementCase.status, hasNoConditionsDecision: noConditions != nil),
            let noConditions, let decidedOn = LocalDate(iso: noConditions.decidedOn)
        else {
            if let entry, entry.isListed {
                entry.isListed = false
                entry.inSeparateBook = false
                try await entry.save(on: db)
            }
            if let publication, publication.withdrawnAt == nil {
                publication.withdrawnAt = ctx.now
                try await publication.save(on: db)
                try await log(
                    .withdrawn, cause: PublicationRule.withdrawalCause(enforcementCase.status),
                    case: enforcementCase, ctx: ctx, on: db)
            }
            return
        }
        let records = try await DebtorCaseRecords.load(caseID, on: db)
        guard let debtor = records.debtor else { return }
        let catalogs = try await ctx.app.catalogCache.catalogs(on: db)
        let listed = entry ?? DebtorEntry()
        if entry == nil {
            listed.id = UUID()
            listed.caseID = caseID
            listed.circumstance = .ordinary
            listed.inSeparateBook = false
            listed.reverificationDue = ""
            listed.lastVerifiedOn = ""
            listed.verificationsSince = 0
            listed.outstanding = 0
        }
        listed.unitID = enforcementCase.unitID
        listed.caseCode = enforcementCase.code
        listed.debtorName = debtor.fullName
        listed.isListed = true
        listed.decidedOn = decidedOn.iso
        listed.decisionNumber = noConditions.number
        listed.groundCode = noConditions.groundCode
        listed.verifiedSince = records.verifiedOn.filter { $0 > decidedOn }.map(\.iso).joined(separator: ",")
        listed.lastReportOn = records.verifiedOn.last?.iso
        listed.owed = records.owed
        listed.paid = records.collected
        listed.enforcementDecidedOn = records.enforcementDecidedOn?.iso
        listed.stateBudgetOnly = records.stateBudgetOnly
        _ = evaluate(listed, today: ctx.today, rules: rules(ctx.app))
        try await listed.save(on: db)

        let enforcement = decisions.filter { $0.kind == .enforcement }.min { $0.decidedOn < $1.decidedOn }
        let value = PublishedDebtor(
            name: debtor.fullName, birthYear: debtor.birthYear, address: debtor.address,
            judgment: "Bản án, quyết định số \(records.judgment.number)"
                + (records.judgment.judgmentDate.flatMap(LocalDate.init(iso:)).map { " ngày \($0.display)" } ?? "")
                + " của " + (catalogs.courtsByCode[records.judgment.courtCode]?.name ?? records.judgment.courtCode),
            enforcementDecision: enforcement.map {
                "Quyết định thi hành án số \($0.number) ngày \(LocalDate(iso: $0.decidedOn)?.display ?? $0.decidedOn)"
            } ?? "",
            obligation: records.obligations.map { obligation in
                let kind = catalogs.catalog(.obligationKinds).first { $0.code == obligation.kindCode }?.name
                return (kind ?? obligation.mode.label) + (obligation.amount.map { ": " + MoneyText.dong($0) } ?? "")
            }.joined(separator: "; "),
            outstanding: listed.outstanding,
            reason: catalogs.catalog(.decisionGrounds).first { $0.code == noConditions.groundCode }?.name
                ?? noConditions.groundCode,
            decisionNumber: noConditions.number, decidedOn: decidedOn)
        let unit = try await EnforcementUnit.find(enforcementCase.unitID, on: db)
        var province = unit?.code
        if unit?.level == .regional, let parentID = unit?.parentID {
            province = try await EnforcementUnit.find(parentID, on: db)?.code
        }
        if let publication, publication.withdrawnAt == nil {
            guard publication.published != value else { return }
            publication.set(value)
            try await publication.save(on: db)
            try await log(.updated, cause: "Thay đổi thông tin hồ sơ", case: enforcementCase, ctx: ctx, on: db)
            return
        }
        let published = publication ?? DebtorPublication()
        if publication == nil {
            published.id = UUID()
            published.caseID = caseID
        }
        published.unitID = enforcementCase.unitID
        published.provinceCode = province ?? ""
        published.unitName = unit?.name ?? ""
        published.set(value)
        published.publishedAt = ctx.now
        published.withdrawnAt = nil
        try await published.save(on: db)
        try await log(
            .published,
            cause:
                "Quyết định về việc chưa có điều kiện thi hành án số \(noConditions.number) ngày \(decidedOn.display)",
            case: enforcementCase, ctx: ctx, on: db)
    }

    /// Works out the dated rules for one entry on `today` from its stored facts; returns whether anything changed.
    static func evaluate(_ entry: DebtorEntry, today: LocalDate, rules: DebtorRules) -> Bool {
        let facts = entry.facts
        let before = [
            entry.reverificationDue, entry.bookEligibleSince, entry.bookTransferDue, entry.exemptionBand,
            entry.exemptionRule, String(entry.verificationsSince), entry.lastVerifiedOn, String(entry.outstanding),
        ]
        entry.verificationsSince = facts.verificationsSince.count
        entry.lastVerifiedOn = facts.lastVerifiedOn.iso
        entry.reverificationDue = rules.reverificationDue(facts).iso
        switch rules.separateBook(facts, today: today) {
        case .eligible(let since, let due):
            entry.bookEligibleSince = since.iso
            entry.bookTransferDue = due.iso
        case .notYet, .newInformation:
            entry.bookEligibleSince = nil
            entry.bookTransferDue = nil
        }
        entry.outstanding = max(0, entry.owed - entry.paid)
        var exemption: DebtorRules.Exemption?
        if entry.stateBudgetOnly, let decided = entry.enforcementDecidedOn.flatMap(LocalDate.init(iso:)) {
            exemption = rules.exemption(
                .init(
                    owed: entry.owed, paid: entry.paid, enforcementDecidedOn: decided, hasAssets: false,
                    lastVerifiedOn: entry.lastReportOn.flatMap(LocalDate.init(iso:))), today: today)
        }
        entry.exemptionBand = exemption?.band.rawValue
        entry.exemptionRule = exemption.map { $0.rule + ($0.reportTooOld ? " Biên bản xác minh đã quá 3 tháng." : "") }
        let after = [
            entry.reverificationDue, entry.bookEligibleSince, entry.bookTransferDue, entry.exemptionBand,
            entry.exemptionRule, String(entry.verificationsSince), entry.lastVerifiedOn, String(entry.outstanding),
        ]
        return before != after
    }

    private static func log(
        _ action: PublicationEvent.Action, cause: String, case enforcementCase: EnforcementCase, ctx: ActionContext,
        on db: any Database
    ) async throws {
        let caseID = try enforcementCase.requireID()
        try await PublicationEvent(
            caseID: caseID, unitID: enforcementCase.unitID, action: action, cause: cause, at: ctx.now
        )
        .create(on: db)
        try await ctx.audit(
            AuditEntry(
                action: "debtors.\(action.rawValue)", objectType: "case", objectID: caseID.uuidString,
                unitID: enforcementCase.unitID, summary: "\(enforcementCase.code): \(action.label) — \(cause)"),
            on: db)
    }

    // MARK: What the officer records

    /// The debtor's circumstance, which lengthens the intervals; the entry is re-evaluated with it at once.
    static func record(_ circumstance: DebtorCircumstance, for entry: DebtorEntry, in ctx: ActionContext) async throws {
        try ctx.authorize(.enterCaseData, unit: entry.unitID)
        try await ctx.write { db in
            let before = entry.circumstance
            entry.circumstance = circumstance
            try await entry.save(on: db)
            try await sync(caseID: entry.caseID, ctx: ctx, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "debtors.circumstanceRecorded", objectType: "case", objectID: entry.caseID.uuidString,
                    unitID: entry.unitID, summary: "\(entry.caseCode): hoàn cảnh \(circumstance.label)",
                    before: AuditEntry.json(before.rawValue), after: AuditEntry.json(circumstance.rawValue)), on: db)
        }
    }

    /// The move to the separate tracking book (Decree 62/2015 Art. 9.5), once the entry is eligible.
    static func moveToSeparateBook(_ entry: DebtorEntry, eligibleSince since: String, in ctx: ActionContext)
        async throws
    {
        try ctx.authorize(.enterCaseData, unit: entry.unitID)
        try await ctx.write { db in
            entry.inSeparateBook = true
            entry.separateBookSince = ctx.today.iso
            try await entry.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "debtors.movedToSeparateBook", objectType: "case", objectID: entry.caseID.uuidString,
                    unitID: entry.unitID,
                    summary: "\(entry.caseCode): chuyển sổ theo dõi riêng (đủ điều kiện từ "
                        + "\(LocalDate(iso: since)?.display ?? since))"), on: db)
        }
    }

    // MARK: The daily pass

    static let dailyJob = ScheduledJob(
        name: "debtors.daily", schedule: .daily(hour: 1, minute: 30), workingDaysOnly: false,
        run: { ctx in try await reevaluateAll(ctx) })

    /// Re-evaluates every listed entry on today's date from its stored facts, writing only the entries whose dated
    /// rules changed; then brings the strays into line case by case — cases without conditions not listed (a legacy
    /// import), listed cases whose status moved outside the forms, and entries still published though not listed.
    /// Returns the number of entries read.
    static func reevaluateAll(_ ctx: ActionContext) async throws -> Int {
        let rules = rules(ctx.app)
        let today = ctx.today
        var read = 0
        var after: UUID?
        while true {
            var page = DebtorEntry.query(on: ctx.db).filter(\.$isListed == true).sort(\.$id).limit(2000)
            if let after { page = page.filter(\.$id > after) }
            let entries = try await page.all()
            guard let last = entries.last else { break }
            read += entries.count
            after = last.id
            let changed = entries.filter { evaluate($0, today: today, rules: rules) }
            if !changed.isEmpty {
                try await ctx.write { db in for entry in changed { try await entry.save(on: db) } }
            }
        }
        let strays = try await strays(on: ctx.db)
        for start in stride(from: 0, to: strays.count, by: 200) {
            let batch = strays[start..<min(start + 200, strays.count)]
            try await ctx.write { db in
                for id in batch { try await sync(caseID: id, ctx: ctx, on: db) }
            }
        }
        return read + strays.count
    }

    /// The cases whose register entry or publication disagrees with their status.
    static func strays(on db: any Database) async throws -> [UUID] {
        let sql = try db.sql
        struct Row: Decodable { let id: UUID }
        let status = CaseStatus.withoutConditions.rawValue
        let unlisted = try await sql.raw(
            """
            SELECT c.id AS id FROM \(ident: EnforcementCase.schema) c
            LEFT JOIN \(ident: DebtorEntry.schema) r ON r.case_id = c.id AND r.is_listed = \(bind: true)
            WHERE c.status = \(bind: status) AND r.id IS NULL
            """
        ).all(decoding: Row.self)
        let moved = try await sql.raw(
            """
            SELECT r.case_id AS id FROM \(ident: DebtorEntry.schema) r
            JOIN \(ident: EnforcementCase.schema) c ON c.id = r.case_id
            WHERE r.is_listed = \(bind: true) AND c.status <> \(bind: status)
            """
        ).all(decoding: Row.self)
        let orphaned = try await sql.raw(
            """
            SELECT p.case_id AS id FROM \(ident: DebtorPublication.schema) p
            LEFT JOIN \(ident: DebtorEntry.schema) r ON r.case_id = p.case_id AND r.is_listed = \(bind: true)
            WHERE p.withdrawn_at IS NULL AND r.id IS NULL
            """
        ).all(decoding: Row.self)
        return Array(Set((unlisted + moved + orphaned).map(\.id))).sorted { $0.uuidString < $1.uuidString }
    }
}

/// The records of one case the register reads.
struct DebtorCaseRecords {
    let judgment: Judgment
    let debtor: CaseParty?
    let obligations: [CaseObligation]
    /// The verification days, oldest first.
    let verifiedOn: [LocalDate]
    let owed: Int64
    let collected: Int64
    /// Every money obligation goes to the state budget (exemption applies to those only).
    let stateBudgetOnly: Bool
    let enforcementDecidedOn: LocalDate?

    static func load(_ caseID: UUID, on db: any Database) async throws -> DebtorCaseRecords {
        guard let enforcementCase = try await EnforcementCase.find(caseID, on: db),
            let judgment = try await Judgment.find(enforcementCase.judgmentID, on: db)
        else { throw Abort(.notFound) }
        let debtor = try await CaseParty.query(on: db).filter(\.$caseID == caseID).filter(\.$role == .debtor)
            .sort(\.$fullName).first()
        let obligations = try await CaseObligation.query(on: db).filter(\.$caseID == caseID).all()
        let verifications = try await CaseVerification.query(on: db).filter(\.$caseID == caseID).all()
        let money = try await CaseMoneyEntry.query(on: db).filter(\.$caseID == caseID).all()
        let enforcement = try await CaseDecision.query(on: db).filter(\.$caseID == caseID)
            .filter(\.$kind == .enforcement).all().compactMap { LocalDate(iso: $0.decidedOn) }.min()
        let moneyObligations = obligations.filter { $0.mode == .money }
        return DebtorCaseRecords(
            judgment: judgment, debtor: debtor, obligations: obligations,
            verifiedOn: verifications.compactMap { LocalDate(iso: $0.verifiedOn) }.sorted(),
            owed: moneyObligations.compactMap(\.amount).reduce(0, +),
            collected: money.filter { $0.direction == .collected }.map(\.amount).reduce(0, +),
            stateBudgetOnly: !moneyObligations.isEmpty
                && moneyObligations.allSatisfy { $0.beneficiary == .stateBudget },
            enforcementDecidedOn: enforcement)
    }
}
