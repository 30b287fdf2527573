extension StepMachine {
    /// A local admin's request to create, change, lock, unlock or revoke an account (A4): it waits for a
    /// central admin, who decides within 1 working day; a rejection records the reason; nobody decides
    /// their own request.
    ///
    /// The description is fixed and built in a test, so `try!` cannot fail at run time.
    public static let accountRequest: StepMachine = try! StepMachine(
        name: "account-request",
        initial: "pending",
        steps: [
            Step(
                id: "pending", label: "Chờ phê duyệt", actor: .approveAccountRequests, workingDayLimit: 1,
                outcomes: [
                    Outcome(id: "approve", label: "Phê duyệt", target: "approved", initiatorMayTake: false),
                    Outcome(
                        id: "reject", label: "Từ chối", target: "rejected", needsNote: true, initiatorMayTake: false),
                ]),
            Step(id: "approved", label: "Đã phê duyệt", kind: .final),
            Step(id: "rejected", label: "Đã từ chối", kind: .final),
        ])

    /// A correction to the substance of a case record (B5): it waits for the unit head, who approves it
    /// or rejects it with a reason; nobody decides their own correction. No deadline is set.
    ///
    /// The description is fixed and built in a test, so `try!` cannot fail at run time.
    public static let caseCorrection: StepMachine = try! StepMachine(
        name: "case-correction",
        initial: "pending",
        steps: [
            Step(
                id: "pending", label: "Chờ duyệt", actor: .approveCaseCorrections,
                outcomes: [
                    Outcome(id: "approve", label: "Duyệt", target: "approved", initiatorMayTake: false),
                    Outcome(
                        id: "reject", label: "Từ chối", target: "rejected", needsNote: true, initiatorMayTake: false),
                ]),
            Step(id: "approved", label: "Đã duyệt", kind: .final),
            Step(id: "rejected", label: "Từ chối", kind: .final),
        ])
}
