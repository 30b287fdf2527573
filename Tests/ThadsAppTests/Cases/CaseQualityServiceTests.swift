import Fluent
import Foundation
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct CaseQualityServiceTests {
    static let today = LocalDate(iso: "2026-11-23")!

    /// A stored case with its judgment, opened on `openedOn` by `account` in `unit`.
    static func makeCase(
        _ app: Application, unit: EnforcementUnit, account: Account, number: String, openedOn: String = "2026-11-02"
    ) async throws -> EnforcementCase {
        try await app.write(on: app.db) { db in
            let judgment = Judgment()
            judgment.id = UUID()
            judgment.unitID = unit.id!
            judgment.courtCode = "TAND-01"
            judgment.number = number
            judgment.numberKey = CaseQuality.judgmentNumberKey(number)
            judgment.judgmentDate = "2026-09-15"
            judgment.kindCode = "DS"
            judgment.effectiveDate = "2026-10-15"
            judgment.receivedOn = "2026-10-20"
            judgment.enteredAt = Date()
            judgment.isLate = false
            judgment.createdByID = account.id!
            try await judgment.create(on: db)
            let (code, year) = try await CaseQualityService.nextCode(
                unit: unit, openedOn: LocalDate(iso: openedOn)!, startMonth: 10, on: db)
            let enforcementCase = EnforcementCase()
            enforcementCase.id = UUID()
            enforcementCase.code = code
            enforcementCase.unitID = unit.id!
            enforcementCase.judgmentID = judgment.id!
            enforcementCase.startMode = .exOfficio
            enforcementCase.status = .accepted
            enforcementCase.statisticalYear = year
            enforcementCase.openedOn = openedOn
            enforcementCase.createdAt = Date()
            enforcementCase.createdByID = account.id!
            enforcementCase.updatedAt = Date()
            try await enforcementCase.create(on: db)
            return enforcementCase
        }
    }

    /// A debtor stored as the case forms store one (folded and exact names, encrypted ID number).
    static func addDebtor(
        _ app: Application, to enforcementCase: EnforcementCase, name: String, birthYear: Int, account: Account,
        idNumber: String? = nil
    ) async throws {
        let party = CaseParty()
        party.id = UUID()
        party.caseID = enforcementCase.id!
        party.unitID = enforcementCase.unitID
        party.role = .debtor
        party.kind = .person
        party.enteredAt = Date()
        party.createdByID = account.id!
        try CaseRecord.party(party).apply(
            ["fullName": name, "idNumber": idNumber ?? "", "birthYear": String(birthYear), "address": "Hà Nội"],
            keys: app.keys, at: app.clock.now)
        try await party.create(on: app.db)
    }

    @Test func caseCodesCountPerUnitAndStatisticalYear() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.regional(app, code: "01-03", under: "01")
            let officer = try await Fixtures.account(app, "chv", unit: "01-03", roles: [.enforcementOfficer]).account
            let first = try await Self.makeCase(app, unit: unit, account: officer, number: "1/2026/DS-ST")
            let second = try await Self.makeCase(app, unit: unit, account: officer, number: "2/2026/DS-ST")
            // 30/09/2026 belongs to the statistical year 2026; 01/10/2026 starts 2027.
            let older = try await Self.makeCase(
                app, unit: unit, account: officer, number: "3/2026/DS-ST", openedOn: "2026-09-30")
            #expect(first.code == "01-03/2027/000001")
            #expect(second.code == "01-03/2027/000002")
            #expect(older.code == "01-03/2026/000001")
        }
    }

    @Test func warningsOpenResolveAndDismissalsHold() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.regional(app, code: "01-03", under: "01")
            let officer = try await Fixtures.account(app, "chv", unit: "01-03", roles: [.enforcementOfficer]).account
            let first = try await Self.makeCase(app, unit: unit, account: officer, number: "12/2026/DS-ST")
            var open = try await CaseQualityService.refresh(first, today: Self.today, at: app.clock.now, on: app.db)
            #expect(Set(open.map(\.rule)) == [.missingDebtor, .missingObligation, .missingOfficer])

            try await Self.addDebtor(app, to: first, name: "Nguyễn Văn Đức", birthYear: 1980, account: officer)
            first.officerID = officer.id
            try await first.save(on: app.db)
            open = try await CaseQualityService.refresh(first, today: Self.today, at: app.clock.now, on: app.db)
            #expect(Set(open.map(\.rule)) == [.missingObligation])
            let resolved = try await QualityWarning.query(on: app.db).filter(\.$caseID == first.id!)
                .filter(\.$status == .resolved).all().map(\.rule)
            #expect(Set(resolved) == [.missingDebtor, .missingOfficer])

            // The same judgment typed differently, and the same debtor typed without marks in decomposed form.
            let second = try await Self.makeCase(app, unit: unit, account: officer, number: " 12 / 2026 / ds-st ")
            try await Self.addDebtor(
                app, to: second, name: "NGUYEN VAN DUC".decomposedStringWithCanonicalMapping, birthYear: 1980,
                account: officer)
            open = try await CaseQualityService.refresh(second, today: Self.today, at: app.clock.now, on: app.db)
            let duplicateJudgment = try #require(open.first { $0.rule == .duplicateJudgment })
            #expect(duplicateJudgment.message.contains(first.code))
            #expect(open.contains { $0.rule == .duplicateDebtor && $0.message.contains(first.code) })

            // A dismissed warning stays dismissed while its finding remains.
            duplicateJudgment.status = .dismissed
            duplicateJudgment.dismissReason = "Hai việc khác nhau từ cùng một bản án"
            try await duplicateJudgment.save(on: app.db)
            open = try await CaseQualityService.refresh(second, today: Self.today, at: app.clock.now, on: app.db)
            #expect(!open.contains { $0.rule == .duplicateJudgment })
            let kept = try #require(try await QualityWarning.find(duplicateJudgment.id, on: app.db))
            #expect(kept.status == .dismissed)

            // Another unit's debtor of the same name is not a duplicate.
            let other = try await Fixtures.regional(app, code: "01-04", under: "01")
            let third = try await Self.makeCase(app, unit: other, account: officer, number: "99/2026/DS-ST")
            try await Self.addDebtor(app, to: third, name: "Nguyễn Văn Đức", birthYear: 1980, account: officer)
            open = try await CaseQualityService.refresh(third, today: Self.today, at: app.clock.now, on: app.db)
            #expect(!open.contains { $0.rule == .duplicateDebtor || $0.rule == .duplicateJudgment })
        }
    }

    @Test func batchScanFindsDuplicatesEnteredBeforeTheirTwin() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.regional(app, code: "01-03", under: "01")
            let officer = try await Fixtures.account(app, "chv", unit: "01-03", roles: [.enforcementOfficer]).account
            let first = try await Self.makeCase(app, unit: unit, account: officer, number: "7/2026/HS-ST")
            _ = try await CaseQualityService.refresh(first, today: Self.today, at: app.clock.now, on: app.db)
            #expect(try await QualityWarning.query(on: app.db).filter(\.$rule == .duplicateJudgment).count() == 0)
            // The twin arrives later; only a batch run puts the warning on the first case as well.
            _ = try await Self.makeCase(app, unit: unit, account: officer, number: "7/2026/HS-ST")
            let result = try await CaseQualityService.scanAll(app, today: Self.today, batchSize: 1)
            #expect(result.checked == 2)
            let duplicates = try await QualityWarning.query(on: app.db).filter(\.$rule == .duplicateJudgment)
                .filter(\.$status == .open).all(\.$caseID)
            #expect(Set(duplicates).count == 2 && duplicates.contains(first.id!))
        }
    }

    /// The lookup the case form, the duplicate rule and the import share matches each (court, number) pair exactly:
    /// a court and a number asked for in two different keys do not make a match.
    @Test func casesOnJudgmentsMatchesEachKeyExactly() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.regional(app, code: "01-03", under: "01")
            let officer = try await Fixtures.account(app, "chv", unit: "01-03", roles: [.enforcementOfficer]).account
            let seven = try await Self.makeCase(app, unit: unit, account: officer, number: "7/2026/HS-ST")
            let eight = try await Self.makeCase(app, unit: unit, account: officer, number: "8/2026/HS-ST")
            try await (try app.db.sql).raw(
                "UPDATE judgments SET court_code = 'TAND-02' WHERE id = \(bind: eight.judgmentID)"
            ).run()
            typealias Key = CaseQualityService.JudgmentKey
            let crossed = try await CaseQualityService.casesOnJudgments(
                [Key(court: "TAND-01", numberKey: "8/2026/HS/ST"), Key(court: "TAND-02", numberKey: "7/2026/HS/ST")],
                on: app.db)
            #expect(crossed.isEmpty, "\(crossed.keys)")
            let exact = try await CaseQualityService.casesOnJudgments(
                [Key(court: "TAND-01", numberKey: "7/2026/HS/ST"), Key(court: "TAND-02", numberKey: "8/2026/HS/ST")],
                on: app.db)
            #expect(exact[CaseQualityService.judgmentKey("TAND-01", "7/2026/HS/ST")]?.map(\.id) == [seven.id!])
            #expect(exact[CaseQualityService.judgmentKey("TAND-02", "8/2026/HS/ST")]?.map(\.id) == [eight.id!])
            // With a debtor's name, only cases whose debtor has it (these cases have none).
            let named = try await CaseQualityService.casesOnJudgments(
                [Key(court: "TAND-01", numberKey: "7/2026/HS/ST", debtor: "nguyen van an")], on: app.db)
            #expect(named.isEmpty)
        }
    }

    /// A batch re-check stores what checking each case on its own stores: the same warnings with the same messages,
    /// duplicates inside the batch included (twins of one judgment, one debtor on three cases, a debtor of the same
    /// name but another birth year who is no duplicate).
    @Test func aBatchStoresWhatCaseByCaseChecksStore() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.regional(app, code: "01-03", under: "01")
            let officer = try await Fixtures.account(app, "chv", unit: "01-03", roles: [.enforcementOfficer]).account
            var cases: [EnforcementCase] = []
            for (index, number) in ["5/2026/DS-ST", "5/2026/DS-ST", "6/2026/DS-ST", "7/2026/DS-ST", "8/2026/DS-ST"]
                .enumerated()
            {
                let made = try await Self.makeCase(app, unit: unit, account: officer, number: number)
                try await Self.addDebtor(
                    app, to: made, name: "Đỗ Văn Hùng",
                    birthYear: index < 3 ? 1980 : 1981 + index, account: officer)
                cases.append(made)
            }
            func stored() async throws -> [String] {
                try await QualityWarning.query(on: app.db).all().map {
                    "\($0.caseID)|\($0.rule.rawValue)|\($0.subject)|\($0.status.rawValue)|\($0.message)"
                }.sorted()
            }
            let all = cases
            let open = try await app.write(on: app.db) { db in
                try await CaseQualityService.refresh(all, today: Self.today, at: app.clock.now, on: db)
            }
            let batch = try await stored()
            #expect(batch.filter { $0.contains("|duplicateJudgment|") }.count == 2)
            #expect(batch.filter { $0.contains("|duplicateDebtor|") }.count == 3)
            #expect(open.map(\.count).reduce(0, +) == batch.filter { $0.contains("|open|") }.count)
            try await QualityWarning.query(on: app.db).delete()
            for enforcementCase in cases {
                try await CaseQualityService.refresh(enforcementCase, today: Self.today, at: app.clock.now, on: app.db)
            }
            #expect(try await stored() == batch)
        }
    }
}
