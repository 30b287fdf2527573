import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// The daily pass's take-in of cases without conditions the register has never seen — after an upgrade, or a
/// legacy import that brought in hundreds of thousands at once. Each batch is one transaction: the records of its
/// cases read with one query per table, their entries, publications and publication events built as
/// `DebtorRegister.sync` builds them and written as bulk inserts, with one audit event per unit. Case by case (ten
/// statements each) the take-in of 500,000 cases took most of an hour.
enum DebtorTakeIn {
    static let batchSize = 500

    /// Cases without conditions with neither a register entry nor a publication, by unit: a batch then holds few
    /// units, and so few audit events.
    static func freshCases(on db: any Database) async throws -> [UUID] {
        struct Row: Decodable { let id: UUID }
        return try await db.sql.raw(
            """
            SELECT c.id AS id FROM \(ident: EnforcementCase.schema) c
            WHERE c.status = \(bind: CaseStatus.withoutConditions.rawValue)
            AND NOT EXISTS (SELECT 1 FROM \(ident: DebtorEntry.schema) r WHERE r.case_id = c.id)
            AND NOT EXISTS (SELECT 1 FROM \(ident: DebtorPublication.schema) p WHERE p.case_id = c.id)
            ORDER BY c.unit_id, c.id
            """
        ).all(decoding: Row.self).map(\.id)
    }

    /// Takes in `caseIDs`; returns how many were listed and published. A case that changed since it was found (an
    /// entry made meanwhile, a status moved, no no-conditions decision, no debtor) is left to `sync`.
    static func run(_ caseIDs: [UUID], ctx: ActionContext) async throws -> Int {
        guard !caseIDs.isEmpty else { return 0 }
        let rules = DebtorRegister.rules(ctx.app)
        let catalogs = try await ctx.app.catalogCache.catalogs(on: ctx.db)
        let units = Dictionary(
            try await EnforcementUnit.query(on: ctx.db).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        var taken = 0
        for start in stride(from: 0, to: caseIDs.count, by: batchSize) {
            let batch = Array(caseIDs[start..<min(start + batchSize, caseIDs.count)])
            taken += try await ctx.write { db in
                let known = Set(
                    try await DebtorEntry.query(on: db).filter(\.$caseID ~~ batch).all().map(\.caseID)
                        + DebtorPublication.query(on: db).filter(\.$caseID ~~ batch).all().map(\.caseID))
                let records = try await DebtorCaseRecords.load(batch.filter { !known.contains($0) }, on: db)
                var entries: [DebtorEntry] = []
                var publications: [DebtorPublication] = []
                var events: [PublicationEvent] = []
                for caseID in batch {
                    guard let found = records[caseID], let listing = found.listing, let debtor = found.debtor else {
                        continue
                    }
                    let entry = DebtorEntry(newFor: caseID)
                    DebtorRegister.fill(entry, from: found, listing: listing, debtor: debtor)
                    _ = DebtorRegister.evaluate(entry, today: ctx.today, rules: rules)
                    entries.append(entry)
                    let unit = units[found.enforcementCase.unitID]
                    let publication = DebtorPublication(newFor: caseID)
                    DebtorRegister.publish(
                        publication,
                        DebtorRegister.published(found, listing: listing, debtor: debtor, catalogs: catalogs),
                        case: found.enforcementCase, unit: unit, parent: unit?.parentID.flatMap { units[$0] },
                        at: ctx.now)
                    publications.append(publication)
                    events.append(
                        PublicationEvent(
                            caseID: caseID, unitID: found.enforcementCase.unitID, action: .published,
                            cause: DebtorRegister.publishedCause(listing), at: ctx.now))
                }
                var tables = [BulkInsert.models(entries), .models(publications), .models(events)]
                for index in tables.indices { try await tables[index].flush(on: db) }
                for (unitID, count) in Dictionary(grouping: entries, by: \.unitID).mapValues(\.count)
                    .sorted(by: { $0.key.uuidString < $1.key.uuidString })
                {
                    try await ctx.audit(
                        AuditEntry(
                            action: "debtors.takenIn", objectType: "unit", objectID: unitID.uuidString, unitID: unitID,
                            summary: "Đưa \(count) hồ sơ chưa có điều kiện thi hành án vào sổ và công khai "
                                + "(lượt kiểm tra hằng ngày)"), on: db)
                }
                return entries.count
            }
        }
        return taken
    }
}
