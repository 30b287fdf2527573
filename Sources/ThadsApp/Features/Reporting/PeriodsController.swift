import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Period locks and the amendments that reopen one record of a locked period (B7).
struct PeriodsController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "thong-ke", "khoa-so", access: .permission(.viewStatistics), use: locks)
        routes.on(.POST, "thong-ke", "khoa-so", access: .permission(.lockReportingPeriods), use: lock)
        routes.on(.GET, "thong-ke", "dieu-chinh", access: .permission(.viewCases), use: amendments)
        routes.on(.POST, "thong-ke", "dieu-chinh", access: .permission(.enterCaseData), use: request)
        routes.on(.POST, "thong-ke", "dieu-chinh", ":amendmentID", access: .signedIn, use: decide)
    }

    func locks(req: Request) async throws -> Response {
        try await locksPage(req, errors: [:], notice: nil)
    }

    private func locksPage(
        _ req: Request, errors: [String: String], notice: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let user = try req.user
        var query = PeriodLock.query(on: req.db).sort(\.$year, .descending).sort(\.$months, .descending)
        if let units = user.scopedUnitIDs { query = query.filter(\.$unitID ~~ units) }
        let locks = try await query.limit(500).all()
        let names = Dictionary(
            try await EnforcementUnit.query(on: req.db).all().map { ($0.id!, "\($0.code) · \($0.name)") },
            uniquingKeysWith: { a, _ in a })
        return PeriodViews.locks(
            req.pageContext, locks: locks, unitNames: names, today: req.context.today, errors: errors, notice: notice,
            status: status
        ).response
    }

    /// Locks the signed-in user's unit for the chosen period of the current statistical year, before the job would.
    func lock(req: Request) async throws -> Response {
        let user = try req.user
        let months = (try? req.content.get(Int.self, at: "months")) ?? 0
        let year = StatisticalYear.of(req.context.today)
        guard let period = ReportingPeriod(year: year, months: months) else {
            return try await locksPage(
                req, errors: ["months": "Chọn kỳ từ 1 đến 12 tháng."], notice: nil, status: .badRequest)
        }
        guard period.end < req.context.today else {
            return try await locksPage(
                req, errors: ["months": "Kỳ \(period.label) chưa kết thúc, chưa khóa được."], notice: nil,
                status: .badRequest)
        }
        let made = try await StatisticsService.lock(unitID: user.unit.id!, period: period, in: req.context)
        return try await locksPage(
            req, errors: [:], notice: made ? "Đã khóa số liệu \(period.label)." : "Kỳ này đã được khóa trước đó.")
    }

    func amendments(req: Request) async throws -> Response {
        try await amendmentsPage(req, values: [:], errors: [:], notice: nil)
    }

    private func amendmentsPage(
        _ req: Request, values: [String: String], errors: [String: String], notice: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let user = try req.user
        var query = PeriodAmendment.query(on: req.db).sort(\.$requestedAt, .descending)
        if let units = user.scopedUnitIDs { query = query.filter(\.$unitID ~~ units) }
        let amendments = try await query.limit(200).all()
        return PeriodViews.amendments(
            req.pageContext, amendments: amendments, values: values, errors: errors, notice: notice, status: status
        ).response
    }

    func request(req: Request) async throws -> Response {
        var form = FormCheck(req, keys: ["caseCode", "recordDate", "explanation"])
        let code = form.text("caseCode", label: "Mã hồ sơ", required: true, max: 40)
        let date = form.date("recordDate", label: "Ngày của bản ghi cần thêm, sửa", required: true)
        let explanation = form.text(
            "explanation", label: "Giải trình (dữ liệu nào, vì sao)", required: true, max: 2000, lines: .multi)
        guard form.isValid, let date else {
            return try await amendmentsPage(
                req, values: form.values, errors: form.errors, notice: nil, status: .badRequest)
        }
        do {
            let amendment = try await AmendmentService.request(
                caseCode: code, recordDate: date, explanation: explanation, in: req.context)
            return try await amendmentsPage(
                req, values: [:], errors: [:], notice: "Đã gửi đề nghị \(amendment.reference), chờ thủ trưởng xác nhận."
            )
        } catch let refusal as AmendmentService.Refusal {
            return try await amendmentsPage(
                req, values: form.values, errors: [refusal.field.key: refusal.field.message], notice: nil,
                status: .badRequest)
        }
    }

    func decide(req: Request) async throws -> Response {
        let user = try req.user
        guard let id = req.parameters.get("amendmentID", as: UUID.self),
            let amendment = try await PeriodAmendment.find(id, on: req.db), user.scope.contains(amendment.unitID)
        else { throw Abort(.notFound) }
        let outcome = (try? req.content.get(String.self, at: "outcome")) ?? ""
        let note = (try? req.content.get(String.self, at: "note")).map(FormCheck.trimmed)
        do {
            try await AmendmentService.decide(
                amendment, outcome: outcome, note: note?.isEmpty == true ? nil : note, in: req.context)
        } catch let refusal as AmendmentService.Refusal {
            return try await amendmentsPage(
                req, values: [:], errors: ["decision-\(id.uuidString)": refusal.field.message], notice: nil,
                status: .badRequest)
        } catch {
            guard let refusal = Workflows.Refusal(error) else { throw error }
            let message =
                switch refusal {
                case .alreadyDecided: "Đề nghị này đã được xử lý."
                case .ownInitiative: "Không được tự xác nhận, phê duyệt đề nghị của chính mình."
                case .rule(let message): message
                }
            return try await amendmentsPage(
                req, values: [:], errors: ["decision-\(id.uuidString)": message], notice: nil, status: .badRequest)
        }
        return try await amendmentsPage(
            req, values: [:], errors: [:], notice: "Đã ghi quyết định về \(amendment.reference).")
    }
}
