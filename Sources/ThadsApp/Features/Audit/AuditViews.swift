import Foundation
import ThadsDomain
import Vapor

enum AuditViews {
    static func search(
        _ pageContext: PageContext, filters: AuditController.Filters, events: [AuditEvent], units: [EnforcementUnit],
        page: Int,
        hasNext: Bool,
        purposeError: String?, status: HTTPResponseStatus = .ok
    ) -> Page {
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.code) })
        let unitOptions =
            [(value: "", label: "Tất cả trong phạm vi")]
            + units.filter { pageContext.user?.scope.contains($0.id!) ?? false }.map {
                (value: $0.id!.uuidString, label: $0.code + " · " + $0.name)
            }
        let canExport = pageContext.user?.can(.exportAuditLog) ?? false
        return Layout.page(
            pageContext, title: "Nhật ký quản trị và truy cập", status: status,
            .form(
                .class("filters"), .method(.get), .action("/nhat-ky"),
                Components.field(FieldSpec(name: "actor", label: "Tài khoản", value: filters.actor)),
                Components.field(
                    FieldSpec(name: "action", label: "Hành động (tiền tố, ví dụ account.)", value: filters.action)),
                Components.select(
                    name: "unit", label: "Đơn vị", options: unitOptions, selected: [filters.unitID?.uuidString ?? ""]),
                Components.field(
                    FieldSpec(
                        name: "from", label: "Từ ngày", value: filters.from?.display ?? "",
                        error: filters.errors["from"])),
                Components.field(
                    FieldSpec(
                        name: "to", label: "Đến ngày", value: filters.to?.display ?? "", error: filters.errors["to"])),
                Components.submit("Tìm", style: "secondary")
            ),
            .if(
                canExport,
                .details(
                    .summary("Trích xuất CSV theo bộ lọc này"),
                    .form(
                        .method(.post), .action("/nhat-ky/xuat"),
                        Components.csrf(pageContext.csrfToken),
                        .forEach(filters.queryItems) {
                            .input(.type(.hidden), .name($0.0), .value($0.1))
                        },
                        Components.textArea(
                            name: "purpose", label: "Mục đích trích xuất", value: "", error: purposeError,
                            required: true),
                        Components.submit("Trích xuất", style: "secondary")
                    )
                )),
            .table(
                .class("data"),
                .thead(
                    .tr(
                        .th("#"), .th("Thời gian"), .th("Tài khoản"), .th("Đơn vị"), .th("Hành động"), .th("Tóm tắt"),
                        .th("Thay đổi"), .th("IP"), .th("Mục đích"))),
                .tbody(
                    .forEach(events) { event in
                        .tr(
                            .td(.text(String(event.seq))),
                            .td(.text(Format.dateTime(event.occurredAt))),
                            .td(.text(event.actorUsername ?? "")),
                            .td(.text(event.unitID.flatMap { unitNames[$0] } ?? "")),
                            .td(.code(.text(event.action))),
                            .td(.text(event.summary ?? "")),
                            .td(changes(event)),
                            .td(.text(event.ip ?? "")),
                            .td(.text(event.purpose ?? ""))
                        )
                    })
            ),
            Components.pager(basePath: "/nhat-ky", query: filters.queryItems, page: page, hasNext: hasNext)
        )
    }

    /// Changed fields as "field: before → after", with the full snapshots one click away.
    static func changes(_ event: AuditEvent) -> Node<HTML.BodyContext> {
        let changes = AuditDiff.changes(before: event.beforeData, after: event.afterData)
        guard event.beforeData != nil || event.afterData != nil else { return .empty }
        return .group(
            .ul(
                .class("changes"),
                .forEach(changes) { change in
                    .li(
                        .code(.text(change.field)), .text(": " + (change.before.isEmpty ? "∅" : change.before) + " → "),
                        .text(change.after.isEmpty ? "∅" : change.after))
                }
            ),
            .details(
                .summary("Dữ liệu đầy đủ"),
                .p(.class("json"), .text("Trước: " + (event.beforeData ?? ""))),
                .p(.class("json"), .text("Sau: " + (event.afterData ?? "")))
            )
        )
    }
}
