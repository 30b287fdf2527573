import Foundation

/// How far a document or an export may travel (H1). State secrets are not processed on this platform at all: an
/// upload declared as one is refused, with the legal reason.
public enum InformationClass: String, Sendable, Codable, CaseIterable {
    case internalUse, interAgency, publicInfo, stateSecret

    public var label: String {
        switch self {
        case .internalUse: "Nội bộ"
        case .interAgency: "Chia sẻ giữa các cơ quan"
        case .publicInfo: "Công khai"
        case .stateSecret: "Bí mật nhà nước"
        }
    }

    /// The line every export and print view carries (H1), so a copy that travels says how far it may travel.
    public var marking: String { "Phân loại thông tin: " + label }

    /// The classes a document may be stored under.
    public static let storable: [InformationClass] = [.internalUse, .interAgency, .publicInfo]

    public static let stateSecretRefusal =
        "Không được đưa tài liệu bí mật nhà nước lên Nền tảng số THADS: Quy chế quản lý, vận hành Nền tảng số THADS "
        + "(Điều 18, khoản 2) chỉ cho phép khi cơ quan có thẩm quyền đã cho phép hệ thống xử lý tài liệu có độ mật "
        + "tương ứng, và Luật Bảo vệ bí mật nhà nước số 29/2018/QH14 (Điều 5, khoản 8, 9) cấm lưu giữ, truyền đưa "
        + "bí mật nhà nước trên hệ thống kết nối mạng. Chuyển tài liệu theo chế độ mật."

    /// Nil when a document of this class may be stored; otherwise the reason it is refused.
    public var refusal: String? { self == .stateSecret ? Self.stateSecretRefusal : nil }
}
