import Foundation
import Testing
import ThadsDomain

/// The three processes of seed 001 written out by hand, step by step: who acts (as roles of the permission
/// matrix) and where each outcome leads. Every (step, outcome, role) triple is checked against the machine.
private enum Expected {
    static let handler: Set<Role> = [.onlineSupportOfficer]
    static let processor: Set<Role> = [.verifier, .enforcementOfficer]
    static let leader: Set<Role> = [.head]

    struct Row {
        let step: String
        let roles: Set<Role>
        /// outcome → target
        let outcomes: [String: String]
        let limit: Int?
        let paused: Bool

        init(_ step: String, _ roles: Set<Role>, _ outcomes: [String: String], limit: Int? = 1, paused: Bool = false) {
            self.step = step
            self.roles = roles
            self.outcomes = outcomes
            self.limit = limit
            self.paused = paused
        }
    }

    static let enforcement: [Row] = [
        Row("receive", handler, ["receive": "check"]),
        Row(
            "check", handler,
            ["complete": "appointment", "incomplete": "awaiting-submitter", "refuse": "refused"]),
        Row("awaiting-submitter", handler, ["supplemented": "check"], limit: nil, paused: true),
        Row("appointment", handler, ["matched": "processing", "incomplete": "awaiting-at-appointment"]),
        Row("awaiting-at-appointment", handler, ["supplemented": "appointment"], limit: nil, paused: true),
        Row("processing", processor, ["draft": "approval"]),
        Row("approval", leader, ["approve": "completed", "rework": "processing"]),
    ]

    static let petition: [Row] = [
        Row("receive", handler, ["classify": "assign"]),
        Row("assign", leader, ["assign": "handling"]),
        Row("handling", processor, ["propose-answer": "approval", "propose-transfer": "approval", "file": "filed"]),
        Row("approval", leader, ["approve": "notify", "rework": "handling"], limit: nil),
        Row("notify", handler, ["appointment": "completed", "inform": "completed"]),
    ]

    static let confirmation: [Row] = [
        Row("receive", handler, ["receive": "check"]),
        Row(
            "check", handler,
            ["complete": "verification", "incomplete": "awaiting-submitter", "refuse": "refused"]),
        Row("awaiting-submitter", handler, ["supplemented": "check"], limit: nil, paused: true),
        Row("verification", processor, ["draft": "appointment"]),
        Row("appointment", handler, ["matched": "approval", "incomplete": "awaiting-at-appointment"]),
        Row("awaiting-at-appointment", handler, ["supplemented": "appointment"], limit: nil, paused: true),
        Row("approval", leader, ["approve": "completed", "rework": "verification"]),
    ]

    static let finals: [OnlineProcedure: Set<String>] = [
        .enforcementRequest: ["completed", "refused"], .petition: ["completed", "filed"],
        .resultConfirmation: ["completed", "refused"],
    ]

    static func rows(_ procedure: OnlineProcedure) -> [Row] {
        switch procedure {
        case .enforcementRequest: enforcement
        case .petition: petition
        case .resultConfirmation: confirmation
        }
    }
}

@Suite struct OnlineSupportFlowsTests {
    static func actor(_ role: Role) -> StepActor {
        StepActor(id: UUID(), permissions: PermissionMatrix.permissions(for: .internalUser, roles: [role]))
    }

    @Test(arguments: OnlineProcedure.allCases)
    func stepsAreTheSeedsTable(_ procedure: OnlineProcedure) {
        let machine = procedure.machine
        let rows = Expected.rows(procedure)
        let nonFinal = machine.steps.filter { !$0.isFinal }.map(\.id)
        #expect(Set(nonFinal) == Set(rows.map(\.step)))
        #expect(Set(machine.steps.filter(\.isFinal).map(\.id)) == Expected.finals[procedure])
        #expect(machine.initial == "receive")
        for row in rows {
            let step = machine.step(row.step)!
            #expect(step.workingDayLimit == row.limit, "\(procedure) \(row.step)")
            #expect((step.kind == .paused) == row.paused, "\(procedure) \(row.step)")
            #expect(Dictionary(uniqueKeysWithValues: step.outcomes.map { ($0.id, $0.target) }) == row.outcomes)
        }
        // Five numbered steps, each named in its label.
        let numbered = machine.steps.filter { $0.label.hasPrefix("Bước ") }
        #expect(numbered.count == 5)
    }

    /// Every outcome at every step, by every role: allowed exactly to the roles the table names.
    @Test(arguments: OnlineProcedure.allCases)
    func everyTransitionPerRole(_ procedure: OnlineProcedure) {
        let machine = procedure.machine
        for row in Expected.rows(procedure) {
            for role in Role.allCases {
                let actor = Self.actor(role)
                for (outcome, target) in row.outcomes {
                    let result = machine.decide(
                        outcome, at: row.step, by: actor, initiatorID: nil, note: "Ghi chú của công chức")
                    if row.roles.contains(role) {
                        #expect(result == .success(target), "\(procedure) \(row.step) \(outcome) \(role)")
                    } else {
                        #expect(
                            result == .failure(.missingPermission(machine.step(row.step)!.actor!)),
                            "\(procedure) \(row.step) \(outcome) \(role)")
                    }
                }
                // An outcome of another step is refused to everyone.
                #expect(
                    machine.decide("no-such", at: row.step, by: actor, initiatorID: nil, note: "x")
                        == .failure(.outcomeNotAllowed(outcome: "no-such", stepLabel: machine.step(row.step)!.label)))
            }
            // The system (the submitter's supplement, jobs) may take any outcome.
            for (outcome, target) in row.outcomes {
                #expect(
                    machine.decide(outcome, at: row.step, by: .system, initiatorID: nil, note: "x") == .success(target))
            }
        }
        for final in Expected.finals[procedure]! {
            #expect(
                machine.decide("approve", at: final, by: Self.actor(.head), initiatorID: nil, note: "x")
                    == .failure(.alreadyFinished(final)))
        }
    }

    @Test func refusalsAndGuidanceNeedAReason() {
        let officer = Self.actor(.onlineSupportOfficer)
        for outcome in ["refuse", "incomplete", "complete"] {
            let result = StepMachine.onlineEnforcementRequest.decide(
                outcome, at: "check", by: officer, initiatorID: nil, note: "  ")
            guard case .failure(.noteRequired) = result else {
                Issue.record("\(outcome) without a note: \(result)")
                continue
            }
        }
        #expect(
            StepMachine.onlineEnforcementRequest.decide(
                "receive", at: "receive", by: officer, initiatorID: nil, note: nil)
                == .success("check"))
    }

    @Test func noticesPerOutcome() {
        #expect(OnlineNoticeKind.forOutcome("incomplete", of: .enforcementRequest) == .guidance)
        #expect(OnlineNoticeKind.forOutcome("refuse", of: .resultConfirmation) == .refusal)
        #expect(OnlineNoticeKind.forOutcome("complete", of: .enforcementRequest) == .appointment)
        #expect(OnlineNoticeKind.forOutcome("approve", of: .enforcementRequest) == .result)
        #expect(OnlineNoticeKind.forOutcome("approve", of: .petition) == nil)
        #expect(OnlineNoticeKind.forOutcome("inform", of: .petition) == .result)
        #expect(OnlineNoticeKind.forOutcome("draft", of: .enforcementRequest) == nil)
    }

    @Test func trackingCodes() {
        #expect(
            OnlineProcedure.enforcementRequest.trackingCode(provinceCode: "79", year: 2027, number: 12)
                == "YC-79-2027-000012")
        #expect(
            OnlineProcedure.petition.trackingCode(provinceCode: "01", year: 2026, number: 1_234_567)
                == "KN-01-2026-1234567")
        for procedure in OnlineProcedure.allCases {
            #expect(OnlineProcedure(machineName: procedure.machine.name) == procedure)
        }
    }
}
