/// Which fields of a case's records may be corrected after entry, and which corrections wait for the unit head.
///
/// A correction of substance (who the parties are, what is owed, the judgment and decision identities and dates)
/// changes what the case is and what the statistics count, so it needs the unit head's approval; a correction of
/// form (an address, a note, a receipt reference) takes effect at once and is only logged. A verification's outcome
/// changed the status and is undone by a new record; a money row's direction (collection ↔ payment) and a party's,
/// an obligation's or a money row's `voidField` are corrections of substance (issue 20). Unknown fields are treated as substantive, so that a field added to a form without updating this
/// table fails safe.
public enum CorrectionPolicy {
    /// The fields of each record kind that may be corrected, in form order.
    public static func fields(of kind: CaseRecordKind) -> [String] {
        table(kind).map(\.key)
    }

    /// Whether changing `field` of `kind` changes the substance of the case and so waits for the unit head's
    /// approval (true for an unknown field).
    public static func isSubstantive(_ kind: CaseRecordKind, field: String) -> Bool {
        entry(kind, field)?.substantive ?? true
    }

    /// Vietnamese label of a field, e.g. ("party","fullName") -> "Họ và tên / Tên tổ chức" (the key when unknown).
    public static func label(_ kind: CaseRecordKind, field: String) -> String {
        entry(kind, field)?.label ?? field
    }

    /// Whether a change made of these fields needs approval (any substantive field changed; none changed: false).
    public static func needsApproval(_ kind: CaseRecordKind, changedFields: [String]) -> Bool {
        changedFields.contains { isSubstantive(kind, field: $0) }
    }

    // MARK: Table

    private struct Field {
        var key: String
        var label: String
        var substantive: Bool
    }

    private static func entry(_ kind: CaseRecordKind, _ field: String) -> Field? {
        table(kind).first { $0.key == field }
    }

    private static func table(_ kind: CaseRecordKind) -> [Field] {
        switch kind {
        case .judgment: judgment
        case .caseFile: caseFile
        case .party: party
        case .obligation: obligation
        case .decision: decision
        case .verification: verification
        case .money: money
        }
    }

    private static let judgment: [Field] = [
        Field(key: "courtCode", label: "Tòa án", substantive: true),
        Field(key: "number", label: "Số", substantive: true),
        Field(key: "judgmentDate", label: "Ngày bản án, quyết định", substantive: true),
        Field(key: "kindCode", label: "Loại bản án", substantive: true),
        Field(key: "effectiveDate", label: "Ngày có hiệu lực", substantive: true),
        Field(key: "receivedOn", label: "Ngày nhận", substantive: false),
        Field(
            key: "provisionalReceivedAt", label: "Giờ nhận quyết định áp dụng biện pháp khẩn cấp tạm thời",
            substantive: false),
    ]

    private static let caseFile: [Field] = [
        Field(key: "officerID", label: "Chấp hành viên được phân công", substantive: false),
        Field(key: "startMode", label: "Hình thức thụ lý", substantive: true),
        Field(key: "requestReceivedOn", label: "Ngày nhận đơn yêu cầu", substantive: false),
    ]

    private static let party: [Field] = [
        Field(key: "role", label: "Tư cách", substantive: true),
        Field(key: "kind", label: "Loại đương sự", substantive: true),
        Field(key: "fullName", label: "Họ và tên / Tên tổ chức", substantive: true),
        Field(key: "birthDate", label: "Ngày sinh", substantive: true),
        Field(key: "birthYear", label: "Năm sinh", substantive: true),
        Field(key: "idNumber", label: "Số định danh / Mã số thuế", substantive: true),
        Field(key: "address", label: "Địa chỉ", substantive: false),
        Field(key: CorrectionPolicy.voidField, label: "Hủy bỏ (nhập nhầm)", substantive: true),
    ]

    private static let obligation: [Field] = [
        Field(key: "kindCode", label: "Loại nghĩa vụ", substantive: true),
        Field(key: "mode", label: "Hình thức", substantive: true),
        Field(key: "amount", label: "Số tiền", substantive: true),
        Field(key: "description", label: "Mô tả tài sản, công việc", substantive: false),
        Field(key: "beneficiary", label: "Nộp cho", substantive: true),
        Field(key: "periodic", label: "Thi hành định kỳ", substantive: false),
        Field(key: CorrectionPolicy.voidField, label: "Hủy bỏ (nhập nhầm)", substantive: true),
    ]

    private static let decision: [Field] = [
        Field(key: "number", label: "Số quyết định", substantive: true),
        Field(key: "decidedOn", label: "Ngày ra quyết định", substantive: true),
        Field(key: "groundCode", label: "Căn cứ", substantive: false),
        Field(key: "signer", label: "Người ký", substantive: false),
        Field(key: "notifiedOn", label: "Ngày giao, thông báo", substantive: false),
        Field(key: "groundsOn", label: "Ngày phát sinh căn cứ", substantive: false),
        Field(key: "notes", label: "Ghi chú", substantive: false),
    ]

    private static let verification: [Field] = [
        Field(key: "verifiedOn", label: "Ngày xác minh", substantive: true),
        Field(key: "findings", label: "Kết quả xác minh", substantive: false),
    ]

    private static let money: [Field] = [
        Field(key: "direction", label: "Thu hay chi", substantive: true),
        Field(key: "amount", label: "Số tiền", substantive: true),
        Field(key: "occurredOn", label: "Ngày thu/chi", substantive: true),
        Field(key: "reference", label: "Số biên lai, chứng từ", substantive: false),
        Field(key: "notes", label: "Ghi chú", substantive: false),
        Field(key: "payerEmail", label: "Email người nộp", substantive: false),
        Field(key: CorrectionPolicy.voidField, label: "Hủy bỏ (nhập nhầm)", substantive: true),
    ]

    /// The field that voids a party, an obligation or a money row entered by mistake: its value is the note shown
    /// beside the struck-through row ("why — who, when"); empty means in force. Nothing is deleted, and a void is
    /// of substance, so the head approves it like any change of substance.
    public static let voidField = "voided"

    /// The record kinds a mistake can be voided on.
    public static func canVoid(_ kind: CaseRecordKind) -> Bool {
        kind == .party || kind == .obligation || kind == .money
    }
}
