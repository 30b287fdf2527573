import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 19: forms 01, 02 and 03 (and the separate book) against figures counted by hand over a generated dataset.
@Suite struct ReportFiguresTests {
    /// One generated case as the test knows it: when it was accepted, its dated changes in the order they were
    /// recorded, its money ordered and its collections.
    struct Generated {
        var id: UUID
        var unitID: UUID
        var kind: String
        var opened: LocalDate
        var changes: [(on: LocalDate, status: CaseStatus)]
        var ordered: Int64
        /// Of `ordered`, the state budget's.
        var budget: Int64
        var collections: [(on: LocalDate, amount: Int64)]
        /// Moved to the separate tracking book that day (and still there).
        var bookSince: LocalDate?

        /// The status at the end of `date`, counted plainly: a change dated before acceptance counts from acceptance,
        /// the last recorded change of the latest day wins.
        func status(on date: LocalDate) -> CaseStatus? {
            guard opened <= date else { return nil }
            var status = CaseStatus.accepted
            var latest = opened
            for change in changes {
                let day = max(change.on, opened)
                if day <= date && day >= latest {
                    status = change.status
                    latest = day
                }
            }
            return status
        }
    }

    /// A dataset: per case a random history that never leaves a closed status, some money, some collections.
    static func generate(_ app: Application, units: [UUID], count: Int, seed: UInt64) async throws -> [Generated] {
        var random = SeededGenerator(seed: seed)
        let account = try await Fixtures.account(app, "nhap.lieu", unit: "TW", roles: [.enforcementOfficer]).account
        let kinds = ["DS", "HS", "HC", "HNGD", "KDTM"]
        let start = LocalDate(year: 2025, month: 6, day: 1)!
        var batch = CaseBulkWriter.Batch()
        var generated: [Generated] = []
        let open: [CaseStatus] = [.withConditions, .withoutConditions, .postponed, .suspended]
        let closing: [CaseStatus] = [.completed, .terminated, .requestReturned, .transferred]
        for index in 0..<count {
            let unitID = units[Int(random.next() % UInt64(units.count))]
            let opened = start.adding(days: Int(random.next() % 600))
            let kind = kinds[Int(random.next() % UInt64(kinds.count))]
            let judgmentID = UUID()
            let caseID = UUID()
            batch.judgments.append(
                .init(
                    id: judgmentID, unitID: unitID, courtCode: "TANDTC", number: "\(index)/2025/TEST",
                    judgmentDate: nil,
                    kindCode: kind, effectiveDate: nil, receivedOn: opened, enteredAt: app.clock.now,
                    createdByID: account.id!))
            batch.cases.append(
                .init(
                    id: caseID, code: "TEST-\(index)", unitID: unitID, judgmentID: judgmentID, startMode: .onRequest,
                    requestReceivedOn: opened, status: .accepted, resumeStatus: nil, officerID: account.id,
                    statisticalYear: StatisticalYear.of(opened), openedOn: opened, closedOn: nil,
                    createdAt: app.clock.now, createdByID: account.id!, legacyCode: nil))
            var changes: [(LocalDate, CaseStatus)] = []
            var day = opened.adding(days: Int(random.next() % 5) - 2)  // now and then dated before acceptance
            var current = CaseStatus.accepted
            for step in 0..<Int(random.next() % 4) {
                day = day.adding(days: Int(random.next() % 120))
                let next =
                    random.next() % 3 == 0
                    ? closing[Int(random.next() % UInt64(closing.count))]
                    : open[Int(random.next() % UInt64(open.count))]
                changes.append((day, next))
                batch.decisions.append(
                    .init(
                        caseID: caseID, kind: .noConditions, number: "\(index)-\(step)", decidedOn: day,
                        groundCode: "TEST", signer: "Thử", statusBefore: current, statusAfter: next,
                        enteredAt: app.clock.now.addingTimeInterval(Double(step)), createdByID: account.id!))
                current = next
                if next.isClosed { break }
            }
            let personal = Int64(random.next() % 50) * 1_000_000
            let budget = random.next() % 2 == 0 ? Int64(random.next() % 20) * 500_000 : 0
            let ordered = personal + budget
            for (amount, beneficiary) in [(personal, Beneficiary.person), (budget, .stateBudget)] where amount > 0 {
                batch.obligations.append(
                    .init(
                        caseID: caseID, kindCode: "TEST", mode: .money, amount: amount, description: "Trả tiền",
                        beneficiary: beneficiary, enteredAt: app.clock.now, createdByID: account.id!))
            }
            // Some cases without conditions went to the separate book, a while after their last change.
            var bookSince: LocalDate?
            if current == .withoutConditions, random.next() % 2 == 0 {
                bookSince = day.adding(days: 200 + Int(random.next() % 200))
            }
            var collections: [(LocalDate, Int64)] = []
            for _ in 0..<Int(random.next() % 3) where ordered > 0 {
                let on = opened.adding(days: Int(random.next() % 500))
                let amount = Int64(random.next() % 30 + 1) * 1_000_000
                collections.append((on, amount))
                batch.money.append(
                    .init(
                        caseID: caseID, direction: .collected, amount: amount, occurredOn: on, reference: "BL",
                        enteredAt: app.clock.now, createdByID: account.id!))
            }
            // A payment out is not a collection and must not count.
            batch.money.append(
                .init(
                    caseID: caseID, direction: .paidOut, amount: 7_000_000, occurredOn: opened, reference: "PC",
                    enteredAt: app.clock.now, createdByID: account.id!))
            generated.append(
                Generated(
                    id: caseID, unitID: unitID, kind: kind, opened: opened,
                    changes: changes.map { (on: $0.0, status: $0.1) }, ordered: ordered, budget: budget,
                    collections: collections.map { (on: $0.0, amount: $0.1) }, bookSince: bookSince))
        }
        let written = batch
        let booked = generated.compactMap { item in item.bookSince.map { (item, $0) } }
        try await app.write(on: app.db) { db in
            let writer = CaseBulkWriter(try db.sql)
            try await writer.insert(try writer.encode(written))
            try await CaseStates.rebuild(on: db)
            for (item, since) in booked { try await Self.book(item, since: since, on: db) }
        }
        return generated
    }

    /// A register entry in the separate book, with only what the report reads set to something meaningful.
    static func book(_ item: Generated, since: LocalDate, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO debtor_register (id, case_id, unit_id, case_code, debtor_name, is_listed, decided_on,
                decision_number, ground_code, circumstance, verifications_since, last_verified_on, reverification_due,
                in_separate_book, separate_book_since, outstanding, verified_since, owed, paid, state_budget_only)
            VALUES (\(bind: UUID()), \(bind: item.id), \(bind: item.unitID), 'TEST', 'Thử', \(bind: true),
                \(bind: item.opened.iso), '1', 'TEST', 'ordinary', 2, \(bind: item.opened.iso), \(bind: item.opened.iso),
                \(bind: true), \(bind: since.iso), 0, \(bind: item.opened.iso), 0, 0, \(bind: false))
            """
        ).run()
    }

    /// Forms 01, 02 and 03 counted by hand: which cases count, where they stand, how their money is placed; the
    /// state budget is owed the last of what is outstanding and paid after the private creditors.
    static func expected(_ cases: [Generated], period: ReportingPeriod) -> Figures {
        var figures = Figures()
        let dayBefore = period.start.adding(days: -1)
        for item in cases {
            guard let atEnd = item.status(on: period.end) else { continue }
            let carried = item.opened < period.start
            if carried, let atStart = item.status(on: dayBefore), atStart.isClosed { continue }
            if carried { figures.cases.carriedOver += 1 } else { figures.cases.newlyAccepted += 1 }
            let inBook = atEnd == .withoutConditions && item.bookSince.map { $0 <= period.end } == true
            switch atEnd {
            case .transferred: figures.cases.transferredOut += 1
            case .withoutConditions:
                figures.cases.withoutConditions += 1
                if inBook { figures.cases.inSeparateBook += 1 }
            case .completed: figures.cases.completed += 1
            case .terminated: figures.cases.terminated += 1
            case .requestReturned: figures.cases.requestReturned += 1
            case .accepted, .withConditions: figures.cases.inProgress += 1
            case .postponed: figures.cases.postponed += 1
            case .suspended: figures.cases.suspended += 1
            }
            let before = item.collections.filter { $0.on < period.start }.map(\.amount).reduce(0, +)
            let owed = max(0, item.ordered - before)
            let within = item.collections.filter { period.contains($0.on) }.map(\.amount).reduce(0, +)
            let collected = min(owed, within)
            let budgetOwed = min(owed, item.budget)
            let budgetCollected = max(0, collected - (owed - budgetOwed))
            place(&figures.money, owed: owed, collected: collected, carried: carried, atEnd: atEnd, inBook: inBook)
            place(
                &figures.budget, owed: budgetOwed, collected: budgetCollected, carried: carried, atEnd: atEnd,
                inBook: inBook)
        }
        return figures
    }

    static func place(
        _ money: inout MoneyResults, owed: Int64, collected: Int64, carried: Bool, atEnd: CaseStatus, inBook: Bool
    ) {
        if carried { money.carriedOver += owed } else { money.newlyAccepted += owed }
        switch atEnd {
        case .transferred: money.transferredOut += owed
        case .completed: money.completed += owed
        default:
            let rest: WritableKeyPath<MoneyResults, Int64> =
                switch atEnd {
                case .withoutConditions: \.withoutConditions
                case .terminated: \.terminated
                case .requestReturned: \.requestReturned
                case .postponed: \.postponed
                case .suspended: \.suspended
                default: \.inProgress
                }
            money[keyPath: rest] += owed - collected
            if inBook { money.inSeparateBook += owed - collected }
            money.completed += collected
        }
    }

    @Test func formsOneTwoAndThreeEqualThePlainCountForSeveralUnitsAndPeriods() async throws {
        try await withTestApp { app async throws in
            let province = try await Fixtures.unit(app, code: "01")
            let offices = try await EnforcementUnit.query(on: app.db).filter(\.$parentID == province.id!).sort(\.$code)
                .limit(2).all()
            let units = [province.id!] + offices.map { $0.id! }
            let cases = try await Self.generate(app, units: units, count: 400, seed: 19)
            let statistician = try await Fixtures.account(app, "tk.tw", unit: "TW", roles: [.statisticsOfficer])
            let ctx = try await ActionContext.staff(statistician.account, app)
            let periods = [
                ReportingPeriod(year: 2026, months: 3)!, ReportingPeriod(year: 2026, months: 12)!,
                ReportingPeriod(year: 2027, months: 2)!, ReportingPeriod(year: 2027, months: 12)!,
            ]
            for period in periods {
                for unitID in units {
                    let report = try await StatisticsService.report(
                        unitID: unitID, withSubunits: false, period: period, in: ctx)
                    let expected = Self.expected(cases.filter { $0.unitID == unitID }, period: period)
                    #expect(report.total == expected, "unit \(unitID), \(period.label)")
                    #expect(
                        report.total.cases.identitiesHold && report.total.money.identitiesHold
                            && report.total.budget.identitiesHold)
                }
                let whole = try await StatisticsService.report(
                    unitID: province.id!, withSubunits: true, period: period, in: ctx)
                #expect(whole.total == Self.expected(cases, period: period), "province with offices, \(period.label)")
                for kind in Set(cases.map(\.kind)) {
                    let byKind = whole.grouped(by: \.kindCode)[kind] ?? Figures()
                    #expect(byKind == Self.expected(cases.filter { $0.kind == kind }, period: period), "kind \(kind)")
                }
            }
            // Locked, the same periods are served from the stored snapshots: the same figures as the records.
            for period in periods.prefix(2) {
                for unitID in units {
                    #expect(try await StatisticsService.lock(unitID: unitID, period: period, in: ctx))
                }
                let whole = try await StatisticsService.report(
                    unitID: province.id!, withSubunits: true, period: period, in: ctx)
                #expect(whole.lockedUnitIDs == Set(units))
                #expect(whole.total == Self.expected(cases, period: period), "from snapshots, \(period.label)")
                let countsOnly = try await ReportFigures.rows(
                    period, units: units, detail: .init(money: false, officers: false), on: app.db)
                #expect(Figures.sum(countsOnly).cases == whole.total.cases, "the count-only read agrees")
            }
            let busy = Self.expected(cases, period: periods[1])
            #expect(busy.cases.carriedOver > 0 && busy.cases.newlyAccepted > 0 && busy.cases.completed > 0)
            #expect(busy.money.completed > 0 && busy.cases.transferredOut > 0, "the dataset exercises every branch")
            #expect(busy.cases.inSeparateBook > 0 && busy.budget.completed > 0 && busy.budget.inSeparateBook > 0)
        }
    }

    @Test func theSpansKeptByEveryChangeEqualAFullRebuild() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let id = try await scene.open()
            try await scene.add(id, "nghia-vu", CaseScene.obligation("2.000.000"))
            try await scene.add(
                id, "xac-minh",
                [("outcome", "meansFound"), ("verifiedOn", CaseScene.today.display), ("findings", "Có tài sản")])
            try await scene.add(id, "thu-chi", CaseScene.money("collected", "500.000"))
            let kept = try await Self.spans(app)
            // Accepted and verified the same day: the day's last status is the one span.
            #expect(kept.count == 1 && kept[0].contains(" withConditions ") && kept[0].hasSuffix(" 2000000"), "\(kept)")
            try await app.write(on: app.db) { db in try await CaseStates.rebuild(on: db) }
            #expect(try await Self.spans(app) == kept)
        }
    }

    static func spans(_ app: Application) async throws -> [String] {
        struct Row: Decodable {
            let id: UUID
            let status: String
            let since: String
            let until: String?
            let ordered: Int64
        }
        return try await app.db.sql.raw(
            "SELECT case_id AS id, status, from_on AS since, to_on AS until, ordered FROM report_case_states ORDER BY case_id, from_on, status"
        ).all(decoding: Row.self).map { "\($0.id) \($0.status) \($0.since) \($0.until ?? "-") \($0.ordered)" }
    }
}
