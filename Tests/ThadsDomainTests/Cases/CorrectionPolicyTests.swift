import Testing

@testable import ThadsDomain

/// The expected fields of each record kind in form order, and the substantive ones, written out from the brief.
private let expectedFields: [CaseRecordKind: [String]] = [
    .judgment: [
        "courtCode", "number", "judgmentDate", "kindCode", "effectiveDate", "receivedOn", "provisionalReceivedAt",
    ],
    .caseFile: ["officerID", "startMode", "requestReceivedOn"],
    .party: ["role", "kind", "fullName", "birthDate", "birthYear", "idNumber", "address", "voided"],
    .obligation: ["kindCode", "mode", "amount", "description", "beneficiary", "periodic", "voided"],
    .decision: ["number", "decidedOn", "groundCode", "signer", "notifiedOn", "groundsOn", "notes"],
    .verification: ["verifiedOn", "findings"],
    .money: ["direction", "amount", "occurredOn", "reference", "notes", "payerEmail", "voided"],
]

private let expectedSubstantive: [CaseRecordKind: Set<String>] = [
    .judgment: ["courtCode", "number", "judgmentDate", "kindCode", "effectiveDate"],
    .caseFile: ["startMode"],
    .party: ["role", "kind", "fullName", "birthDate", "birthYear", "idNumber", "voided"],
    .obligation: ["kindCode", "mode", "amount", "beneficiary", "voided"],
    .decision: ["number", "decidedOn"],
    .verification: ["verifiedOn"],
    .money: ["direction", "amount", "occurredOn", "voided"],
]

@Suite("Correction policy")
struct CorrectionPolicyTests {
    @Test("fields of each kind, in form order", arguments: CaseRecordKind.allCases)
    func fields(kind: CaseRecordKind) {
        #expect(CorrectionPolicy.fields(of: kind) == expectedFields[kind])
    }

    @Test("substantive fields are exactly the listed ones", arguments: CaseRecordKind.allCases)
    func substantive(kind: CaseRecordKind) {
        let fields = CorrectionPolicy.fields(of: kind)
        let substantive = Set(fields.filter { CorrectionPolicy.isSubstantive(kind, field: $0) })
        #expect(substantive == expectedSubstantive[kind])
    }

    @Test("every field has a Vietnamese label, distinct within its kind", arguments: CaseRecordKind.allCases)
    func labels(kind: CaseRecordKind) {
        let fields = CorrectionPolicy.fields(of: kind)
        let labels = fields.map { CorrectionPolicy.label(kind, field: $0) }
        for (field, label) in zip(fields, labels) {
            #expect(!label.isEmpty && label != field, "\(kind).\(field)")
            #expect(label.first?.isUppercase == true, "\(kind).\(field)")
        }
        #expect(Set(labels).count == labels.count)
    }

    @Test("labels as the forms show them")
    func specificLabels() {
        let cases: [(CaseRecordKind, String, String)] = [
            (.judgment, "courtCode", "Tòa án"),
            (.judgment, "number", "Số"),
            (.judgment, "judgmentDate", "Ngày bản án, quyết định"),
            (.judgment, "kindCode", "Loại bản án"),
            (.caseFile, "officerID", "Chấp hành viên được phân công"),
            (.party, "fullName", "Họ và tên / Tên tổ chức"),
            (.party, "idNumber", "Số định danh / Mã số thuế"),
            (.obligation, "kindCode", "Loại nghĩa vụ"),
            (.obligation, "description", "Mô tả tài sản, công việc"),
            (.decision, "number", "Số quyết định"),
            (.decision, "notifiedOn", "Ngày giao, thông báo"),
            (.verification, "findings", "Kết quả xác minh"),
            (.money, "occurredOn", "Ngày thu/chi"),
            (.money, "reference", "Số biên lai, chứng từ"),
        ]
        for (kind, field, label) in cases {
            #expect(CorrectionPolicy.label(kind, field: field) == label, "\(kind).\(field)")
        }
    }

    @Test("status-changing and unknown fields: not correctable, substantive, labelled by their key")
    func unknownFields() {
        #expect(!CorrectionPolicy.fields(of: .verification).contains("outcome"))
        for (kind, field) in [(CaseRecordKind.verification, "outcome"), (.party, "nickname")] {
            #expect(CorrectionPolicy.isSubstantive(kind, field: field))
            #expect(CorrectionPolicy.label(kind, field: field) == field)
        }
        // A field of another kind is unknown here.
        #expect(CorrectionPolicy.label(.money, field: "fullName") == "fullName")
        #expect(CorrectionPolicy.isSubstantive(.money, field: "reference") == false)
    }

    @Test("a mistake is voided as a correction of substance; the money row's direction can be corrected (issue 20)")
    func voiding() {
        for kind in CaseRecordKind.allCases {
            #expect(CorrectionPolicy.canVoid(kind) == [.party, .obligation, .money].contains(kind))
            #expect(
                CorrectionPolicy.fields(of: kind).contains(CorrectionPolicy.voidField) == CorrectionPolicy.canVoid(kind)
            )
        }
        #expect(CorrectionPolicy.needsApproval(.money, changedFields: [CorrectionPolicy.voidField]))
        #expect(CorrectionPolicy.needsApproval(.money, changedFields: ["direction"]))
        #expect(CorrectionPolicy.label(.money, field: "direction") == "Thu hay chi")
    }

    @Test("approval: needed when any substantive field changed")
    func needsApproval() {
        #expect(!CorrectionPolicy.needsApproval(.party, changedFields: []))
        #expect(!CorrectionPolicy.needsApproval(.party, changedFields: ["address"]))
        #expect(CorrectionPolicy.needsApproval(.party, changedFields: ["address", "fullName"]))
        #expect(!CorrectionPolicy.needsApproval(.decision, changedFields: ["notes", "signer", "notifiedOn"]))
        #expect(CorrectionPolicy.needsApproval(.decision, changedFields: ["decidedOn"]))
        #expect(!CorrectionPolicy.needsApproval(.caseFile, changedFields: ["officerID", "requestReceivedOn"]))
        #expect(CorrectionPolicy.needsApproval(.caseFile, changedFields: ["startMode"]))
        #expect(CorrectionPolicy.needsApproval(.money, changedFields: ["notes", "direction"]))
        for kind in CaseRecordKind.allCases {
            let fields = CorrectionPolicy.fields(of: kind)
            #expect(
                CorrectionPolicy.needsApproval(kind, changedFields: fields) == !(expectedSubstantive[kind] ?? [])
                    .isEmpty)
        }
    }
}
