import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Each of the 17 quality rules fires on a stored case, through the same re-check the forms run (B4).
@Suite struct QualityRulesStoredTests {
    typealias Service = CaseQualityServiceTests

    struct Records {
        let app: Application
        let enforcementCase: EnforcementCase
        let account: Account

        func obligation(_ amount: Int64?) async throws {
            let o = CaseObligation()
            o.id = UUID()
            o.caseID = enforcementCase.id!
            o.kindCode = "AN-PHI"
            o.mode = .money
            o.amount = amount
            o.description = ""
            o.beneficiary = .stateBudget
            o.periodic = false
            o.enteredAt = Date()
            o.createdByID = account.id!
            try await o.create(on: app.db)
        }

        func decision(_ kind: CaseDecisionKind, on date: String) async throws {
            let d = CaseDecision()
            d.id = UUID()
            d.caseID = enforcementCase.id!
            d.kind = kind
            d.number = "1/QĐ"
            d.decidedOn = date
            d.groundCode = "L106-ENFORCE"
            d.signer = "A"
            d.notes = ""
            d.statusBefore = .accepted
            d.statusAfter = .accepted
            d.enteredAt = Date()
            d.isLate = false
            d.createdByID = account.id!
            try await d.create(on: app.db)
        }

        func verification(on date: String) async throws {
            let v = CaseVerification()
            v.id = UUID()
            v.caseID = enforcementCase.id!
            v.verifiedOn = date
            v.outcome = .meansFound
            v.findings = "x"
            v.statusBefore = .accepted
            v.statusAfter = .withConditions
            v.enteredAt = Date()
            v.isLate = false
            v.createdByID = account.id!
            try await v.create(on: app.db)
        }

        func money(_ direction: MoneyDirection, _ amount: Int64, on date: String) async throws {
            let m = CaseMoneyEntry()
            m.id = UUID()
            m.caseID = enforcementCase.id!
            m.direction = direction
            m.amount = amount
            m.occurredOn = date
            m.reference = "BL"
            m.notes = ""
            m.enteredAt = Date()
            m.isLate = false
            m.createdByID = account.id!
            try await m.create(on: app.db)
        }

        func judgment(judged: String?, effective: String?) async throws {
            let judgment = try #require(try await Judgment.find(enforcementCase.judgmentID, on: app.db))
            judgment.judgmentDate = judged
            judgment.effectiveDate = effective
            try await judgment.save(on: app.db)
        }

        func set(status: CaseStatus? = nil, onRequest: Bool = false, officer: Bool = true) async throws {
            if let status { enforcementCase.status = status }
            if onRequest {
                enforcementCase.startMode = .onRequest
                enforcementCase.requestReceivedOn = "2026-10-20"
            }
            enforcementCase.officerID = officer ? account.id : nil
            try await enforcementCase.save(on: app.db)
        }

        func rules() async throws -> Set<QualityRule> {
            Set(
                try await CaseQualityService.refresh(
                    enforcementCase, today: Service.today, at: app.clock.now, on: app.db
                ).map(\.rule))
        }
    }

    @Test func everyRuleFiresOnAStoredCase() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.regional(app, code: "01-05", under: "01")
            let account = try await Fixtures.account(app, "chv.q", unit: "01-05", roles: [.enforcementOfficer]).account
            func records(_ number: String) async throws -> Records {
                Records(
                    app: app,
                    enforcementCase: try await Service.makeCase(app, unit: unit, account: account, number: number),
                    account: account)
            }
            var seen: Set<QualityRule> = []

            // Missing: no parties, no obligation, no officer, no dates, on request without a creditor.
            let empty = try await records("1/2026/DS-ST")
            try await empty.set(onRequest: true, officer: false)
            try await empty.judgment(judged: nil, effective: nil)
            let missing = try await empty.rules()
            #expect(
                missing == [
                    .missingDebtor, .missingCreditor, .missingObligation, .missingOfficer, .missingJudgmentDates,
                ])
            seen.formUnion(missing)

            // A debtor without identity, a money obligation without an amount, dates out of order.
            let disordered = try await records("2/2026/DS-ST")
            try await disordered.set()
            try await Service.addDebtor(
                app, to: disordered.enforcementCase, name: "Trần Văn Bê", birthYear: 1970, account: account)
            let anonymous = CaseParty()
            anonymous.id = UUID()
            anonymous.caseID = disordered.enforcementCase.id!
            anonymous.unitID = unit.id!
            anonymous.role = .debtor
            anonymous.kind = .person
            anonymous.fullName = "Không Rõ"
            anonymous.nameFolded = "khong ro"
            anonymous.nameExact = "không rõ"
            anonymous.address = ""
            anonymous.enteredAt = Date()
            anonymous.createdByID = account.id!
            try await anonymous.create(on: app.db)
            try await disordered.obligation(nil)
            try await disordered.judgment(judged: "2026-09-15", effective: "2026-09-01")
            try await disordered.decision(.enforcement, on: "2026-09-10")
            let logic = try await disordered.rules()
            #expect(
                logic.isSuperset(of: [
                    .missingDebtorIdentity, .missingAmount, .effectiveBeforeJudgment, .decisionBeforeJudgment,
                ]))
            seen.formUnion(logic)

            // An enforcement decision before the judgment took effect, a verification before it, money out of step,
            // a date in the future.
            let money = try await records("3/2026/DS-ST")
            try await money.set()
            try await Service.addDebtor(
                app, to: money.enforcementCase, name: "Lý Thị Cê", birthYear: 1985, account: account)
            try await money.obligation(1_000_000)
            try await money.decision(.enforcement, on: "2026-10-10")
            try await money.verification(on: "2026-10-05")
            try await money.money(.collected, 5_000_000, on: "2026-11-02")
            try await money.money(.paidOut, 6_000_000, on: Service.today.adding(days: 3).iso)
            let steps = try await money.rules()
            #expect(
                steps.isSuperset(of: [
                    .decisionBeforeEffective, .verificationBeforeDecision, .collectedMoreThanOwed,
                    .paidOutMoreThanCollected, .futureDate,
                ]))
            seen.formUnion(steps)

            // Completed with money outstanding.
            let completed = try await records("4/2026/DS-ST")
            try await completed.set(status: .completed)
            try await Service.addDebtor(
                app, to: completed.enforcementCase, name: "Đinh Văn Dê", birthYear: 1990, account: account)
            try await completed.obligation(2_000_000)
            let outstanding = try await completed.rules()
            #expect(outstanding.contains(.completedWithOutstanding))
            seen.formUnion(outstanding)

            // Duplicates: the same judgment and the same debtor in the same unit.
            let twin = try await records(" 4 / 2026 / ds-st ")
            try await Service.addDebtor(
                app, to: twin.enforcementCase, name: "DINH VAN DE", birthYear: 1990, account: account)
            let duplicates = try await twin.rules()
            #expect(duplicates.isSuperset(of: [.duplicateJudgment, .duplicateDebtor]))
            seen.formUnion(duplicates)

            #expect(seen == Set(QualityRule.allCases), "not seen: \(Set(QualityRule.allCases).subtracting(seen))")
        }
    }
}
