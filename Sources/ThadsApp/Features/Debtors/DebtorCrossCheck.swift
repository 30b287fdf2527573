import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The statistics officers' cross-check of the portal against the records (D6): every published entry must stand on
/// a no-conditions decision of a case still without conditions, and every such case must be published. The register
/// follows changes at once, so a mismatch means data changed outside the forms (an import, a repair by hand) — the
/// list routes it to the unit head.
enum DebtorCrossCheck {
    enum Kind: String, CaseIterable, Sendable {
        case publishedWithoutDecision
        case publishedAfterClosing
        case publishedWithConditions
        case decisionNotPublished

        var label: String {
            switch self {
            case .publishedWithoutDecision: "Đang công khai nhưng không có quyết định chưa có điều kiện"
            case .publishedAfterClosing: "Đang công khai sau khi thi hành xong, đình chỉ, trả đơn hoặc ủy thác"
            case .publishedWithConditions: "Đang công khai nhưng hồ sơ không ở trạng thái chưa có điều kiện"
            case .decisionNotPublished: "Có quyết định chưa có điều kiện nhưng chưa công khai"
            }
        }
    }

    struct Mismatch: Sendable {
        let caseID: UUID
        let caseCode: String
        let unitID: UUID
        let kind: Kind
        let status: CaseStatus
    }

    static func find(unitIDs: [UUID]?, on db: any Database) async throws -> [Mismatch] {
        var publications = DebtorPublication.query(on: db).filter(\.$withdrawnAt == nil)
        var standing = EnforcementCase.query(on: db).filter(\.$status == .withoutConditions)
        if let unitIDs {
            publications = publications.filter(\.$unitID ~~ unitIDs)
            standing = standing.filter(\.$unitID ~~ unitIDs)
        }
        let publishedIDs = Set(try await publications.all(\.$caseID))
        let standingIDs = Set(try await standing.all(\.$id))
        let involved = publishedIDs.union(standingIDs)
        guard !involved.isEmpty else { return [] }
        var cases: [EnforcementCase] = []
        var decided = Set<UUID>()
        let ids = Array(involved)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let batch = Array(ids[start..<min(start + 500, ids.count)])
            cases += try await EnforcementCase.query(on: db).filter(\.$id ~~ batch).all()
            decided.formUnion(
                try await CaseDecision.query(on: db).filter(\.$caseID ~~ batch).filter(\.$kind == .noConditions)
                    .all(\.$caseID))
        }
        return cases.compactMap { enforcementCase -> Mismatch? in
            guard let id = enforcementCase.id else { return nil }
            let kind: Kind?
            if publishedIDs.contains(id) {
                if !decided.contains(id) {
                    kind = .publishedWithoutDecision
                } else if enforcementCase.status.isClosed {
                    kind = .publishedAfterClosing
                } else if enforcementCase.status != .withoutConditions {
                    kind = .publishedWithConditions
                } else {
                    kind = nil
                }
            } else {
                kind = decided.contains(id) ? .decisionNotPublished : nil
            }
            return kind.map {
                Mismatch(
                    caseID: id, caseCode: enforcementCase.code, unitID: enforcementCase.unitID, kind: $0,
                    status: enforcementCase.status)
            }
        }.sorted { ($0.kind.rawValue, $0.caseCode) < ($1.kind.rawValue, $1.caseCode) }
    }
}
