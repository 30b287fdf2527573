import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The unit head's queue of corrections of substance (B5): approve applies them, reject needs a reason.
struct CorrectionQueueController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "hieu-chinh", access: .permission(.approveCaseCorrections), use: queue)
        routes.on(
            .POST, "hieu-chinh", ":correctionID", "duyet", access: .permission(.approveCaseCorrections), use: approve)
        routes.on(
            .POST, "hieu-chinh", ":correctionID", "tu-choi", access: .permission(.approveCaseCorrections), use: reject)
    }

    func queue(req: Request) async throws -> Response {
        try await page(req, errors: [:], status: .ok)
    }

    private func page(_ req: Request, errors: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let user = try req.user
        let pending = try await CaseCorrection.query(on: req.db).filter(\.$unitID == user.unit.id!)
            .filter(\.$status == .pending).sort(\.$requestedAt).limit(200).all()
        let cases = try await EnforcementCase.query(on: req.db).filter(\.$id ~~ Set(pending.map(\.caseID))).all()
        let names = try await CasePartyNames.load(cases.map { $0.id! }, on: req.db)
        return CaseListViews.corrections(
            req.pageContext, pending: pending, codes: Dictionary(uniqueKeysWithValues: cases.map { ($0.id!, $0.code) }),
            names: names,
            errors: errors, status: status,
            notice: req.notice(["da-duyet": "Đã duyệt và áp dụng hiệu chỉnh.", "da-tu-choi": "Đã từ chối hiệu chỉnh."])
        ).response
    }

    /// A correction of the head's own unit (others do not exist for them).
    private func correction(_ req: Request) async throws -> CaseCorrection {
        guard let id = req.parameters.get("correctionID", as: UUID.self),
            let correction = try await CaseCorrection.find(id, on: req.db),
            correction.unitID == (try req.user.unit.id)
        else { throw Abort(.notFound) }
        return correction
    }

    func approve(req: Request) async throws -> Response {
        let correction = try await correction(req)
        var form = FormCheck(req, keys: ["note"])
        let note = form.text("note", label: "Ghi chú", max: 500)
        guard form.isValid else {
            return try await page(
                req, errors: [correction.id!.uuidString: form.errors["note"] ?? ""], status: .badRequest)
        }
        do {
            try await CaseCorrectionService.approve(correction, note: note, in: req.context)
        } catch let error as CaseCorrectionService.ApprovalError {
            return try await page(req, errors: [correction.id!.uuidString: error.message], status: .conflict)
        }
        return req.redirect(to: "/hieu-chinh?thongbao=da-duyet")
    }

    func reject(req: Request) async throws -> Response {
        let correction = try await correction(req)
        var form = FormCheck(req, keys: ["note"])
        let note = form.text("note", label: "Lý do từ chối", required: true, max: 500)
        guard form.isValid else {
            return try await page(
                req, errors: [correction.id!.uuidString: form.errors["note"] ?? ""], status: .badRequest)
        }
        do {
            try await CaseCorrectionService.reject(correction, note: note, in: req.context)
        } catch let error as CaseCorrectionService.ApprovalError {
            return try await page(req, errors: [correction.id!.uuidString: error.message], status: .conflict)
        }
        return req.redirect(to: "/hieu-chinh?thongbao=da-tu-choi")
    }
}
