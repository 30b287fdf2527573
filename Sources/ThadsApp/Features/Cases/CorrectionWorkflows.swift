import Fluent
import Foundation
import ThadsDomain

/// Corrections waiting for the head are decided through the workflow engine from this migration on: each existing
/// correction gets its instance, in the state it is in.
struct CorrectionWorkflows: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for correction in try await CaseCorrection.query(on: database).all() {
            try await Workflows.adopt(
                .caseCorrection, subjectID: correction.id!, unitID: correction.unitID,
                state: correction.status.rawValue, initiatorID: correction.requestedByID,
                since: correction.decidedAt ?? correction.requestedAt, dueAt: nil, on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await WorkflowInstance.query(on: database).filter(\.$machine == StepMachine.caseCorrection.name).delete()
    }
}
