import Foundation
import ThadsDomain
import Vapor

enum PeriodViews {
    static func locks(
        _ pageContext: PageContext, locks: [PeriodLock], unitNames: [UUID: String], today: LocalDate,
        errors: [String: String], notice: String?, status: HTTPResponseStatus
    ) -> Page {
        let canLock = pageContext.user?.can(.lockReportingPeriods) == true
        return Layout.page(
            pageContext, title: "Khóa số liệu kỳ báo cáo", status: status, notice: notice,
            .p(
                .text(
                    "Kỳ báo cáo tự khóa sau ngày làm việc đầu tiên kể từ ngày kết thúc kỳ (hạn nhập dữ liệu của ngày "
                        + "cuối kỳ). Sau khi khóa, thêm, sửa bản ghi có ngày thuộc kỳ cần đề nghị được Cục phê duyệt.")),
            .if(
                canLock,
                .form(
                    .method(.post), .action("/\(ReportsController.base)/khoa-so"),
                    Components.csrf(pageContext.csrfToken),
                    Components.formErrorSummary(errors),
                    Components.select(
                        name: "months", label: "Khóa sớm kỳ của đơn vị mình (năm thống kê hiện tại)",
                        options: (1...12).map { (String($0), "\($0) tháng") }, selected: [], error: errors["months"]),
                    Components.submit("Khóa số liệu", style: "secondary"))),
            .if(locks.isEmpty, .p(.text("Chưa có kỳ nào được khóa."))),
            .if(
                !locks.isEmpty,
                .table(
                    .class("data"), .id("locks"),
                    .thead(.tr(.th("Đơn vị"), .th("Kỳ"), .th("Khóa lúc"), .th("Người khóa"))),
                    .tbody(
                        .forEach(locks) { lock in
                            .tr(
                                .td(.text(unitNames[lock.unitID] ?? "")),
                                .td(.text(lock.period?.label ?? "\(lock.months) tháng \(lock.year)")),
                                .td(.text(Format.dateTime(lock.lockedAt))), .td(.text(lock.lockedBy)))
                        })))
        )
    }

    static func amendments(
        _ pageContext: PageContext, amendments: [PeriodAmendment], values: [String: String],
        errors: [String: String], notice: String?, status: HTTPResponseStatus
    ) -> Page {
        let user = pageContext.user
        let machine = StepMachine.periodAmendment
        return Layout.page(
            pageContext, title: "Đề nghị sửa số liệu kỳ đã khóa", status: status, notice: notice,
            .if(
                user?.can(.enterCaseData) == true,
                .form(
                    .method(.post), .action("/\(ReportsController.base)/dieu-chinh"),
                    Components.csrf(pageContext.csrfToken),
                    Components.formErrorSummary(errors.filter { !$0.key.hasPrefix("decision-") }),
                    Components.field(
                        FieldSpec(
                            name: "caseCode", label: "Mã hồ sơ", value: values["caseCode"] ?? "",
                            error: errors["caseCode"], required: true)),
                    Components.field(
                        FieldSpec(
                            name: "recordDate", label: "Ngày của bản ghi cần thêm, sửa (dd/mm/yyyy)",
                            value: values["recordDate"] ?? "", error: errors["recordDate"], required: true)),
                    Components.textArea(
                        name: "explanation", label: "Giải trình (dữ liệu nào, vì sao)",
                        value: values["explanation"] ?? "", error: errors["explanation"], required: true),
                    Components.submit("Gửi đề nghị"))),
            .if(amendments.isEmpty, .p(.text("Chưa có đề nghị nào."))),
            .if(
                !amendments.isEmpty,
                .table(
                    .class("data"), .id("amendments"),
                    .thead(
                        .tr(
                            .th("Số"), .th("Hồ sơ"), .th("Ngày bản ghi"), .th("Kỳ đã khóa"), .th("Giải trình"),
                            .th("Người đề nghị"), .th("Tình trạng"), .th("Xử lý"))),
                    .tbody(
                        .forEach(amendments) { amendment in
                            let actor = user.map { StepActor(id: $0.account.id, permissions: $0.permissions) }
                            let offered =
                                actor.map {
                                    machine.outcomes(at: amendment.state, for: $0, initiatorID: amendment.requestedByID)
                                } ?? []
                            let id = amendment.id!.uuidString
                            return .tr(
                                .td(.text(amendment.reference)), .td(.text(amendment.caseCode)),
                                .td(.text(LocalDate(iso: amendment.recordDate)?.display ?? "")),
                                .td(.text(amendment.periodLabel)), .td(.text(amendment.explanation)),
                                .td(.text(amendment.requestedBy)),
                                .td(
                                    .text(machine.step(amendment.state)?.label ?? amendment.state),
                                    .if(
                                        amendment.usedAt != nil,
                                        .p(.class("hint"), .text("Đã dùng: \(amendment.usedFor ?? "")")))),
                                .td(
                                    .unwrap(errors["decision-\(id)"]) { .p(.class("field-error"), .text($0)) },
                                    .forEach(offered) { outcome in
                                        .form(
                                            .class("inline"), .method(.post),
                                            .action("/\(ReportsController.base)/dieu-chinh/\(id)"),
                                            Components.csrf(pageContext.csrfToken),
                                            .input(.type(.hidden), .name("outcome"), .value(outcome.id)),
                                            .if(
                                                outcome.needsNote,
                                                Components.field(
                                                    FieldSpec(name: "note", label: "Lý do", required: true))),
                                            Components.submit(
                                                outcome.label, style: outcome.needsNote ? "secondary" : "primary"))
                                    }))
                        })))
        )
    }
}
