import Foundation
import ThadsDomain
import Vapor

enum OnlineStaffViews {
    static let base = "/" + OnlineStaffController.base

    static func dueCell(_ due: Date?, now: Date, calendar: WorkingCalendar) -> Node<HTML.TableRowContext> {
        let state = OnlineDueState.of(due: due, now: now, calendar: calendar)
        let css: String
        switch state {
        case .overdue: css = "due overdue"
        case .nearDue: css = "due near-due"
        default: css = "due"
        }
        return .td(
            .class(css),
            .text(due.map { Format.dateTime($0) } ?? "—"),
            .if(state == .overdue || state == .nearDue, .span(.class("badge"), .text(" " + state.label))))
    }

    static func queue(
        _ pageContext: PageContext, filters: OnlineStaffController.Filters, rows: [OnlineRequest], hasNext: Bool,
        calendar: WorkingCalendar
    ) -> Page {
        let states = OnlineProcedure.allCases.flatMap { procedure in
            procedure.machine.steps.filter { !$0.isFinal }.map { $0.id }
        }
        var stateOptions: [(value: String, label: String)] = [("", "— Tất cả —")]
        for state in states where !stateOptions.contains(where: { $0.value == state }) {
            let label = OnlineProcedure.allCases.compactMap { $0.machine.step(state)?.label }.first ?? state
            stateOptions.append((state, label))
        }
        var query: [(String, String)] = []
        if let procedure = filters.procedure { query.append(("thu-tuc", procedure.rawValue)) }
        if !filters.state.isEmpty { query.append(("buoc", filters.state)) }
        if let due = filters.due { query.append(("han", due.rawValue)) }
        if filters.all { query.append(("tat-ca", "1")) }
        return Layout.page(
            pageContext, title: "Hỗ trợ trực tuyến: hồ sơ tiếp nhận",
            .p(.a(.href("\(base)/tong-hop"), .text("Tổng hợp theo đơn vị, công chức"))),
            .form(
                .method(.get), .action(base), .class("filters"),
                Components.select(
                    name: "thu-tuc", label: "Thủ tục",
                    options: [("", "— Tất cả —")] + OnlineProcedure.allCases.map { ($0.rawValue, $0.label) },
                    selected: [filters.procedure?.rawValue ?? ""]),
                Components.select(name: "buoc", label: "Bước", options: stateOptions, selected: [filters.state]),
                Components.select(
                    name: "han", label: "Thời hạn",
                    options: [("", "— Tất cả —")] + OnlineDueState.allCases.map { ($0.rawValue, $0.label) },
                    selected: [filters.due?.rawValue ?? ""]),
                Components.checkbox(name: "tat-ca", label: "Gồm cả hồ sơ đã kết thúc", checked: filters.all),
                Components.submit("Lọc")
            ),
            .table(
                .class("data"), .id("hang-doi"),
                .thead(
                    .tr(
                        .th("Mã hồ sơ"), .th("Thủ tục"), .th("Người gửi"), .th("Bước hiện tại"), .th("Hạn bước"),
                        .th("Hạn hồ sơ"))),
                .tbody(
                    .forEach(rows) { row in
                        .tr(
                            .td(.a(.href("\(base)/\(row.id!.uuidString)"), .text(row.trackingCode ?? ""))),
                            .td(.text(row.kind.label)), .td(.text(row.submitterName)), .td(.text(row.stepLabel)),
                            dueCell(row.stepDueAt, now: pageContext.now, calendar: calendar),
                            dueCell(row.isFinal ? nil : row.requestDueAt, now: pageContext.now, calendar: calendar))
                    })),
            .if(rows.isEmpty, .p("Không có hồ sơ nào.")),
            Components.pager(basePath: base, query: query, page: filters.page, hasNext: hasNext)
        )
    }

    static func request(
        _ pageContext: PageContext, _ data: OnlineRequestData, outcomes: [StepMachine.Outcome], assignees: [Account],
        officers: [UUID: String], caseCode: String?, canMessage: Bool, canLinkCase: Bool, errors: [String: String],
        notice: String?, status: HTTPResponseStatus, calendar: WorkingCalendar
    ) -> Page {
        let request = data.request
        let path = "\(base)/\(request.id!.uuidString)"
        let token = pageContext.csrfToken
        let machine = request.machine
        return Layout.page(
            pageContext, title: "Hồ sơ trực tuyến \(request.trackingCode ?? "")", status: status,
            notice: notice.map { _ in "Đã lưu." },
            .dl(
                .class("facts"),
                .dt("Thủ tục"), .dd(.text(request.kind.label)),
                .dt("Cơ quan"), .dd(.text(data.unitName)),
                .dt("Ngày gửi"), .dd(.text(Format.dateTime(request.submittedAt))),
                .dt("Bước hiện tại"), .dd(.id("buoc-hien-tai"), .text(request.stepLabel)),
                .dt("Hạn bước"),
                .dd(
                    .text(Format.dateTime(request.stepDueAt)), .text(" "),
                    .text(OnlineDueState.of(due: request.stepDueAt, now: pageContext.now, calendar: calendar).label)),
                .dt("Hạn hồ sơ (5 ngày làm việc, trừ thời gian chờ bổ sung)"),
                .dd(.text(Format.dateTime(request.requestDueAt))),
                .unwrap(request.assignedOfficerID) { id in
                    .group(.dt("Công chức được phân công"), .dd(.text(officers[id] ?? "")))
                },
                .unwrap(request.classification) { text in
                    .group(.dt("Phân loại"), .dd(.text(classificationLabel(text))))
                },
                .unwrap(request.fee) { fee in .group(.dt("Phí, lệ phí"), .dd(.text(Format.money(fee)))) },
                .unwrap(caseCode) { code in .group(.dt("Hồ sơ thi hành án"), .dd(.text(code))) }
            ),
            .h2("Nội dung yêu cầu"),
            OnlinePublicViews.summary(request, unitName: data.unitName),
            .h2("Tệp đính kèm"),
            .ul(
                .forEach(data.files) { file in
                    .li(
                        .a(.href("\(path)/tep/\(file.id!.uuidString)"), .text(file.fileName)),
                        .text(" (\(file.size) byte, \(file.scan))"))
                }),
            .if(
                !outcomes.isEmpty,
                .section(
                    .h2(.text("Xử lý bước: " + (machine.step(request.state)?.label ?? ""))),
                    .form(
                        .method(.post), .action("\(path)/buoc"), .id("form-buoc"),
                        Components.csrf(token),
                        Components.formErrorSummary(errors),
                        Components.select(
                            name: "outcome", label: "Kết quả", options: outcomes.map { ($0.id, $0.label) },
                            selected: []),
                        Components.textArea(
                            name: "note", label: "Nội dung thông báo, lý do, lịch hẹn (gửi người nộp khi có thông báo)",
                            value: "", error: errors["note"]),
                        .if(
                            outcomes.contains { $0.id == "classify" },
                            Components.fieldset(
                                "Phân loại kiến nghị, phản ánh",
                                Components.select(
                                    name: "loai", label: "Theo nội dung",
                                    options: PetitionContentKind.allCases.map { ($0.rawValue, $0.label) }, selected: [],
                                    error: errors["loai"]),
                                Components.select(
                                    name: "dieu-kien", label: "Theo điều kiện xử lý",
                                    options: PetitionCondition.allCases.map { ($0.rawValue, $0.label) }, selected: [],
                                    error: errors["dieu-kien"]),
                                Components.select(
                                    name: "tham-quyen", label: "Theo thẩm quyền",
                                    options: PetitionCompetence.allCases.map { ($0.rawValue, $0.label) }, selected: [],
                                    error: errors["tham-quyen"]),
                                Components.field(
                                    FieldSpec(
                                        name: "so-nguoi", label: "Số người kiến nghị",
                                        value: request.fields["so-nguoi"] ?? "1", error: errors["so-nguoi"])))),
                        .if(
                            outcomes.contains { $0.id == "assign" },
                            Components.select(
                                name: "can-bo", label: "Công chức được phân công",
                                options: assignees.map { ($0.id!.uuidString, $0.fullName) }, selected: [],
                                error: errors["can-bo"])),
                        .if(
                            outcomes.contains { $0.id == "approve" },
                            Components.field(
                                FieldSpec(
                                    name: "phi", label: "Phí, lệ phí đã thu (đồng, nếu có)", error: errors["phi"]))),
                        Components.submit("Thực hiện")))),
            .if(
                canLinkCase && request.kind != .petition,
                .section(
                    .h2("Hồ sơ thi hành án"),
                    .form(
                        .method(.post), .action("\(path)/ho-so"),
                        Components.csrf(token),
                        Components.field(
                            FieldSpec(
                                name: "ma-ho-so", label: "Gắn với hồ sơ có mã", error: errors["ma-ho-so"],
                                required: true)),
                        Components.submit("Gắn hồ sơ", style: "secondary")),
                    .if(
                        request.kind == .enforcementRequest && request.caseID == nil,
                        .p(.a(.href(newCaseLink(request)), .text("Mở hồ sơ mới với thông tin của yêu cầu")))))),
            .h2("Tin nhắn, thông báo, ghi chú"),
            .table(
                .class("data"), .id("tin-nhan"),
                .thead(.tr(.th("Thời điểm"), .th("Loại"), .th("Người viết"), .th("Nội dung"), .th("Email"))),
                .tbody(
                    .forEach(data.messages) { message in
                        let mail = message.mailID.flatMap { data.mail[$0] }
                        return .tr(
                            .td(.text(Format.dateTime(message.at))),
                            .td(.text(kindLabel(message.kind) + (message.template.map { " (\($0))" } ?? ""))),
                            .td(.text(message.authorName)),
                            .td(.strong(.text(message.subject)), .p(.class("pre"), .text(message.body))),
                            .td(
                                .class(mail?.failed == true ? "mail-failed" : ""),
                                .text(mail?.label ?? ""),
                                .unwrap(mail?.lastError) { .p(.class("hint"), .text($0)) }))
                    })),
            .if(
                canMessage,
                .form(
                    .method(.post), .action("\(path)/tin-nhan"),
                    Components.csrf(token),
                    Components.textArea(
                        name: "tin-nhan", label: "Tin nhắn cho người gửi (cổng và email)", value: "",
                        error: errors["tin-nhan"]),
                    Components.submit("Gửi tin nhắn", style: "secondary"))),
            .form(
                .method(.post), .action("\(path)/ghi-chu"),
                Components.csrf(token),
                Components.textArea(
                    name: "ghi-chu", label: "Ghi chú nội bộ (người gửi không thấy)", value: "", error: errors["ghi-chu"]
                ),
                Components.submit("Lưu ghi chú", style: "secondary")),
            .h2("Lịch sử xử lý"),
            .table(
                .class("data"), .id("lich-su"),
                .thead(.tr(.th("Thời điểm"), .th("Bước"), .th("Kết quả"), .th("Người thực hiện"), .th("Ghi chú"))),
                .tbody(
                    .forEach(data.transitions) { transition in
                        .tr(
                            .td(.text(Format.dateTime(transition.at))),
                            .td(.text(machine.step(transition.fromState)?.label ?? transition.fromState)),
                            .td(
                                .text(
                                    machine.step(transition.fromState)?.outcome(transition.outcome)?.label
                                        ?? transition.outcome)),
                            .td(.text(transition.actorName)), .td(.text(transition.note ?? "")))
                    }))
        )
    }

    static func kindLabel(_ kind: String) -> String {
        switch kind {
        case "notice": "Thông báo"
        case "message": "Tin nhắn"
        case "supplement": "Người gửi bổ sung"
        default: "Ghi chú nội bộ"
        }
    }

    static func classificationLabel(_ text: String) -> String {
        let parts = text.split(separator: "|").map(String.init)
        guard parts.count == 4 else { return text }
        return [
            PetitionContentKind(rawValue: parts[0])?.label ?? parts[0],
            PetitionCondition(rawValue: parts[1])?.label ?? parts[1],
            PetitionCompetence(rawValue: parts[2])?.label ?? parts[2], "\(parts[3]) người",
        ].joined(separator: "; ")
    }

    /// The new-case form with what the request already says (the form ignores what it does not know).
    static func newCaseLink(_ request: OnlineRequest) -> String {
        var components = URLComponents()
        components.path = "/ho-so/moi"
        components.queryItems = [
            URLQueryItem(name: "startMode", value: "onRequest"),
            URLQueryItem(
                name: "requestReceivedOn", value: request.submittedAt.map { LocalDate(date: $0, in: .vietnam).display }),
        ]
        return components.string ?? "/ho-so/moi"
    }

    static func overview(_ pageContext: PageContext, _ overview: OnlineQueue.Overview) -> Page {
        func cells(_ f: OnlineQueue.Figures) -> [Node<HTML.TableRowContext>] {
            [
                .td(.text(String(f.received))), .td(.text(String(f.inProgress))), .td(.text(String(f.onTime))),
                .td(.text(String(f.late))),
            ]
        }
        let head: Node<HTML.BodyContext> = .thead(
            .tr(.th("Đơn vị / công chức"), .th("Tiếp nhận"), .th("Đang xử lý"), .th("Đúng hạn"), .th("Trễ hạn")))
        return Layout.page(
            pageContext, title: "Tổng hợp hỗ trợ trực tuyến",
            .h2("Theo đơn vị"),
            .table(
                .class("data"), .id("theo-don-vi"), head,
                .tbody(.forEach(overview.units) { row in .tr(.group([.td(.text(row.name))] + cells(row.figures))) })),
            .h2("Theo công chức xử lý gần nhất"),
            .table(
                .class("data"), .id("theo-cong-chuc"), head,
                .tbody(
                    .forEach(overview.officers) { row in
                        .tr(.group([.td(.text(row.name + " — " + row.unit))] + cells(row.figures)))
                    })),
            .p(
                .class("hint"),
                .text(
                    "Trễ hạn: đã kết thúc sau, hoặc còn mở quá thời hạn 05 ngày làm việc của cả hồ sơ "
                        + "(không tính thời gian chờ người gửi bổ sung)."))
        )
    }
}
