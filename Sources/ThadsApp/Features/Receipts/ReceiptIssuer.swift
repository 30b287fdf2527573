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
    }

    static func moneyRecordAdded(_ entryID: UUID, ctx: ActionContext, on db: any Database) async throws {
        guard let entry = try await CaseMoneyEntry.find(entryID, on: db),
            let enforcementCase = try await EnforcementCase.find(entry.caseID, on: db)
        else { return }
        try await MoneyBooks.refuseIfClosed(unitID: enforcementCase.unitID, day: entry.occurredOn, on: db)
        guard entry.direction == .collected else { return }
        // Without an approved series the collection stands and reconciliation lists it as having no receipt.
        guard
            let series = try await openSeries(
                unitID: enforcementCase.unitID, purpose: .enforcementMoney, ctx: ctx, on: db)
        else { return }
        let payer = try await payer(of: enforcementCase.id!, keys: ctx.keys, on: db)
        let item =
            "Thu tiền thi hành án, hồ sơ \(enforcementCase.code)"
            + (entry.reference.isEmpty ? "" : " (chứng từ \(entry.reference))")
        try await issue(
            in: series, caseID: enforcementCase.id!, caseCode: enforcementCase.code, moneyEntryID: entry.id,
            amount: entry.amount, payer: payer, payerEmail: entry.payerEmail, item: item, replaces: nil, ctx: ctx,
            on: db)
    }

    /// The unit's approved, open series for the purpose in the current year, valid from today or earlier.
    static func openSeries(unitID: UUID, purpose: ReceiptPurpose, ctx: ActionContext, on db: any Database)
        async throws -> ReceiptSeries?
    {
        try await ReceiptSeries.query(on: db).filter(\.$unitID == unitID).filter(\.$purpose == purpose)
            .filter(\.$status == .approved).filter(\.$year == ctx.today.year).filter(\.$validFrom <= ctx.today.iso)
            .sort(\.$createdAt).first()
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
