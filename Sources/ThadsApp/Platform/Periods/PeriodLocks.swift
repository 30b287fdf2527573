import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// A reporting period closed for one unit (B7): the figures as they stood when it locked, which later edits do not
/// change. Here in Platform because the case registry must consult it before every dated change, and the statistics
/// feature writes it; neither knows the other.
final class PeriodLock: Model, @unchecked Sendable {
    var properties: [any AnyProperty] { [$id, $unitID, $year, $months, $start, $end, $lockedAt, $lockedBy, $snapshot] }
    static let schema = "period_locks"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "months") var months: Int
    /// ISO days, the period's first and last.
    @Field(key: "start_on") var start: String
    @Field(key: "end_on") var end: String
    @Field(key: "locked_at") var lockedAt: Date
    @Field(key: "locked_by") var lockedBy: String
    /// The unit's own figures at the lock, JSON written by the statistics feature.
    @Field(key: "snapshot") var snapshot: String

    init() {}

    var period: ReportingPeriod? { ReportingPeriod(year: year, months: months) }
}

/// A request to change one case's record dated in a locked period, through `StepMachine.periodAmendment`. Once
/// approved it lets exactly one change through: the first edit of that case dated that day uses it up.
final class PeriodAmendment: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [
            $id, $reference, $unitID, $caseID, $caseCode, $recordDate, $periodLabel, $explanation, $state,
            $requestedByID, $requestedBy, $requestedAt, $usedAt, $usedFor,
        ]
    }
    static let schema = "period_amendments"

    @ID(key: .id) var id: UUID?
    /// "ĐC-2027-000001": how the next report and the audit log name it.
    @Field(key: "reference") var reference: String
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "case_code") var caseCode: String
    @Field(key: "record_date") var recordDate: String
    @Field(key: "period_label") var periodLabel: String
    @Field(key: "explanation") var explanation: String
    /// The workflow instance's state, kept beside it for lists.
    @Field(key: "state") var state: String
    @OptionalField(key: "requested_by_id") var requestedByID: UUID?
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    /// What the edit that used it changed (the audit summary).
    @OptionalField(key: "used_for") var usedFor: String?

    init() {}
}

/// Refusal of a change dated in a locked period; the message says what to do instead.
struct PeriodLocked: Error, Sendable {
    let date: LocalDate
    let periodLabel: String

    var message: String {
        "Ngày \(date.display) thuộc kỳ báo cáo đã khóa số liệu (\(periodLabel)). Muốn thêm, sửa dữ liệu của kỳ này, "
            + "hãy lập đề nghị sửa số liệu kỳ đã khóa: thủ trưởng đơn vị xác nhận, Cục Quản lý THADS phê duyệt."
    }
}

enum PeriodLocks {
    /// The unit's lock covering `date`, if any (the longest, so the message names the latest period).
    static func lock(covering date: LocalDate, unitID: UUID, on db: any Database) async throws -> PeriodLock? {
        try await PeriodLock.query(on: db).filter(\.$unitID == unitID).filter(\.$start <= date.iso)
            .filter(\.$end >= date.iso).sort(\.$months, .descending).first()
    }

    /// Throws `PeriodLocked` unless every one of `dates` lies outside the unit's locked periods or has an approved,
    /// unused amendment for this case and day. Uses nothing up: for a change that is only requested now.
    static func check(caseID: UUID, unitID: UUID, dates: [LocalDate], on db: any Database) async throws {
        for date in Set(dates) { _ = try await amendmentNeeded(caseID: caseID, unitID: unitID, date: date, on: db) }
    }

    /// As `check`, and the change uses each amendment it needed, in the caller's transaction, with its audit event.
    static func admit(
        caseID: UUID, unitID: UUID, dates: [LocalDate], change: String, in ctx: ActionContext, on db: any Database
    ) async throws {
        for date in Set(dates) {
            guard let amendment = try await amendmentNeeded(caseID: caseID, unitID: unitID, date: date, on: db)
            else { continue }
            amendment.usedAt = ctx.now
            amendment.usedFor = String(change.prefix(500))
            try await amendment.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "period.amendment-used", objectType: "periodAmendment",
                    objectID: amendment.id?.uuidString, unitID: unitID,
                    summary: "\(amendment.reference): \(amendment.caseCode), ngày \(date.display) — \(change)"),
                on: db)
        }
    }

    /// Nil when `date` is not locked for the unit; the amendment that lets the change through when it is.
    private static func amendmentNeeded(
        caseID: UUID, unitID: UUID, date: LocalDate, on db: any Database
    ) async throws -> PeriodAmendment? {
        guard let lock = try await lock(covering: date, unitID: unitID, on: db) else { return nil }
        let amendment = try await PeriodAmendment.query(on: db).filter(\.$caseID == caseID)
            .filter(\.$recordDate == date.iso).filter(\.$state == "approved").filter(\.$usedAt == nil).first()
        guard let amendment else {
            throw PeriodLocked(date: date, periodLabel: lock.period?.label ?? "\(lock.months) tháng")
        }
        return amendment
    }
}

struct CreatePeriodLocks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PeriodLock.schema)
            .id()
            .field("unit_id", .uuid, .required)
            .field("year", .int, .required)
            .field("months", .int, .required)
            .field("start_on", .string, .required)
            .field("end_on", .string, .required)
            .field("locked_at", .datetime, .required)
            .field("locked_by", .string, .required)
            .field("snapshot", .string, .required)
            .unique(on: "unit_id", "year", "months")
            .create()
        try await database.schema(PeriodAmendment.schema)
            .id()
            .field("reference", .string, .required)
            .field("unit_id", .uuid, .required)
            .field("case_id", .uuid, .required)
            .field("case_code", .string, .required)
            .field("record_date", .string, .required)
            .field("period_label", .string, .required)
            .field("explanation", .string, .required)
            .field("state", .string, .required)
            .field("requested_by_id", .uuid)
            .field("requested_by", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("used_for", .string)
            .unique(on: "reference")
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX period_amendments_case ON period_amendments (case_id, record_date)").run()
        try await sql.raw("CREATE INDEX period_amendments_unit_state ON period_amendments (unit_id, state)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PeriodAmendment.schema).delete()
        try await database.schema(PeriodLock.schema).delete()
    }
}
