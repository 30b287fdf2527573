import Fluent
import Foundation
import ThadsDomain

/// Reads for the staff's lists: the unit's intake queue (filtered, earliest due first) and the leaders' overview.
enum OnlineQueue {
    /// One page of the queue plus one row, to tell whether another page follows.
    static func rows(_ filters: OnlineStaffController.Filters, in ctx: ActionContext, pageSize: Int) async throws
        -> [OnlineRequest]
    {
        var query = OnlineRequest.query(on: ctx.db).filter(\.$state != OnlineRequest.draftState)
        if case .units(let ids) = ctx.scope { query = query.filter(\.$unitID ~~ Array(ids)) }
        if let procedure = filters.procedure { query = query.filter(\.$procedure == procedure.rawValue) }
        if !filters.state.isEmpty { query = query.filter(\.$state == filters.state) }
        if !filters.all { query = query.filter(\.$completedAt == nil) }
        if let due = filters.due {
            let now = ctx.now
            let today = LocalDate(date: now, in: .vietnam)
            let workingDay = ctx.calendar.isWorkingDay(today) ? today : ctx.calendar.nextWorkingDay(after: today)
            let horizon = workingDay.adding(days: 1).startOfDay(in: .vietnam)
            switch due {
            case .overdue: query = query.filter(\.$stepDueAt < now)
            case .nearDue: query = query.filter(\.$stepDueAt >= now).filter(\.$stepDueAt < horizon)
            case .onTime: query = query.filter(\.$stepDueAt >= horizon)
            case .none: query = query.filter(\.$stepDueAt == nil)
            }
        }
        return try await query.sort(\.$stepDueAt).sort(\.$submittedAt).sort(\.$id)
            .range(((filters.page - 1) * pageSize)..<(filters.page * pageSize + 1)).all()
    }

    struct Figures: Sendable {
        var received = 0
        var inProgress = 0
        var onTime = 0
        var late = 0
    }

    struct Overview: Sendable {
        var units: [(name: String, figures: Figures)]
        var officers: [(name: String, unit: String, figures: Figures)]
    }

    /// Per unit and per officer (the last one who acted on the request): received, in progress, finished in
    /// time, late (finished after, or still open past, the whole request's due instant).
    static func overview(in ctx: ActionContext) async throws -> Overview {
        var query = OnlineRequest.query(on: ctx.db).filter(\.$state != OnlineRequest.draftState)
        if case .units(let ids) = ctx.scope { query = query.filter(\.$unitID ~~ Array(ids)) }
        let rows = try await query.field(\.$id).field(\.$unitID).field(\.$lastOfficerID).field(\.$completedAt)
            .field(\.$requestDueAt).all()
        var byUnit: [UUID: Figures] = [:]
        var byOfficer: [UUID: Figures] = [:]
        var officerUnit: [UUID: UUID] = [:]
        let now = ctx.now
        for row in rows {
            func count(_ figures: inout Figures) {
                figures.received += 1
                let due = row.requestDueAt ?? .distantFuture
                if let completed = row.completedAt {
                    if completed <= due { figures.onTime += 1 } else { figures.late += 1 }
                } else {
                    figures.inProgress += 1
                    if now > due { figures.late += 1 }
                }
            }
            count(&byUnit[row.unitID, default: Figures()])
            if let officer = row.lastOfficerID {
                count(&byOfficer[officer, default: Figures()])
                officerUnit[officer] = row.unitID
            }
        }
        let unitNames = Dictionary(
            try await EnforcementUnit.query(on: ctx.db).filter(\.$id ~~ Array(byUnit.keys)).all().map {
                ($0.id!, $0.name)
            }, uniquingKeysWith: { a, _ in a })
        let officerNames = Dictionary(
            try await Account.query(on: ctx.db).filter(\.$id ~~ Array(byOfficer.keys)).all().map {
                ($0.id!, $0.fullName)
            }, uniquingKeysWith: { a, _ in a })
        return Overview(
            units: byUnit.map { (name: unitNames[$0.key] ?? "", figures: $0.value) }.sorted { $0.name < $1.name },
            officers: byOfficer.map {
                (name: officerNames[$0.key] ?? "", unit: unitNames[officerUnit[$0.key]!] ?? "", figures: $0.value)
            }
            .sorted { ($0.unit, $0.name) < ($1.unit, $1.name) })
    }
}
