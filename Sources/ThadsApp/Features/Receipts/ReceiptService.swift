import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// The accountant's and the central admin's writes on series and receipts (I1). Each is one transaction with its
/// audit event; nothing is deleted: a series is closed, a receipt cancelled or replaced.
enum ReceiptService {
    struct SeriesForm: Sendable {
        var formSymbol: String
        var receiptSymbol: String
        var purpose: ReceiptPurpose
        var validFrom: LocalDate
        var firstNumber: Int
        var lastNumber: Int
    }

    /// Registers a series of the accountant's unit for the year of `validFrom`; it waits for a central admin.
    static func register(_ form: SeriesForm, in ctx: ActionContext) async throws -> ReceiptSeries {
        try ctx.authorize(.manageReceipts)
        let user = try ctx.staff
        return try await ctx.write { db in
            let series = ReceiptSeries()
            series.id = UUID()
            series.unitID = user.unit.id!
            series.year = form.validFrom.year
            series.formSymbol = form.formSymbol
            series.receiptSymbol = form.receiptSymbol
            series.purpose = form.purpose
            series.validFrom = form.validFrom.iso
            series.firstNumber = form.firstNumber
            series.lastNumber = form.lastNumber
            series.status = .pending
            series.createdByID = user.account.id!
            series.createdAt = ctx.now
            try await series.create(on: db)
            try await Workflows.start(.receiptSeries, subjectID: series.id!, unitID: series.unitID, in: ctx, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "receipts.seriesRegistered", objectType: "receipt-series",
                    objectID: series.id!.uuidString, unitID: series.unitID,
                    summary: "Đăng ký dải biên lai \(series.title), số \(form.firstNumber)–\(form.lastNumber)"),
                on: db)
            return series
        }
    }

    /// A central admin's approval or rejection, through the workflow engine.
    static func decide(_ series: ReceiptSeries, approve: Bool, note: String?, in ctx: ActionContext) async throws {
        try ctx.authorize(.approveReceiptSeries)
        try await ctx.write { db in
            try await Workflows.decide(
                .receiptSeries, subjectID: series.id!, outcome: approve ? "approve" : "reject", note: note, in: ctx,
                on: db)
            series.status = approve ? .approved : .rejected
            try await series.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: approve ? "receipts.seriesApproved" : "receipts.seriesRejected",
                    objectType: "receipt-series", objectID: series.id!.uuidString, unitID: series.unitID,
                    summary: (approve ? "Phê duyệt" : "Từ chối") + " dải biên lai \(series.title)"
                        + (note.map { $0.isEmpty ? "" : ": " + $0 } ?? "")),
                on: db)
        }
    }

    static func close(_ series: ReceiptSeries, in ctx: ActionContext) async throws {
        try ctx.authorize(.manageReceipts, unit: series.unitID)
        try await ctx.write { db in
            series.status = .closed
            series.closedAt = ctx.now
            try await series.save(on: db)
            let used = try await Sequences.current(series.sequenceKey, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "receipts.seriesClosed", objectType: "receipt-series", objectID: series.id!.uuidString,
                    unitID: series.unitID, summary: "Đóng dải biên lai \(series.title) sau \(used) số đã dùng"),
                on: db)
        }
    }

    struct NotValid: Error {}

    /// Cancels a valid receipt with a reason; its number stays used and its document is kept.
    static func cancel(_ receipt: Receipt, reason: String, in ctx: ActionContext) async throws {
        try ctx.authorize(.manageReceipts, unit: receipt.unitID)
        let user = try ctx.staff
        try await ctx.write { db in
            try await markFinished(receipt, as: .cancelled, reason: reason, by: user, ctx: ctx, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "receipt.cancelled", objectType: "receipt", objectID: receipt.id!.uuidString,
                    unitID: receipt.unitID, summary: "Hủy biên lai \(receipt.reference): \(reason)"),
                on: db)
        }
    }

    /// Replaces a valid receipt: the old one is marked replaced (with the reason), a new one with the next number of
    /// the same series names it, for the same collection, payer and amount unless corrected.
    static func replace(
        _ receipt: Receipt, reason: String, amount: Int64?, payerName: String?, in ctx: ActionContext
    ) async throws -> Receipt {
        try ctx.authorize(.manageReceipts, unit: receipt.unitID)
        let user = try ctx.staff
        return try await ctx.write { db in
            guard let series = try await ReceiptSeries.find(receipt.seriesID, on: db),
                let old = ReceiptDocument(xml: receipt.xml)
            else { throw NotValid() }
            try await markFinished(receipt, as: .replaced, reason: reason, by: user, ctx: ctx, on: db)
            var payer = old.payer
            if let payerName, !payerName.isEmpty { payer.name = payerName }
            let replacement = try await ReceiptIssuer.issue(
                in: series, caseID: receipt.caseID, caseCode: old.caseCode, moneyEntryID: receipt.moneyEntryID,
                amount: amount ?? receipt.amount, payer: payer, payerEmail: receipt.payerEmail, item: old.item,
                replaces: receipt, ctx: ctx, on: db)
            receipt.replacedByID = replacement.id
            try await receipt.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "receipt.replaced", objectType: "receipt", objectID: receipt.id!.uuidString,
                    unitID: receipt.unitID,
                    summary: "Thay thế biên lai \(receipt.reference) bằng \(replacement.reference): \(reason)"),
                on: db)
            return replacement
        }
    }

    /// Moves a valid receipt to a final state; a second accountant acting at the same moment finds it moved.
    private static func markFinished(
        _ receipt: Receipt, as state: ReceiptState, reason: String, by user: CurrentUser, ctx: ActionContext,
        on db: any Database
    ) async throws {
        struct Row: Decodable { let id: UUID }
        let moved = try await db.sql.raw(
            """
            UPDATE receipts SET state = \(bind: state.rawValue), cancel_reason = \(bind: reason),
                cancelled_at = \(bind: ctx.now), cancelled_by_id = \(bind: user.account.id!)
            WHERE id = \(bind: receipt.id!) AND state = \(bind: ReceiptState.valid.rawValue) RETURNING id
            """
        ).first(decoding: Row.self)
        guard moved != nil else { throw NotValid() }
        receipt.state = state
        receipt.cancelReason = reason
        receipt.cancelledAt = ctx.now
        receipt.cancelledByID = user.account.id!
    }
}
