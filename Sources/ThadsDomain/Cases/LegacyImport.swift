/// The template of the legacy case import (B9): one row is one case with its judgment, its enforcement decision,
/// one debtor, an optional creditor, one obligation and optional money totals. Column keys are English and stable
/// (files are made by scripts from old systems); each also answers to its Vietnamese title, so a sheet typed by
/// hand with the titles of `docs/import.md` reads the same.
public enum LegacyImportColumn: String, Sendable, CaseIterable, Hashable {
    case unitCode = "unit_code"
    case legacyCode = "legacy_code"
    case startMode = "start_mode"
    case requestReceivedOn = "request_received_on"
    case courtCode = "court_code"
    case judgmentNumber = "judgment_number"
    case judgmentDate = "judgment_date"
    case effectiveDate = "effective_date"
    case judgmentKind = "judgment_kind"
    case decisionNumber = "decision_number"
    case decisionDate = "decision_date"
    case decisionGround = "decision_ground"
    case decisionSigner = "decision_signer"
    case status
    case resumeStatus = "resume_status"
    case closedOn = "closed_on"
    case debtorKind = "debtor_kind"
    case debtorName = "debtor_name"
    case debtorBirthYear = "debtor_birth_year"
    case debtorIDNumber = "debtor_id_number"
    case debtorAddress = "debtor_address"
    case creditorKind = "creditor_kind"
    case creditorName = "creditor_name"
    case creditorAddress = "creditor_address"
    case obligationKind = "obligation_kind"
    case obligationMode = "obligation_mode"
    case obligationAmount = "obligation_amount"
    case obligationDescription = "obligation_description"
    case obligationBeneficiary = "obligation_beneficiary"
    case collected
    case paidOut = "paid_out"
    case moneyAsOf = "money_as_of"

    /// Vietnamese title, as the report and `docs/import.md` show it.
    public var label: String {
        switch self {
        case .unitCode: "Mã đơn vị thụ lý"
        case .legacyCode: "Mã hồ sơ trong hệ thống cũ"
        case .startMode: "Hình thức thụ lý"
        case .requestReceivedOn: "Ngày nhận đơn yêu cầu"
        case .courtCode: "Mã tòa án"
        case .judgmentNumber: "Số bản án, quyết định"
        case .judgmentDate: "Ngày bản án, quyết định"
        case .effectiveDate: "Ngày có hiệu lực"
        case .judgmentKind: "Loại bản án"
        case .decisionNumber: "Số quyết định thi hành án"
        case .decisionDate: "Ngày ra quyết định thi hành án"
        case .decisionGround: "Căn cứ ra quyết định"
        case .decisionSigner: "Người ký quyết định"
        case .status: "Trạng thái"
        case .resumeStatus: "Trạng thái trước khi hoãn, tạm đình chỉ"
        case .closedOn: "Ngày kết thúc"
        case .debtorKind: "Loại người phải thi hành án"
        case .debtorName: "Tên người phải thi hành án"
        case .debtorBirthYear: "Năm sinh người phải thi hành án"
        case .debtorIDNumber: "Số định danh, mã số thuế người phải thi hành án"
        case .debtorAddress: "Địa chỉ người phải thi hành án"
        case .creditorKind: "Loại người được thi hành án"
        case .creditorName: "Tên người được thi hành án"
        case .creditorAddress: "Địa chỉ người được thi hành án"
        case .obligationKind: "Loại nghĩa vụ"
        case .obligationMode: "Hình thức nghĩa vụ"
        case .obligationAmount: "Số tiền phải thi hành"
        case .obligationDescription: "Mô tả tài sản, công việc"
        case .obligationBeneficiary: "Nộp cho"
        case .collected: "Tổng số tiền đã thu"
        case .paidOut: "Tổng số tiền đã chi trả"
        case .moneyAsOf: "Số liệu thu, chi tính đến ngày"
        }
    }

    /// Whether the header must have this column; the others may be left out when a file never uses them.
    public var isRequired: Bool {
        switch self {
        case .unitCode, .startMode, .courtCode, .judgmentNumber, .judgmentDate, .judgmentKind, .decisionNumber,
            .decisionDate, .decisionGround, .decisionSigner, .status, .debtorKind, .debtorName, .obligationKind,
            .obligationMode, .obligationBeneficiary:
            true
        default: false
        }
    }

    /// The column a header cell names: its key or its Vietnamese title, in any case, with or without marks,
    /// "_" or "-" or spaces between words.
    public static func named(_ header: String) -> LegacyImportColumn? {
        let wanted = LegacyImportChoice.normalized(header)
        return byName[wanted]
    }

    private static let byName: [String: LegacyImportColumn] = {
        var names: [String: LegacyImportColumn] = [:]
        for column in allCases {
            names[LegacyImportChoice.normalized(column.rawValue)] = column
            names[LegacyImportChoice.normalized(column.label)] = column
        }
        return names
    }()
}

/// The coded values of the template: each answers to its stored raw value, its Vietnamese label and the short
/// forms `docs/import.md` lists, compared without case, marks or separators ("Chủ động" = "chu-dong").
public enum LegacyImportChoice {
    /// Lower case, no marks, words joined by "-": the form names and codes are compared in.
    public static func normalized(_ text: String) -> String {
        let spaced = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "_" || $0 == "-" ? " " : $0 }))
        return String(VietnameseText.fold(spaced).map { $0 == " " ? "-" : $0 })
    }

    // The value as typed is looked up first: files made by scripts use the short forms exactly.
    public static func startMode(_ text: String) -> CaseStartMode? { startModes[text] ?? startModes[normalized(text)] }
    public static func status(_ text: String) -> CaseStatus? { statuses[text] ?? statuses[normalized(text)] }
    public static func partyKind(_ text: String) -> PartyKind? { partyKinds[text] ?? partyKinds[normalized(text)] }
    public static func obligationMode(_ text: String) -> ObligationMode? {
        obligationModes[text] ?? obligationModes[normalized(text)]
    }
    public static func beneficiary(_ text: String) -> Beneficiary? {
        beneficiaries[text] ?? beneficiaries[normalized(text)]
    }

    // Built once: a row is read tens of thousands of times a second.
    private static let startModes = table(
        [.exOfficio: ["chu-dong"], .onRequest: ["theo-don"], .transferredIn: ["nhan-uy-thac"]]
            as [CaseStartMode: [String]],
        label: \.label)
    private static let statuses = table(
        [
            .accepted: ["thu-ly"], .withConditions: ["co-dieu-kien"], .withoutConditions: ["chua-co-dieu-kien"],
            .postponed: ["hoan"], .suspended: ["tam-dinh-chi"], .terminated: ["dinh-chi"],
            .requestReturned: ["tra-don"], .transferred: ["uy-thac"], .completed: ["xong"],
        ] as [CaseStatus: [String]], label: \.label)
    private static let partyKinds = table(
        [.person: ["ca-nhan"], .organisation: ["to-chuc", "co-quan"]] as [PartyKind: [String]], label: \.label)
    private static let obligationModes = table(
        [.money: ["tra-tien"], .asset: ["giao-tai-san", "tai-san"], .act: ["cong-viec"]] as [ObligationMode: [String]],
        label: \.label)
    private static let beneficiaries = table(
        [.person: ["nguoi-duoc-thi-hanh"], .stateBudget: ["ngan-sach"]] as [Beneficiary: [String]], label: \.label)

    private static func table<Value: CaseIterable & RawRepresentable & Hashable>(
        _ aliases: [Value: [String]], label: (Value) -> String
    ) -> [String: Value] where Value.RawValue == String {
        var names: [String: Value] = [:]
        for value in Value.allCases {
            for name in [value.rawValue, label(value)] + (aliases[value] ?? []) { names[normalized(name)] = value }
        }
        return names
    }
}
