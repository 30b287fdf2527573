import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The case list, opening a case, and the case page with its tabs (B1, B3, H3).
struct CasesController {
    static let decisionPrefix = "qd-"

    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "ho-so", access: .permission(.viewCases), use: list)
        routes.on(.GET, "api", "ho-so", access: .permission(.viewCases), use: searchJSON)
        routes.on(.GET, "ho-so", "moi", access: .permission(.enterCaseData), use: newCase)
        routes.on(.POST, "ho-so", "moi", access: .permission(.enterCaseData), use: open)
        routes.on(.GET, "ho-so", ":caseID", access: .permission(.viewCases), use: show)
        routes.on(.GET, "ho-so", ":caseID", "in", access: .permission(.viewCases), use: printView)
    }

    // MARK: List and search

    /// The search form's fields, read from the query string (the same keys for the page and the JSON endpoint).
    struct Filters {
        var query = CaseSearch.Query()

        init(_ req: Request) {
            func text(_ key: String, max: Int = 200) -> String {
                String(
                    VietnameseText.nfc((req.query[String.self, at: key] ?? "").trimmingCharacters(in: .whitespaces))
                        .prefix(max))
            }
            query.text = text("q", max: 60)
            query.name = text("ten")
            query.nameMode = CaseSearch.NameMode(rawValue: text("cach-tim")) ?? .words
            query.idNumber = text("so-dinh-danh", max: 20)
            query.status = CaseStatus(rawValue: text("trang-thai"))
            query.unitID = UUID(uuidString: text("don-vi"))
            query.officerID = UUID(uuidString: text("chap-hanh-vien"))
            // A value the filter cannot read is refused with a message, never dropped: a dropped date would widen the
            // search without telling.
            var errors: [String: String] = [:]
            var rejected: [String: String] = [:]
            func date(
                _ key: String, _ label: String, _ errors: inout [String: String], _ rejected: inout [String: String]
            )
                -> LocalDate?
            {
                let typed = text(key, max: 40)
                guard !typed.isEmpty else { return nil }
                guard let day = LocalDate(typed: typed) else {
                    errors[key] = "\(label): “\(typed)” không phải ngày hợp lệ (nhập dd/mm/yyyy)."
                    rejected[key] = typed
                    return nil
                }
                return day
            }
            query.openedFrom = date("tu-ngay", "Thụ lý từ ngày", &errors, &rejected)
            query.openedTo = date("den-ngay", "Thụ lý đến ngày", &errors, &rejected)
            if let from = query.openedFrom, let to = query.openedTo, to < from {
                errors["den-ngay"] = "Ngày cuối (\(to.display)) không được trước ngày đầu (\(from.display))."
            }
            for (key, label) in [
                ("trang-thai", "Trạng thái"), ("don-vi", "Đơn vị"), ("chap-hanh-vien", "Chấp hành viên"),
            ]
            where !text(key).isEmpty {
                let ok =
                    key == "trang-thai"
                    ? query.status != nil : key == "don-vi" ? query.unitID != nil : query.officerID != nil
                if !ok { errors[key] = "\(label): giá trị không hợp lệ." }
            }
            let sort = text("sap-xep", max: 20)
            query.sort = CaseSearch.Sort(rawValue: sort)
            if !sort.isEmpty && query.sort == nil { errors["sap-xep"] = "Cách sắp xếp không hợp lệ." }
            let page = text("trang")
            if !page.isEmpty && Int(page) == nil { errors["trang"] = "Số trang không hợp lệ." }
            query.page = max(1, min(Int(page) ?? 1, 1_000))
            self.errors = errors
            self.rejected = rejected
        }

        /// Refused filter values by field, and what was typed there (shown back as typed).
        var errors: [String: String] = [:]
        var rejected: [String: String] = [:]

        var items: [(String, String)] {
            var items: [(String, String)] = []
            if !query.text.isEmpty { items.append(("q", query.text)) }
            if !query.name.isEmpty {
                items.append(("ten", query.name))
                items.append(("cach-tim", query.nameMode.rawValue))
            }
            if !query.idNumber.isEmpty { items.append(("so-dinh-danh", query.idNumber)) }
            if let status = query.status { items.append(("trang-thai", status.rawValue)) }
            if let unitID = query.unitID { items.append(("don-vi", unitID.uuidString)) }
            if let officerID = query.officerID { items.append(("chap-hanh-vien", officerID.uuidString)) }
            if let from = query.openedFrom { items.append(("tu-ngay", from.display)) }
            if let to = query.openedTo { items.append(("den-ngay", to.display)) }
            if let sort = query.sort { items.append(("sap-xep", sort.rawValue)) }
            return items
        }
    }

    func list(req: Request) async throws -> Response {
        let user = try req.user
        let filters = Filters(req)
        var result: CaseSearch.Result
        var idNumberError: String?
        if !filters.errors.isEmpty {
            result = CaseSearch.Result(page: 1, hasNext: false, hits: [])
        } else if filters.query.idNumber.isEmpty {
            result = try await CaseSearch.run(
                filters.query, scope: user.scope, keys: req.application.keys, on: req.db)
        } else {
            let outcome = try await CaseIDLookup.search(filters.query, in: req.context)
            result = outcome.result
            if outcome.refused { idNumberError = CaseIDLookup.refusalMessage }
        }
        let units = try await EnforcementUnit.query(on: req.db).all()
        let visibleUnits = units.filter { user.scope.contains($0.id!) }.sorted { $0.code < $1.code }
        let response = CaseListViews.list(
            req.pageContext, result: result, filters: filters, units: visibleUnits,
            unitNames: Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) }), idNumberError: idNumberError
        ).response
        // The case page's "back to the list" returns to this search and page (an ID number is never kept).
        var components = URLComponents()
        components.queryItems = (filters.items.filter { $0.0 != "so-dinh-danh" } + [("trang", String(result.page))])
            .map { URLQueryItem(name: $0.0, value: $0.1) }
        response.cookies[Self.listCookie] = HTTPCookies.Value(
            string: components.percentEncodedQuery ?? "", path: "/ho-so",
            isSecure: req.application.settings.usesHTTPS, isHTTPOnly: true, sameSite: .strict)
        return response
    }

    static let listCookie = "thads-case-list"

    /// The list the user came from: "/ho-so?…" rebuilt from the cookie through `Filters`, so only its known keys
    /// and values pass.
    static func backToList(_ req: Request) -> String {
        guard let stored = req.cookies[listCookie]?.string, !stored.isEmpty,
            let items = URLComponents(string: "/ho-so?" + stored)?.queryItems
        else { return "/ho-so" }
        let known = Set([
            "q", "ten", "cach-tim", "trang-thai", "don-vi", "chap-hanh-vien", "tu-ngay", "den-ngay", "sap-xep", "trang",
        ])
        var components = URLComponents()
        components.path = "/ho-so"
        components.queryItems = items.filter { known.contains($0.name) && ($0.value?.count ?? 0) <= 200 }
        return components.string ?? "/ho-so"
    }

    /// The same search as JSON, for other systems and the API (scope-filtered, ID numbers masked).
    func searchJSON(req: Request) async throws -> CaseSearch.Result {
        let user = try req.user
        let filters = Filters(req)
        if let message = filters.errors.sorted(by: { $0.key < $1.key }).first?.value {
            throw Abort(.badRequest, reason: message)
        }
        let query = filters.query
        guard !query.idNumber.isEmpty else {
            return try await CaseSearch.run(query, scope: user.scope, keys: req.application.keys, on: req.db)
        }
        let outcome = try await CaseIDLookup.search(query, in: req.context)
        if outcome.refused { throw Abort(.forbidden, reason: CaseIDLookup.refusalMessage) }
        return outcome.result
    }

    // MARK: Opening a case

    func newCase(req: Request) async throws -> Response {
        let user = try req.user
        let context = try await CaseEntryContext.load(unitID: user.unit.id!, in: req.context)
        var values = ["startMode": CaseStartMode.exOfficio.rawValue]
        // Another page may open the form pre-filled (an accepted online request); saving checks these values as if
        // they had been typed.
        for key in CaseRecordFields.formKeys(.caseFile) + CaseRecordFields.formKeys(.judgment) {
            if let value = req.query[String.self, at: key] { values[key] = String(value.prefix(500)) }
        }
        return CaseFormViews.newCase(
            req.pageContext, context: context, values: values, errors: [:],
            twins: [],
            status: .ok
        ).response
    }

    func open(req: Request) async throws -> Response {
        let user = try req.user
        let context = try await CaseEntryContext.load(unitID: user.unit.id!, in: req.context)
        var judgmentForm = FormCheck(req, keys: CaseRecordFields.formKeys(.judgment) + ["confirmDuplicate"])
        var caseForm = FormCheck(req, keys: CaseRecordFields.formKeys(.caseFile) + ["limitationReason"])
        var decisionForm = FormCheck(req, keys: CaseRecordFields.formKeys(.decision), prefix: Self.decisionPrefix)
        let judgment = CaseRecordFields.parse(.judgment, &judgmentForm, context: context)
        let caseFile = CaseRecordFields.parse(.caseFile, &caseForm, context: context)
        let decision = CaseRecordFields.parse(.decision, &decisionForm, context: context, decision: .enforcement)
        if let effective = LocalDate(iso: judgment["effectiveDate"] ?? ""),
            let decided = LocalDate(iso: decision["decidedOn"] ?? ""), decided < effective
        {
            decisionForm.fail(
                "decidedOn", "Quyết định thi hành án không được trước ngày bản án có hiệu lực (\(effective.display)).")
        }
        // A case accepted on a day of a locked period would change that period's figures (B7).
        if let decided = LocalDate(iso: decision["decidedOn"] ?? ""), let unitID = try req.user.unit.id,
            let lock = try await PeriodLocks.lock(covering: decided, unitID: unitID, on: req.db)
        {
            decisionForm.fail(
                "decidedOn",
                "Ngày \(decided.display) thuộc kỳ báo cáo đã khóa số liệu (\(lock.period?.label ?? "")): không thụ lý "
                    + "hồ sơ vào kỳ đã khóa. Kiểm tra lại ngày ra quyết định; nếu đúng là việc của kỳ đã khóa, báo Cục "
                    + "Quản lý THADS để được hướng dẫn sửa số liệu kỳ đã khóa.")
        }
        let limitationReason = Self.limitationReason(judgment: judgment, caseFile: caseFile, form: &caseForm, context)
        // One late reason covers the receipt of the judgment and the decision, whichever is late.
        let lateEvent = [
            CaseRecordFields.eventDate(.judgment, judgment), CaseRecordFields.eventDate(.decision, decision),
        ].compactMap { $0 }.filter { context.isLate($0) }.min()
        let lateReason = context.lateReason(for: lateEvent, form: &judgmentForm)
        // The usual pair (ex officio and on request) needs no confirmation; another case started the same way does.
        let startMode = CaseStartMode(rawValue: caseFile["startMode"] ?? "")
        // Looked up only with a number the form accepted: a refused one may hold what the database cannot take.
        let numberAccepted = judgmentForm.errors["number"] == nil && judgmentForm.errors["courtCode"] == nil
        let twins =
            numberAccepted
            ? try await CaseEntryService.twins(
                courtCode: judgment["courtCode"] ?? "", number: judgment["number"] ?? "", on: req.db
            ).filter { twin in startMode.map { CaseQuality.isDuplicateOnJudgment($0, twin.startMode) } ?? true } : []
        if !twins.isEmpty && judgmentForm["confirmDuplicate"].isEmpty {
            judgmentForm.fail(
                "confirmDuplicate",
                "Bản án này đã có trong hồ sơ khác (xem danh sách). Đánh dấu xác nhận nếu đây là việc thi hành án khác "
                    + "từ cùng bản án.")
        }
        let errors = judgmentForm.errors.merging(caseForm.errors) { a, _ in a }
            .merging(decisionForm.errors(prefix: Self.decisionPrefix)) { a, _ in a }
        guard errors.isEmpty else {
            let values = judgmentForm.values.merging(caseForm.values) { a, _ in a }
                .merging(decisionForm.values(prefix: Self.decisionPrefix)) { a, _ in a }
            return CaseFormViews.newCase(
                req.pageContext, context: context, values: values, errors: errors, twins: twins, status: .badRequest
            ).response
        }
        let opened = try await CaseEntryService.open(
            judgment: judgment, caseFile: caseFile, decision: decision, lateReason: lateReason,
            limitationReason: limitationReason, context: context, in: req.context)
        return req.redirect(to: "/ho-so/\(opened.id!.uuidString)?thongbao=da-thu-ly")
    }

    /// The override reason of a request entered after its limitation period (counted from the judgment's effective
    /// date): the warning with its legal basis until a reason of at least `RequestLimitation.minimumReasonLength`
    /// characters is given; nil for a request in time, or when a date it needs is missing or refused.
    static func limitationReason(
        judgment: CaseRecordFields.Values, caseFile: CaseRecordFields.Values, form: inout FormCheck,
        _ context: CaseEntryContext
    ) -> String? {
        guard caseFile["startMode"] == CaseStartMode.onRequest.rawValue,
            let requested = LocalDate(iso: caseFile["requestReceivedOn"] ?? ""),
            let effective = LocalDate(iso: judgment["effectiveDate"] ?? ""),
            let warning = RequestLimitation.warning(
                requestReceived: requested, judgmentEffective: effective, deadlines: context.deadlines)
        else { return nil }
        let reason = form.text(
            "limitationReason", label: "Lý do thụ lý khi đơn yêu cầu quá thời hiệu", max: 1000, lines: .multi)
        guard reason.count >= RequestLimitation.minimumReasonLength else {
            form.fail("limitationReason", warning)
            return nil
        }
        return reason
    }

    // MARK: Case page

    func show(req: Request) async throws -> Response {
        let enforcementCase = try await req.scopedCase()
        let tab = req.query[String.self, at: "tab"].flatMap(CasePageData.Tab.init(rawValue:)) ?? .summary
        return try await Self.render(req, enforcementCase, tab: tab, form: nil)
    }

    /// The whole file on one page for printing, logged as a view of every tab.
    func printView(req: Request) async throws -> Response {
        let enforcementCase = try await req.scopedCase()
        let data = try await CasePageData.load(enforcementCase, tab: .summary, req: req, everyTab: true)
        try await req.logCaseAccess(enforcementCase, action: "case.printed", detail: "xem bản in toàn bộ hồ sơ")
        return CaseViews.printPage(req.pageContext, data).response
    }

    /// The case page, logged as a view of the case (H3).
    static func render(
        _ req: Request, _ enforcementCase: EnforcementCase, tab: CasePageData.Tab, form: CasePageData.FormState?,
        notice: String? = nil
    ) async throws -> Response {
        let data = try await CasePageData.load(enforcementCase, tab: tab, req: req)
        try await req.logCaseAccess(enforcementCase, action: "case.viewed", detail: "xem mục \(tab.label.lowercased())")
        return CaseViews.page(
            req.pageContext, data, tab: tab, form: form, backLink: backToList(req),
            notice: notice ?? req.notice(CaseViews.notices), status: form == nil ? .ok : .badRequest
        ).response
    }
}
