import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Issues receipts (I1): a collection recorded on a case gets its receipt in the same transaction, through
/// `ChangeObservers` (the case registry does not know receipts exist). The number comes from the series' counter in
/// `Sequences`, so a collection that fails gives its number back and two collections never share one.
enum ReceiptIssuer {
    /// Loads the signing identity (a bad PKCS#12 file stops the start) and follows the case registry's money records.
    static func start(_ app: Application) throws {
        app.receiptSigner = try ReceiptSigner.load(app.settings, now: app.clock.now)
        app.changeObservers.observe(.moneyRecordAdded) { entryID, ctx, db in
            try await moneyRecordAdded(entryID, ctx: ctx, on: db)
        }
        app.formExtensions.extend(.moneyEntry, name: seriesField) { unitID, ctx, db in
            try await seriesChoice(unitID: unitID, ctx: ctx, on: db)
        }
        // The day close locks the day for corrections as for new entries: neither the day a row leaves nor the day it
        // moves to may be closed. And a receipted collection must keep agreeing with its receipt.
        app.changeObservers.observe(.moneyRecordChanged) { entryID, ctx, db in
            guard let entry = try await CaseMoneyEntry.find(entryID, on: db),
                let enforcementCase = try await EnforcementCase.find(entry.caseID, on: db)
            else { return }
            try await MoneyBooks.refuseIfClosed(unitID: enforcementCase.unitID, day: entry.occurredOn, on: db)
            try await refuseIfReceiptDisagrees(entryID, on: db)
        }
    }

    /// A collection whose valid receipt no longer matches it (voided, turned into a payment, another amount) is
    /// refused: the receipt is cancelled or replaced first, so the books and the receipts never disagree.
    static func refuseIfReceiptDisagrees(_ entryID: UUID, on db: any Database) async throws {
        guard let entry = try await CaseMoneyEntry.find(entryID, on: db) else { return }
        let receipts = try await Receipt.query(on: db).filter(\.$moneyEntryID == entryID).filter(\.$state == .valid)
            .all()
        guard
            let receipt = receipts.first(where: {
                entry.voidNote != nil || entry.direction != .collected || entry.amount != $0.amount
            })
        else { return }
        throw ChangeObservers.Refusal(
            field: entry.voidNote != nil ? "voided" : entry.direction != .collected ? "direction" : "amount",
            message: "Khoản thu đã có biên lai \(receipt.reference) còn hiệu lực: hủy hoặc thay thế biên lai trước khi "
                + "hủy khoản thu, đổi thành khoản chi hoặc đổi số tiền.")
    }

    static func moneyRecordAdded(_ entryID: UUID, ctx: ActionContext, on db: any Database) async throws {
        guard let entry = try await CaseMoneyEntry.find(entryID, on: db),
            let enforcementCase = try await EnforcementCase.find(entry.caseID, on: db)
        else { return }
        try await MoneyBooks.refuseIfClosed(unitID: enforcementCase.unitID, day: entry.occurredOn, on: db)
        guard entry.direction == .collected else { return }
        let open = try await openSeries(
            unitID: enforcementCase.unitID, purposes: [.enforcementMoney], today: ctx.today, on: db)
        let series: ReceiptSeries
        if let chosen = ctx.formChoices[seriesField].flatMap(UUID.init(uuidString:)) {
            guard let found = open.first(where: { $0.id == chosen }) else {
                throw ChangeObservers.Refusal(
                    field: seriesField, message: "Dải biên lai đã chọn không còn dùng được; chọn dải khác.")
            }
            series = found
        } else if let oldest = open.first {
            series = oldest
        } else {
            // Without an approved series the collection stands and reconciliation lists it as having no receipt.
            return
        }
        let payer = try await payer(of: enforcementCase.id!, keys: ctx.keys, on: db)
        let item =
            "Thu tiền thi hành án, hồ sơ \(enforcementCase.code)"
            + (entry.reference.isEmpty ? "" : " (chứng từ \(entry.reference))")
        try await issue(
            in: series, caseID: enforcementCase.id!, caseCode: enforcementCase.code, moneyEntryID: entry.id,
            amount: entry.amount, payer: payer, payerEmail: entry.payerEmail, item: item, replaces: nil, ctx: ctx,
            on: db)
    }

    /// The field the collection form gets when the unit has several open enforcement-money series.
    static let seriesField = "receiptSeries"

    /// The unit's approved, open series for `purposes` in the current year, valid from today or earlier, oldest
    /// first (the default choice).
    static func openSeries(unitID: UUID, purposes: [ReceiptPurpose], today: LocalDate, on db: any Database)
        async throws -> [ReceiptSeries]
    {
        try await ReceiptSeries.query(on: db).filter(\.$unitID == unitID).filter(\.$purpose ~~ purposes)
            .filter(\.$status == .approved).filter(\.$year == today.year).filter(\.$validFrom <= today.iso)
            .sort(\.$createdAt).all()
    }

    /// The series choice on the case's collection form, offered only when there is a choice to make.
    static func seriesChoice(unitID: UUID, ctx: ActionContext, on db: any Database) async throws
        -> FormExtensions.Select?
    {
        let open = try await openSeries(unitID: unitID, purposes: [.enforcementMoney], today: ctx.today, on: db)
        guard open.count > 1 else { return nil }
        return FormExtensions.Select(
            name: seriesField, label: "Dải biên lai (khi thu)",
            options: open.map { .init(value: $0.id!.uuidString, label: $0.title) }, selected: open[0].id!.uuidString)
    }

    /// The case's first debtor: whoever pays enforcement money on a case pays it for the debtor.
    static func payer(of caseID: UUID, keys: KeyStore, on db: any Database) async throws -> ReceiptDocument.Party {
        guard
            let party = try await CaseParty.query(on: db).filter(\.$caseID == caseID).filter(\.$role == .debtor)
                .sort(\.$enteredAt).first()
        else { return .init(name: "", address: "", idNumber: "") }
        let idNumber = party.idNumberCipher.flatMap { try? keys.decrypt($0, purpose: CaseRecord.idPurpose) } ?? ""
        return .init(name: party.fullName, address: party.address, idNumber: idNumber)
    }

    struct SeriesUsedUp: Error {}

    /// Takes the next number of `series`, writes and signs the document, stores the receipt and queues the payer's
    /// mail, all in the caller's transaction `db`.
    @discardableResult
    static func issue(
        in series: ReceiptSeries, caseID: UUID?, caseCode: String, moneyEntryID: UUID?, amount: Int64,
        payer: ReceiptDocument.Party, payerEmail: String?, item: String, replaces: Receipt?, ctx: ActionContext,
        on db: any Database
    ) async throws -> Receipt {
        let taken = try await Sequences.take(series.sequenceKey, on: db)
        guard let number = ReceiptRules.number(taken: taken, first: series.firstNumber, last: series.lastNumber) else {
            throw ChangeObservers.Refusal(
                field: "amount",
                message: "Dải biên lai \(series.receiptSymbol) đã dùng hết số; kế toán cần đăng ký dải mới.")
        }
        guard let unit = try await EnforcementUnit.find(series.unitID, on: db) else { throw Abort(.notFound) }
        let signer = ctx.app.receiptSigner
        let collector: String =
            switch ctx.actor {
            case .staff(let user): user.account.fullName
            default: "Hệ thống"
            }
        let document = ReceiptDocument(
            unitCode: unit.code, unitName: unit.name, formSymbol: series.formSymbol,
            receiptSymbol: series.receiptSymbol, number: number,
            lookupCode: ReceiptRules.lookupCode(randomBytes: (0..<10).map { _ in UInt8.random(in: 0...255) }),
            purpose: series.purpose, issuedOn: ctx.today, collector: collector, payer: payer, caseCode: caseCode,
            item: item, amount: amount, replaces: replaces.map(\.reference), demoSignature: signer.isDemo)
        let receipt = Receipt()
        receipt.id = UUID()
        receipt.seriesID = series.id!
        receipt.unitID = series.unitID
        receipt.caseID = caseID
        receipt.moneyEntryID = moneyEntryID
        receipt.number = number
        receipt.reference = document.reference
        receipt.lookupCode = document.lookupCode
        receipt.state = .valid
        receipt.purpose = series.purpose
        receipt.issuedOn = ctx.today.iso
        receipt.issuedAt = ctx.now
        receipt.amount = amount
        receipt.payerName = payer.name
        receipt.payerEmail = payerEmail
        receipt.xml = document.xml
        receipt.signature = try signer.sign(document.xml, at: ctx.now)
        receipt.demoSignature = signer.isDemo
        receipt.replacesID = replaces?.id
        receipt.createdByID = ctx.stepActor.id ?? UUID()
        try await receipt.create(on: db)
        try await ctx.audit(
            AuditEntry(
                action: replaces == nil ? "receipt.issued" : "receipt.replacementIssued", objectType: "receipt",
                objectID: receipt.id!.uuidString, unitID: series.unitID,
                summary: "Lập biên lai \(receipt.reference), \(MoneyText.dong(amount))"
                    + (caseCode.isEmpty ? "" : ", hồ sơ \(caseCode)")
                    + (replaces.map { ", thay thế \($0.reference)" } ?? "")),
            on: db)
        if let payerEmail, !payerEmail.isEmpty {
            try await ReceiptMail.enqueue(receipt, document: document, to: payerEmail, ctx: ctx, on: db)
        }
        return receipt
    }
}
