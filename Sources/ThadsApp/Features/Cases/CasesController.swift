import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The case list, opening a case, and the case page with its tabs (B1, B3, H3).
struct CasesController {
    static let decisionPrefix = "qd-"

    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "ho-so", access: .permission(.viewCases), use: list)
        routes.on(.GET, "ho-so", "moi", access: .permission(.enterCaseData), use: newCase)
        routes.on(.POST, "ho-so", "moi", access: .permission(.enterCaseData), use: open)
        routes.on(.GET, "ho-so", ":caseID", access: .permission(.viewCases), use: show)
    }

    // MARK: List

    struct Filters {
        var text = ""
        var status: CaseStatus?
        var unitID: UUID?
        var officerID: UUID?
        var year: Int?
        var page = 1

        init(_ req: Request) {
            text = VietnameseText.nfc((req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces))
            status = req.query[String.self, at: "trang-thai"].flatMap(CaseStatus.init(rawValue:))
            unitID = req.query[String.self, at: "don-vi"].flatMap(UUID.init(uuidString:))
            officerID = req.query[String.self, at: "chap-hanh-vien"].flatMap(UUID.init(uuidString:))
            year = req.query[String.self, at: "nam"].flatMap { Int($0) }.flatMap {
                (2000...2100).contains($0) ? $0 : nil
            }
            page = max(1, min(req.query[String.self, at: "trang"].flatMap { Int($0) } ?? 1, 10_000))
        }

        var query: [(String, String)] {
            var items: [(String, String)] = []
            if !text.isEmpty { items.append(("q", text)) }
            if let status { items.append(("trang-thai", status.rawValue)) }
            if let unitID { items.append(("don-vi", unitID.uuidString)) }
            if let officerID { items.append(("chap-hanh-vien", officerID.uuidString)) }
            if let year { items.append(("nam", String(year))) }
            return items
        }
    }

    static let pageSize = 50

    func list(req: Request) async throws -> Response {
        let user = try req.user
        let filters = Filters(req)
        var query = EnforcementCase.query(on: req.db)
        if let ids = user.scopedUnitIDs { query = query.filter(\.$unitID ~~ ids) }
        if let unitID = filters.unitID { query = query.filter(\.$unitID == unitID) }
        if let status = filters.status { query = query.filter(\.$status == status) }
        if let officerID = filters.officerID { query = query.filter(\.$officerID == officerID) }
        if let year = filters.year { query = query.filter(\.$statisticalYear == year) }
        if !filters.text.isEmpty {
            let key = CaseQuality.judgmentNumberKey(filters.text)
            let judgments = try await Judgment.query(on: req.db).filter(\.$numberKey == key).limit(1000).all(\.$id)
            let text = filters.text.uppercased()
            query = query.group(.or) { group in
                group.filter(\.$code >= text).filter(\.$code < text + "\u{FFFF}")
                if !judgments.isEmpty { group.filter(\.$judgmentID ~~ judgments) }
            }
        }
        let rows = try await query.sort(\.$openedOn, .descending).sort(\.$code, .descending)
            .range(((filters.page - 1) * Self.pageSize)..<(filters.page * Self.pageSize + 1)).all()
        let units = try await EnforcementUnit.query(on: req.db).all()
        let visibleUnits = units.filter { user.scope.contains($0.id!) }.sorted { $0.code < $1.code }
        return CaseListViews.list(
            req, cases: Array(rows.prefix(Self.pageSize)), hasNext: rows.count > Self.pageSize, filters: filters,
            units: visibleUnits, unitNames: Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) }))
    }

    // MARK: Opening a case

    func newCase(req: Request) async throws -> Response {
        let user = try req.user
        let context = try await CaseEntryContext.load(unitID: user.unit.id!, req: req)
        return CaseFormViews.newCase(
            req, context: context, values: ["startMode": CaseStartMode.exOfficio.rawValue], errors: [:], twins: [],
            status: .ok)
    }

    func open(req: Request) async throws -> Response {
        let user = try req.user
        let context = try await CaseEntryContext.load(unitID: user.unit.id!, req: req)
        var judgmentForm = FormCheck(req, keys: CaseRecordFields.formKeys(.judgment) + ["confirmDuplicate"])
        var caseForm = FormCheck(req, keys: CaseRecordFields.formKeys(.caseFile))
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
        // One late reason covers the receipt of the judgment and the decision, whichever is late.
        let lateEvent = [
            CaseRecordFields.eventDate(.judgment, judgment), CaseRecordFields.eventDate(.decision, decision),
        ].compactMap { $0 }.filter { context.isLate($0) }.min()
        let lateReason = context.lateReason(for: lateEvent, form: &judgmentForm)
        let twins = try await CaseEntryService.twins(
            courtCode: judgment["courtCode"] ?? "", number: judgment["number"] ?? "", on: req.db)
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
                req, context: context, values: values, errors: errors, twins: twins, status: .badRequest)
        }
        let opened = try await CaseEntryService.open(
            judgment: judgment, caseFile: caseFile, decision: decision, lateReason: lateReason, context: context,
            req: req)
        return req.redirect(to: "/ho-so/\(opened.id!.uuidString)?thongbao=da-thu-ly")
    }

    // MARK: Case page

    func show(req: Request) async throws -> Response {
        let enforcementCase = try await req.scopedCase()
        let tab = req.query[String.self, at: "tab"].flatMap(CasePageData.Tab.init(rawValue:)) ?? .summary
        return try await Self.render(req, enforcementCase, tab: tab, form: nil)
    }

    /// The case page, logged as a view of the case (H3).
    static func render(
        _ req: Request, _ enforcementCase: EnforcementCase, tab: CasePageData.Tab, form: CasePageData.FormState?,
        notice: String? = nil
    ) async throws -> Response {
        let data = try await CasePageData.load(enforcementCase, req: req)
        try await req.logCaseAccess(enforcementCase, action: "case.viewed", detail: "xem mục \(tab.label.lowercased())")
        return CaseViews.page(
            req, data, tab: tab, form: form,
            notice: notice ?? req.notice(CaseViews.notices), status: form == nil ? .ok : .badRequest)
    }
}
