import Fluent
import Foundation
import SQLKit
import ThadsDomain
import ThadsExchangeAPI
import Vapor

/// The debtors' register as the public portal publishes it, and online requests' status, for connected systems:
/// read one way from Debtors and OnlineSupport, within the agreement's units.
extension ExchangeAPI {
    func searchDebtors(_ input: Operations.SearchDebtors.Input) async throws -> Operations.SearchDebtors.Output {
        let call = try ExchangeCall.get()
        _ = try call.require(.debtors)
        let query = input.query
        let limit = try Self.limit(query.limit)
        var page = 1
        if let cursor = query.cursor {
            guard let value = ExchangeCursor.decode(cursor, as: .page), value >= 1, value <= 10_000 else {
                throw ExchangeProblem.badRequest("Con trỏ không hợp lệ: dùng nguyên giá trị next của trang trước.")
            }
            page = value
        }
        var units: [UUID]?
        if case .units(let ids) = call.ctx.scope { units = Array(ids) }
        if let unit = query.unit {
            guard let id = UUID(uuidString: unit) else { throw ExchangeProblem.badRequest("unit phải là UUID.") }
            guard call.ctx.scope.contains(id) else { throw ExchangeProblem(.unitOutOfScope) }
            units = [id]
        }
        // The public search's folding and whole-word match: a name finds published entries only.
        let name = VietnameseText.nfc((query.name ?? "").trimmingCharacters(in: .whitespaces))
        let words = VietnameseText.words(name)
        if !name.isEmpty, words.isEmpty {
            throw ExchangeProblem.badRequest("name phải có chữ cái hoặc chữ số.")
        }
        let db = call.ctx.db
        let sql = try db.sql
        let kind = try sql.kind
        let index = WordIndex.debtorPublications
        var statement: SQLQueryString =
            words.isEmpty
            ? "SELECT p.id AS id FROM debtor_publications p WHERE 1 = 1"
            : "SELECT p.id AS id FROM \(unsafeRaw: index.from(alias: "p", kind: kind)) WHERE "
                + index.matches(words, alias: "p", kind: kind) + " AND p.withdrawn_at IS NULL"
        if let units { statement = statement + " AND " + sql.isOneOf("p.unit_id", units.isEmpty ? [UUID()] : units) }
        statement = statement + " ORDER BY p.id LIMIT \(bind: limit + 1) OFFSET \(bind: (page - 1) * limit)"
        struct Row: Decodable { let id: UUID }
        let ids = try await sql.raw(statement).all(decoding: Row.self).map(\.id)
        let byID = Dictionary(
            try await DebtorPublication.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) },
            uniquingKeysWith: { a, _ in a })
        let found = ids.prefix(limit).compactMap { byID[$0] }
        call.noteScope(query.unit ?? Self.scopeText(call.ctx.scope))
        call.noteRecords(found.count)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: found.map(Self.debtor),
                        next: ids.count > limit ? ExchangeCursor.encode(.page, page + 1) : nil))))
    }

    func getDebtor(_ input: Operations.GetDebtor.Input) async throws -> Operations.GetDebtor.Output {
        let call = try ExchangeCall.get()
        _ = try call.require(.debtors)
        guard let id = UUID(uuidString: input.path.debtorId) else {
            throw ExchangeProblem.badRequest("debtorId phải là UUID.")
        }
        guard let publication = try await DebtorPublication.find(id, on: call.ctx.db),
            call.ctx.scope.contains(publication.unitID)
        else { throw ExchangeProblem.notFound }
        call.noteScope(publication.unitID.uuidString)
        call.noteRecords(1)
        return .ok(.init(body: .json(Self.debtor(publication))))
    }

    /// What the portal shows, plus the state; a withdrawn entry keeps only its reference and dates (the portal no
    /// longer shows the person, and neither does the API).
    static func debtor(_ publication: DebtorPublication) -> APISchemas.DebtorEntry {
        var entry = APISchemas.DebtorEntry(
            id: publication.id!.uuidString, unitId: publication.unitID.uuidString, unitName: publication.unitName,
            provinceCode: publication.provinceCode,
            state: publication.withdrawnAt == nil ? .published : .withdrawn, publishedAt: publication.publishedAt,
            withdrawnAt: publication.withdrawnAt, decisionNumber: publication.decisionNumber,
            decidedOn: publication.decidedOn)
        guard publication.withdrawnAt == nil else { return entry }
        let shown = publication.published
        entry.name = shown.name
        entry.birthYear = shown.birthYear
        entry.address = shown.address
        entry.judgment = shown.judgment
        entry.enforcementDecision = shown.enforcementDecision
        entry.obligation = shown.obligation
        entry.outstanding = shown.outstanding
        entry.reason = shown.reason
        return entry
    }

    func getOnlineRequest(_ input: Operations.GetOnlineRequest.Input) async throws
        -> Operations.GetOnlineRequest.Output
    {
        let call = try ExchangeCall.get()
        _ = try call.require(.onlineRequests)
        let code = input.path.code.trimmingCharacters(in: .whitespaces).uppercased()
        guard !code.isEmpty, code.count <= 40 else { throw ExchangeProblem.badRequest("code không hợp lệ.") }
        let db = call.ctx.db
        guard let request = try await OnlineRequest.query(on: db).filter(\.$trackingCode == code).first(),
            let submittedAt = request.submittedAt, call.ctx.scope.contains(request.unitID)
        else { throw ExchangeProblem.notFound }
        let data = try await OnlineRequestData.load(request, on: db)
        call.noteScope(request.unitID.uuidString)
        call.noteRecords(1)
        return .ok(
            .init(
                body: .json(
                    .init(
                        code: code, procedure: request.procedure, procedureLabel: request.kind.label,
                        unitId: request.unitID.uuidString, state: request.state,
                        stateLabel: request.machine.step(request.state)?.label ?? request.state,
                        submittedAt: submittedAt, requestDueAt: request.requestDueAt,
                        completedAt: request.completedAt, caseId: request.caseID?.uuidString,
                        // Step, outcome and time only: the notes are addressed to the submitter.
                        steps: data.publicSteps.map { .init(step: $0.step, outcome: $0.outcome, at: $0.at) }))))
    }
}
