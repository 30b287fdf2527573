import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The unit's enforcement money books (I1): what was received, paid out to creditors, returned and is held, per
/// case and in total, read from the case registry's money records; the fee book from the fee and charge receipts;
/// the accountant's daily close; and the reconciliation of collections with receipts.
enum MoneyBooks {
    struct CaseLine: Sendable {
        let caseID: UUID
        let caseCode: String
        var received: Int64 = 0
        var paidOut: Int64 = 0
        var returned: Int64 = 0
        var held: Int64 { received - paidOut - returned }
    }

    struct Book: Sendable {
        var lines: [CaseLine]
        var received: Int64 { lines.reduce(0) { $0 + $1.received } }
        var paidOut: Int64 { lines.reduce(0) { $0 + $1.paidOut } }
        var returned: Int64 { lines.reduce(0) { $0 + $1.returned } }
        var held: Int64 { received - paidOut - returned }
    }

    /// The book of one unit over the money records dated in `from…to` (ISO days, both included).
    static func book(unitID: UUID, from: LocalDate, to: LocalDate, on db: any Database) async throws -> Book {
        let cases = try await EnforcementCase.query(on: db).filter(\.$unitID == unitID).all()
        let codes = Dictionary(uniqueKeysWithValues: cases.map { ($0.id!, $0.code) })
        guard !codes.isEmpty else { return Book(lines: []) }
        // A row voided as entered by mistake is not money that moved (its receipt was cancelled first).
        let entries = try await CaseMoneyEntry.query(on: db).filter(\.$caseID ~~ Array(codes.keys))
            .filter(\.$occurredOn >= from.iso).filter(\.$occurredOn <= to.iso).filter(\.$voidNote == nil).all()
        var lines: [UUID: CaseLine] = [:]
        for entry in entries {
            var line = lines[entry.caseID] ?? CaseLine(caseID: entry.caseID, caseCode: codes[entry.caseID] ?? "")
            switch entry.direction {
            case .collected: line.received += entry.amount
            case .paidOut: line.paidOut += entry.amount
            case .returned: line.returned += entry.amount
            }
            lines[entry.caseID] = line
        }
        return Book(lines: lines.values.sorted { $0.caseCode < $1.caseCode })
    }

    /// Fee and charge receipts of the unit in the period (the fee book), valid ones only.
    static func feeBook(unitID: UUID, from: LocalDate, to: LocalDate, on db: any Database) async throws -> [Receipt] {
        try await Receipt.query(on: db).filter(\.$unitID == unitID).filter(\.$purpose ~~ [.fee, .charge])
            .filter(\.$issuedOn >= from.iso).filter(\.$issuedOn <= to.iso).sort(\.$issuedOn).sort(\.$number).all()
    }

    // MARK: Daily close

    static func isClosed(unitID: UUID, day: String, on db: any Database) async throws -> Bool {
        try await ReceiptDayClose.query(on: db).filter(\.$unitID == unitID).filter(\.$day == day).first() != nil
    }

    /// Called for every new money record: a day the accountant closed takes no new entry.
    static func refuseIfClosed(unitID: UUID, day: String, on db: any Database) async throws {
        guard try await isClosed(unitID: unitID, day: day, on: db) else { return }
        let shown = LocalDate(iso: day)?.display ?? day
        throw ChangeObservers.Refusal(
            field: "occurredOn", message: "Sổ ngày \(shown) đã khóa; không ghi thêm khoản thu, chi vào ngày này.")
    }

    struct AlreadyClosed: Error {}
    struct FutureDay: Error {}

    /// Locks `day` of the accountant's unit, with the day's totals as they stand.
    static func close(day: LocalDate, in ctx: ActionContext) async throws {
        try ctx.authorize(.manageReceipts)
        let user = try ctx.staff
        let unitID = user.unit.id!
        guard day <= ctx.today else { throw FutureDay() }
        try await ctx.write { db in
            guard try await !isClosed(unitID: unitID, day: day.iso, on: db) else { throw AlreadyClosed() }
            let totals = try await book(unitID: unitID, from: day, to: day, on: db)
            let close = ReceiptDayClose()
            close.id = UUID()
            close.unitID = unitID
            close.day = day.iso
            close.closedAt = ctx.now
            close.closedByID = user.account.id!
            close.received = totals.received
            close.paidOut = totals.paidOut
            try await close.create(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "money.dayClosed", objectType: "money-day", objectID: close.id!.uuidString, unitID: unitID,
                    summary: "Khóa sổ ngày \(day.display): thu \(MoneyText.dong(totals.received)), "
                        + "chi \(MoneyText.dong(totals.paidOut))"),
                on: db)
        }
    }

    // MARK: Reconciliation

    struct CaseMismatch: Sendable {
        let caseID: UUID
        let caseCode: String
        let collected: Int64
        let receipted: Int64
        let collectionsWithoutReceipt: Int
    }

    struct Reconciliation: Sendable {
        let cases: [CaseMismatch]
        /// Valid enforcement-money receipts whose collection does not exist (or none was named).
        let untied: [Receipt]
        /// Collections carried over by the import, whose receipts were issued on paper in the old system.
        var legacy: [LegacyCollection] = []
    }

    struct LegacyCollection: Sendable {
        let caseID: UUID
        let caseCode: String
        let legacyCode: String
        let amount: Int64
        let asOf: String
    }

    /// A collection the import carried over from the old system (a total to a day, with the import's reference,
    /// written with the imported case): its receipts were issued on paper there, so it gets none here and does not
    /// count as a collection without a receipt.
    static func isLegacy(_ entry: CaseMoneyEntry, of enforcementCase: EnforcementCase) -> Bool {
        enforcementCase.legacyCode != nil && entry.reference == CaseImportService.moneyReference
            && abs(entry.enteredAt.timeIntervalSince(enforcementCase.createdAt)) < 60
    }

    /// Every case of the unit whose collections and valid enforcement-money receipts disagree, and every valid
    /// receipt that is not tied to a collection of the unit.
    static func reconcile(unitID: UUID, on db: any Database) async throws -> Reconciliation {
        let cases = try await EnforcementCase.query(on: db).filter(\.$unitID == unitID).all()
        let codes = Dictionary(uniqueKeysWithValues: cases.map { ($0.id!, $0.code) })
        let byID = Dictionary(uniqueKeysWithValues: cases.map { ($0.id!, $0) })
        let all =
            codes.isEmpty
            ? []
            : try await CaseMoneyEntry.query(on: db).filter(\.$caseID ~~ Array(codes.keys))
                .filter(\.$direction == .collected).filter(\.$voidNote == nil).all()
        let (legacyRows, collections) = all.reduce(into: ([CaseMoneyEntry](), [CaseMoneyEntry]())) { split, entry in
            if let owner = byID[entry.caseID], isLegacy(entry, of: owner) {
                split.0.append(entry)
            } else {
                split.1.append(entry)
            }
        }
        let legacy = legacyRows.map { entry in
            LegacyCollection(
                caseID: entry.caseID, caseCode: codes[entry.caseID] ?? "",
                legacyCode: byID[entry.caseID]?.legacyCode ?? "", amount: entry.amount, asOf: entry.occurredOn)
        }.sorted { $0.caseCode < $1.caseCode }
        let receipts = try await Receipt.query(on: db).filter(\.$unitID == unitID).filter(\.$state == .valid)
            .filter(\.$purpose == .enforcementMoney).all()
        let collectionIDs = Set(collections.map { $0.id! })
        let receiptedEntries = Set(receipts.compactMap(\.moneyEntryID))
        var collected: [UUID: Int64] = [:]
        var missing: [UUID: Int] = [:]
        for entry in collections {
            collected[entry.caseID, default: 0] += entry.amount
            if !receiptedEntries.contains(entry.id!) { missing[entry.caseID, default: 0] += 1 }
        }
        var receipted: [UUID: Int64] = [:]
        var untied: [Receipt] = []
        for receipt in receipts {
            guard let entryID = receipt.moneyEntryID, collectionIDs.contains(entryID), let caseID = receipt.caseID
            else {
                untied.append(receipt)
                continue
            }
            receipted[caseID, default: 0] += receipt.amount
        }
        let mismatches = Set(collected.keys).union(receipted.keys).compactMap { caseID -> CaseMismatch? in
            let c = collected[caseID] ?? 0
            let r = receipted[caseID] ?? 0
            let m = missing[caseID] ?? 0
            guard c != r || m > 0 else { return nil }
            return CaseMismatch(
                caseID: caseID, caseCode: codes[caseID] ?? "", collected: c, receipted: r,
                collectionsWithoutReceipt: m)
        }
        return Reconciliation(
            cases: mismatches.sorted { $0.caseCode < $1.caseCode },
            untied: untied.sorted { $0.reference < $1.reference }, legacy: legacy)
    }
}
