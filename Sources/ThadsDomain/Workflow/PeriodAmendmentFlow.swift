extension StepMachine {
    /// A request to change a record dated in a locked reporting period (B7): the unit head confirms the
    /// explanation, then the central department approves it; either may refuse with a reason. Nobody decides their
    /// own request. Each step has 1 working day, as the account requests do.
    ///
    /// The description is fixed and built in a test, so `try!` cannot fail at run time.
    public static let periodAmendment: StepMachine = try! StepMachine(
        name: "period-amendment",
        initial: "awaitingHead",
        steps: [
            Step(
                id: "awaitingHead", label: "Chờ thủ trưởng xác nhận", actor: .confirmPeriodAmendments,
                workingDayLimit: 1,
                outcomes: [
                    Outcome(id: "confirm", label: "Xác nhận", target: "awaitingCentral", initiatorMayTake: false),
                    Outcome(
                        id: "reject", label: "Từ chối", target: "rejected", needsNote: true, initiatorMayTake: false),
                ]),
            Step(
                id: "awaitingCentral", label: "Chờ Cục phê duyệt", actor: .approvePeriodAmendments,
                workingDayLimit: 1,
                outcomes: [
                    Outcome(id: "approve", label: "Phê duyệt", target: "approved", initiatorMayTake: false),
                    Outcome(
                        id: "reject", label: "Từ chối", target: "rejected", needsNote: true, initiatorMayTake: false),
                ]),
            Step(id: "approved", label: "Đã phê duyệt", kind: .final),
            Step(id: "rejected", label: "Đã từ chối", kind: .final),
        ])
}
