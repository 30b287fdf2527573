import Foundation
import ThadsDomain

/// What each procedure asks, as data: the page draws the fields from it and the service checks them with it.
/// The enforcement request carries the contents Art. 31 of the Law requires (DOMAIN.md, "Online requests"); the
/// date is the submission's and the signature is the proven email plus the in-person signing at the appointment.
enum OnlineRequestForm {
    struct Field: Sendable {
        let key: String
        let label: String
        var required = true
        var max = 300
        var multiline = false
        var hint: String? = nil
    }

    static let common: [Field] = [
        Field(key: "ho-ten", label: "Họ tên người gửi (cá nhân) hoặc tên tổ chức", max: 150),
        Field(key: "dia-chi", label: "Địa chỉ người gửi"),
    ]

    static func fields(for procedure: OnlineProcedure) -> [Field] {
        switch procedure {
        case .enforcementRequest:
            common + [
                Field(key: "nguoi-duoc-thi-hanh", label: "Họ tên người được thi hành án", max: 150),
                Field(key: "dia-chi-nguoi-duoc-thi-hanh", label: "Địa chỉ người được thi hành án"),
                Field(key: "nguoi-phai-thi-hanh", label: "Họ tên người phải thi hành án", max: 150),
                Field(key: "dia-chi-nguoi-phai-thi-hanh", label: "Địa chỉ người phải thi hành án"),
                Field(
                    key: "ban-an", label: "Bản án, quyết định yêu cầu thi hành (số, ngày, tòa án)",
                    hint: "Ví dụ: Bản án số 12/2026/DS-ST ngày 05/3/2026 của Tòa án nhân dân khu vực 1"),
                Field(key: "noi-dung", label: "Nội dung yêu cầu thi hành án", max: 2000, multiline: true),
                Field(
                    key: "tai-san", label: "Thông tin về tài sản, điều kiện thi hành án của người phải thi hành án",
                    required: false, max: 2000, multiline: true),
            ]
        case .petition:
            common + [
                Field(key: "tieu-de", label: "Tiêu đề kiến nghị, phản ánh", max: 200),
                Field(key: "noi-dung", label: "Nội dung kiến nghị, phản ánh", max: 4000, multiline: true),
                Field(
                    key: "so-nguoi", label: "Số người cùng kiến nghị, phản ánh", max: 4,
                    hint: "Ghi 1 nếu chỉ có ông/bà."),
            ]
        case .resultConfirmation:
            common + [
                Field(key: "ban-an", label: "Bản án, quyết định được thi hành (số, ngày, tòa án)"),
                Field(key: "so-ho-so", label: "Số quyết định thi hành án hoặc mã hồ sơ (nếu biết)", required: false),
                Field(key: "noi-dung", label: "Nội dung đề nghị xác nhận", max: 2000, multiline: true),
            ]
        }
    }

    /// The enforcement request must carry the judgment (its copy marked "để thi hành"); the others may come
    /// without files.
    static func needsAttachment(_ procedure: OnlineProcedure) -> Bool { procedure == .enforcementRequest }

    static let maxFiles = 3
    static let fileKeys = (1...maxFiles).map { "tep\($0)" }
}
