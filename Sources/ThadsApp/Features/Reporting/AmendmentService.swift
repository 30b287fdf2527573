import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Requests to change a record dated in a locked period (B7): an officer explains, the unit head confirms, the
/// central department approves; the approved request lets exactly one change of that case on that day through
/// (`PeriodLocks.admit`), and the next report lists it with its reference.
enum AmendmentService {
    enum Refusal: Error, Sendable {
        case field(String, String)

        var field: (key: String, message: String) {
            switch self {
            case .field(let key, let message): (key, message)
            }
        }
    }

    /// The request, in one transaction with its workflow instance and audit event.
    static func request(
        caseCode: String, recordDate: LocalDate, explanation: String, in ctx: ActionContext
    ) async throws -> PeriodAmendment {
        let user = try ctx.staff
        try ctx.authorize(.enterCaseData)
        let code = caseCode.trimmingCharacters(in: .whitespaces).uppercased()
        guard
            let found = try await EnforcementCase.query(on: ctx.db).filter(\.$code == code).first(),
            ctx.scope.contains(found.unitID), found.unitID == user.unit.id
        else { throw Refusal.field("caseCode", "Không có hồ sơ mã \(code) trong đơn vị.") }
        guard let lock = try await PeriodLocks.lock(covering: recordDate, unitID: found.unitID, on: ctx.db) else {
            throw Refusal.field(
                "recordDate", "Ngày \(recordDate.display) không thuộc kỳ báo cáo đã khóa: cứ nhập, sửa như thường.")
        }
        let amendment = PeriodAmendment()
        amendment.id = UUID()
        amendment.unitID = found.unitID
        amendment.caseID = found.id!
        amendment.caseCode = found.code
        amendment.recordDate = recordDate.iso
        amendment.periodLabel = lock.period?.label ?? "\(lock.months) tháng năm \(lock.year)"
        amendment.explanation = explanation
        amendment.state = StepMachine.periodAmendment.initial
        amendment.requestedByID = user.account.id
        amendment.requestedBy = user.account.fullName
        amendment.requestedAt = ctx.now
        let year = StatisticalYear.of(ctx.today)
        return try await ctx.write { db in
            let number = try await Sequences.take(.init(series: "period-amendment", period: year), on: db)
            amendment.reference = "ĐC-\(year)-" + String(format: "%06d", number)
            try await amendment.create(on: db)
            try await Workflows.start(.periodAmendment, subjectID: amendment.id!, unitID: found.unitID, in: ctx, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "period.amendment-requested", objectType: "periodAmendment",
                    objectID: amendment.id?.uuidString, unitID: found.unitID,
                    summary: "\(amendment.reference): \(found.code), ngày \(recordDate.display) thuộc kỳ đã khóa",
                    after: AuditEntry.json(["explanation": explanation])), on: db)
            return amendment
        }
    }

    /// Confirms, approves or rejects: the head of the requesting unit confirms; only the central department approves.
    static func decide(_ amendment: PeriodAmendment, outcome: String, note: String?, in ctx: ActionContext) async throws
    {
        let user = try ctx.staff
        switch amendment.state {
        case "awaitingHead":
            guard user.unit.id == amendment.unitID else { throw Abort(.notFound) }
        case "awaitingCentral":
            guard user.unit.level == .central else {
                throw Refusal.field("outcome", "Chỉ Cục Quản lý THADS (cấp trung ương) phê duyệt đề nghị này.")
            }
        default: break
        }
        try await ctx.write { db in
            let move = try await Workflows.decide(
                .periodAmendment, subjectID: amendment.id!, outcome: outcome, note: note, in: ctx, on: db)
            amendment.state = move.to
            try await amendment.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "period.amendment-\(outcome)", objectType: "periodAmendment",
                    objectID: amendment.id?.uuidString, unitID: amendment.unitID,
                    summary: "\(amendment.reference): \(move.from) → \(move.to)" + (note.map { ": \($0)" } ?? "")),
                on: db)
        }
    }
}
