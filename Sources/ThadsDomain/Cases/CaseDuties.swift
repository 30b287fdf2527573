import Foundation

/// The steps of a case that have a legal deadline and are still to be done (DOMAIN.md, "A case and its lifecycle").
public enum DutyKind: String, Sendable, Codable, CaseIterable {
    /// Deliver or notify the enforcement decision to the parties (3 working days from its issue).
    case notifyEnforcementDecision
    /// The debtor's voluntary payment period ends (10 days from notification).
    case voluntaryPeriodEnds
    /// Verify the debtor's means (10 days after the voluntary period).
    case verifyMeans
    /// Pay out money collected (10 days from its collection).
    case payOut

    /// Vietnamese label.
    public var label: String {
        switch self {
        case .notifyEnforcementDecision: "Giao, thông báo quyết định thi hành án"
        case .voluntaryPeriodEnds: "Hết thời hạn tự nguyện thi hành án"
        case .verifyMeans: "Xác minh điều kiện thi hành án"
        case .payOut: "Chi trả tiền thi hành án"
        }
    }
}

/// One open duty of a case and its last day.
public struct CaseDuty: Sendable, Hashable {
    public var kind: DutyKind
    public var due: LocalDate
    /// Vietnamese detail, e.g. which decision or how much money.
    public var detail: String

    public init(kind: DutyKind, due: LocalDate, detail: String) {
        self.kind = kind
        self.due = due
        self.detail = detail
    }
}

/// The open duties of a case, computed from its records with `CaseDeadlines` (so the working calendar and the legal
/// parameters in force apply), for the officer's to-do list and the overdue reports.
public enum CaseDuties {
    /// The open duties of a case with their due dates (closed cases have none), earliest first (equal dates in
    /// `DutyKind.allCases` order).
    ///
    /// - Notify: while the first enforcement decision has no notification date.
    /// - Voluntary period and verification: once notified, while the case is `accepted` and has no verification.
    /// - Pay out: while money collected exceeds money paid out, due 10 days from the earliest collection not yet
    ///   fully paid out (collections are paid out first in, first out).
    /// - A postponed or suspended case keeps only the payout duty: money already collected is still owed onwards.
    public static func duties(for snapshot: CaseSnapshot, deadlines: CaseDeadlines) -> [CaseDuty] {
        if snapshot.status.isClosed { return [] }
        var duties: [CaseDuty] = []
        if !snapshot.status.isPaused, let enforcement = CaseQuality.firstEnforcement(snapshot) {
            if let notified = enforcement.notifiedOn {
                if snapshot.status == .accepted && snapshot.verifications.isEmpty {
                    let voluntaryEnd = deadlines.voluntaryPeriodEnd(notified: notified)
                    duties.append(
                        CaseDuty(
                            kind: .voluntaryPeriodEnds, due: voluntaryEnd,
                            detail: "Thời hạn tự nguyện thi hành án kể từ ngày thông báo \(notified.display) kết "
                                + "thúc ngày \(voluntaryEnd.display)."))
                    let verificationDue = deadlines.verificationDue(voluntaryPeriodEnd: voluntaryEnd)
                    duties.append(
                        CaseDuty(
                            kind: .verifyMeans, due: verificationDue,
                            detail: "Xác minh điều kiện thi hành án của người phải thi hành án chậm nhất ngày "
                                + "\(verificationDue.display)."))
                }
            } else {
                let due = deadlines.documentNotificationDue(issued: enforcement.decidedOn)
                duties.append(
                    CaseDuty(
                        kind: .notifyEnforcementDecision, due: due,
                        detail: "Giao, thông báo \(enforcement.kind.label.lowercasedFirstLetter) ngày "
                            + "\(enforcement.decidedOn.display) cho đương sự."))
            }
        }
        if let payOut = payOutDuty(snapshot, deadlines: deadlines) { duties.append(payOut) }
        let order = Dictionary(uniqueKeysWithValues: DutyKind.allCases.enumerated().map { ($1, $0) })
        return duties.sorted { ($0.due, order[$0.kind] ?? 0) < ($1.due, order[$1.kind] ?? 0) }
    }

    /// The last day to issue the enforcement decision, each from its own start: the day of the 24-hour instant
    /// for a provisional-measures decision (`enforcementDecisionDueAt`), else 5 working days from requestReceivedOn
    /// when onRequest or from the judgment's receivedOn ex officio (Art. 36.1; its effective date only starts the
    /// court's 30 days to send it). Nil when that start is missing or startMode is transferredIn, whose decision
    /// follows the transfer rather than the judgment.
    public static func enforcementDecisionDue(for snapshot: CaseSnapshot, deadlines: CaseDeadlines) -> LocalDate? {
        if let dueAt = enforcementDecisionDueAt(for: snapshot, deadlines: deadlines) {
            return LocalDate(date: dueAt, in: .vietnam)
        }
        let start: LocalDate?
        switch snapshot.startMode {
        case .onRequest: start = snapshot.requestReceivedOn
        case .exOfficio: start = snapshot.judgment.receivedOn
        case .transferredIn: start = nil
        }
        return start.map { deadlines.enforcementDecisionDue(from: $0) }
    }

    /// The instant the enforcement decision on a provisional-measures decision is due (24 hours from its receipt);
    /// nil for every other judgment and for transfers in.
    public static func enforcementDecisionDueAt(for snapshot: CaseSnapshot, deadlines: CaseDeadlines) -> Date? {
        guard snapshot.startMode != .transferredIn, let received = snapshot.judgment.provisionalReceivedAt else {
            return nil
        }
        return deadlines.provisionalMeasureDecisionDue(received: received)
    }

    /// True when the enforcement decision was issued after `enforcementDecisionDue` (false when either is unknown;
    /// issued on the last day is in time — a decision carries a date, not an hour, so one issued on the day a
    /// 24-hour deadline ends is taken as in time).
    public static func enforcementDecisionLate(for snapshot: CaseSnapshot, deadlines: CaseDeadlines) -> Bool {
        guard let due = enforcementDecisionDue(for: snapshot, deadlines: deadlines),
            let enforcement = CaseQuality.firstEnforcement(snapshot)
        else { return false }
        return enforcement.decidedOn > due
    }

    /// A postponement, suspension, termination, return or transfer decision with its deadline from its grounds.
    public struct DecisionDeadline: Sendable, Hashable {
        public var decision: CaseSnapshot.Decision
        public var due: LocalDate
        public var late: Bool
    }

    /// The decisions whose grounds date is recorded, with their last day (5 working days from the grounds) and
    /// whether they were issued after it. These are recorded when issued, so they are never open duties.
    public static func stateDecisionDeadlines(for snapshot: CaseSnapshot, deadlines: CaseDeadlines)
        -> [DecisionDeadline]
    {
        snapshot.decisions.compactMap { decision in
            guard decision.kind.runsFromGrounds, let grounds = decision.groundsOn else { return nil }
            let due = deadlines.stateDecisionDue(grounds: grounds)
            return DecisionDeadline(decision: decision, due: due, late: decision.decidedOn > due)
        }
    }

    /// "16:00 ngày 06/02/2027", in Asia/Ho_Chi_Minh.
    public static func instantText(_ instant: Date) -> String {
        let day = LocalDate(date: instant, in: .vietnam)
        let seconds = Int(instant.timeIntervalSince(day.startOfDay(in: .vietnam)))
        let hour = seconds / 3600
        let minute = seconds % 3600 / 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute) ngày \(day.display)"
    }

    // MARK: Payout

    /// The payout duty: walk the collections oldest first, covering each with what was paid out; the first one not
    /// fully covered sets the due date.
    private static func payOutDuty(_ snapshot: CaseSnapshot, deadlines: CaseDeadlines) -> CaseDuty? {
        let collections = snapshot.money.enumerated()
            .filter { $0.element.direction == .collected }
            .sorted { ($0.element.occurredOn, $0.offset) < ($1.element.occurredOn, $1.offset) }
            .map(\.element)
        var paid = snapshot.amountPaidOut
        for collection in collections {
            if paid >= collection.amount {
                paid -= collection.amount
                continue
            }
            let outstanding = snapshot.amountCollected - snapshot.amountPaidOut
            let due = deadlines.payoutDue(collected: collection.occurredOn)
            return CaseDuty(
                kind: .payOut, due: due,
                detail: "Chi trả \(MoneyText.dong(outstanding)) đã thu chưa chi trả (khoản thu sớm nhất chưa chi "
                    + "trả hết: ngày \(collection.occurredOn.display)).")
        }
        return nil
    }
}

extension CaseDecisionKind {
    /// True for the decisions due within 5 working days of their grounds (DOMAIN.md, "Other states").
    public var runsFromGrounds: Bool {
        switch self {
        case .postponement, .suspension, .termination, .returnOfRequest, .transfer: true
        case .enforcement, .resumption, .noConditions, .completion: false
        }
    }
}

extension String {
    /// The string with its first character lowercased ("Quyết định…" → "quyết định…").
    fileprivate var lowercasedFirstLetter: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
