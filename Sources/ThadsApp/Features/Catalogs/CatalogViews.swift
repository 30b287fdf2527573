import Foundation
import ThadsDomain
import Vapor

enum CatalogViews {
    static func index(_ pageContext: PageContext, counts: [CatalogKind: Int]) -> Page {
        Layout.page(
            pageContext, title: "Danh mục dùng chung",
            .p(.text("Một nguồn duy nhất cho mọi biểu mẫu; mỗi mục có ngày hiệu lực và không bị xóa.")),
            .table(
                .class("data"),
                .thead(.tr(.th("Danh mục"), .th("Số mục"))),
                .tbody(
                    .forEach(CatalogKind.allCases) { kind in
                        .tr(
                            .td(.a(.href("/danh-muc/" + kind.rawValue), .text(kind.label))),
                            .td(.text(String(counts[kind] ?? 0))))
                    }))
        )
    }

    static func show(
        _ pageContext: PageContext, kind: CatalogKind, entries: [CatalogEntry], errors: [String: String],
        form: [String: String], status: HTTPResponseStatus, notice: String?
    ) -> Page {
        let canManage = pageContext.user?.can(.manageCatalogs) ?? false
        let token = pageContext.csrfToken
        return Layout.page(
            pageContext, title: kind.label, status: status, notice: notice,
            .p(.a(.href("/danh-muc"), .text("‹ Danh mục dùng chung"))),
            .table(
                .class("data"),
                .thead(
                    .tr(
                        .th("Mã"), .th("Tên"), .th("Hiệu lực từ"), .th("Đến"), .th(.text(kind.attributeLabel)),
                        .th("Căn cứ"), .if(canManage, .th("Kết thúc hiệu lực")))),
                .tbody(
                    .forEach(entries) { entry in
                        let key = "end-" + (entry.id?.uuidString ?? "")
                        return .tr(
                            .td(.text(entry.code)), .td(.text(entry.name)),
                            .td(.text(LocalDate(iso: entry.validFrom)?.display ?? entry.validFrom)),
                            .td(.text(entry.validTo.flatMap { LocalDate(iso: $0)?.display } ?? "")),
                            .td(.text(entry.attribute)), .td(.text(entry.source)),
                            .if(
                                canManage,
                                .td(
                                    .if(
                                        entry.validTo == nil,
                                        .form(
                                            .class("inline"), .method(.post),
                                            .action("/danh-muc/\(kind.rawValue)/\(entry.id!.uuidString)/het-hieu-luc"),
                                            Components.csrf(token),
                                            Components.field(
                                                FieldSpec(
                                                    name: key, label: "Đến hết ngày", value: form[key] ?? "",
                                                    error: errors[key], hint: "dd/mm/yyyy")),
                                            Components.submit("Kết thúc", style: "secondary")))))
                        )
                    })),
            .if(
                canManage,
                .section(
                    .h2("Thêm mục"),
                    .form(
                        .method(.post), .action("/danh-muc/" + kind.rawValue),
                        Components.csrf(token),
                        Components.formErrorSummary(errors.filter { !$0.key.hasPrefix("end-") }),
                        Components.field(
                            FieldSpec(
                                name: "code", label: "Mã", value: form["code"] ?? "", error: errors["code"],
                                required: true)),
                        Components.field(
                            FieldSpec(
                                name: "name", label: "Tên", value: form["name"] ?? "", error: errors["name"],
                                required: true)),
                        Components.field(
                            FieldSpec(
                                name: "validFrom", label: "Hiệu lực từ ngày", value: form["validFrom"] ?? "",
                                error: errors["validFrom"], required: true, hint: "dd/mm/yyyy")),
                        Components.field(
                            FieldSpec(
                                name: "validTo", label: "Hết hiệu lực sau ngày", value: form["validTo"] ?? "",
                                error: errors["validTo"], hint: "Để trống nếu còn hiệu lực")),
                        Components.field(
                            FieldSpec(
                                name: "attribute", label: kind.attributeLabel, value: form["attribute"] ?? "",
                                error: errors["attribute"])),
                        Components.field(
                            FieldSpec(
                                name: "source", label: "Căn cứ pháp lý", value: form["source"] ?? "",
                                error: errors["source"], required: true)),
                        Components.submit("Thêm vào danh mục")
                    )))
        )
    }
}
