import Foundation
import ThadsDomain
import Vapor

enum ExchangeViews {
    static func index(
        _ pageContext: PageContext, systems: [ConnectedSystem], counts: [UUID: [String: (calls: Int, refused: Int)]],
        dead: [UUID: Int], notice: String?
    ) -> Page {
        let days = (0..<14).map { pageContext.now.addingTimeInterval(Double(-$0) * 86_400) }
            .map { LocalDate(date: $0, in: .vietnam).display }
        return Layout.page(
            pageContext, title: "Hệ thống kết nối", notice: notice,
            .p(
                .a(.class("btn primary"), .href("/he-thong-ket-noi/moi"), .text("Đăng ký hệ thống")), .text(" "),
                .a(.href("/api/v1/reference"), .text("Tài liệu API")), .text(" · "),
                .a(.href("/nhat-ky-trao-doi"), .text("Nhật ký trao đổi"))),
            .if(systems.isEmpty, .p(.text("Chưa có hệ thống kết nối nào."))),
            .if(
                !systems.isEmpty,
                .div(
                    .class("table-scroll"),
                    .table(
                        .class("data"), .id("systems"),
                        .thead(
                            .tr(
                                .th("Hệ thống"), .th("Mã"), .th("Đơn vị vận hành"), .th("Thỏa thuận"), .th("Hiệu lực"),
                                .th("Trạng thái"), .th("Thông báo không gửi được"))),
                        .tbody(
                            .forEach(systems) { system in
                                .tr(
                                    .td(.a(.href("/he-thong-ket-noi/\(system.id!.uuidString)"), .text(system.name))),
                                    .td(.class("code"), .text(system.clientID)), .td(.text(system.operatorName)),
                                    .td(.text(system.agreementReference)), .td(.text(validity(system))),
                                    .td(.text(system.status.label)),
                                    .td(
                                        .class("num"),
                                        .a(
                                            .href("/he-thong-ket-noi/\(system.id!.uuidString)#webhook"),
                                            .text(Format.count(dead[system.id!] ?? 0)))))
                            })))),
            .h2("Số lượt gọi theo ngày (14 ngày gần nhất; trong ngoặc: số lượt bị từ chối)"),
            .div(
                .class("table-scroll"),
                .table(
                    .class("data"), .id("daily-counts"),
                    .thead(.tr(.th("Ngày"), .forEach(systems) { .th(.text($0.name)) })),
                    .tbody(
                        .forEach(days) { day in
                            .tr(
                                .td(.text(day)),
                                .forEach(systems) { system in
                                    let cell = counts[system.id!]?[day]
                                    return .td(
                                        .class("num"),
                                        .text(
                                            cell.map { "\(Format.count($0.calls)) (\(Format.count($0.refused)))" }
                                                ?? "0"))
                                })
                        })))
        )
    }

    static func validity(_ system: ConnectedSystem) -> String {
        let from = LocalDate(iso: system.validFrom)?.display ?? system.validFrom
        let to = system.validTo.flatMap(LocalDate.init(iso:))?.display
        return "từ \(from)" + (to.map { " đến \($0)" } ?? " (không thời hạn)")
    }

    static func form(
        _ pageContext: PageContext, units: [EnforcementUnit], values: [String: String], selected: Set<String>,
        errors: [String: String], status: HTTPResponseStatus
    ) -> Page {
        func field(_ name: String, _ label: String, required: Bool = true, hint: String? = nil) -> Node<
            HTML.FormContext
        > {
            Components.field(
                FieldSpec(
                    name: name, label: label, value: values[name] ?? "", error: errors[name], required: required,
                    hint: hint))
        }
        func resourceBoxes(_ prefix: String) -> Node<HTML.FormContext> {
            .forEach(ExchangeResource.allCases) { resource in
                let id = "f-\(prefix)-\(resource.rawValue)"
                return .div(
                    .class("field check"),
                    .label(
                        .for(id),
                        .selfClosedElement(
                            named: "input",
                            attributes: [
                                .attribute(named: "type", value: "checkbox"),
                                .attribute(named: "name", value: prefix + "[]"),
                                .attribute(named: "id", value: id),
                                .attribute(named: "value", value: resource.rawValue),
                            ]
                                + (selected.contains(prefix + ":" + resource.rawValue)
                                    ? [.attribute(named: "checked", value: "checked")] : [])),
                        .text(" " + resource.label)))
            }
        }
        return Layout.page(
            pageContext, title: "Đăng ký hệ thống kết nối", status: status,
            .form(
                .method(.post), .action("/he-thong-ket-noi/moi"),
                Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(errors),
                field(
                    "clientID", "Mã hệ thống", hint: "Dùng làm iss của JWT và keyid của chữ ký, ví dụ: toa-an-ha-noi"),
                field("name", "Tên hệ thống"),
                field("operator", "Đơn vị vận hành"),
                Components.fieldset(
                    "Thỏa thuận kết nối",
                    field("reference", "Số thỏa thuận"),
                    field("agreementDate", "Ngày thỏa thuận", hint: "dd/mm/yyyy"),
                    field("validFrom", "Hiệu lực từ ngày", hint: "dd/mm/yyyy"),
                    field("validTo", "Hiệu lực đến ngày", required: false, hint: "Bỏ trống nếu không thời hạn"),
                    field("callsPerMinute", "Tần suất cho phép (lượt gọi mỗi phút)"),
                    Components.textArea(
                        name: "responsibilities", label: "Trách nhiệm các bên", value: values["responsibilities"] ?? "",
                        error: errors["responsibilities"], required: true)),
                Components.fieldset(
                    "Phạm vi dữ liệu",
                    Components.select(
                        name: "units[]", label: "Đơn vị (bỏ trống: toàn quốc)",
                        options: units.map { ($0.id!.uuidString, "\($0.code) — \($0.name)") },
                        selected: units.map { $0.id!.uuidString }.filter { selected.contains($0) },
                        error: errors["units"], multiple: true),
                    .p(.text("Được đọc:")), resourceBoxes("read"),
                    .p(.text("Được ghi:")), resourceBoxes("write"),
                    .if(errors["read"] != nil, .p(.class("error"), .text(errors["read"] ?? ""))),
                    Components.checkbox(
                        name: "revealsIDNumbers", label: "Được nhận số định danh đầy đủ (nếu không: chỉ 3 số cuối)",
                        checked: values["revealsIDNumbers"] == "on")),
                Components.textArea(
                    name: "publicKey", label: "Khóa công khai (EC P-256, PEM)", value: values["publicKey"] ?? "",
                    error: errors["publicKey"], required: true),
                Components.submit("Đăng ký"))
        )
    }

    static func show(
        _ pageContext: PageContext, system: ConnectedSystem, units: [EnforcementUnit], recent: [ExchangeLogEntry],
        deliveries: ExchangeDeliveryList, webhook: (value: String, error: String?), notice: String?,
        status: HTTPResponseStatus
    ) -> Page {
        let agreement = system.agreement
        let unitNames = units.filter { agreement.units.contains($0.id!) }.map { "\($0.code) — \($0.name)" }
        let path = "/he-thong-ket-noi/\(system.id!.uuidString)"
        return Layout.page(
            pageContext, title: "Hệ thống kết nối: \(system.name)", status: status, notice: notice,
            .dl(
                .dt("Mã hệ thống"), .dd(.class("code"), .text(system.clientID)),
                .dt("Đơn vị vận hành"), .dd(.text(system.operatorName)),
                .dt("Thỏa thuận"),
                .dd(.text("\(system.agreementReference), ngày \(LocalDate(iso: system.agreementDate)?.display ?? "")")),
                .dt("Hiệu lực"), .dd(.text(validity(system))),
                .dt("Đơn vị trong phạm vi"),
                .dd(.text(unitNames.isEmpty ? "Toàn quốc" : unitNames.joined(separator: "; "))),
                .dt("Được đọc"), .dd(.text(agreement.read.map(\.label).sorted().joined(separator: "; "))),
                .dt("Được ghi"), .dd(.text(agreement.write.map(\.label).sorted().joined(separator: "; "))),
                .dt("Tần suất"), .dd(.text("\(Format.count(system.callsPerMinute)) lượt/phút")),
                .dt("Số định danh"), .dd(.text(system.revealsIDNumbers ? "Đầy đủ" : "Che, chỉ 3 số cuối")),
                .dt("Trách nhiệm các bên"), .dd(.text(system.responsibilities)),
                .dt("Trạng thái"), .dd(.text(system.status.label))),
            system.status == .active
                ? Components.postButton(
                    action: path + "/tam-dung", title: "Tạm dừng kết nối", csrf: pageContext.csrfToken, style: "danger")
                : Components.postButton(
                    action: path + "/kich-hoat", title: "Cho hoạt động lại", csrf: pageContext.csrfToken),
            ExchangeWebhookViews.section(pageContext, system: system, list: deliveries, webhook: webhook),
            .h2("Lượt gọi gần nhất"),
            logTable(recent)
        )
    }

    static func logTable(_ rows: [ExchangeLogEntry]) -> Node<HTML.BodyContext> {
        .div(
            .class("table-scroll"),
            .table(
                .class("data"), .id("exchange-log"),
                .thead(
                    .tr(
                        .th("Thời gian"), .th("Hệ thống"), .th("Thao tác"), .th("Dữ liệu"), .th("Phạm vi đơn vị"),
                        .th("Số bản ghi"), .th("Kết quả"), .th("Thời gian xử lý"), .th("Chữ ký"))),
                .tbody(
                    .forEach(rows) { row in
                        .tr(
                            .td(.text(Format.dateTime(row.at))), .td(.text(row.clientName)),
                            .td(.class("code"), .text(row.operation)), .td(.text(row.resources)),
                            .td(.text(row.unitScope)), .td(.class("num"), .text(String(row.records))),
                            .td(.text("\(row.status) \(row.result)")),
                            .td(.class("num"), .text("\(row.durationMs) ms")),
                            .td(.text(row.signature)))
                    })))
    }

    static func log(
        _ pageContext: PageContext, rows: [ExchangeLogEntry], values: [String: String], errors: [String: String],
        page: Int, hasNext: Bool, purposeError: String?, status: HTTPResponseStatus = .ok
    ) -> Page {
        func filterFields() -> Node<HTML.FormContext> {
            .group(
                Components.field(FieldSpec(name: "client", label: "Hệ thống", value: values["client"] ?? "")),
                Components.field(FieldSpec(name: "operation", label: "Thao tác", value: values["operation"] ?? "")),
                Components.select(
                    name: "result", label: "Kết quả",
                    options: [("", "Tất cả"), ("ok", "Thành công"), ("refused", "Bị từ chối, lỗi")],
                    selected: [values["result"] ?? ""], error: errors["result"]),
                Components.field(
                    FieldSpec(name: "from", label: "Từ ngày", value: values["from"] ?? "", error: errors["from"])),
                Components.field(
                    FieldSpec(name: "to", label: "Đến ngày", value: values["to"] ?? "", error: errors["to"])))
        }
        return Layout.page(
            pageContext, title: "Nhật ký trao đổi dữ liệu", status: status,
            .form(
                .class("filters"), .method(.get), .action("/nhat-ky-trao-doi"), filterFields(), Components.submit("Tìm")
            ),
            .if(rows.isEmpty, .p(.text("Không có lượt gọi nào."))),
            .if(!rows.isEmpty, logTable(rows)),
            Components.pager(
                basePath: "/nhat-ky-trao-doi",
                query: values.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                page: page, hasNext: hasNext),
            .h2("Trích xuất (CSV)"),
            .form(
                .method(.post), .action("/nhat-ky-trao-doi/xuat"),
                Components.csrf(pageContext.csrfToken),
                filterFields(),
                Components.textArea(
                    name: "purpose", label: "Mục đích trích xuất", value: "", error: purposeError, required: true),
                Components.submit("Trích xuất", style: "secondary"))
        )
    }
}

/// A readable reference of the API, rendered on the server from the same document it serves: the operations with
/// their summaries, then the document itself.
enum ExchangeReferenceView {
    struct Operation {
        let method: String
        let path: String
        let summary: String
    }

    /// The operations, read from the document's `paths` block (two-space YAML as the file is written).
    static func operations(_ spec: String) -> [Operation] {
        var result: [Operation] = []
        var inPaths = false
        var path = ""
        var method: String?
        for line in spec.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if !line.hasPrefix(" "), !line.isEmpty { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                method = String(line.dropFirst(4).dropLast()).uppercased()
            } else if let current = method, line.hasPrefix("      summary: ") {
                result.append(Operation(method: current, path: "/api/v1" + path, summary: String(line.dropFirst(15))))
                method = nil
            }
        }
        return result
    }

    static func page(_ pageContext: PageContext, spec: String) -> Page {
        Layout.page(
            pageContext, title: "API trao đổi dữ liệu — phiên bản 1",
            .p(
                .text("Tài liệu gốc (OpenAPI 3.1): "), .a(.href("/api/v1/openapi.yaml"), .text("/api/v1/openapi.yaml")),
                .text(". Cách xác thực, ký yêu cầu và ví dụ máy khách: docs/api.md.")),
            .table(
                .class("data"), .id("operations"),
                .thead(.tr(.th("Phương thức"), .th("Đường dẫn"), .th("Mô tả"))),
                .tbody(
                    .forEach(operations(spec)) { operation in
                        .tr(
                            .td(.class("code"), .text(operation.method)), .td(.class("code"), .text(operation.path)),
                            .td(.text(operation.summary)))
                    })),
            .h2(.id("problem-400"), .text("Lỗi")),
            .p(
                .text(
                    "Mọi lỗi trả về application/problem+json (RFC 9457): 400 yêu cầu sai tài liệu, 401 thiếu hoặc sai mã "
                        + "truy cập, chữ ký, tóm lược nội dung, nonce; 403 ngoài thời hạn, phạm vi thỏa thuận hoặc hệ "
                        + "thống bị tạm dừng; 404 không có hoặc ngoài phạm vi; 429 vượt tần suất (kèm Retry-After).")),
            .h2("Tài liệu đầy đủ"),
            .pre(.code(.text(spec)))
        )
    }
}
