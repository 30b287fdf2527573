import Foundation
import ThadsDomain
import Vapor

/// The portal's pages for online support: plain forms that work on a phone and without JavaScript.
enum OnlinePublicViews {
    static let base = OnlinePublicController.base

    static func start(_ pageContext: PageContext) -> Page {
        PublicPages.page(
            pageContext, title: "Hỗ trợ trực tuyến thi hành án dân sự",
            .p(
                .text(
                    "Chọn thủ tục cần gửi. Ông/bà không cần tài khoản; cần có email để nhận mã xác thực và thông báo.")),
            .ul(
                .class("choices"),
                .forEach(OnlineProcedure.allCases) { procedure in
                    .li(.a(.href("\(base)/gui?thu-tuc=\(procedure.rawValue)"), .text(procedure.label)))
                }),
            .p(.a(.href("\(base)/tra-cuu"), .text("Tra cứu hồ sơ đã gửi")))
        )
    }

    static func chooseProvince(
        _ pageContext: PageContext, procedure: OnlineProcedure, provinces: [UnitCatalog.Province]
    ) -> Page {
        PublicPages.page(
            pageContext, title: procedure.label,
            .p(.text("Bước 1/3: chọn tỉnh, thành phố của cơ quan thi hành án dân sự nhận yêu cầu.")),
            .form(
                .method(.get), .action("\(base)/gui"),
                .input(.type(.hidden), .name("thu-tuc"), .value(procedure.rawValue)),
                Components.select(
                    name: "tinh", label: "Tỉnh, thành phố", options: provinces.map { ($0.code, $0.name) },
                    selected: [], required: true),
                Components.submit("Tiếp tục")
            )
        )
    }

    static func form(
        _ pageContext: PageContext, procedure: OnlineProcedure, provinceCode: String, bodies: [EnforcementUnit],
        values: [String: String], errors: [String: String], check: HumanCheck, maxUploadBytes: Int
    ) -> Page {
        let action = CSRF.uploadAction("\(base)/gui", token: pageContext.csrfToken)
        return PublicPages.page(
            pageContext, title: procedure.label, status: errors.isEmpty ? .ok : .badRequest,
            .p(.text("Bước 2/3: điền thông tin, đính kèm tài liệu. Các ô có dấu * là bắt buộc.")),
            .form(
                .method(.post), .action(action), .enctype(.multipartData),
                Components.csrf(pageContext.csrfToken),
                Components.formErrorSummary(errors),
                .input(.type(.hidden), .name("thu-tuc"), .value(procedure.rawValue)),
                .input(.type(.hidden), .name("tinh"), .value(provinceCode)),
                Components.select(
                    name: "co-quan", label: "Cơ quan thi hành án dân sự nhận yêu cầu",
                    options: bodies.map { ($0.id!.uuidString, $0.name) }, selected: [values["co-quan"] ?? ""],
                    error: errors["co-quan"], required: true),
                .forEach(OnlineRequestForm.fields(for: procedure)) { field in
                    field.multiline
                        ? Components.textArea(
                            name: field.key, label: field.label, value: values[field.key] ?? "",
                            error: errors[field.key], required: field.required)
                        : Components.field(
                            FieldSpec(
                                name: field.key, label: field.label, value: values[field.key] ?? "",
                                error: errors[field.key], required: field.required, hint: field.hint))
                },
                Components.fieldset(
                    "Tài liệu đính kèm",
                    .p(
                        .class("hint"),
                        .text(
                            "Tệp PDF, JPG, Word, Excel, ZIP hoặc RAR, mỗi tệp tối đa "
                                + "\(maxUploadBytes / 1_048_576) MB. "
                                + (OnlineRequestForm.needsAttachment(procedure)
                                    ? "Yêu cầu thi hành án cần kèm bản sao bản án, quyết định." : ""))),
                    .forEach(Array(OnlineRequestForm.fileKeys.enumerated())) { index, key in
                        fileField(key, label: "Tệp \(index + 1)", error: errors[key])
                    }),
                Components.fieldset(
                    "Liên hệ",
                    Components.field(
                        FieldSpec(
                            name: "email", label: "Email (nhận mã xác thực, thông báo)", value: values["email"] ?? "",
                            type: .email, error: errors["email"], required: true, autocomplete: "email")),
                    Components.field(
                        FieldSpec(
                            name: "dien-thoai", label: "Số điện thoại", value: values["dien-thoai"] ?? "", type: .tel,
                            error: errors["dien-thoai"], required: true, autocomplete: "tel"))),
                Components.fieldset(
                    "Câu hỏi kiểm tra",
                    .input(.type(.hidden), .name("cau-hoi"), .value(check.token)),
                    Components.field(
                        FieldSpec(
                            name: "tra-loi", label: check.question, error: errors["tra-loi"], required: true,
                            autocomplete: "off"))),
                Components.submit("Gửi và nhận mã xác thực")
            )
        )
    }

    static func fileField(_ key: String, label: String, error: String?) -> Node<HTML.FormContext> {
        .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for("f-" + key), .text(label)),
            .input(.type(.file), .name(key), .id("f-" + key)),
            .unwrap(error) { .p(.class("field-error"), .id("f-\(key)-error"), .text($0)) })
    }

    static func summary(_ request: OnlineRequest, unitName: String) -> Node<HTML.BodyContext> {
        .dl(
            .class("facts"),
            .dt("Thủ tục"), .dd(.text(request.kind.label)),
            .dt("Cơ quan nhận"), .dd(.text(unitName)),
            .forEach(OnlineRequestForm.fields(for: request.kind)) { field in
                .group(.dt(.text(field.label)), .dd(.text(request.fields[field.key] ?? "")))
            },
            .dt("Email"), .dd(.text(request.email)),
            .dt("Điện thoại"), .dd(.text(request.phone))
        )
    }

    static func verification(
        _ pageContext: PageContext, draft: OnlineRequest, unitName: String, error: String?,
        status: HTTPResponseStatus = .ok
    ) -> Page {
        PublicPages.page(
            pageContext, title: "Xác thực email và xác nhận gửi", status: status,
            .p(
                .text(
                    "Bước 3/3: mã xác thực gồm 6 chữ số đã được gửi tới email của ông/bà. Kiểm tra lại thông tin, "
                        + "nhập mã và bấm “Xác nhận gửi”.")),
            summary(draft, unitName: unitName),
            .form(
                .method(.post), .action("\(base)/xac-thuc/\(draft.id!.uuidString)"),
                Components.csrf(pageContext.csrfToken),
                Components.field(
                    FieldSpec(
                        name: "ma", label: "Mã xác thực", error: error, required: true, autocomplete: "one-time-code")),
                Components.submit("Xác nhận gửi")
            )
        )
    }

    static func done(_ pageContext: PageContext, request: OnlineRequest, link: String) -> Page {
        PublicPages.page(
            pageContext, title: "Đã gửi yêu cầu",
            .div(
                .class("alert success"),
                .p(
                    .text("Yêu cầu của ông/bà đã được gửi. Mã hồ sơ: "),
                    .strong(.id("ma-ho-so"), .text(request.trackingCode ?? ""))),
                .p(.text("Thời hạn giải quyết dự kiến: " + Format.dateTime(request.requestDueAt)))),
            .p(.text("Mã hồ sơ và đường dẫn theo dõi cũng được gửi tới email của ông/bà.")),
            .p(.a(.href(link), .id("lien-ket-theo-doi"), .text("Theo dõi hồ sơ")))
        )
    }

    static func lookup(
        _ pageContext: PageContext, values: [String: String], error: String?, status: HTTPResponseStatus = .ok
    ) -> Page {
        PublicPages.page(
            pageContext, title: "Tra cứu hồ sơ trực tuyến", status: status,
            .unwrap(error) { .div(.class("alert error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(
                .method(.post), .action("\(base)/tra-cuu"),
                Components.csrf(pageContext.csrfToken),
                Components.field(FieldSpec(name: "ma", label: "Mã hồ sơ", value: values["ma"] ?? "", required: true)),
                Components.field(
                    FieldSpec(
                        name: "email", label: "Email đã dùng khi gửi", value: values["email"] ?? "", type: .email,
                        required: true)),
                Components.submit("Tra cứu")
            )
        )
    }

    static func status(
        _ pageContext: PageContext, _ data: OnlineRequestData, token: String?, errors: [String: String],
        note: String?
    ) -> Page {
        let request = data.request
        let paused = request.machine.step(request.state)?.kind == .paused
        let messages = data.messages.filter(\.toSubmitter)
        return PublicPages.page(
            pageContext, title: "Hồ sơ \(request.trackingCode ?? "")",
            .unwrap(note) { .div(.class("alert success"), .text($0)) },
            .dl(
                .class("facts"),
                .dt("Thủ tục"), .dd(.text(request.kind.label)),
                .dt("Cơ quan giải quyết"), .dd(.text(data.unitName)),
                .dt("Ngày gửi"), .dd(.text(Format.dateTime(request.submittedAt))),
                .dt("Tình trạng"), .dd(.id("tinh-trang"), .text(request.stepLabel)),
                .dt("Thời hạn giải quyết"),
                .dd(
                    .text(paused ? "Tạm dừng trong thời gian chờ bổ sung hồ sơ" : Format.dateTime(request.requestDueAt))
                )
            ),
            .h2("Các bước xử lý"),
            .table(
                .class("data"), .id("cac-buoc"),
                .thead(.tr(.th("Bước"), .th("Kết quả"), .th("Thời điểm"), .th("Nội dung"))),
                .tbody(
                    .forEach(data.publicSteps) { line in
                        .tr(
                            .td(.text(line.step)), .td(.text(line.outcome)), .td(.text(Format.dateTime(line.at))),
                            .td(.text(line.note ?? "")))
                    },
                    .if(
                        !request.isFinal,
                        .tr(.class("current"), .td(.text(request.stepLabel)), .td("Đang xử lý"), .td(""), .td(""))))),
            .h2("Thông báo, tin nhắn"),
            .if(messages.isEmpty, .p("Chưa có thông báo.")),
            .ul(
                .class("messages"),
                .forEach(messages) { message in
                    .li(
                        .strong(.text(message.subject)), .text(" — " + Format.dateTime(message.at)),
                        .p(.class("pre"), .text(message.body)))
                }),
            .if(
                paused && token != nil,
                .section(
                    .h2("Bổ sung hồ sơ"),
                    .form(
                        .method(.post),
                        .action(
                            CSRF.uploadAction(
                                "\(base)/theo-doi/\(token ?? "")/bo-sung", token: pageContext.csrfToken)),
                        .enctype(.multipartData),
                        Components.csrf(pageContext.csrfToken),
                        Components.formErrorSummary(errors),
                        Components.textArea(
                            name: "noi-dung", label: "Nội dung bổ sung", value: "", error: errors["noi-dung"],
                            required: true),
                        .forEach(Array(OnlineRequestForm.fileKeys.enumerated())) { index, key in
                            fileField(key, label: "Tệp \(index + 1)", error: errors[key])
                        },
                        Components.submit("Gửi bổ sung")))),
            .if(
                paused && token == nil,
                .p(.text("Để gửi phần bổ sung, mở đường dẫn theo dõi trong email thông báo tiếp nhận.")))
        )
    }
}
