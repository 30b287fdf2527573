import Foundation
import ThadsDomain
import Vapor

enum OperationsViews {
    struct Dashboard {
        var runs: [BackupRun]
        var lastBackup: BackupRun?
        var lastDrill: BackupRun?
        var openAlerts: [OperationsAlert]
        var backupStatus: BackupFreshness.Status
        var drillStatus: BackupFreshness.Status
        var repository: String
        var copyRepository: String?
        var requests: [BackupRequest] = []
    }

    static func age(_ status: BackupFreshness.Status) -> String {
        switch status {
        case .never: "chưa có"
        case .fresh(let age), .overdue(let age):
            age < 7200
                ? "\(Int(age / 60)) phút trước"
                : age < 172_800
                    ? "\(Int(age / 3600)) giờ trước"
                    : "\(Int(age / 86400)) ngày trước"
        }
    }

    static func dashboard(
        _ pageContext: PageContext, _ data: Dashboard, errors: [String: String], status: HTTPResponseStatus = .ok
    ) -> Page {
        let token = pageContext.csrfToken
        return Layout.page(
            pageContext, title: "Vận hành", status: status,
            .p(
                .a(.href("/van-hanh/nhat-ky"), .text("Nhật ký vận hành")), .text(" · "),
                .a(.href("/su-co"), .text("Sự cố")), .text(" · "),
                .a(.href("/yeu-cau-thay-doi"), .text("Yêu cầu thay đổi")), .text(" · "),
                .a(.href("/van-hanh/tong-hop"), .text("Tổng hợp an ninh hằng tháng"))),
            .h2("Sao lưu"),
            .if(
                data.backupStatus.isOverdue,
                .div(
                    .class("alert error"), .attribute(named: "role", value: "alert"),
                    .text("Quá 26 giờ chưa có bản sao lưu thành công."))),
            .p(
                .id("last-backup"),
                .text(
                    "Bản sao lưu thành công gần nhất: "
                        + (data.lastBackup.map { Format.dateTime($0.startedAt) + " (" + age(data.backupStatus) + ")" }
                            ?? "chưa có"))),
            .p(
                .text(
                    "Kho: " + data.repository
                        + (data.copyRepository.map { "; bản sao thứ hai: " + $0 } ?? "; chưa cấu hình kho thứ hai"))),
            requestForm(data.requests, token: token, error: errors["kind"]),
            .h2("Diễn tập khôi phục"),
            .if(
                data.drillStatus.isOverdue,
                .div(
                    .class("alert warning"), .id("drill-warning"), .attribute(named: "role", value: "alert"),
                    .text(
                        "Lần diễn tập khôi phục thành công gần nhất đã quá 35 ngày (hoặc chưa có): chạy thads backup drill."
                    ))
            ),
            .div(
                .id("last-drill"),
                .p(
                    .text(
                        "Lần diễn tập thành công gần nhất: "
                            + (data.lastDrill.map { Format.dateTime($0.startedAt) + " (" + age(data.drillStatus) + ")" }
                                ?? "chưa có"))),
                .unwrap(data.lastDrill?.detail) { .p(.class("hint"), .text($0)) }),
            .h2("Cảnh báo chưa xử lý"),
            .if(data.openAlerts.isEmpty, .p(.text("Không có cảnh báo nào chờ xử lý."))),
            .if(
                !data.openAlerts.isEmpty,
                .table(
                    .class("data"), .id("alerts"),
                    .thead(.tr(.th("Lúc"), .th("Loại"), .th("Nội dung"), .th("Xác nhận"))),
                    .tbody(
                        .forEach(data.openAlerts) { alert in
                            let key = alert.id?.uuidString ?? ""
                            return .tr(
                                .td(.text(Format.dateTime(alert.raisedAt))),
                                .td(.text(AlertRule(rawValue: alert.rule)?.label ?? alert.rule)),
                                .td(.text(alert.summary)),
                                .td(
                                    .form(
                                        .method(.post), .action("/van-hanh/canh-bao/\(key)/xac-nhan"),
                                        Components.csrf(token),
                                        Components.textArea(
                                            name: "note", label: "Đã xử lý thế nào", value: "", error: errors[key],
                                            required: true),
                                        Components.submit("Xác nhận", style: "secondary")),
                                    Components.postButton(
                                        action: "/van-hanh/canh-bao/\(key)/su-co", title: "Chuyển thành sự cố",
                                        csrf: token, style: "link")))
                        }))),
            .h2("Nhật ký sao lưu"),
            .table(
                .class("data"), .id("backup-log"),
                .thead(
                    .tr(
                        .th("Bắt đầu"), .th("Loại"), .th("Thành phần"), .th("Dung lượng thêm"), .th("Thời gian"),
                        .th("Người/lịch"), .th("Kết quả"))),
                .tbody(
                    .forEach(data.runs) { run in
                        .tr(
                            .td(.text(Format.dateTime(run.startedAt))),
                            .td(.text(BackupKind(rawValue: run.kind)?.label ?? run.kind)),
                            .td(.text(run.components)),
                            .td(.text(bytes(run.bytesAdded))),
                            .td(.text(String(format: "%.1f giây", Double(run.durationMs) / 1000))),
                            .td(.text(run.trigger)),
                            .td(
                                .class(run.succeeded ? "ok" : "error"),
                                .text(run.succeeded ? "Thành công" : "Thất bại"),
                                .unwrap(run.detail) { .p(.class("hint"), .text($0)) }))
                    }))
        )
    }

    /// Starting a backup, a verification or a drill by hand: the job runner takes the request on its next pass.
    static func requestForm(_ requests: [BackupRequest], token: String, error: String?) -> Node<HTML.BodyContext> {
        .div(
            .id("backup-request"),
            .form(
                .method(.post), .action("/van-hanh/sao-luu"), Components.csrf(token),
                Components.select(
                    name: "kind", label: "Chạy ngay", options: BackupRequests.kinds.map { ($0.rawValue, $0.label) },
                    selected: [BackupKind.incremental.rawValue], error: error),
                Components.submit("Yêu cầu chạy", style: "secondary")),
            .if(
                !requests.isEmpty,
                .ul(
                    .id("backup-requests"),
                    .forEach(requests) { request in
                        .li(
                            .text(
                                (BackupKind(rawValue: request.kind)?.label ?? request.kind) + " — "
                                    + request.requestedBy + ", " + Format.dateTime(request.requestedAt) + ": "
                                    + (request.startedAt == nil ? "chờ tác vụ định kỳ nhận" : "đang chạy")))
                    })),
            .p(
                .class("hint"),
                .text("Tác vụ định kỳ nhận yêu cầu trong vòng một phút; kết quả ghi vào nhật ký sao lưu.")))
    }

    static func summary(
        _ pageContext: PageContext, month: SummaryMonth, typed: String, error: String?,
        figures: SecuritySummary.Figures, loggedAt: Date?, status: HTTPResponseStatus
    ) -> Page {
        Layout.page(
            pageContext, title: "Tổng hợp an ninh tháng \(month.display)", status: status,
            .p(.a(.href("/van-hanh"), .text("‹ Vận hành"))),
            .form(
                .method(.get), .action("/van-hanh/tong-hop"),
                Components.field(FieldSpec(name: "thang", label: "Tháng", value: typed, error: error, hint: "MM/yyyy")),
                Components.submit("Xem", style: "secondary")),
            .p(
                .text(
                    loggedAt.map { "Đã lập và gửi Cục lúc \(Format.dateTime($0)) (nhật ký vận hành)." }
                        ?? "Chưa lập tự động cho tháng này (lập vào ngày làm việc đầu tiên của tháng sau).")),
            Components.classification(.internalUse),
            .table(
                .class("data print"), .id("security-summary"),
                .thead(.tr(.th("Chỉ tiêu"), .th("Số lượng"))),
                .tbody(.forEach(figures.rows) { .tr(.td(.text($0.0)), .td(.text(String($0.1)))) })),
            .p(.class("hint"), .text("In trang này (hoặc lưu PDF từ trình duyệt) để gửi kèm báo cáo."))
        )
    }

    static func bytes(_ value: Int64) -> String {
        if value < 1024 { return "\(value) B" }
        if value < 1_048_576 { return String(format: "%.1f KiB", Double(value) / 1024) }
        return String(format: "%.1f MiB", Double(value) / 1_048_576)
    }

    static func log(
        _ pageContext: PageContext, filters: OperationsController.LogFilters, entries: [OperationsLogEntry],
        jobRuns: [JobRun], form: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
    ) -> Page {
        let token = pageContext.csrfToken
        let query: [(String, String)] = [
            ("q", filters.text), ("from", filters.from?.display ?? ""), ("to", filters.to?.display ?? ""),
        ]
        return Layout.page(
            pageContext, title: "Nhật ký vận hành", status: status,
            .p(.a(.href("/van-hanh"), .text("‹ Vận hành")), .text(" — lưu ít nhất 2 năm.")),
            .form(
                .method(.get), .action("/van-hanh/nhat-ky"),
                Components.field(FieldSpec(name: "q", label: "Tìm", value: filters.text)),
                Components.field(
                    FieldSpec(
                        name: "from", label: "Từ ngày", value: filters.from?.display ?? "",
                        error: filters.errors["from"],
                        hint: "dd/mm/yyyy")),
                Components.field(
                    FieldSpec(
                        name: "to", label: "Đến ngày", value: filters.to?.display ?? "", error: filters.errors["to"],
                        hint: "dd/mm/yyyy")),
                Components.submit("Tìm", style: "secondary")),
            .form(
                .method(.post), .action("/van-hanh/nhat-ky/xuat"), Components.csrf(token),
                .forEach(query) { .input(.type(.hidden), .name($0.0), .value($0.1)) },
                Components.submit("Xuất CSV", style: "secondary")),
            .table(
                .class("data"), .id("operations-log"),
                .thead(
                    .tr(
                        .th("Lúc"), .th("Người thực hiện"), .th("Công việc"), .th("Kết quả"), .th("Ghi chú"),
                        .th("Nguồn"))),
                .tbody(
                    .forEach(entries) { entry in
                        .tr(
                            .td(.text(Format.dateTime(entry.at))), .td(.text(entry.actor)), .td(.text(entry.task)),
                            .td(.text(entry.result)), .td(.text(entry.notes)), .td(.text(entry.source)))
                    })),
            .h2("Ghi nhật ký"),
            .form(
                .method(.post), .action("/van-hanh/nhat-ky"), Components.csrf(token),
                Components.formErrorSummary(errors),
                Components.field(
                    FieldSpec(
                        name: "task", label: "Công việc", value: form["task"] ?? "", error: errors["task"],
                        required: true)),
                Components.field(
                    FieldSpec(
                        name: "result", label: "Kết quả", value: form["result"] ?? "", error: errors["result"],
                        required: true)),
                Components.textArea(
                    name: "notes", label: "Ghi chú", value: form["notes"] ?? "", error: errors["notes"]),
                Components.submit("Ghi")),
            .h2("Lượt chạy tác vụ định kỳ (7 ngày)"),
            .table(
                .class("data"),
                .thead(.tr(.th("Tác vụ"), .th("Bắt đầu"), .th("Kết thúc"), .th("Kết quả"), .th("Số dòng"), .th("Lỗi"))),
                .tbody(
                    .forEach(jobRuns) { run in
                        .tr(
                            .td(.text(run.job)), .td(.text(Format.dateTime(run.startedAt))),
                            .td(.text(Format.dateTime(run.finishedAt))), .td(.text(run.result.rawValue)),
                            .td(.text(run.rowsTouched.map(String.init) ?? "")), .td(.text(run.failure ?? "")))
                    }))
        )
    }
}
