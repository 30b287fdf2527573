import Fluent
import Foundation
import ThadsDomain

/// Account requests are decided through the workflow engine from this migration on: each existing request gets
/// its instance, in the state it is in.
struct AccountRequestWorkflows: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for request in try await AccountRequest.query(on: database).all() {
            try await Workflows.adopt(
                .accountRequest, subjectID: request.id!, unitID: request.unitID, state: request.status.rawValue,
                initiatorID: request.requestedByID, since: request.decidedAt ?? request.requestedAt,
                dueAt: request.dueAt, on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await WorkflowInstance.query(on: database).filter(\.$machine == StepMachine.accountRequest.name).delete()
    }
}
