import Fluent
import Foundation
import ThadsDomain
import Vapor

/// What a system's page shows of its webhook: the queue's counts and the dead-letter list.
struct ExchangeDeliveryList {
    var pending = 0
    var delivered = 0
    var dead: [ExchangeDelivery] = []
    var deadCount = 0

    static func read(system: UUID, on db: any Database) async throws -> ExchangeDeliveryList {
        let base = { ExchangeDelivery.query(on: db).filter(\.$clientRef == system) }
        return ExchangeDeliveryList(
            pending: try await base().filter(\.$status == .pending).count(),
            delivered: try await base().filter(\.$status == .delivered).count(),
            dead: try await base().filter(\.$status == .dead).sort(\.$seq).limit(200).all(),
            deadCount: try await base().filter(\.$status == .dead).count())
    }
}

enum ExchangeWebhookViews {
    static func section(
        _ pageContext: PageContext, system: ConnectedSystem, list: ExchangeDeliveryList,
        webhook: (value: String, error: String?)
    ) -> Node<HTML.BodyContext> {
        let path = "/he-thong-ket-noi/\(system.id!.uuidString)"
        let schedule = WebhookSchedule.delays.map(duration).joined(separator: ", ")
        return .group(
            .h2(.id("webhook"), .text("Thông báo thay đổi (webhook)")),
            .p(
                .text(
                    "Mỗi thay đổi trong phạm vi thỏa thuận được gửi (POST, JSON, ký bằng khóa máy chủ) đến địa chỉ dưới "
                        + "đây; nếu bên nhận không trả lời 2xx, gửi lại sau \(schedule), rồi chuyển vào danh sách "
                        + "không gửi được.")),
            .form(
                .method(.post), .action(path + "/dia-chi-nhan"),
                Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(webhook.error.map { ["webhookURL": $0] } ?? [:]),
                Components.field(
                    FieldSpec(
                        name: "webhookURL", label: "Địa chỉ nhận", value: webhook.value, type: .url,
                        error: webhook.error, hint: "https://…; bỏ trống để ngừng gửi")),
                Components.submit("Lưu địa chỉ", style: "secondary")),
            .p(
                .id("webhook-counts"),
                .text(
                    "Đang chờ gửi: \(Format.count(list.pending)) · Đã gửi: \(Format.count(list.delivered)) · "
                        + "Không gửi được: \(Format.count(list.deadCount))")),
            .h3("Không gửi được"),
            .if(list.dead.isEmpty, .p(.text("Không có lượt nào."))),
            .if(
                !list.dead.isEmpty,
                .group(
                    Components.postButton(
                        action: path + "/gui-lai", title: "Gửi lại tất cả", csrf: pageContext.csrfToken),
                    .div(
                        .class("table-scroll"),
                        .table(
                            .class("data"), .id("dead-letters"),
                            .thead(
                                .tr(
                                    .th("Số thứ tự"), .th("Dữ liệu"), .th("Thay đổi"), .th("Số lần gửi"),
                                    .th("Lần cuối"), .th("Lý do"), .th(""))),
                            .tbody(
                                .forEach(list.dead) { row in
                                    .tr(
                                        .td(.class("num"), .text(String(row.seq))),
                                        .td(.class("code"), .text("\(row.resource) \(row.resourceID.uuidString)")),
                                        .td(.text("\(row.kind) (phiên bản \(row.version))")),
                                        .td(.class("num"), .text(String(row.attempts))),
                                        .td(.text(row.lastAttemptAt.map(Format.dateTime) ?? "")),
                                        .td(.text(row.lastError ?? "")),
                                        .td(
                                            Components.postButton(
                                                action: path + "/gui-lai", title: "Gửi lại",
                                                csrf: pageContext.csrfToken,
                                                hidden: [("delivery", row.id!.uuidString)])))
                                }))))))
    }

    static func duration(_ seconds: Int) -> String {
        seconds < 3_600 ? "\(seconds / 60) phút" : "\(seconds / 3_600) giờ"
    }
}
