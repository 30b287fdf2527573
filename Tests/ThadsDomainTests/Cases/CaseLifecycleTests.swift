import Testing

@testable import ThadsDomain

/// The expected transition table, written out independently of `CaseLifecycle`'s own tables.
/// Decisions absent from a status's row are forbidden; closed statuses have empty rows.
private enum Expected {
    static let byDecision: [CaseStatus: [CaseDecisionKind: CaseStatus]] = [
        .accepted: [
            .postponement: .postponed, .suspension: .suspended, .termination: .terminated,
            .returnOfRequest: .requestReturned, .transfer: .transferred, .noConditions: .withoutConditions,
            .completion: .completed,
        ],
        .withConditions: [
            .postponement: .postponed, .suspension: .suspended, .termination: .terminated,
            .returnOfRequest: .requestReturned, .transfer: .transferred, .noConditions: .withoutConditions,
            .completion: .completed,
        ],
        .withoutConditions: [
            .suspension: .suspended, .termination: .terminated, .returnOfRequest: .requestReturned,
            .transfer: .transferred,
        ],
        .postponed: [.suspension: .suspended, .termination: .terminated, .returnOfRequest: .requestReturned],
        .suspended: [.termination: .terminated],
        .terminated: [:],
        .requestReturned: [:],
        .transferred: [:],
        .completed: [:],
    ]

    /// Paused status → the previous running statuses a resumption may return to.
    static let resumption: [CaseStatus: Set<CaseStatus>] = [
        .postponed: [.accepted, .withConditions],
        .suspended: [.accepted, .withConditions, .withoutConditions],
    ]

    static let closed: Set<CaseStatus> = [.terminated, .requestReturned, .transferred, .completed]

    static let byVerification: [CaseStatus: [VerificationOutcome: CaseStatus]] = [
        .accepted: [.meansFound: .withConditions, .noMeans: .accepted],
        .withConditions: [.meansFound: .withConditions, .noMeans: .withConditions],
        .withoutConditions: [.meansFound: .withConditions, .noMeans: .withoutConditions],
    ]
}

@Suite("Case lifecycle")
struct CaseLifecycleTests {
    @Test(
        "every (status, decision) pair against the expected table", arguments: CaseStatus.allCases,
        CaseDecisionKind.allCases)
    func decisionPair(status: CaseStatus, decision: CaseDecisionKind) {
        if decision == .resumption {
            // Every possible previous status, and none.
            let allowed = Expected.resumption[status] ?? []
            for previous in [nil] + CaseStatus.allCases.map(Optional.some) {
                let result = CaseLifecycle.transition(from: status, by: decision, previousActive: previous)
                if let previous, allowed.contains(previous) {
                    #expect(result == .success(previous), "\(status) resumed to \(previous)")
                } else {
                    #expect(throws: TransitionError.self) { try result.get() }
                    #expect(errorKind(result) == expectedResumptionError(status, previous))
                }
            }
            return
        }
        let result = CaseLifecycle.transition(from: status, by: decision)
        // previousActive is ignored by decisions other than resumption.
        #expect(CaseLifecycle.transition(from: status, by: decision, previousActive: .accepted) == result)
        if let target = Expected.byDecision[status]?[decision] {
            #expect(result == .success(target))
        } else if Expected.closed.contains(status) {
            #expect(result == .failure(.caseClosed(status, .decision(decision))))
        } else if decision == .enforcement {
            #expect(result == .failure(.enforcementOpensNewCase(status)))
        } else {
            #expect(result == .failure(.notAllowed(status, .decision(decision))))
        }
    }

    @Test("allowed decisions by status", arguments: CaseStatus.allCases)
    func allowedDecisions(status: CaseStatus) {
        var expected = Set(Expected.byDecision[status]?.keys.map { $0 } ?? [])
        if Expected.resumption[status] != nil { expected.insert(.resumption) }
        let allowed = CaseLifecycle.allowedDecisions(from: status)
        #expect(Set(allowed) == expected)
        #expect(allowed == CaseDecisionKind.allCases.filter(expected.contains), "in allCases order")
        #expect(Set(CaseLifecycle.resumptionTargets(from: status)) == Expected.resumption[status] ?? [])
    }

    @Test("every (status, verification outcome) pair", arguments: CaseStatus.allCases, VerificationOutcome.allCases)
    func verificationPair(status: CaseStatus, outcome: VerificationOutcome) {
        let result = CaseLifecycle.apply(.verification(outcome), to: status)
        if let target = Expected.byVerification[status]?[outcome] {
            #expect(result == .success(target))
        } else if Expected.closed.contains(status) {
            #expect(result == .failure(.caseClosed(status, .verification(outcome))))
        } else {
            #expect(result == .failure(.notAllowed(status, .verification(outcome))))
        }
        #expect(
            CaseLifecycle.allowedVerifications(from: status).contains(outcome)
                == (Expected.byVerification[status]?[outcome] != nil))
    }

    @Test("only the enforcement decision opens a case", arguments: CaseDecisionKind.allCases)
    func start(decision: CaseDecisionKind) {
        let result = CaseLifecycle.start(by: decision)
        if decision == .enforcement {
            #expect(result == .success(.accepted))
        } else {
            #expect(result == .failure(.notAnOpeningDecision(decision)))
        }
    }

    @Test("status flags and labels")
    func statusFlags() {
        for status in CaseStatus.allCases {
            #expect(status.isClosed == Expected.closed.contains(status))
            #expect(status.isPaused == (status == .postponed || status == .suspended))
            #expect(status.isRunning == (!status.isClosed && !status.isPaused))
            #expect(CaseStatus(rawValue: status.rawValue) == status)
        }
        #expect(Set(CaseStatus.allCases.map(\.label)).count == CaseStatus.allCases.count)
        #expect(Set(CaseDecisionKind.allCases.map(\.label)).count == CaseDecisionKind.allCases.count)
        #expect(CaseStatus.withoutConditions.label == "Chưa có điều kiện thi hành")
        #expect(CaseStatus.suspended.label == "Tạm đình chỉ thi hành án")
        #expect(CaseDecisionKind.noConditions.label == "Quyết định về việc chưa có điều kiện thi hành án")
        #expect(CaseLifecycle.initialStatus == .accepted)
    }

    @Test("Vietnamese error messages")
    func messages() {
        #expect(
            TransitionError.caseClosed(.completed, .decision(.postponement)).message
                == "Hồ sơ đã kết thúc (Thi hành xong): không thể áp dụng quyết định hoãn thi hành án.")
        #expect(
            TransitionError.notAllowed(.withoutConditions, .decision(.completion)).message
                == "Không thể áp dụng xác nhận thi hành xong khi hồ sơ đang ở trạng thái chưa có điều kiện thi hành.")
        #expect(
            TransitionError.missingPreviousStatus(.postponed).description
                == "Quyết định tiếp tục thi hành án cần biết trạng thái của hồ sơ trước khi hoãn thi hành án.")
        let all: [TransitionError] = [
            .caseClosed(.transferred, .verification(.meansFound)), .enforcementOpensNewCase(.accepted),
            .notAnOpeningDecision(.completion), .notAllowed(.suspended, .decision(.transfer)),
            .missingPreviousStatus(.suspended), .invalidPreviousStatus(.postponed, previous: .withoutConditions),
        ]
        for error in all {
            #expect(!error.message.isEmpty)
            #expect(error.description == error.message)
        }
    }

    @Test("CaseState remembers the running status across pauses")
    func caseState() throws {
        var state = CaseState()
        #expect(state.status == .accepted)
        state = try state.applying(.verification(.meansFound)).get()
        #expect(state.status == .withConditions)
        state = try state.applying(.postponement).get()
        #expect(state == CaseState(status: .postponed, resumeStatus: .withConditions))
        state = try state.applying(.suspension).get()
        #expect(state == CaseState(status: .suspended, resumeStatus: .withConditions))
        state = try state.applying(.resumption).get()
        #expect(state == CaseState(status: .withConditions))
        #expect(state.resumeStatus == nil)
        state = try state.applying(.noConditions).get()
        #expect(state.status == .withoutConditions)
        #expect(state.applying(.completion) == .failure(.notAllowed(.withoutConditions, .decision(.completion))))
        state = try state.applying(.suspension).get()
        state = try state.applying(.resumption).get()
        #expect(state.status == .withoutConditions)
        state = try state.applying(.verification(.meansFound)).get()
        #expect(state.status == .withConditions)
        state = try state.applying(.completion).get()
        #expect(state.status == .completed)
        #expect(
            state.applying(.verification(.meansFound)) == .failure(.caseClosed(.completed, .verification(.meansFound))))
        // A paused state built without its previous status cannot be resumed.
        #expect(CaseState(status: .postponed).applying(.resumption) == .failure(.missingPreviousStatus(.postponed)))
        // A running state drops a resume status.
        #expect(CaseState(status: .accepted, resumeStatus: .withConditions).resumeStatus == nil)
    }
}

/// The error case of a result, without its payload.
private func errorKind(_ result: Result<CaseStatus, TransitionError>) -> String? {
    guard case .failure(let error) = result else { return nil }
    return switch error {
    case .caseClosed: "caseClosed"
    case .enforcementOpensNewCase: "enforcementOpensNewCase"
    case .notAnOpeningDecision: "notAnOpeningDecision"
    case .notAllowed: "notAllowed"
    case .missingPreviousStatus: "missingPreviousStatus"
    case .invalidPreviousStatus: "invalidPreviousStatus"
    }
}

private func expectedResumptionError(_ status: CaseStatus, _ previous: CaseStatus?) -> String {
    if Expected.closed.contains(status) { return "caseClosed" }
    if Expected.resumption[status] == nil { return "notAllowed" }
    return previous == nil ? "missingPreviousStatus" : "invalidPreviousStatus"
}
