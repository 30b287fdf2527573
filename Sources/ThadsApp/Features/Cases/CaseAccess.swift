import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Which cases a request may see and change: a case outside the data scope does not exist for the user (404); a
/// case of another unit in scope (a provincial body looking at its regional office) is read-only (403 on change).
extension Request {
    /// The case named by `:caseID` if it is in the user's scope, else 404.
    func scopedCase() async throws -> EnforcementCase {
        guard let id = parameters.get("caseID", as: UUID.self),
            let found = try await db.model(EnforcementCase.self, id: id),
            try user.scope.contains(found.unitID)
        else { throw Abort(.notFound) }
        return found
    }

    /// The case named by `:caseID` if the user may enter data into it: in scope and of the user's own unit.
    func changeableCase() async throws -> EnforcementCase {
        let found = try await scopedCase()
        guard try user.canChange(found) else { throw Abort(.forbidden) }
        return found
    }

    /// Writes a read of case data to the access log (H3): who, which case, what, when; returns once it is written.
    func logCaseAccess(_ enforcementCase: EnforcementCase, action: String, detail: String) async throws {
        try await application.accessLog.record(
            AuditEntry(
                action: action, objectType: "case", objectID: enforcementCase.id?.uuidString,
                unitID: enforcementCase.unitID, summary: "\(enforcementCase.code): \(detail)"),
            actor: auditActor, app: application)
    }
}

extension CurrentUser {
    func canChange(_ enforcementCase: EnforcementCase) -> Bool {
        can(.enterCaseData) && enforcementCase.unitID == unit.id
    }

    /// The units whose cases the user sees, for list filters (nil: all units).
    var scopedUnitIDs: [UUID]? {
        if case .units(let ids) = scope { return Array(ids) }
        return nil
    }
}
