import Fluent
import Foundation
import Testing

@testable import ThadsApp

/// Every model lists its properties for Fluent instead of leaving them to reflection; a property missing from the
/// list would silently never be read or written, so each list is checked against what reflection finds.
@Suite struct ModelPropertiesTests {
    static let models: [any Model.Type] = [
        InstallationFact.self, UserSession.self, AuditEvent.self, OutboxMail.self,
        CalendarDecisionRecord.self, CatalogEntry.self, RecoveryCode.self, PasswordHistoryEntry.self,
        AccountGrant.self, Account.self, AccountRequest.self, LegalParameterRecord.self, EnforcementUnit.self,
        QualityWarning.self, CaseCorrection.self, CaseFieldChange.self, CaseAttachment.self,
        CaseMoneyEntry.self, CaseVerification.self, CaseDecision.self, CaseObligation.self, CaseParty.self,
        EnforcementCase.self, Judgment.self, WorkflowInstance.self, WorkflowTransition.self, SequenceCounter.self,
        ScheduledJobState.self, JobRun.self, AuditCheckpoint.self, BackupRun.self, OperationsAlert.self,
        OperationsLogEntry.self, Incident.self, IncidentStep.self, ChangeRequest.self,
    ]

    @Test(arguments: models.map { ModelType($0) })
    func theListedPropertiesAreExactlyTheReflectedOnes(_ type: ModelType) {
        let model = type.make()
        let listed = model.properties.map { ObjectIdentifier($0) }
        let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
            .map { ObjectIdentifier($0) }
        #expect(listed == reflected, "\(type)")
    }

    struct ModelType: CustomStringConvertible, Sendable {
        let make: @Sendable () -> any Model
        let description: String
        init(_ type: any Model.Type) {
            make = { type.init() }
            description = String(describing: type)
        }
    }
}
