import Foundation
import ThadsDomain
import Vapor

enum IncidentViews {
    static func severity(_ incident: Incident) -> String {
        IncidentSeverity(rawValue: incident.severity)?.label ?? incident.severity
    }

    static func kind(_ incident: Incident) -> String { IncidentKind(rawValue: incident.kind)?.label ?? incident.kind }

    static func list(_ pageContext: PageContext, _ incidents: [Incident]) -> Page {
        Layout.page(
            pageContext, title: "Sự cố",
            .p(
                .a(.href("/su-co/bao"), .text("Báo sự cố mới")), .text(" · "), .a(.href("/van-hanh"), .text("Vận hành"))
            ),
            .table(
                .class("data"),
                .thead(
                    .tr(
                        .th("Mã"), .th("Phát hiện"), .th("Loại"), .th("Mức độ"), .th("Hạn khắc phục"), .th("Đã báo cáo")
                    )),
                .tbody(
                    .forEach(incidents) { incident in
                        .tr(
                            .td(.a(.href("/su-co/\(incident.id!.uuidString)"), .text(incident.code))),
                            .td(.text(Format.dateTime(incident.detectedAt))), .td(.text(kind(incident))),
                            .td(.text(severity(incident))), .td(.text(Format.dateTime(incident.dueAt))),
                            .td(.text(Format.dateTime(incident.reportedAt))))
                    })))
    }

    static func reportForm(
        _ pageContext: PageContext, form: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
    ) -> Page {
        Layout.page(
            pageContext, title: "Báo sự cố", status: status,
            .p(
                .text(
                    "Báo ngay khi phát hiện sự cố phần cứng, phần mềm, kết nối, tấn công hoặc lộ lọt dữ liệu. "
                        + "Bộ phận vận hành của Cục nhận thư báo ngay.")),
            .form(
                .method(.post), .action("/su-co/bao"), Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(errors),
                Components.select(
                    name: "kind", label: "Loại sự cố",
                    options: IncidentKind.allCases.map { ($0.rawValue, $0.label) }, selected: [form["kind"] ?? ""],
                    error: errors["kind"], required: true),
                Components.field(
                    FieldSpec(
                        name: "detectedOn", label: "Ngày phát hiện", value: form["detectedOn"] ?? "",
                        error: errors["detectedOn"], required: true, hint: "dd/mm/yyyy")),
                Components.field(
                    FieldSpec(
                        name: "detectedTime", label: "Giờ phát hiện", value: form["detectedTime"] ?? "",
                        error: errors["detectedTime"], required: true, hint: "HH:mm")),
                Components.field(
                    FieldSpec(
                        name: "systems", label: "Hệ thống, chức năng bị ảnh hưởng", value: form["systems"] ?? "",
                        error: errors["systems"], required: true)),
                Components.textArea(
                    name: "course", label: "Diễn biến", value: form["course"] ?? "", error: errors["course"],
                    required: true),
                Components.submit("Gửi báo cáo sự cố")))
    }

    static func show(
        _ pageContext: PageContext, _ incident: Incident, steps: [IncidentStep], errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) -> Page {
        let base = "/su-co/\(incident.id!.uuidString)"
        let overdue = incident.closedAt == nil && (incident.dueAt.map { $0 < pageContext.now } ?? false)
        return Layout.page(
            pageContext, title: "Sự cố \(incident.code)", status: status,
            .p(.a(.href("/su-co"), .text("‹ Sự cố")), .text(" · "), .a(.href(base + "/in"), .text("Bản in báo cáo"))),
            .if(
                overdue,
                .div(
                    .class("alert error"),
                    .text("Đã quá 24 giờ kể từ khi phát hiện mà sự cố nghiêm trọng chưa được khắc phục xong."))),
            .dl(
                .dt("Loại, mức độ"), .dd(.text(kind(incident) + " — " + severity(incident))),
                .dt("Phát hiện"), .dd(.text(Format.dateTime(incident.detectedAt) + ", báo bởi " + incident.reportedBy)),
                .dt("Hạn khắc phục (24 giờ)"), .dd(.text(incident.dueAt.map(Format.dateTime) ?? "không áp dụng")),
                .dt("Đã báo cáo"), .dd(.text(incident.reportedAt.map(Format.dateTime) ?? "chưa")),
                .dt("Hệ thống bị ảnh hưởng"), .dd(.text(incident.systems)),
                .dt("Diễn biến"), .dd(.text(incident.course))),
            .h2("Biện pháp ngăn chặn, khắc phục"),
            .ol(.forEach(steps) { .li(.text(Format.dateTime($0.at) + " — " + $0.by + ": " + $0.action)) }),
            .form(
                .method(.post), .action(base + "/buoc"), Components.csrf(pageContext.csrfToken),
                Components.textArea(
                    name: "action", label: "Biện pháp vừa làm", value: "", error: errors["action"], required: true),
                Components.submit("Ghi", style: "secondary")),
            .h2("Báo cáo sự cố"),
            .form(
                .method(.post), .action(base + "/bao-cao"), Components.csrf(pageContext.csrfToken),
                Components.textArea(name: "cause", label: "Nguyên nhân", value: incident.cause, error: errors["cause"]),
                Components.textArea(
                    name: "damage", label: "Thiệt hại", value: incident.damage, error: errors["damage"]),
                Components.textArea(
                    name: "remedy", label: "Biện pháp khắc phục", value: incident.remedy, error: errors["remedy"]),
                Components.textArea(
                    name: "prevention", label: "Biện pháp phòng ngừa", value: incident.prevention,
                    error: errors["prevention"]),
                Components.checkbox(
                    name: "reported", label: "Đã gửi báo cáo cho Cục", checked: incident.reportedAt != nil),
                Components.checkbox(name: "close", label: "Đã khắc phục xong", checked: incident.closedAt != nil),
                Components.submit("Lưu báo cáo")))
    }

    /// The report as the regulation lists it, for printing (the browser's print or "save as PDF").
    static func printable(_ pageContext: PageContext, _ incident: Incident, steps: [IncidentStep]) -> Page {
        Layout.page(
            pageContext, title: "Báo cáo sự cố \(incident.code)",
            Components.classification(.internalUse),
            .table(
                .class("data print"),
                .tbody(
                    .tr(.th("Thời gian phát hiện"), .td(.text(Format.dateTime(incident.detectedAt)))),
                    .tr(.th("Loại, mức độ"), .td(.text(kind(incident) + " — " + severity(incident)))),
                    .tr(.th("Hệ thống bị ảnh hưởng"), .td(.text(incident.systems))),
                    .tr(.th("Diễn biến"), .td(.text(incident.course))),
                    .tr(
                        .th("Các bước xử lý"),
                        .td(.ol(.forEach(steps) { .li(.text(Format.dateTime($0.at) + " — " + $0.action)) }))),
                    .tr(.th("Nguyên nhân"), .td(.text(incident.cause))),
                    .tr(.th("Thiệt hại"), .td(.text(incident.damage))),
                    .tr(.th("Biện pháp khắc phục"), .td(.text(incident.remedy))),
                    .tr(.th("Biện pháp phòng ngừa"), .td(.text(incident.prevention))),
                    .tr(.th("Khắc phục xong lúc"), .td(.text(Format.dateTime(incident.closedAt)))),
                    .tr(.th("Báo cáo Cục lúc"), .td(.text(Format.dateTime(incident.reportedAt)))))))
    }
}

enum ChangeRequestViews {
    static func list(
        _ pageContext: PageContext, _ requests: [ChangeRequest], form: [String: String], errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) -> Page {
        Layout.page(
            pageContext, title: "Yêu cầu thay đổi", status: status,
            .table(
                .class("data"),
                .thead(.tr(.th("Gửi lúc"), .th("Nội dung"), .th("Phân loại"), .th("Trạng thái"))),
                .tbody(
                    .forEach(requests) { request in
                        .tr(
                            .td(
                                .a(
                                    .href("/yeu-cau-thay-doi/\(request.id!.uuidString)"),
                                    .text(Format.dateTime(request.submittedAt)))),
                            .td(.text(String(request.content.prefix(120)))),
                            .td(.text(request.classification.flatMap { ChangeClass(rawValue: $0)?.label } ?? "chưa")),
                            .td(.text(ChangeStatus(rawValue: request.status)?.label ?? request.status)))
                    })),
            .h2("Gửi yêu cầu mới"),
            .form(
                .method(.post), .action("/yeu-cau-thay-doi"), Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(errors),
                Components.textArea(
                    name: "content", label: "Nội dung", value: form["content"] ?? "", error: errors["content"],
                    required: true),
                Components.textArea(
                    name: "reason", label: "Lý do", value: form["reason"] ?? "", error: errors["reason"], required: true
                ),
                Components.textArea(
                    name: "scope", label: "Phạm vi", value: form["scope"] ?? "", error: errors["scope"], required: true),
                Components.textArea(name: "wish", label: "Mong muốn", value: form["wish"] ?? "", error: errors["wish"]),
                Components.submit("Gửi yêu cầu")))
    }

    static func show(
        _ pageContext: PageContext, _ request: ChangeRequest, form: [String: String], errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) -> Page {
        let canClassify = pageContext.user?.can(.operatePlatform) ?? false
        return Layout.page(
            pageContext, title: "Yêu cầu thay đổi", status: status,
            .p(.a(.href("/yeu-cau-thay-doi"), .text("‹ Yêu cầu thay đổi"))),
            .dl(
                .dt("Gửi lúc"), .dd(.text(Format.dateTime(request.submittedAt))),
                .dt("Nội dung"), .dd(.text(request.content)),
                .dt("Lý do"), .dd(.text(request.reason)),
                .dt("Phạm vi"), .dd(.text(request.scope)),
                .dt("Mong muốn"), .dd(.text(request.wish)),
                .dt("Phân loại"),
                .dd(
                    .id("classification"),
                    .text(request.classification.flatMap { ChangeClass(rawValue: $0)?.label } ?? "chưa phân loại")),
                .dt("Trạng thái"),
                .dd(.id("status"), .text(ChangeStatus(rawValue: request.status)?.label ?? request.status)),
                .dt("Quyết định"), .dd(.text(request.decision ?? ""))),
            .if(
                canClassify,
                .form(
                    .method(.post), .action("/yeu-cau-thay-doi/\(request.id!.uuidString)/phan-loai"),
                    Components.csrf(pageContext.csrfToken), Components.formErrorSummary(errors),
                    Components.select(
                        name: "classification", label: "Phân loại",
                        options: ChangeClass.allCases.map { ($0.rawValue, $0.label) },
                        selected: [form["classification"] ?? request.classification ?? ""],
                        error: errors["classification"], required: true),
                    Components.select(
                        name: "status", label: "Trạng thái",
                        options: ChangeStatus.allCases.map { ($0.rawValue, $0.label) },
                        selected: [form["status"] ?? request.status], error: errors["status"], required: true),
                    Components.textArea(
                        name: "decision", label: "Quyết định", value: form["decision"] ?? request.decision ?? "",
                        error: errors["decision"]),
                    Components.submit("Lưu"))))
    }
}
