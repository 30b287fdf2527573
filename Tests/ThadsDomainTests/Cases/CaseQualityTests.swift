import Foundation
import Testing

@testable import ThadsDomain

/// A date the test knows to be valid ("yyyy-MM-dd").
private func day(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

/// Fixed identifiers, so that subjects can be compared with known strings.
private enum ID {
    static let debtor = UUID(uuidString: "00000000-0000-0000-0000-000000000001")!
    static let creditor = UUID(uuidString: "00000000-0000-0000-0000-000000000002")!
    static let obligation = UUID(uuidString: "00000000-0000-0000-0000-000000000003")!
    static let enforcement = UUID(uuidString: "00000000-0000-0000-0000-000000000004")!
    static let verification = UUID(uuidString: "00000000-0000-0000-0000-000000000005")!
    static let collected = UUID(uuidString: "00000000-0000-0000-0000-000000000006")!
    static let paidOut = UUID(uuidString: "00000000-0000-0000-0000-000000000007")!
    static let extra = UUID(uuidString: "00000000-0000-0000-0000-000000000008")!
}

private let today = day("2026-06-30")

/// A case with nothing wrong: on request, judgment 05/03 effective 05/04, decision 20/04 notified 22/04,
/// verified 10/05, 3,000,000 đ of 10,000,000 đ collected and 1,000,000 đ paid out.
private func clean() -> CaseSnapshot {
    CaseSnapshot(
        status: .withConditions, startMode: .onRequest, requestReceivedOn: day("2026-04-15"), officerAssigned: true,
        judgment: .init(
            courtCode: "TAND-HN", number: "12/2026/DS-ST", judgmentDate: day("2026-03-05"),
            effectiveDate: day("2026-04-05"), receivedOn: day("2026-04-10")),
        parties: [
            .init(id: ID.debtor, role: .debtor, kind: .person, fullName: "Nguyễn Văn An", birthYear: 1980),
            .init(id: ID.creditor, role: .creditor, kind: .person, fullName: "Trần Thị Bình", hasIdentifier: true),
        ],
        obligations: [.init(id: ID.obligation, mode: .money, amount: 10_000_000, beneficiary: .person)],
        decisions: [
            .init(id: ID.enforcement, kind: .enforcement, decidedOn: day("2026-04-20"), notifiedOn: day("2026-04-22"))
        ],
        verifications: [.init(id: ID.verification, verifiedOn: day("2026-05-10"), outcome: .meansFound)],
        money: [
            .init(id: ID.collected, direction: .collected, amount: 3_000_000, occurredOn: day("2026-05-20")),
            .init(id: ID.paidOut, direction: .paidOut, amount: 1_000_000, occurredOn: day("2026-05-25")),
        ])
}

/// The (rule, subject) pairs of a check.
private func pairs(_ findings: [QualityFinding]) -> [String] {
    findings.map { "\($0.rule.rawValue)|\($0.subject)" }
}

/// The rules `CaseQuality.check` implements (every rule but the duplicates).
private let checkedRules = QualityRule.allCases.filter { $0.category != .duplicate }

/// A minimal change of the clean case that breaks exactly `rule`, and the subject expected.
private func broken(_ rule: QualityRule) -> (snapshot: CaseSnapshot, subject: String) {
    var s = clean()
    switch rule {
    case .missingDebtor:
        s.parties.removeAll { $0.role == .debtor }
        return (s, "")
    case .missingCreditor:
        s.parties.removeAll { $0.role == .creditor }
        return (s, "")
    case .missingObligation:
        s.obligations = []
        return (s, "")
    case .missingOfficer:
        s.officerAssigned = false
        return (s, "")
    case .missingJudgmentDates:
        s.judgment.effectiveDate = nil
        return (s, "")
    case .missingAmount:
        s.obligations.append(.init(id: ID.extra, mode: .money, amount: nil, beneficiary: .stateBudget))
        return (s, ID.extra.uuidString)
    case .missingDebtorIdentity:
        s.parties[0].birthYear = nil
        return (s, ID.debtor.uuidString)
    case .effectiveBeforeJudgment:
        s.judgment.effectiveDate = day("2026-03-01")
        return (s, "")
    case .decisionBeforeJudgment:
        s.decisions.append(.init(id: ID.extra, kind: .postponement, decidedOn: day("2026-03-01")))
        return (s, ID.extra.uuidString)
    case .decisionBeforeEffective:
        s.decisions[0].decidedOn = day("2026-04-01")
        return (s, ID.enforcement.uuidString)
    case .verificationBeforeDecision:
        s.verifications[0].verifiedOn = day("2026-04-19")
        return (s, ID.verification.uuidString)
    case .futureDate:
        s.verifications[0].verifiedOn = day("2026-07-01")
        return (s, ID.verification.uuidString)
    case .collectedMoreThanOwed:
        s.money[0].amount = 11_000_000
        return (s, "")
    case .paidOutMoreThanCollected:
        s.money[1].amount = 4_000_000
        return (s, "")
    case .completedWithOutstanding:
        s.status = .completed
        return (s, "")
    case .duplicateJudgment, .duplicateDebtor:
        fatalError("duplicates are not checked by CaseQuality")
    }
}

@Suite("Case quality")
struct CaseQualityTests {
    @Test("a clean case has no finding")
    func cleanCase() {
        #expect(CaseQuality.check(clean(), today: today).isEmpty)
    }

    @Test("each rule fires on a minimal bad case, alone and with the expected subject", arguments: checkedRules)
    func ruleFires(rule: QualityRule) {
        let (snapshot, subject) = broken(rule)
        let findings = CaseQuality.check(snapshot, today: today)
        #expect(pairs(findings) == ["\(rule.rawValue)|\(subject)"])
        for finding in findings {
            #expect(!finding.message.isEmpty)
            #expect(finding.message.hasSuffix("."))
        }
    }

    @Test("re-checking gives the same (rule, subject) pairs, whatever today's date after the records")
    func stableSubjects() {
        var s = clean()
        s.parties = []
        s.officerAssigned = false
        s.decisions.append(.init(id: ID.extra, kind: .suspension, decidedOn: day("2026-03-01")))
        s.verifications[0].verifiedOn = day("2026-04-19")
        let first = CaseQuality.check(s, today: today)
        let second = CaseQuality.check(s, today: day("2026-12-31"))
        #expect(first.count == 5)
        #expect(pairs(first) == pairs(second))
        #expect(Set(pairs(first)).count == first.count)
    }

    @Test("rule categories and labels")
    func categories() {
        #expect(QualityRule.allCases.count == 17)
        #expect(QualityRule.allCases.filter { $0.category == .missing }.count == 7)
        #expect(QualityRule.allCases.filter { $0.category == .duplicate } == [.duplicateJudgment, .duplicateDebtor])
        #expect(QualityRule.allCases.filter { $0.category == .logic }.count == 8)
        #expect(QualityCategory.missing.label == "Thiếu dữ liệu")
        #expect(QualityCategory.duplicate.label == "Trùng lặp")
        #expect(QualityCategory.logic.label == "Sai logic")
        #expect(QualityRule.missingDebtor.label == "Thiếu người phải thi hành án")
        #expect(Set(QualityRule.allCases.map(\.label)).count == QualityRule.allCases.count)
    }

    // MARK: Missing data

    @Test("creditor only required on request; officer only while open")
    func creditorAndOfficer() {
        var s = clean()
        s.parties.removeAll { $0.role == .creditor }
        s.startMode = .exOfficio
        #expect(CaseQuality.check(s, today: today).isEmpty)
        s.startMode = .transferredIn
        #expect(CaseQuality.check(s, today: today).isEmpty)

        var closed = clean()
        closed.officerAssigned = false
        for status in CaseStatus.allCases where status != .completed {
            closed.status = status
            let rules = CaseQuality.check(closed, today: today).map(\.rule)
            #expect(rules == (status.isClosed ? [] : [.missingOfficer]), "\(status)")
        }
    }

    @Test("missing judgment dates: one finding naming what is missing")
    func judgmentDates() {
        var s = clean()
        s.judgment.judgmentDate = nil
        s.judgment.effectiveDate = nil
        let findings = CaseQuality.check(s, today: today)
        #expect(findings.map(\.rule) == [.missingJudgmentDates])
        #expect(
            findings.first?.message == "Bản án số 12/2026/DS-ST chưa có ngày bản án, quyết định và ngày có hiệu lực.")
    }

    @Test("missing amount: money obligations with nil, zero or negative amounts; not assets or acts")
    func missingAmount() {
        var s = clean()
        let zero = UUID()
        let negative = UUID()
        s.obligations += [
            .init(id: zero, mode: .money, amount: 0, beneficiary: .stateBudget),
            .init(id: negative, mode: .money, amount: -5, beneficiary: .stateBudget),
            .init(mode: .asset, amount: nil, beneficiary: .person),
            .init(mode: .act, amount: 0, beneficiary: .person),
        ]
        let findings = CaseQuality.check(s, today: today)
        #expect(pairs(findings) == ["missingAmount|\(zero.uuidString)", "missingAmount|\(negative.uuidString)"])
        #expect(findings.first?.message == "Nghĩa vụ trả tiền có số tiền 0 đ, phải lớn hơn 0 đ.")
    }

    @Test("debtor identity: persons need an identifier or a birth year; organisations an identifier")
    func debtorIdentity() {
        func findings(_ party: CaseSnapshot.Party) -> [String] {
            var s = clean()
            s.parties = [party, s.parties[1]]
            return pairs(CaseQuality.check(s, today: today))
        }
        let id = ID.debtor
        let subject = "missingDebtorIdentity|\(id.uuidString)"
        #expect(findings(.init(id: id, role: .debtor, kind: .person, fullName: "A")) == [subject])
        #expect(findings(.init(id: id, role: .debtor, kind: .person, fullName: "A", birthYear: 1970)).isEmpty)
        #expect(findings(.init(id: id, role: .debtor, kind: .person, fullName: "A", hasIdentifier: true)).isEmpty)
        #expect(findings(.init(id: id, role: .debtor, kind: .organisation, fullName: "Công ty B")) == [subject])
        // A birth year says nothing about an organisation.
        #expect(
            findings(.init(id: id, role: .debtor, kind: .organisation, fullName: "Công ty B", birthYear: 2001))
                == [subject])
        #expect(
            findings(.init(id: id, role: .debtor, kind: .organisation, fullName: "Công ty B", hasIdentifier: true))
                .isEmpty)
        // Creditors and related parties are not checked.
        var s = clean()
        s.parties.append(.init(role: .related, kind: .person, fullName: "C"))
        #expect(CaseQuality.check(s, today: today).isEmpty)
    }

    @Test("every debtor without identity gets its own finding, with the name in the message")
    func severalDebtors() {
        var s = clean()
        let second = UUID()
        s.parties[0].birthYear = nil
        s.parties.append(.init(id: second, role: .debtor, kind: .organisation, fullName: "Công ty TNHH Minh Đức"))
        let findings = CaseQuality.check(s, today: today)
        #expect(
            pairs(findings) == [
                "missingDebtorIdentity|\(ID.debtor.uuidString)", "missingDebtorIdentity|\(second.uuidString)",
            ])
        #expect(
            findings.first?.message == "Người phải thi hành án Nguyễn Văn An chưa có số định danh cá nhân và năm sinh.")
        #expect(findings.last?.message.contains("Công ty TNHH Minh Đức") == true)
    }

    // MARK: Logic

    @Test("dates on the same day are not out of order")
    func sameDay() {
        var s = clean()
        s.judgment.judgmentDate = day("2026-04-05")
        s.judgment.effectiveDate = day("2026-04-05")
        s.decisions[0].decidedOn = day("2026-04-05")
        s.verifications[0].verifiedOn = day("2026-04-05")
        #expect(CaseQuality.check(s, today: today).isEmpty)
    }

    @Test("decision before the judgment: any kind, with the specific message")
    func decisionBeforeJudgment() {
        var s = clean()
        s.decisions[0].decidedOn = day("2026-03-02")
        s.verifications = []
        let findings = CaseQuality.check(s, today: today)
        // One finding per decision: before the judgment, so not also "before it took effect".
        #expect(pairs(findings) == ["decisionBeforeJudgment|\(ID.enforcement.uuidString)"])
        #expect(findings.first?.message == "Quyết định thi hành án ngày 02/03/2026 trước ngày bản án 05/03/2026.")
    }

    @Test("decision before the effective date: only the enforcement decision")
    func decisionBeforeEffective() {
        var s = clean()
        s.decisions.append(.init(kind: .postponement, decidedOn: day("2026-04-01")))
        #expect(CaseQuality.check(s, today: today).isEmpty)
        s.decisions[0].decidedOn = day("2026-04-04")
        let findings = CaseQuality.check(s, today: today)
        #expect(findings.map(\.rule) == [.decisionBeforeEffective])
        #expect(
            findings.first?.message
                == "Quyết định thi hành án ngày 04/04/2026 trước ngày bản án có hiệu lực 05/04/2026.")
    }

    @Test("verification before the (earliest) enforcement decision")
    func verificationBeforeDecision() {
        var s = clean()
        // A second enforcement decision later does not make the verification early.
        s.decisions.append(.init(kind: .enforcement, decidedOn: day("2026-05-15"), notifiedOn: day("2026-05-16")))
        #expect(CaseQuality.check(s, today: today).isEmpty)
        s.verifications.append(.init(id: ID.extra, verifiedOn: day("2026-04-18"), outcome: .noMeans))
        let findings = CaseQuality.check(s, today: today)
        #expect(pairs(findings) == ["verificationBeforeDecision|\(ID.extra.uuidString)"])
        #expect(
            findings.first?.message
                == "Biên bản xác minh ngày 18/04/2026 trước ngày quyết định thi hành án 20/04/2026.")
    }

    @Test("future dates: one finding per record, naming each date; today itself is fine")
    func futureDates() {
        var s = clean()
        s.judgment.receivedOn = today
        #expect(CaseQuality.check(s, today: today).isEmpty)

        s.judgment.judgmentDate = day("2026-07-01")
        s.judgment.effectiveDate = day("2026-07-02")
        s.requestReceivedOn = day("2026-07-03")
        s.decisions[0].decidedOn = day("2026-07-04")
        s.decisions[0].notifiedOn = day("2026-07-05")
        s.verifications[0].verifiedOn = day("2026-07-06")
        s.money[0].occurredOn = day("2026-07-07")
        s.money[1].occurredOn = day("2026-07-08")
        let future = CaseQuality.check(s, today: today).filter { $0.rule == .futureDate }
        #expect(
            future.map(\.subject) == [
                CaseQuality.judgmentSubject, "", ID.enforcement.uuidString, ID.verification.uuidString,
                ID.collected.uuidString, ID.paidOut.uuidString,
            ])
        #expect(
            future.first?.message
                == "Bản án số 12/2026/DS-ST: ngày bản án, quyết định 01/07/2026, ngày có hiệu lực 02/07/2026 sau "
                + "ngày hiện tại 30/06/2026.")
        #expect(future[2].message.contains("04/07/2026") && future[2].message.contains("05/07/2026"))
        #expect(future[4].message.hasPrefix("Khoản thu 3.000.000 đ:"))
    }

    @Test("money: collected more than owed counts money obligations only")
    func collectedMoreThanOwed() {
        var s = clean()
        s.money[0].amount = 10_000_000
        #expect(CaseQuality.check(s, today: today).isEmpty)
        s.money[0].amount = 10_000_001
        let findings = CaseQuality.check(s, today: today)
        #expect(findings.map(\.rule) == [.collectedMoreThanOwed])
        #expect(findings.first?.message == "Số tiền đã thu 10.000.001 đ lớn hơn số tiền phải thi hành 10.000.000 đ.")

        // Only an asset obligation: nothing owed in money, so nothing to compare against.
        var asset = clean()
        asset.obligations = [.init(mode: .asset, amount: 50_000_000, beneficiary: .person)]
        #expect(CaseQuality.check(asset, today: today).isEmpty)
    }

    @Test("money: paid out more than collected")
    func paidOutMoreThanCollected() {
        var s = clean()
        s.money[1].amount = 3_000_000
        #expect(CaseQuality.check(s, today: today).isEmpty)
        s.money.append(.init(direction: .paidOut, amount: 1, occurredOn: day("2026-05-26")))
        let findings = CaseQuality.check(s, today: today)
        #expect(findings.map(\.rule) == [.paidOutMoreThanCollected])
        #expect(findings.first?.message == "Số tiền đã chi trả 3.000.001 đ lớn hơn số tiền đã thu 3.000.000 đ.")
    }

    @Test("completed with money outstanding; fully collected is fine")
    func completedWithOutstanding() {
        var s = clean()
        s.status = .completed
        s.money[0].amount = 10_000_000
        #expect(CaseQuality.check(s, today: today).isEmpty)
        s.money[0].amount = 9_999_000
        let findings = CaseQuality.check(s, today: today)
        #expect(findings.map(\.rule) == [.completedWithOutstanding])
        #expect(findings.first?.message.contains("còn 1.000 đ chưa thu") == true)
        // Other statuses with money outstanding are ordinary.
        s.status = .withConditions
        #expect(CaseQuality.check(s, today: today).isEmpty)
    }

    @Test("findings are Codable")
    func codable() throws {
        let finding = QualityFinding(rule: .futureDate, subject: "judgment", message: "Ngày 01/07/2026.")
        let data = try JSONEncoder().encode(finding)
        #expect(try JSONDecoder().decode(QualityFinding.self, from: data) == finding)
        #expect(QualityFinding(rule: .missingDebtor, message: "x").subject == "")
    }

    // MARK: Judgment number key

    @Test("judgment number key: spacing, case and separators")
    func judgmentNumberKey() {
        let key = CaseQuality.judgmentNumberKey
        #expect(key("12/2026/DS-ST") == "12/2026/DS/ST")
        for variant in [" 12 / 2026 / ds-st ", "12/2026/DS/ST", "12-2026-DS-ST", "12.2026.ds_st", "12/2026/DS – ST"] {
            #expect(key(variant) == key("12/2026/DS-ST"), "\(variant)")
        }
        // Runs of separators collapse; separators at either end are dropped.
        #expect(key("/12//2026--DS-ST/") == "12/2026/DS/ST")
        #expect(key("") == "")
        #expect(key(" - ") == "")
        // Different numbers stay different.
        #expect(key("12/2026/DS-ST") != key("12/2026/DS-PT"))
        #expect(key("12/2026/DS-ST") != key("21/2026/DS-ST"))
        #expect(key("12/2026/DSST") != key("12/2026/DS-ST"))
    }

    @Test("judgment number key: diacritics, đ and decomposed Unicode")
    func judgmentNumberKeyUnicode() {
        let key = CaseQuality.judgmentNumberKey
        let composed = "Số 05/2026/QĐ-PT"
        let decomposed = composed.decomposedStringWithCanonicalMapping
        #expect(composed.unicodeScalars.count != decomposed.unicodeScalars.count)
        #expect(key(composed) == "SO05/2026/QD/PT")
        #expect(key(decomposed) == key(composed))
        #expect(key("số 05/2026/qđ-pt") == key(composed))
        #expect(key("SO 05/2026/QD-PT") == key(composed))
        #expect(key("05/2026/HNGĐ-ST") == "05/2026/HNGD/ST")
    }
}

@Suite("Money text")
struct MoneyTextTests {
    @Test("groups thousands with dots and appends đ")
    func dong() {
        #expect(MoneyText.dong(0) == "0 đ")
        #expect(MoneyText.dong(999) == "999 đ")
        #expect(MoneyText.dong(1_000) == "1.000 đ")
        #expect(MoneyText.dong(1_234_567) == "1.234.567 đ")
        #expect(MoneyText.dong(100_000_000) == "100.000.000 đ")
        #expect(MoneyText.dong(-5_000) == "-5.000 đ")
        #expect(MoneyText.dong(.max) == "9.223.372.036.854.775.807 đ")
        #expect(MoneyText.dong(.min) == "-9.223.372.036.854.775.808 đ")
    }
}
