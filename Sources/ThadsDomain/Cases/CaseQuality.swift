import Foundation

/// The three kinds of data-quality problem the quality score counts ("Đủ", "Sạch", "Đúng").
public enum QualityCategory: String, Sendable, Codable, CaseIterable {
    case missing
    case duplicate
    case logic

    /// Vietnamese label.
    public var label: String {
        switch self {
        case .missing: "Thiếu dữ liệu"
        case .duplicate: "Trùng lặp"
        case .logic: "Sai logic"
        }
    }
}

/// One data-quality rule. The raw values are stored with the findings, so they must not change.
public enum QualityRule: String, Sendable, Codable, CaseIterable {
    // Missing data.
    case missingDebtor
    case missingCreditor
    case missingObligation
    case missingOfficer
    case missingJudgmentDates
    case missingAmount
    case missingDebtorIdentity
    // Duplicates: found by the app with database queries across cases; the domain only names them.
    case duplicateJudgment
    case duplicateDebtor
    // Logic.
    case effectiveBeforeJudgment
    case decisionBeforeJudgment
    case decisionBeforeEffective
    case verificationBeforeDecision
    case futureDate
    case collectedMoreThanOwed
    case paidOutMoreThanCollected
    case completedWithOutstanding

    /// The category the rule counts in for the quality score.
    public var category: QualityCategory {
        switch self {
        case .missingDebtor, .missingCreditor, .missingObligation, .missingOfficer, .missingJudgmentDates,
            .missingAmount, .missingDebtorIdentity:
            .missing
        case .duplicateJudgment, .duplicateDebtor:
            .duplicate
        case .effectiveBeforeJudgment, .decisionBeforeJudgment, .decisionBeforeEffective,
            .verificationBeforeDecision, .futureDate, .collectedMoreThanOwed, .paidOutMoreThanCollected,
            .completedWithOutstanding:
            .logic
        }
    }

    /// Short Vietnamese title, as shown in lists.
    public var label: String {
        switch self {
        case .missingDebtor: "Thiếu người phải thi hành án"
        case .missingCreditor: "Thiếu người được thi hành án"
        case .missingObligation: "Thiếu nghĩa vụ thi hành án"
        case .missingOfficer: "Chưa phân công Chấp hành viên"
        case .missingJudgmentDates: "Thiếu ngày bản án hoặc ngày có hiệu lực"
        case .missingAmount: "Thiếu số tiền phải thi hành"
        case .missingDebtorIdentity: "Thiếu thông tin nhận dạng người phải thi hành án"
        case .duplicateJudgment: "Trùng bản án, quyết định"
        case .duplicateDebtor: "Trùng người phải thi hành án"
        case .effectiveBeforeJudgment: "Ngày có hiệu lực trước ngày bản án"
        case .decisionBeforeJudgment: "Quyết định trước ngày bản án"
        case .decisionBeforeEffective: "Quyết định thi hành án trước ngày bản án có hiệu lực"
        case .verificationBeforeDecision: "Xác minh trước ngày quyết định thi hành án"
        case .futureDate: "Ngày sau ngày hiện tại"
        case .collectedMoreThanOwed: "Số tiền đã thu lớn hơn số tiền phải thi hành"
        case .paidOutMoreThanCollected: "Số tiền đã chi trả lớn hơn số tiền đã thu"
        case .completedWithOutstanding: "Thi hành xong nhưng còn số tiền chưa thu"
        }
    }
}

/// One problem found in one case.
public struct QualityFinding: Sendable, Hashable, Codable {
    public var rule: QualityRule
    /// Stable key of what the finding is about within the case ("" for the case itself, a party/decision/money
    /// UUID string, `CaseQuality.judgmentSubject` for the judgment), so that re-checking the same case yields the
    /// same (rule, subject) pairs and the app can tell a finding still open from a new one.
    public var subject: String
    /// Specific Vietnamese message, e.g. "Quyết định thi hành án ngày 02/03/2026 trước ngày bản án 05/03/2026."
    public var message: String

    public init(rule: QualityRule, subject: String = "", message: String) {
        self.rule = rule
        self.subject = subject
        self.message = message
    }
}

/// The missing-data and logic rules of one case, and the key duplicate matching uses.
///
/// Each rule yields at most one finding per subject, so (rule, subject) identifies a finding across re-checks.
/// Findings come in `QualityRule.allCases` order, then in the order of the records in the snapshot.
public enum CaseQuality {
    /// The subject of findings about the judgment's own dates (`futureDate`).
    public static let judgmentSubject = "judgment"

    /// Whether two cases on one judgment are a duplicate. One judgment normally yields two cases (DOMAIN.md, "A case
    /// and its lifecycle"): an ex officio case for the state's fees and fines and an on-request case for a private
    /// creditor, and a body that receives a transfer opens its own case for the sender's (closed) one. So only two
    /// cases that started the same way — two ex officio, two on request, two transfers in — are one too many.
    public static func isDuplicateOnJudgment(_ a: CaseStartMode, _ b: CaseStartMode) -> Bool { a == b }

    /// Every missing-data and logic finding of one case on `today` (not the duplicate rules).
    public static func check(_ snapshot: CaseSnapshot, today: LocalDate) -> [QualityFinding] {
        missing(snapshot) + logic(snapshot, today: today)
    }

    /// Normalised judgment number for duplicate matching, so that the same number typed differently matches:
    ///
    /// 1. `VietnameseText.fold` (any Unicode form, no marks, `đ` → `d`), then upper case;
    /// 2. all whitespace removed;
    /// 3. the separators "-", "_", "." and the Unicode dashes (‐ ‑ ‒ – —) become "/";
    /// 4. runs of "/" become one, and "/" at either end is dropped.
    ///
    /// So "12/2026/DS-ST", " 12 / 2026 / ds-st " and "12/2026/DS/ST" all give "12/2026/DS/ST", and "05/2026/QĐ-PT"
    /// gives "05/2026/QD/PT". Leading zeros are kept ("012" ≠ "12"): they are rare and may be meaningful. A blank
    /// number gives "", which the caller should not match.
    public static func judgmentNumberKey(_ number: String) -> String {
        let folded = VietnameseText.fold(number).uppercased()
        var key = ""
        var pendingSlash = false
        for character in folded {
            if character.isWhitespace { continue }
            if separators.contains(character) {
                pendingSlash = true
                continue
            }
            if pendingSlash && !key.isEmpty { key.append("/") }
            pendingSlash = false
            key.append(character)
        }
        return key
    }

    /// Characters treated as the "/" of a judgment number.
    private static let separators: Set<Character> = ["/", "-", "_", ".", "\u{2010}", "\u{2011}", "\u{2012}", "–", "—"]

    // MARK: Missing data

    private static func missing(_ snapshot: CaseSnapshot) -> [QualityFinding] {
        var findings: [QualityFinding] = []
        let debtors = snapshot.parties.filter { $0.role == .debtor }
        if debtors.isEmpty {
            findings.append(QualityFinding(rule: .missingDebtor, message: "Hồ sơ chưa có người phải thi hành án."))
        }
        if snapshot.startMode == .onRequest && !snapshot.parties.contains(where: { $0.role == .creditor }) {
            findings.append(
                QualityFinding(
                    rule: .missingCreditor,
                    message: "Hồ sơ thụ lý theo đơn yêu cầu nhưng chưa có người được thi hành án."))
        }
        if snapshot.obligations.isEmpty {
            findings.append(QualityFinding(rule: .missingObligation, message: "Hồ sơ chưa có nghĩa vụ thi hành án."))
        }
        if !snapshot.officerAssigned && !snapshot.status.isClosed {
            findings.append(QualityFinding(rule: .missingOfficer, message: "Hồ sơ chưa được phân công Chấp hành viên."))
        }
        var missingDates: [String] = []
        if snapshot.judgment.judgmentDate == nil { missingDates.append("ngày bản án, quyết định") }
        if snapshot.judgment.effectiveDate == nil { missingDates.append("ngày có hiệu lực") }
        if !missingDates.isEmpty {
            findings.append(
                QualityFinding(
                    rule: .missingJudgmentDates,
                    message: "Bản án \(numberText(snapshot)) chưa có \(missingDates.joined(separator: " và "))."))
        }
        for obligation in snapshot.obligations where obligation.mode == .money {
            guard let amount = obligation.amount else {
                findings.append(
                    QualityFinding(
                        rule: .missingAmount, subject: obligation.id.uuidString,
                        message: "Nghĩa vụ trả tiền chưa có số tiền phải thi hành."))
                continue
            }
            if amount <= 0 {
                findings.append(
                    QualityFinding(
                        rule: .missingAmount, subject: obligation.id.uuidString,
                        message: "Nghĩa vụ trả tiền có số tiền \(MoneyText.dong(amount)), phải lớn hơn 0 đ."))
            }
        }
        for debtor in debtors where !debtor.hasIdentifier {
            let name = debtor.fullName.trimmingCharacters(in: .whitespacesAndNewlines)
            let who = name.isEmpty ? "Người phải thi hành án" : "Người phải thi hành án \(name)"
            switch debtor.kind {
            case .person where debtor.birthYear == nil:
                findings.append(
                    QualityFinding(
                        rule: .missingDebtorIdentity, subject: debtor.id.uuidString,
                        message: "\(who) chưa có số định danh cá nhân và năm sinh."))
            case .organisation:
                findings.append(
                    QualityFinding(
                        rule: .missingDebtorIdentity, subject: debtor.id.uuidString,
                        message: "\(who) chưa có mã số thuế, mã số doanh nghiệp."))
            case .person:
                break
            }
        }
        return findings
    }

    // MARK: Logic

    private static func logic(_ snapshot: CaseSnapshot, today: LocalDate) -> [QualityFinding] {
        var findings: [QualityFinding] = []
        let judgment = snapshot.judgment
        if let judged = judgment.judgmentDate, let effective = judgment.effectiveDate, effective < judged {
            findings.append(
                QualityFinding(
                    rule: .effectiveBeforeJudgment,
                    message: "Ngày có hiệu lực \(effective.display) trước ngày bản án \(judged.display)."))
        }
        var beforeJudgment: Set<UUID> = []
        if let judged = judgment.judgmentDate {
            for decision in snapshot.decisions where decision.decidedOn < judged {
                beforeJudgment.insert(decision.id)
                findings.append(
                    QualityFinding(
                        rule: .decisionBeforeJudgment, subject: decision.id.uuidString,
                        message: "\(decision.kind.label) ngày \(decision.decidedOn.display) trước ngày bản án "
                            + "\(judged.display)."))
            }
        }
        if let effective = judgment.effectiveDate {
            for decision in snapshot.decisions
            where decision.kind == .enforcement && decision.decidedOn < effective
                && !beforeJudgment.contains(decision.id)
            {
                findings.append(
                    QualityFinding(
                        rule: .decisionBeforeEffective, subject: decision.id.uuidString,
                        message: "\(decision.kind.label) ngày \(decision.decidedOn.display) trước ngày bản án có "
                            + "hiệu lực \(effective.display)."))
            }
        }
        if let enforcement = firstEnforcement(snapshot) {
            for verification in snapshot.verifications where verification.verifiedOn < enforcement.decidedOn {
                findings.append(
                    QualityFinding(
                        rule: .verificationBeforeDecision, subject: verification.id.uuidString,
                        message: "Biên bản xác minh ngày \(verification.verifiedOn.display) trước ngày quyết định "
                            + "thi hành án \(enforcement.decidedOn.display)."))
            }
        }
        findings += futureDates(snapshot, today: today)
        findings += money(snapshot)
        return findings
    }

    /// One `futureDate` finding per record with any date after `today`, naming every such date.
    private static func futureDates(_ snapshot: CaseSnapshot, today: LocalDate) -> [QualityFinding] {
        var findings: [QualityFinding] = []
        func check(_ subject: String, _ record: String, _ dates: [(String, LocalDate?)]) {
            let future = dates.compactMap { label, date in
                date.flatMap { $0 > today ? "\(label) \($0.display)" : nil }
            }
            guard !future.isEmpty else { return }
            findings.append(
                QualityFinding(
                    rule: .futureDate, subject: subject,
                    message: "\(record): \(future.joined(separator: ", ")) sau ngày hiện tại \(today.display)."))
        }
        let judgment = snapshot.judgment
        check(
            judgmentSubject, "Bản án \(numberText(snapshot))",
            [
                ("ngày bản án, quyết định", judgment.judgmentDate), ("ngày có hiệu lực", judgment.effectiveDate),
                ("ngày nhận", judgment.receivedOn),
            ])
        check("", "Hồ sơ", [("ngày nhận đơn yêu cầu", snapshot.requestReceivedOn)])
        for decision in snapshot.decisions {
            check(
                decision.id.uuidString, decision.kind.label,
                [("ngày ra quyết định", decision.decidedOn), ("ngày giao, thông báo", decision.notifiedOn)])
        }
        for verification in snapshot.verifications {
            check(verification.id.uuidString, "Biên bản xác minh", [("ngày xác minh", verification.verifiedOn)])
        }
        for entry in snapshot.money {
            let record = entry.direction == .collected ? "Khoản thu" : "Khoản chi trả"
            check(
                entry.id.uuidString, "\(record) \(MoneyText.dong(entry.amount))",
                [(entry.direction == .collected ? "ngày thu" : "ngày chi", entry.occurredOn)])
        }
        return findings
    }

    private static func money(_ snapshot: CaseSnapshot) -> [QualityFinding] {
        var findings: [QualityFinding] = []
        let owed = snapshot.amountOwed
        let collected = snapshot.amountCollected
        let paidOut = snapshot.amountPaidOut
        if owed > 0 && collected > owed {
            findings.append(
                QualityFinding(
                    rule: .collectedMoreThanOwed,
                    message: "Số tiền đã thu \(MoneyText.dong(collected)) lớn hơn số tiền phải thi hành "
                        + "\(MoneyText.dong(owed))."))
        }
        if paidOut > collected {
            findings.append(
                QualityFinding(
                    rule: .paidOutMoreThanCollected,
                    message: "Số tiền đã chi trả \(MoneyText.dong(paidOut)) lớn hơn số tiền đã thu "
                        + "\(MoneyText.dong(collected))."))
        }
        if snapshot.status == .completed && owed > collected {
            findings.append(
                QualityFinding(
                    rule: .completedWithOutstanding,
                    message: "Hồ sơ đã thi hành xong nhưng còn \(MoneyText.dong(owed - collected)) chưa thu (phải "
                        + "thi hành \(MoneyText.dong(owed)), đã thu \(MoneyText.dong(collected)))."))
        }
        return findings
    }

    // MARK: Helpers

    /// The case's enforcement decision: the earliest one when several were entered.
    static func firstEnforcement(_ snapshot: CaseSnapshot) -> CaseSnapshot.Decision? {
        snapshot.decisions.filter { $0.kind == .enforcement }.min { $0.decidedOn < $1.decidedOn }
    }

    /// "số 12/2026/DS-ST", or "(chưa có số)" when the number is blank.
    private static func numberText(_ snapshot: CaseSnapshot) -> String {
        let number = snapshot.judgment.number.trimmingCharacters(in: .whitespacesAndNewlines)
        return number.isEmpty ? "(chưa có số)" : "số \(number)"
    }
}
