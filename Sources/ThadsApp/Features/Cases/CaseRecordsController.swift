import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Adding records to a case, correcting saved values, and dismissing quality warnings (B3–B6).
struct CaseRecordsController {
    /// The add forms of the case page: path segment, record kind, the tab that holds the form.
    static let sections: [(path: String, kind: CaseRecordKind, tab: CasePageData.Tab)] = [
        ("duong-su", .party, .parties), ("nghia-vu", .obligation, .obligations), ("quyet-dinh", .decision, .decisions),
        ("xac-minh", .verification, .verifications), ("thu-chi", .money, .obligations),
    ]

    func register(_ routes: any RoutesBuilder) {
        for section in Self.sections {
            routes.on(.POST, "ho-so", ":caseID", .constant(section.path), access: .permission(.enterCaseData)) {
                try await add(req: $0, kind: section.kind, tab: section.tab)
            }
        }
        routes.on(
            .GET, "ho-so", ":caseID", "sua", ":kind", ":recordID", access: .permission(.enterCaseData),
            use: correctionForm)
        routes.on(
            .POST, "ho-so", ":caseID", "sua", ":kind", ":recordID", access: .permission(.enterCaseData),
            use: correct)
        routes.on(
            .POST, "ho-so", ":caseID", "canh-bao", ":warningID", "bo-qua",
            access: .permission(.dismissQualityWarnings), use: dismiss)
    }

    // MARK: Adding

    func add(req: Request, kind: CaseRecordKind, tab: CasePageData.Tab) async throws -> Response {
        let enforcementCase = try await req.changeableCase()
        let context = try await CaseEntryContext.load(unitID: enforcementCase.unitID, in: req.context)
        let extended = kind == .money ? req.application.formExtensions.names(.moneyEntry) : []
        let extra = ["decisionKind", "outcome", "direction", "confirmDuplicate"] + extended
        var form = FormCheck(req, keys: CaseRecordFields.formKeys(kind) + extra)
        var ctx = req.context
        for name in extended { ctx.formChoices[name] = form[name] }
        var addition: CaseEntryService.Addition
        var decisionKind: CaseDecisionKind?
        switch kind {
        case .party: addition = .party
        case .obligation: addition = .obligation
        case .decision:
            decisionKind = form.choice("decisionKind", label: "Loại quyết định", CaseDecisionKind.self)
            addition = .party
        case .verification: addition = .party
        case .money:
            let direction = form.choice("direction", label: "Thu hay chi", MoneyDirection.self)
            addition = .money(direction ?? .collected)
        case .judgment, .caseFile: throw Abort(.notFound)
        }
        let values = CaseRecordFields.parse(kind, &form, context: context, decision: decisionKind)
        let lateReason = context.lateReason(for: CaseRecordFields.eventDate(kind, values), form: &form)
        let state = enforcementCase.state
        switch kind {
        case .decision:
            if let decisionKind {
                if decisionKind == .returnOfRequest && enforcementCase.startMode != .onRequest {
                    form.fail("decisionKind", "Chỉ trả đơn yêu cầu đối với hồ sơ thụ lý theo đơn yêu cầu.")
                }
                switch state.applying(decisionKind) {
                case .success(let next): addition = .decision(decisionKind, next)
                case .failure(let error): form.fail("decisionKind", error.message)
                }
            }
        case .verification:
            if let outcome = form.choice("outcome", label: "Kết quả xác minh", VerificationOutcome.self) {
                switch state.applying(.verification(outcome)) {
                case .success(let next): addition = .verification(outcome, next)
                case .failure(let error): form.fail("outcome", error.message)
                }
            }
        case .party:
            try await warnAboutNamesakes(values, in: enforcementCase, form: &form, on: req.db)
        default: break
        }
        guard form.isValid else {
            return try await CasesController.render(
                req, enforcementCase, tab: tab,
                form: .init(form: kind.rawValue, values: form.values, errors: form.errors))
        }
        do {
            try await CaseEntryService.add(
                addition, values: values, lateReason: lateReason, to: enforcementCase, context: context, in: ctx)
        } catch let locked as PeriodLocked {
            form.fail(CaseRecordFields.eventDateKey(kind) ?? "decisionKind", locked.message)
            return try await CasesController.render(
                req, enforcementCase, tab: tab,
                form: .init(form: kind.rawValue, values: form.values, errors: form.errors))
        } catch let refusal as ChangeObservers.Refusal {
            form.fail(refusal.field, refusal.message)
            return try await CasesController.render(
                req, enforcementCase, tab: tab,
                form: .init(form: kind.rawValue, values: form.values, errors: form.errors))
        }
        // What the record's followers queued (a payer's documents) goes out now rather than at the next delivery run.
        await req.context.deliverMail()
        return req.redirect(to: "/ho-so/\(enforcementCase.id!.uuidString)?tab=\(tab.rawValue)&thongbao=da-them")
    }

    /// A debtor with the same folded name and birth year in another case of the unit: shown with links before saving.
    private func warnAboutNamesakes(
        _ values: CaseRecordFields.Values, in enforcementCase: EnforcementCase, form: inout FormCheck,
        on db: any Database
    ) async throws {
        guard values["role"] == PartyRole.debtor.rawValue, values["kind"] == PartyKind.person.rawValue,
            let year = values["birthYear"].flatMap({ Int($0) }), form["confirmDuplicate"].isEmpty,
            form.errors["fullName"] == nil
        else { return }
        let caseIDs = try await CaseParty.query(on: db).filter(\.$unitID == enforcementCase.unitID)
            .filter(\.$nameFolded == VietnameseText.fold(values["fullName"] ?? "")).filter(\.$birthYear == year)
            .filter(\.$role == .debtor).filter(\.$caseID != enforcementCase.id!).limit(20).all(\.$caseID)
        guard !caseIDs.isEmpty else { return }
        let codes = try await EnforcementCase.query(on: db).filter(\.$id ~~ Set(caseIDs)).sort(\.$code).all()
        form.fail(
            "confirmDuplicate",
            "Người phải thi hành án cùng họ tên và năm sinh đã có trong hồ sơ: "
                + codes.map { "\($0.code)|\($0.id!.uuidString)" }.joined(separator: ", ")
                + ". Đánh dấu xác nhận nếu đây đúng là người này hoặc là người khác trùng tên.")
    }

    // MARK: Correcting

    private func record(_ req: Request, of enforcementCase: EnforcementCase) async throws -> CaseRecord {
        guard let kind = req.parameters.get("kind").flatMap(CaseRecordKind.init(rawValue:)),
            let id = req.parameters.get("recordID", as: UUID.self),
            let record = try await CaseRecord.load(kind, id: id, of: enforcementCase, on: req.db)
        else { throw Abort(.notFound) }
        return record
    }

    func correctionForm(req: Request) async throws -> Response {
        let enforcementCase = try await req.changeableCase()
        let record = try await record(req, of: enforcementCase)
        let context = try await CaseEntryContext.load(unitID: enforcementCase.unitID, in: req.context)
        let values = record.values(keys: req.application.keys).mapValues { $0 }
        var shown: [String: String] = [:]
        for (field, value) in values { shown[field] = CaseRecordFields.formText(field, value) }
        return try await CaseFormViews.correction(
            req.pageContext, enforcementCase, record: record, context: context, values: shown, errors: [:],
            pending: hasPending(record, on: req.db), status: .ok
        ).response
    }

    func correct(req: Request) async throws -> Response {
        let enforcementCase = try await req.changeableCase()
        let record = try await record(req, of: enforcementCase)
        let context = try await CaseEntryContext.load(unitID: enforcementCase.unitID, in: req.context)
        var form = FormCheck(req, keys: CaseRecordFields.formKeys(record.kind) + ["reasonCode", "reasonNote"])
        var decisionKind: CaseDecisionKind?
        if case .decision(let decision) = record { decisionKind = decision.kind }
        var values = CaseRecordFields.parse(record.kind, &form, context: context, decision: decisionKind)
        let reasons = context.reasons("correction")
        let code = form.catalogCode("reasonCode", label: "Lý do hiệu chỉnh", entries: reasons)
        let note = form.text(
            "reasonNote", label: "Diễn giải", required: code?.hasSuffix("OTHER") ?? false, max: 500, lines: .multi)
        let stored = record.values(keys: req.application.keys)
        if case .money = record {
            // A correction may turn a collection into a payment (or back) and bring an amount to zero.
            if let direction = form.choice("direction", label: "Thu hay chi", MoneyDirection.self) {
                values["direction"] = direction.rawValue
            }
            let digits = form["amount"].filter { $0.isNumber }
            if !digits.isEmpty && digits.allSatisfy({ $0 == "0" }) {
                form.errors["amount"] = nil
                values["amount"] = "0"
            }
        }
        if CorrectionPolicy.canVoid(record.kind) {
            // Checked: void (keeping the note of an earlier void); unchecked: in force (restores a voided row).
            let current = stored[CorrectionPolicy.voidField] ?? ""
            let reasonText = code.map { code in reasons.first { $0.code == code }?.name ?? code } ?? ""
            let actorName = try req.user.account.fullName
            let voidNote =
                (note.isEmpty ? reasonText : "\(reasonText): \(note)") + " — \(actorName), " + req.clock.today.display
            values[CorrectionPolicy.voidField] =
                form[CorrectionPolicy.voidField].isEmpty ? "" : current.isEmpty ? voidNote : current
        }
        let changes = try CaseCorrectionService.changes(
            record, new: values, context: context, keys: req.application.keys)
        if form.isValid && changes.isEmpty { form.fail("reasonCode", "Không có giá trị nào thay đổi.") }
        let pending = try await hasPending(record, on: req.db)
        if pending { form.fail("reasonCode", "Bản ghi này đang có đề nghị hiệu chỉnh chờ duyệt.") }
        guard form.isValid, let code else {
            return try await CaseFormViews.correction(
                req.pageContext, enforcementCase, record: record, context: context, values: form.values,
                errors: form.errors,
                pending: pending, status: .badRequest
            ).response
        }
        let reasonName = reasons.first { $0.code == code }?.name ?? code
        let reason = note.isEmpty ? reasonName : "\(reasonName): \(note)"
        let outcome: CaseCorrectionService.Outcome
        do {
            outcome = try await CaseCorrectionService.request(
                record, changes: changes, reason: reason, reasonCode: code, of: enforcementCase, in: req.context)
        } catch let locked as PeriodLocked {
            return try await CaseFormViews.correction(
                req.pageContext, enforcementCase, record: record, context: context, values: form.values,
                errors: [CaseRecordFields.eventDateKey(record.kind) ?? "reasonCode": locked.message],
                pending: false, status: .badRequest
            ).response
        } catch let refusal as ChangeObservers.Refusal {
            return try await CaseFormViews.correction(
                req.pageContext, enforcementCase, record: record, context: context, values: form.values,
                errors: [refusal.field: refusal.message], pending: false, status: .badRequest
            ).response
        }
        let notice = outcome == .applied ? "da-hieu-chinh" : "cho-duyet"
        return req.redirect(to: "/ho-so/\(enforcementCase.id!.uuidString)?tab=lich-su&thongbao=\(notice)")
    }

    private func hasPending(_ record: CaseRecord, on db: any Database) async throws -> Bool {
        try await CaseCorrection.query(on: db).filter(\.$recordID == record.id!).filter(\.$status == .pending)
            .count() > 0
    }

    // MARK: Dismissing warnings

    func dismiss(req: Request) async throws -> Response {
        let enforcementCase = try await req.scopedCase()
        guard try req.user.unit.id == enforcementCase.unitID else { throw Abort(.forbidden) }
        guard let id = req.parameters.get("warningID", as: UUID.self),
            let warning = try await QualityWarning.find(id, on: req.db), warning.caseID == enforcementCase.id
        else { throw Abort(.notFound) }
        let context = try await CaseEntryContext.load(unitID: enforcementCase.unitID, in: req.context)
        let key = "dismiss-" + id.uuidString
        var form = FormCheck(req, keys: [key, key + "-note"])
        let reasons = context.reasons("dismissWarning")
        let code = form.catalogCode(key, label: "Lý do bỏ qua", entries: reasons)
        let note = form.text(key + "-note", label: "Diễn giải", required: code?.hasSuffix("OTHER") ?? false, max: 500)
        if warning.status != .open { form.fail(key, "Cảnh báo này không còn mở.") }
        guard form.isValid, let code else {
            return try await CasesController.render(
                req, enforcementCase, tab: .warnings,
                form: .init(form: "dismiss", values: form.values, errors: form.errors))
        }
        let reasonName = reasons.first { $0.code == code }?.name ?? code
        let reason = note.isEmpty ? reasonName : "\(reasonName): \(note)"
        let user = try req.user
        try await req.write { db in
            warning.status = .dismissed
            warning.closedAt = req.clock.now
            warning.dismissedByID = user.account.id
            warning.dismissReason = reason
            try await warning.save(on: db)
            try await req.audit(
                AuditEntry(
                    action: "case.warning-dismissed", objectType: "case", objectID: enforcementCase.id?.uuidString,
                    unitID: enforcementCase.unitID,
                    summary: "\(enforcementCase.code): bỏ qua cảnh báo “\(warning.rule.label)”. Lý do: \(reason)"),
                on: db)
        }
        return req.redirect(to: "/ho-so/\(enforcementCase.id!.uuidString)?tab=canh-bao&thongbao=da-bo-qua")
    }
}
