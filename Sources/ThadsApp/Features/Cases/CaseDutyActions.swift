import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Duties as actions (issue 20, item 4): each duty row on the work list and the case page carries what discharges
/// it. The delivery of the enforcement decision is recorded here as a normal record — its date on the decision, an
/// audit event, no correction and no reason — and the verification and the payout lead to their add forms.
struct CaseDutyActionsController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(
            .POST, "ho-so", ":caseID", "giao-quyet-dinh", access: .permission(.enterCaseData), use: recordDelivery)
    }

    func recordDelivery(req: Request) async throws -> Response {
        let enforcementCase = try await req.changeableCase()
        let caseID = enforcementCase.id!.uuidString
        let back =
            (try? req.content.get(String.self, at: "ve")) == "viec-cua-toi" ? "/viec-cua-toi" : "/ho-so/\(caseID)"
        var form = FormCheck(req, keys: ["notifiedOn"])
        let today = req.clock.today
        let day = form.date("notifiedOn", label: "Ngày giao, thông báo", required: true, notAfter: today)
        var message = form.errors["notifiedOn"]
        if let day, form.isValid {
            do {
                try await CaseDutyActions.recordDelivery(enforcementCase, on: day, in: req.context)
                return req.redirect(to: back + (back.contains("?") ? "&" : "?") + "thongbao=da-giao")
            } catch let refused as CaseDutyActions.Refused {
                message = refused.message
            } catch let locked as PeriodLocked {
                message = locked.message
            }
        }
        // Shown on the case page, next to the duty it was for.
        return try await CasesController.render(
            req, enforcementCase, tab: .summary,
            form: .init(
                form: "delivery", values: ["notifiedOn": form["notifiedOn"]], errors: ["notifiedOn": message ?? ""]))
    }
}

enum CaseDutyActions {
    struct Refused: Error {
        let message: String
    }

    /// Records that the first enforcement decision was delivered on `day`.
    static func recordDelivery(_ enforcementCase: EnforcementCase, on day: LocalDate, in ctx: ActionContext)
        async throws
    {
        let caseID = try enforcementCase.requireID()
        let deadlines = ctx.app.caseDeadlines
        try await ctx.write { db in
            let decisions = try await CaseDecision.query(on: db).filter(\.$caseID == caseID)
                .filter(\.$kind == .enforcement).all()
            guard let first = decisions.min(by: { ($0.decidedOn, $0.enteredAt) < ($1.decidedOn, $1.enteredAt) }) else {
                throw Refused(message: "Hồ sơ chưa có quyết định thi hành án.")
            }
            if let notified = first.notifiedOn.flatMap(LocalDate.init(iso:)) {
                throw Refused(
                    message: "Quyết định thi hành án đã được ghi nhận giao, thông báo ngày \(notified.display).")
            }
            if let decided = LocalDate(iso: first.decidedOn), day < decided {
                throw Refused(
                    message: "Ngày giao, thông báo không được trước ngày ra quyết định (\(decided.display)).")
            }
            try await PeriodLocks.admit(
                caseID: caseID, unitID: enforcementCase.unitID, dates: [day], change: "ghi nhận giao quyết định",
                in: ctx, on: db)
            first.notifiedOn = day.iso
            try await first.save(on: db)
            enforcementCase.updatedAt = ctx.now
            try await enforcementCase.save(on: db)
            try await CaseQualityService.refresh(
                enforcementCase, today: ctx.today, at: ctx.now, deadlines: deadlines, on: db)
            try await ctx.app.changeObservers.changed(.enforcementCase, id: caseID, ctx: ctx, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "case.decision-delivered", objectType: "case", objectID: caseID.uuidString,
                    unitID: enforcementCase.unitID,
                    summary: "\(enforcementCase.code): ghi nhận đã giao, thông báo quyết định thi hành án số "
                        + "\(first.number) ngày \(day.display)",
                    after: AuditEntry.json(["decisionID": first.id!.uuidString, "notifiedOn": day.iso])), on: db)
        }
    }

    /// What discharges a duty, shown in its row: a one-field form for the delivery, a link to the add form for the
    /// others. `back` is where the delivery form returns ("viec-cua-toi" or the case page).
    static func action(
        _ duty: CaseDuty, caseID: UUID, pageContext: PageContext, canChange: Bool, back: String?, today: LocalDate
    ) -> Node<HTML.BodyContext> {
        let base = "/ho-so/\(caseID.uuidString)"
        guard canChange else { return .a(.href(base), .text("Xem hồ sơ")) }
        switch duty.kind {
        case .notifyEnforcementDecision:
            return .form(
                .class("duty-action"), .method(.post), .action(base + "/giao-quyet-dinh"),
                Components.csrf(pageContext.csrfToken),
                .unwrap(back) { .input(.type(.hidden), .name("ve"), .value($0)) },
                .label(.for("d-\(caseID.uuidString)"), .class("visually-hidden"), .text("Ngày giao, thông báo")),
                .input(
                    .type(.text), .name("notifiedOn"), .id("d-\(caseID.uuidString)"), .value(today.display),
                    .attribute(named: "size", value: "10"), .attribute(named: "inputmode", value: "numeric")),
                Components.submit("Ghi nhận đã giao", style: "secondary"))
        case .verifyMeans:
            return .a(.href(base + "?tab=xac-minh#form-verification"), .text("Nhập kết quả xác minh"))
        case .payOut:
            return .a(.href(base + "?tab=nghia-vu#form-money"), .text("Nhập khoản chi trả"))
        case .voluntaryPeriodEnds:
            return .a(.href(base), .text("Xem hồ sơ"))
        }
    }
}
