extension StepMachine {
    /// A receipt series registered by a unit's accountant (I1): a central admin approves it before its first
    /// receipt, or rejects it with a reason; nobody approves their own series.
    ///
    /// The description is fixed and built in a test, so `try!` cannot fail at run time.
    public static let receiptSeries: StepMachine = try! StepMachine(
        name: "receipt-series",
        initial: "pending",
        steps: [
            Step(
                id: "pending", label: "Chờ phê duyệt", actor: .approveReceiptSeries, workingDayLimit: 2,
                outcomes: [
                    Outcome(id: "approve", label: "Phê duyệt", target: "approved", initiatorMayTake: false),
                    Outcome(
                        id: "reject", label: "Từ chối", target: "rejected", needsNote: true, initiatorMayTake: false),
                ]),
            Step(id: "approved", label: "Đã phê duyệt", kind: .final),
            Step(id: "rejected", label: "Đã từ chối", kind: .final),
        ])
}
