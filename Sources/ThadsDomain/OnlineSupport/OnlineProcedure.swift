import Foundation

/// The three procedures of the online support portal (seed 001, "Quy trình" §1–3; C1).
public enum OnlineProcedure: String, Sendable, Codable, CaseIterable, Hashable {
    /// §1: a request for enforcement (Art. 31 of the Law on Civil Judgment Enforcement).
    case enforcementRequest = "yeu-cau-thi-hanh-an"
    /// §2: a petition or report (kiến nghị, phản ánh).
    case petition = "kien-nghi-phan-anh"
    /// §3: a request to confirm the results of enforcement.
    case resultConfirmation = "xac-nhan-ket-qua"

    public var label: String {
        switch self {
        case .enforcementRequest: "Yêu cầu thi hành án"
        case .petition: "Kiến nghị, phản ánh về thi hành án dân sự"
        case .resultConfirmation: "Xác nhận kết quả thi hành án"
        }
    }

    /// The letters that open its tracking codes, e.g. "YC-79-2027-000012".
    public var codePrefix: String {
        switch self {
        case .enforcementRequest: "YC"
        case .petition: "KN"
        case .resultConfirmation: "XN"
        }
    }

    public var machine: StepMachine {
        switch self {
        case .enforcementRequest: .onlineEnforcementRequest
        case .petition: .onlinePetition
        case .resultConfirmation: .onlineResultConfirmation
        }
    }

    /// The procedure a machine name belongs to.
    public init?(machineName: String) {
        guard let found = Self.allCases.first(where: { $0.machine.name == machineName }) else { return nil }
        self = found
    }

    /// The whole request is handled within 5 working days (seed 001: "Tổng thời gian … 05 ngày làm việc").
    public static let totalWorkingDays = 5

    /// Tracking code: procedure, province code, year, a number from the per-province yearly sequence.
    public func trackingCode(provinceCode: String, year: Int, number: Int) -> String {
        let digits = String(number)
        return "\(codePrefix)-\(provinceCode)-\(year)-" + String(repeating: "0", count: max(0, 6 - digits.count))
            + digits
    }
}

/// How a petition is classified when it is received (C3; seed 001 §2, Bước 1).
public enum PetitionContentKind: String, Sendable, CaseIterable, Hashable {
    case request = "de-nghi"
    case petition = "kien-nghi"
    case report = "phan-anh"

    public var label: String {
        switch self {
        case .request: "Đề nghị"
        case .petition: "Kiến nghị"
        case .report: "Phản ánh"
        }
    }
}

public enum PetitionCompetence: String, Sendable, CaseIterable, Hashable {
    /// Within the enforcement body's competence.
    case own = "thuoc-tham-quyen"
    /// Another agency is competent: transferred with a notice.
    case otherAgency = "co-quan-khac"

    public var label: String {
        switch self {
        case .own: "Thuộc thẩm quyền"
        case .otherAgency: "Thuộc thẩm quyền cơ quan khác"
        }
    }
}

public enum PetitionCondition: String, Sendable, CaseIterable, Hashable {
    case eligible = "du-dieu-kien"
    /// Repeated after an answer, or also sent to the competent body: filed without handling.
    case repeated = "trung-lap"
    case ineligible = "khong-du-dieu-kien"

    public var label: String {
        switch self {
        case .eligible: "Đủ điều kiện xử lý"
        case .repeated: "Đơn trùng nội dung đã được trả lời, hoặc đã gửi cơ quan có thẩm quyền"
        case .ineligible: "Không đủ điều kiện xử lý"
        }
    }
}
