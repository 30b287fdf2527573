import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// `thads demo-data --cases N --seed S`: N realistic cases across the 34 provinces and their regional offices,
/// the same for the same seed, written in batches of one transaction each.
enum DemoCases {
    /// Large transactions: each one rewrites the index pages it touches, so fewer, larger ones write less.
    static let batchSize = 50_000

    struct Outcome {
        let cases: Int
        let parties: Int
        let seconds: Double
    }

    static func generate(
        _ app: Application, count: Int, seed: UInt64, batchSize: Int = batchSize,
        progress: @Sendable (Int, Double) -> Void
    ) async throws -> Outcome {
        let started = ContinuousClock.now
        let units = try await regionalOffices(app)
        guard let creator = try await Account.query(on: app.db).filter(\.$username == "demo.enforcementofficer").first()
        else { throw Abort(.internalServerError, reason: "demo accounts missing: run demo-data first") }
        let demoUnitID = creator.unitID
        var counters: [String: Int] = [:]
        for counter in try await SequenceCounter.query(on: app.db).filter(\.$series == "case-code").all() {
            counters["\(counter.scope)|\(counter.period)"] = counter.lastValue
        }
        var draw = DemoCaseDraw(
            random: SeededGenerator(seed: seed), ids: TimeOrderedUUIDs(now: app.clock.now), keys: app.keys,
            creatorID: creator.id!, now: app.clock.now)
        let startMonth = 10
        try await DatabaseSetup.prepareForBulkLoad(app)
        var parties = 0
        // The demo officer carries about 400 cases of their office, an officer's real load, whatever the size.
        let officerShare = min(1, 400 / max(1, Double(count) / Double(units.count)))
        func drawBatch(_ size: Int) throws -> DemoCaseRows {
            var rows = DemoCaseRows()
            for _ in 0..<size {
                let unit = draw.pick(units)
                parties += try add(
                    &rows, &draw, unit: unit,
                    officer: unit.id == demoUnitID && Double.random(in: 0..<1, using: &draw.random) < officerShare
                        ? creator.id : nil, counters: &counters,
                    startMonth: startMonth)
            }
            return rows
        }
        // The next batch is drawn while the database writes the current one.
        var made = 0
        var next = try drawBatch(min(batchSize, count))
        while !next.isEmpty {
            let batch = next
            // The code counters go in with the cases they numbered: an interrupted run leaves no code to reissue.
            let drawnCounters = counters
            async let written: Void = app.write(on: app.db) { db in
                var rows = batch
                try await rows.flush(on: db)
                try await saveCounters(drawnCounters, on: db)
            }
            next = try drawBatch(min(batchSize, count - made - batch.caseCount))
            try await written
            made += batch.caseCount
            progress(made, (ContinuousClock.now - started).seconds)
        }
        let partyTotal = parties
        try await app.write(on: app.db) { db in
            try await AuditLog.record(
                AuditEntry(
                    action: "demo.cases-created", objectType: "cases",
                    summary: "\(count) hồ sơ mẫu, \(partyTotal) đương sự (seed \(seed))"),
                actor: .system, at: app.clock.now, on: db)
        }
        return Outcome(cases: made, parties: parties, seconds: (ContinuousClock.now - started).seconds)
    }

    /// Draws one case into `rows`; returns the number of parties.
    private static func add(
        _ rows: inout DemoCaseRows, _ draw: inout DemoCaseDraw, unit: DemoCaseRows.Unit, officer: UUID?,
        counters: inout [String: Int], startMonth: Int
    ) throws -> Int {
        let now = draw.now
        let span = draw.firstDay.days(until: draw.today)
        let opened = draw.firstDay.adding(days: Int.random(in: 0...span, using: &draw.random))
        let age = opened.days(until: draw.today)
        let judged = opened.adding(days: -Int.random(in: 40...200, using: &draw.random))
        let effective = judged.adding(days: Int.random(in: 30...38, using: &draw.random))
        let received = min(opened, effective.adding(days: Int.random(in: 1...5, using: &draw.random)))
        let kind = draw.pick(["DS", "DS", "DS", "HS", "HS", "KDTM", "HNGD", "HC", "LD"])
        let number = "\(Int.random(in: 1...999, using: &draw.random))/\(judged.year)/\(kind)-ST"
        let judgmentID = draw.ids.next(now: AppClock.system.now)
        rows.judgments.add([
            judgmentID, unit.id, "TAND-" + unit.provinceCode, number, CaseQuality.judgmentNumberKey(number), judged.iso,
            kind, effective.iso, received.iso, now, false, draw.creatorID,
        ])

        let year = StatisticalYear.of(opened, startMonth: startMonth)
        let key = "\(unit.id.uuidString)|\(year)"
        let sequence = (counters[key] ?? 0) + 1
        counters[key] = sequence
        let status = draw.status(age: age)
        let closing = DemoCaseDraw.closingDecision(status)
        let closedOn =
            status.isClosed
            ? min(draw.today, opened.adding(days: Int.random(in: 30...age + 30, using: &draw.random))) : nil
        let decidedLater = closing.map { _ in
            closedOn ?? min(draw.today, opened.adding(days: Int.random(in: 20...max(20, age), using: &draw.random)))
        }
        let onRequest = draw.chance(45)
        let caseID = draw.ids.next(now: AppClock.system.now)
        rows.cases.add([
            caseID, CaseCode.make(unitCode: unit.code, year: year, sequence: sequence), unit.id, judgmentID,
            (onRequest ? CaseStartMode.onRequest : .exOfficio).rawValue, onRequest ? received.iso : String?.none,
            status.rawValue, status.isPaused ? closing?.1.rawValue : String?.none, officer, year, opened.iso,
            closedOn?.iso, now, draw.creatorID, now,
        ])

        // Parties, about 2.5 a case as in the national database: one or two debtors (joint obligations), one or two
        // creditors for cases on request, and often people with related rights and obligations.
        var partyCount = 0
        func party(_ role: PartyRole, organisation: Bool) throws {
            let male = draw.chance(55)
            let birthYear = Int.random(in: 1950...2004, using: &draw.random)
            let name = organisation ? draw.organisationName() : draw.personName(male: male)
            let id: String? =
                organisation
                ? "0" + String(format: "%09d", Int.random(in: 0..<1_000_000_000, using: &draw.random))
                : draw.chance(90)
                    ? draw.idNumber(male: male, birthYear: birthYear, provinceCode: unit.provinceCode) : nil
            let stored = try StoredIDNumber(id, keys: draw.keys)
            rows.parties.add([
                draw.ids.next(now: AppClock.system.now), caseID, unit.id, role.rawValue,
                (organisation ? PartyKind.organisation : .person).rawValue,
                name,
                VietnameseText.fold(name), VietnameseText.exact(name), organisation ? Int?.none : birthYear,
                stored.cipher, stored.index, stored.last3,
                "Số \(Int.random(in: 1...300, using: &draw.random)), tỉnh/thành phố mã \(unit.provinceCode)", now,
                draw.creatorID,
            ])
            partyCount += 1
        }
        try party(.debtor, organisation: draw.chance(15))
        if draw.chance(30) { try party(.debtor, organisation: false) }
        if onRequest {
            try party(.creditor, organisation: draw.chance(25))
            if draw.chance(40) { try party(.creditor, organisation: false) }
        }
        if draw.chance(45) {
            try party(.related, organisation: false)
            if draw.chance(22) { try party(.related, organisation: false) }
        }

        // One money obligation (sometimes a second), owed to the budget for ex officio cases.
        let amount = Int64(Int.random(in: 1...2_000, using: &draw.random)) * 500_000
        rows.obligations.add([
            draw.ids.next(now: AppClock.system.now), caseID, onRequest ? "BOI-THUONG" : "AN-PHI",
            ObligationMode.money.rawValue, amount, "",
            (onRequest ? Beneficiary.person : .stateBudget).rawValue, false, now, draw.creatorID,
        ])

        rows.decisions.add([
            draw.ids.next(now: AppClock.system.now), caseID, CaseDecisionKind.enforcement.rawValue,
            "\(sequence)/QĐ-CTHADS", opened.iso,
            "L106-ENFORCE", "Chấp hành viên", min(draw.today, opened.adding(days: 2)).iso, "",
            CaseStatus.accepted.rawValue, CaseStatus.accepted.rawValue, now, false, draw.creatorID,
        ])
        let meansFound = [.withConditions, .completed, .terminated, .suspended].contains(status)
        if status != .accepted && status != .postponed && status != .transferred {
            let verified = min(draw.today, opened.adding(days: 15))
            rows.verifications.add([
                draw.ids.next(now: AppClock.system.now), caseID, verified.iso,
                (meansFound ? VerificationOutcome.meansFound : .noMeans).rawValue,
                meansFound ? "Có tài sản, thu nhập" : "Không có tài sản", CaseStatus.accepted.rawValue,
                (meansFound ? CaseStatus.withConditions : .accepted).rawValue, now, false, draw.creatorID,
            ])
        }
        if let (kind, before, ground) = closing, let decided = decidedLater {
            rows.decisions.add([
                draw.ids.next(now: AppClock.system.now), caseID, kind.rawValue,
                "\(sequence)-\(kind.rawValue.prefix(3))/QĐ", decided.iso,
                ground,
                "Chấp hành viên", String?.none, "", before.rawValue, status.rawValue, now, false, draw.creatorID,
            ])
        }
        let collected: Int64 = status == .completed ? amount : status == .withConditions ? amount / 2 : 0
        if collected > 0 {
            let on = min(draw.today, opened.adding(days: 20))
            rows.money.add([
                draw.ids.next(now: AppClock.system.now), caseID, MoneyDirection.collected.rawValue, collected, on.iso,
                "BL-\(sequence)", "",
                now, false,
                draw.creatorID,
            ])
            rows.money.add([
                draw.ids.next(now: AppClock.system.now), caseID, MoneyDirection.paidOut.rawValue, collected,
                min(draw.today, on.adding(days: 5)).iso,
                "PC-\(sequence)", "", now, false, draw.creatorID,
            ])
        }
        return partyCount
    }

    /// 355 regional offices spread over the 34 provinces (created once), plus the provincial bodies themselves.
    static func regionalOffices(_ app: Application) async throws -> [DemoCaseRows.Unit] {
        let provinces = try await EnforcementUnit.query(on: app.db).filter(\.$level == .province).sort(\.$code).all()
        // In code order: the same seed draws the same offices whatever order the database returns rows in.
        var existing = try await EnforcementUnit.query(on: app.db).filter(\.$level == .regional).sort(\.$code).all()
        let target = 355
        if existing.count < target && !provinces.isEmpty {
            let known = Set(existing.map(\.code))
            try await app.write(on: app.db) { db in
                for (index, province) in provinces.enumerated() {
                    let share = target / provinces.count + (index < target % provinces.count ? 1 : 0)
                    for number in 1...share {
                        let code = province.code + "-" + String(format: "%02d", number)
                        if known.contains(code) { continue }
                        let unit = EnforcementUnit(
                            code: code, name: "Phòng Thi hành án dân sự khu vực \(number) – \(province.name)",
                            level: .regional, parentID: province.id)
                        try await unit.create(on: db)
                    }
                }
            }
            existing = try await EnforcementUnit.query(on: app.db).filter(\.$level == .regional).sort(\.$code).all()
        }
        let codes = Dictionary(uniqueKeysWithValues: provinces.map { ($0.id!, $0.code) })
        return provinces.map { DemoCaseRows.Unit(id: $0.id!, code: $0.code, provinceCode: $0.code) }
            + existing.compactMap { unit in
                unit.parentID.flatMap { codes[$0] }.map {
                    DemoCaseRows.Unit(id: unit.id!, code: unit.code, provinceCode: $0)
                }
            }
    }

    private static func saveCounters(_ counters: [String: Int], on db: any Database) async throws {
        for (key, last) in counters {
            let parts = key.split(separator: "|")
            guard let unitID = UUID(uuidString: String(parts[0])), let year = Int(parts[1]) else { continue }
            try await Sequences.raise(CaseQualityService.codeSequence(unitID: unitID, year: year), to: last, on: db)
        }
    }
}
