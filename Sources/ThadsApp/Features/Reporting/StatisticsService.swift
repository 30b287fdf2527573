import Fluent
import Foundation
import ThadsDomain
import Vapor

/// A report for one unit (alone or with its sub-units) and one period: the figure rows, which units' rows come from
/// a locked snapshot, and the approved amendments that changed locked figures of the period since.
struct StatisticsReport: Sendable {
    let period: ReportingPeriod
    let unit: EnforcementUnit
    let units: [EnforcementUnit]
    let rows: [FigureRow]
    let lockedUnitIDs: Set<UUID>
    let amendments: [PeriodAmendment]

    var total: Figures { Figures.sum(rows) }

    func grouped<Key: Hashable>(by key: (FigureRow) -> Key) -> [Key: Figures] {
        Dictionary(grouping: rows, by: key).mapValues { Figures.sum($0) }
    }
}

enum StatisticsService {
    /// The unit and, when asked, every unit below it, within the actor's scope.
    static func units(
        of unitID: UUID, withSubunits: Bool, in ctx: ActionContext
    ) async throws -> (EnforcementUnit, [EnforcementUnit]) {
        try ctx.authorize(.viewStatistics, unit: unitID)
        let all = try await EnforcementUnit.query(on: ctx.db).all()
        guard let unit = all.first(where: { $0.id == unitID }) else { throw Abort(.notFound) }
        var chosen = [unit]
        if withSubunits {
            var frontier: Set<UUID> = [unitID]
            while !frontier.isEmpty {
                let children = all.filter { $0.parentID.map(frontier.contains) ?? false }
                chosen += children
                frontier = Set(children.compactMap(\.id))
            }
        }
        return (unit, chosen.filter { ctx.scope.contains($0.id!) })
    }

    /// The report; `detail` says what the live rows must carry (a locked unit's snapshot carries everything).
    static func report(
        unitID: UUID, withSubunits: Bool, period: ReportingPeriod, detail: ReportFigures.Detail = .all,
        in ctx: ActionContext
    ) async throws -> StatisticsReport {
        let (unit, units) = try await units(of: unitID, withSubunits: withSubunits, in: ctx)
        let ids = units.compactMap(\.id)
        let locks = try await PeriodLock.query(on: ctx.db).filter(\.$unitID ~~ ids).filter(\.$year == period.year)
            .filter(\.$months == period.months).all()
        var rows: [FigureRow] = []
        for lock in locks { rows += try JSONDecoder().decode([FigureRow].self, from: Data(lock.snapshot.utf8)) }
        let locked = Set(locks.map(\.unitID))
        let live = ids.filter { !locked.contains($0) }
        // The whole country needs no list of units: every span counts.
        let everyUnit = ctx.scope == .all && withSubunits && unit.level == .central && live.count == ids.count
        rows += try await ReportFigures.rows(period, units: everyUnit ? nil : live, detail: detail, on: ctx.db)
        let amendments = try await PeriodAmendment.query(on: ctx.db).filter(\.$unitID ~~ ids)
            .filter(\.$usedAt != nil).filter(\.$recordDate >= period.start.iso).filter(\.$recordDate <= period.end.iso)
            .sort(\.$reference).all()
        return StatisticsReport(
            period: period, unit: unit, units: units, rows: rows, lockedUnitIDs: locked, amendments: amendments)
    }

    // MARK: Locks

    /// Locks `period` for one unit with its own figures as they stand; nothing when it is locked already.
    @discardableResult
    static func lock(unitID: UUID, period: ReportingPeriod, in ctx: ActionContext) async throws -> Bool {
        if case .staff = ctx.actor { try ctx.authorize(.lockReportingPeriods, unit: unitID) }
        let rows = try await ReportFigures.rows(period, units: [unitID], on: ctx.db)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let snapshot = String(decoding: try encoder.encode(rows), as: UTF8.self)
        return try await ctx.write { db in
            let existing = try await PeriodLock.query(on: db).filter(\.$unitID == unitID)
                .filter(\.$year == period.year).filter(\.$months == period.months).count()
            guard existing == 0 else { return false }
            let lock = PeriodLock()
            lock.id = UUID()
            lock.unitID = unitID
            lock.year = period.year
            lock.months = period.months
            lock.start = period.start.iso
            lock.end = period.end.iso
            lock.lockedAt = ctx.now
            lock.lockedBy = ctx.auditActor.username ?? "hệ thống"
            lock.snapshot = snapshot
            try await lock.create(on: db)
            let total = Figures.sum(rows)
            try await ctx.audit(
                AuditEntry(
                    action: "period.locked", objectType: "periodLock", objectID: lock.id?.uuidString, unitID: unitID,
                    summary: "Khóa số liệu \(period.label): \(total.cases.totalToEnforce) việc phải thi hành"),
                on: db)
            return true
        }
    }

    /// The daily job: every open unit's ended periods of this statistical year (and the last year's, in its first
    /// months) past their grace day are locked. Returns how many locks it made.
    static func lockDuePeriods(in ctx: ActionContext) async throws -> Int {
        let today = ctx.today
        let year = StatisticalYear.of(today)
        let periods = [year - 1, year].flatMap { PeriodLockRule.lockable(on: today, year: $0, calendar: ctx.calendar) }
        guard !periods.isEmpty else { return 0 }
        let units = try await EnforcementUnit.query(on: ctx.db).filter(\.$isOpen == true).all(\.$id)
        var made = 0
        for unitID in units {
            let have = Set(
                try await PeriodLock.query(on: ctx.db).filter(\.$unitID == unitID).all()
                    .map { "\($0.year)-\($0.months)" })
            for period in periods where !have.contains("\(period.year)-\(period.months)") {
                if try await lock(unitID: unitID, period: period, in: ctx) { made += 1 }
            }
        }
        return made
    }
}
