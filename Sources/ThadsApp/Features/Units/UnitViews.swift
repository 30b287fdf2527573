import Foundation
import ThadsDomain
import Vapor

enum UnitViews {
    static func list(
        _ pageContext: PageContext, provinces: [EnforcementUnit], central: EnforcementUnit?,
        regionalCounts: [UUID?: Int]
    ) -> Page {
        Layout.page(
            pageContext, title: "Đơn vị",
            .unwrap(central) {
                .p(.text("Cấp trung ương: "), .a(.href("/don-vi/\($0.id!.uuidString)"), .text($0.name)))
            },
            .table(
                .class("data"),
                .thead(.tr(.th("Mã"), .th("THADS tỉnh/thành phố"), .th("Số phòng khu vực"), .th("Trạng thái"))),
                .tbody(
                    .forEach(provinces) { unit in
                        .tr(
                            .td(.text(unit.code)),
                            .td(.a(.href("/don-vi/\(unit.id!.uuidString)"), .text(unit.name))),
                            .td(.text(String(regionalCounts[unit.id] ?? 0))),
                            .td(.text(unit.isOpen ? "Hoạt động" : "Đã đóng"))
                        )
                    }
                )
            )
        )
    }

    static func show(
        _ pageContext: PageContext, unit: EnforcementUnit, parent: EnforcementUnit?, children: [EnforcementUnit],
        errors: [String: String], form: [String: String],
        status: HTTPResponseStatus = .ok, notice: String? = nil
    ) -> Page {
        let canManage = pageContext.user?.can(.manageUnits) ?? false
        let token = pageContext.csrfToken
        let nextNumber = children.count + 1
        let suggestedCode = unit.code + "-" + (nextNumber < 10 ? "0" : "") + String(nextNumber)
        let provinceShortName = unit.name.replacingOccurrences(of: "Thi hành án dân sự tỉnh ", with: "")
            .replacingOccurrences(of: "Thi hành án dân sự thành phố ", with: "")
        return Layout.page(
            pageContext, title: unit.name, status: status, notice: notice,
            .dl(
                .class("facts"),
                .dt("Mã"), .dd(.text(unit.code)),
                .dt("Cấp"), .dd(.text(unit.level.label)),
                .dt("Trạng thái"), .dd(.text(unit.isOpen ? "Hoạt động" : "Đã đóng ngày " + Format.date(unit.closedAt))),
                .unwrap(parent) {
                    .group(.dt("Trực thuộc"), .dd(.a(.href("/don-vi/\($0.id!.uuidString)"), .text($0.name))))
                },
                .dt("Đầu mối hỗ trợ"), .dd(.id("support-contact"), .text(unit.supportContact ?? "chưa có")),
                .dt("Đầu mối CNTT"), .dd(.id("it-focal-point"), .text(unit.itFocalPoint ?? "chưa có"))
            ),
            .if(
                canSetSupport(pageContext, unit),
                .section(
                    .h2("Đầu mối hỗ trợ người dùng"),
                    .form(
                        .method(.post), .action("/don-vi/\(unit.id!.uuidString)/ho-tro"), .id("support-form"),
                        Components.csrf(token),
                        Components.field(
                            FieldSpec(
                                name: "supportContact", label: "Đầu mối hỗ trợ",
                                value: form["supportContact"] ?? unit.supportContact ?? "",
                                error: errors["supportContact"], hint: "Họ tên, điện thoại, email")),
                        Components.field(
                            FieldSpec(
                                name: "itFocalPoint", label: "Đầu mối công nghệ thông tin",
                                value: form["itFocalPoint"] ?? unit.itFocalPoint ?? "", error: errors["itFocalPoint"],
                                hint: "Họ tên, điện thoại, email")),
                        Components.submit("Lưu", style: "secondary")))),
            .if(
                !children.isEmpty,
                .section(
                    .h2(unit.level == .central ? "THADS tỉnh/thành phố" : "Phòng THADS khu vực"),
                    .table(
                        .class("data"),
                        .thead(.tr(.th("Mã"), .th("Tên"), .th("Trạng thái"))),
                        .tbody(
                            .forEach(children) { child in
                                .tr(
                                    .td(.text(child.code)),
                                    .td(.a(.href("/don-vi/\(child.id!.uuidString)"), .text(child.name))),
                                    .td(.text(child.isOpen ? "Hoạt động" : "Đã đóng")))
                            })
                    )
                )),
            .if(
                canManage && unit.level == .province && unit.isOpen,
                .section(
                    .h2("Tạo phòng THADS khu vực"),
                    .form(
                        .method(.post), .action("/don-vi/\(unit.id!.uuidString)/khu-vuc"),
                        Components.csrf(token),
                        Components.field(
                            FieldSpec(
                                name: "code", label: "Mã đơn vị", value: form["code"] ?? suggestedCode,
                                error: errors["code"], required: true)),
                        Components.field(
                            FieldSpec(
                                name: "name", label: "Tên đơn vị",
                                value: form["name"]
                                    ?? "Phòng Thi hành án dân sự khu vực \(nextNumber) – \(provinceShortName)",
                                error: errors["name"], required: true)),
                        Components.submit("Tạo đơn vị")
                    )
                )),
            .if(
                canManage && unit.level != .central && unit.isOpen,
                .section(
                    .h2("Đổi tên"),
                    .form(
                        .method(.post), .action("/don-vi/\(unit.id!.uuidString)/doi-ten"),
                        Components.csrf(token),
                        Components.field(
                            FieldSpec(
                                name: "name", label: "Tên mới", value: unit.name, error: errors["rename"],
                                required: true)),
                        Components.submit("Đổi tên", style: "secondary")
                    )
                )),
            .if(
                canManage && unit.level == .regional && unit.isOpen,
                .section(
                    .h2("Đóng đơn vị"),
                    .p(
                        .class("muted"),
                        .text("Đơn vị đã đóng vẫn giữ nguyên lịch sử; không tạo được tài khoản mới thuộc đơn vị này.")),
                    .form(
                        .method(.post), .action("/don-vi/\(unit.id!.uuidString)/dong"),
                        Components.csrf(token),
                        Components.field(
                            FieldSpec(
                                name: "reason", label: "Lý do", value: form["reason"] ?? "", error: errors["reason"],
                                required: true)),
                        Components.submit("Đóng đơn vị", style: "danger")
                    )
                ))
        )
    }

    /// Admins set the contacts of the units in their scope.
    static func canSetSupport(_ pageContext: PageContext, _ unit: EnforcementUnit) -> Bool {
        guard let user = pageContext.user, user.account.accountClass.isAdmin, let id = unit.id else { return false }
        return user.scope.contains(id)
    }
}
