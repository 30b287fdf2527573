import Foundation
import ThadsDomain
import Vapor

/// The public portal's working-day calculator: a citizen counts a legal time limit (say, 5 working days from the
/// day a decision was received) on the same calendar staff use, Tết and the year's official decision included.
struct PublicWorkdaysController {
    func register(_ app: Application) {
        app.onPublic(.GET, "ngay-lam-viec", limiter: app.publicRateLimiter, use: page)
    }

    static let maxDays = 365

    func page(req: Request) async throws -> Response {
        let fromText = (req.query[String.self, at: "tu-ngay"] ?? "").trimmingCharacters(in: .whitespaces)
        let daysText = (req.query[String.self, at: "so-ngay"] ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [String: String] = [:]
        var answer: String?
        if !fromText.isEmpty || !daysText.isEmpty {
            let from = LocalDate(typed: fromText)
            if from == nil { errors["tu-ngay"] = "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 13/02/2026." }
            let days = Int(daysText)
            if days == nil || !(1...Self.maxDays).contains(days!) {
                errors["so-ngay"] = "Nhập số ngày làm việc từ 1 đến \(Self.maxDays)."
            }
            if let from, let days, errors.isEmpty {
                let due = req.application.workingCalendar.adding(workingDays: days, to: from)
                answer = "\(days) ngày làm việc kể từ ngày \(from.display) kết thúc vào ngày \(due.display)."
            }
        }
        return PublicPages.page(
            req.pageContext, title: "Tính thời hạn theo ngày làm việc",
            status: errors.isEmpty ? .ok : .badRequest,
            .p(
                .text(
                    "Thời hạn tính theo ngày làm việc không kể thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết theo quyết định "
                        + "của Thủ tướng Chính phủ; ngày bắt đầu không được tính.")),
            .form(
                .method(.get), .action("/\(PublicPages.prefix)/ngay-lam-viec"),
                Components.field(
                    FieldSpec(
                        name: "tu-ngay", label: "Tính từ ngày", value: fromText, error: errors["tu-ngay"],
                        required: true, hint: "dd/mm/yyyy")),
                Components.field(
                    FieldSpec(
                        name: "so-ngay", label: "Số ngày làm việc", value: daysText, type: .number,
                        error: errors["so-ngay"], required: true)),
                Components.submit("Tính")
            ),
            .unwrap(answer) { .div(.class("alert success"), .attribute(named: "role", value: "status"), .text($0)) }
        ).response
    }
}
