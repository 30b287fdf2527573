import Foundation
import Testing
import ThadsDomain

/// The period amendment flow (B7), written out by hand: the head confirms, then the central department approves;
/// each step needs its own permission, a refusal needs a note, nobody decides their own request.
@Suite("Period amendment flow")
struct PeriodAmendmentFlowTests {
    private typealias Fixtures = WorkflowFixtures
    private let machine = StepMachine.periodAmendment

    /// (state, outcome, permission held) → expected result with a note.
    private static let table: [(String, String, Permission, Result<String, WorkflowError>)] = [
        ("awaitingHead", "confirm", .confirmPeriodAmendments, .success("awaitingCentral")),
        ("awaitingHead", "reject", .confirmPeriodAmendments, .success("rejected")),
        ("awaitingHead", "confirm", .approvePeriodAmendments, .failure(.missingPermission(.confirmPeriodAmendments))),
        (
            "awaitingHead", "approve", .confirmPeriodAmendments,
            .failure(.outcomeNotAllowed(outcome: "approve", stepLabel: "Chờ thủ trưởng xác nhận"))
        ),
        ("awaitingCentral", "approve", .approvePeriodAmendments, .success("approved")),
        ("awaitingCentral", "reject", .approvePeriodAmendments, .success("rejected")),
        (
            "awaitingCentral", "approve", .confirmPeriodAmendments,
            .failure(.missingPermission(.approvePeriodAmendments))
        ),
        (
            "awaitingCentral", "confirm", .approvePeriodAmendments,
            .failure(.outcomeNotAllowed(outcome: "confirm", stepLabel: "Chờ Cục phê duyệt"))
        ),
        ("approved", "approve", .approvePeriodAmendments, .failure(.alreadyFinished("approved"))),
        ("rejected", "confirm", .confirmPeriodAmendments, .failure(.alreadyFinished("rejected"))),
    ]

    @Test("each step against the table, by a holder of exactly one permission")
    func decisions() {
        for (state, outcome, permission, expected) in Self.table {
            let actor = StepActor(id: Fixtures.holderID, permissions: [permission, .viewCases])
            let result = machine.decide(outcome, at: state, by: actor, initiatorID: Fixtures.initiatorID, note: "Lý do")
            #expect(result == expected, "\(state) \(outcome) with \(permission)")
        }
    }

    @Test("a refusal needs a note; the requester decides nothing, even holding both permissions")
    func noteAndInitiator() {
        let head = StepActor(id: Fixtures.holderID, permissions: [.confirmPeriodAmendments])
        #expect(
            machine.decide("reject", at: "awaitingHead", by: head, initiatorID: Fixtures.initiatorID, note: "  ")
                == .failure(.noteRequired(outcomeLabel: "Từ chối")))
        let requester = StepActor(
            id: Fixtures.initiatorID, permissions: [.confirmPeriodAmendments, .approvePeriodAmendments])
        for state in ["awaitingHead", "awaitingCentral"] {
            #expect(machine.outcomes(at: state, for: requester, initiatorID: Fixtures.initiatorID).isEmpty)
        }
    }

    @Test("each step has 1 working day: a request made on a Friday is due on the Monday; final steps have none")
    func dueDates() {
        let calendar = WorkingCalendar()
        let friday = Fixtures.instant("2026-12-04T10:00:00+07:00")
        #expect(machine.dueDate(of: "awaitingHead", enteredAt: friday, calendar: calendar) == Fixtures.day(2026, 12, 7))
        #expect(machine.dueDate(of: "approved", enteredAt: friday, calendar: calendar) == nil)
    }
}
