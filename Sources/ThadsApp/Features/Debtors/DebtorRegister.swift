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
        let entry = try await DebtorEntry.query(on: db).filter(\.$caseID == caseID).first()
        let publication = try await DebtorPublication.query(on: db).filter(\.$caseID == caseID).first()
        // This runs on every change of every case: only a case standing without conditions needs its records read.
        let records =
            enforcementCase.status == .withoutConditions
            ? try await DebtorCaseRecords.load([caseID], on: db)[caseID] : nil
        guard let records, let listing = records.listing else {
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
        guard let debtor = records.debtor else { return }
        let listed = entry ?? DebtorEntry(newFor: caseID)
        fill(listed, from: records, listing: listing, debtor: debtor)
        _ = evaluate(listed, today: ctx.today, rules: rules(ctx.app))
        try await listed.save(on: db)

        let value = published(
            records, listing: listing, debtor: debtor, catalogs: try await ctx.app.catalogCache.catalogs(on: db))
        if let publication, publication.withdrawnAt == nil {
            guard publication.published != value else { return }
            publication.set(value)
            try await publication.save(on: db)
            try await log(.updated, cause: "Thay đổi thông tin hồ sơ", case: enforcementCase, ctx: ctx, on: db)
            return
        }
        let unit = try await EnforcementUnit.find(enforcementCase.unitID, on: db)
        var parent: EnforcementUnit?
        if let parentID = unit?.parentID { parent = try await EnforcementUnit.find(parentID, on: db) }
        let published = publication ?? DebtorPublication(newFor: caseID)
        publish(published, value, case: enforcementCase, unit: unit, parent: parent, at: ctx.now)
        try await published.save(on: db)
        try await log(.published, cause: publishedCause(listing), case: enforcementCase, ctx: ctx, on: db)
    }

    /// Sets an entry's facts from the case's records (what `evaluate` then reads).
    static func fill(
        _ entry: DebtorEntry, from records: DebtorCaseRecords, listing: DebtorCaseRecords.Listing, debtor: CaseParty
    ) {
        entry.unitID = records.enforcementCase.unitID
        entry.caseCode = records.enforcementCase.code
        entry.debtorName = debtor.fullName
        entry.isListed = true
        entry.decidedOn = listing.decidedOn.iso
        entry.decisionNumber = listing.decision.number
        entry.groundCode = listing.decision.groundCode
        entry.verifiedSince = records.verifiedOn.filter { $0 > listing.decidedOn }.map(\.iso).joined(separator: ",")
        entry.lastReportOn = records.verifiedOn.last?.iso
        entry.owed = records.owed
        entry.paid = records.collected
        entry.enforcementDecidedOn = records.enforcementDecidedOn?.iso
        entry.stateBudgetOnly = records.stateBudgetOnly
    }

    /// What the portal shows of the case (D7's fields only).
    static func published(
        _ records: DebtorCaseRecords, listing: DebtorCaseRecords.Listing, debtor: CaseParty, catalogs: LoadedCatalogs
    ) -> PublishedDebtor {
        let judgment = records.judgment
        let enforcement = records.decisions.filter { $0.kind == .enforcement }.min { $0.decidedOn < $1.decidedOn }
        return PublishedDebtor(
            name: debtor.fullName, birthYear: debtor.birthYear, address: debtor.address,
            judgment: "Bản án, quyết định số \(judgment.number)"
                + (judgment.judgmentDate.flatMap(LocalDate.init(iso:)).map { " ngày \($0.display)" } ?? "")
                + " của " + (catalogs.courtsByCode[judgment.courtCode]?.name ?? judgment.courtCode),
            enforcementDecision: enforcement.map {
                "Quyết định thi hành án số \($0.number) ngày \(LocalDate(iso: $0.decidedOn)?.display ?? $0.decidedOn)"
            } ?? "",
            obligation: records.obligations.map { obligation in
                let kind = catalogs.catalog(.obligationKinds).first { $0.code == obligation.kindCode }?.name
                return (kind ?? obligation.mode.label) + (obligation.amount.map { ": " + MoneyText.dong($0) } ?? "")
            }.joined(separator: "; "),
            outstanding: max(0, records.owed - records.collected),
            reason: catalogs.catalog(.decisionGrounds).first { $0.code == listing.decision.groundCode }?.name
                ?? listing.decision.groundCode,
            decisionNumber: listing.decision.number, decidedOn: listing.decidedOn)
    }

    /// Puts a publication on the portal under the case's unit and province (a regional office's parent).
    static func publish(
        _ publication: DebtorPublication, _ value: PublishedDebtor, case enforcementCase: EnforcementCase,
        unit: EnforcementUnit?, parent: EnforcementUnit?, at now: Date
    ) {
        publication.unitID = enforcementCase.unitID
        publication.provinceCode = (unit?.level == .regional ? parent?.code : unit?.code) ?? ""
        publication.unitName = unit?.name ?? ""
        publication.set(value)
        publication.publishedAt = now
        publication.withdrawnAt = nil
    }

    static func publishedCause(_ listing: DebtorCaseRecords.Listing) -> String {
        "Quyết định về việc chưa có điều kiện thi hành án số \(listing.decision.number) ngày \(listing.decidedOn.display)"
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
    /// rules changed; takes in, a batch at a time, the cases without conditions the register has never seen (an
    /// upgrade, a legacy import); then brings the other strays into line case by case — cases without conditions no
    /// longer listed, listed cases whose status moved outside the forms, entries still published though not listed.
    /// Returns the number of cases gone through.
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
        let fresh = try await DebtorTakeIn.freshCases(on: ctx.db)
        let taken = try await DebtorTakeIn.run(fresh, ctx: ctx)
        let strays = try await strays(on: ctx.db)
        for start in stride(from: 0, to: strays.count, by: 200) {
            let batch = strays[start..<min(start + 200, strays.count)]
            try await ctx.write { db in
                for id in batch { try await sync(caseID: id, ctx: ctx, on: db) }
            }
        }
        return read + taken + strays.count
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
