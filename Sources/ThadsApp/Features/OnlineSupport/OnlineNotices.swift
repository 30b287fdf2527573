import Foundation
import ThadsDomain

/// The notices of the process (C4), as versioned templates: a message records the template and version it was
/// written from, so a later wording change never rewrites what a submitter was told. Placeholders are filled with
/// plain text (mail is text/plain; the status page escapes everything).
enum OnlineNotices {
    struct Template {
        let kind: String
        let version: Int
        let subject: String
        let body: String

        var id: String { "\(kind)/v\(version)" }
    }

    static let received = Template(
        kind: "received", version: 1,
        subject: "Đã tiếp nhận yêu cầu {ma}",
        body: """
            Kính gửi {ten},

            {donvi} đã nhận {thutuc} của ông/bà qua Cổng hỗ trợ trực tuyến.
            Mã hồ sơ: {ma}
            Thời hạn giải quyết dự kiến: {han}

            Ông/bà theo dõi tình trạng hồ sơ tại: {lienket}
            (hoặc nhập mã hồ sơ và địa chỉ email tại trang Tra cứu hồ sơ trực tuyến).
            """)

    static let guidance = Template(
        kind: "guidance", version: 1,
        subject: "Hướng dẫn bổ sung hồ sơ {ma}",
        body: """
            Kính gửi {ten},

            Hồ sơ {ma} chưa đầy đủ, hợp lệ. Đề nghị ông/bà bổ sung, hoàn thiện theo hướng dẫn sau:
            {noidung}

            Ông/bà gửi phần bổ sung tại: {lienket}
            Thời hạn giải quyết tạm dừng trong thời gian chờ ông/bà bổ sung hồ sơ.
            """)

    static let refusal = Template(
        kind: "refusal", version: 1,
        subject: "Thông báo từ chối yêu cầu {ma}",
        body: """
            Kính gửi {ten},

            {donvi} từ chối yêu cầu {ma} với lý do:
            {noidung}

            Chi tiết tại: {lienket}
            """)

    static let appointment = Template(
        kind: "appointment", version: 1,
        subject: "Thông báo lịch hẹn hồ sơ {ma}",
        body: """
            Kính gửi {ten},

            Hồ sơ {ma} đã được tiếp nhận. Đề nghị ông/bà đến trụ sở {donvi} theo lịch hẹn sau để nộp đơn, \
            đối chiếu hồ sơ:
            {noidung}

            Chi tiết tại: {lienket}
            """)

    static let result = Template(
        kind: "result", version: 1,
        subject: "Kết quả giải quyết hồ sơ {ma}",
        body: """
            Kính gửi {ten},

            {donvi} thông báo kết quả giải quyết hồ sơ {ma}:
            {noidung}

            Chi tiết tại: {lienket}
            """)

    static let message = Template(
        kind: "message", version: 1,
        subject: "Tin nhắn về hồ sơ {ma}",
        body: """
            Kính gửi {ten},

            {donvi} gửi ông/bà tin nhắn về hồ sơ {ma}:
            {noidung}

            Chi tiết tại: {lienket}
            """)

    static let verificationCode = Template(
        kind: "verification-code", version: 1,
        subject: "Mã xác thực email cho yêu cầu hỗ trợ trực tuyến",
        body: """
            Mã xác thực địa chỉ email cho yêu cầu gửi qua Cổng hỗ trợ trực tuyến thi hành án dân sự: {ma}
            Mã có hiệu lực trong 15 phút. Nếu ông/bà không gửi yêu cầu nào, hãy bỏ qua thư này.
            """)

    static let overdueReminder = Template(
        kind: "overdue-reminder", version: 1,
        subject: "Nhắc việc: {so} hồ sơ hỗ trợ trực tuyến quá hạn",
        body: """
            Các hồ sơ hỗ trợ trực tuyến sau đang quá hạn ở bước ông/bà xử lý:
            {noidung}

            Xem hàng đợi tại: {lienket}
            """)

    static func template(for kind: OnlineNoticeKind) -> Template {
        switch kind {
        case .received: received
        case .guidance: guidance
        case .refusal: refusal
        case .appointment: appointment
        case .result: result
        }
    }

    static func fill(_ text: String, _ values: [String: String]) -> String {
        values.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}
