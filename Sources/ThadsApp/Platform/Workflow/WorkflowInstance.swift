import Fluent
import Foundation
import ThadsDomain

/// One run of a step machine over one subject (an account request, a case correction, an online request): where it
/// stands, who started it, since when and until when the current step may take.
final class WorkflowInstance: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [$id, $machine, $subjectID, $unitID, $state, $initiatorID, $stepEnteredAt, $stepDueAt, $createdAt]
    }
    static let schema = "workflow_instances"
    @ID(key: .id) var id: UUID?
    /// `StepMachine.name`.
    @Field(key: "machine") var machine: String
    @Field(key: "subject_id") var subjectID: UUID
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "state") var state: String
    @OptionalField(key: "initiator_id") var initiatorID: UUID?
    @Field(key: "step_entered_at") var stepEnteredAt: Date
    @OptionalField(key: "step_due_at") var stepDueAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// Every step taken, in order: the instance's timeline.
final class WorkflowTransition: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [$id, $instanceID, $fromState, $outcome, $toState, $actorID, $actorName, $note, $at]
    }
    static let schema = "workflow_transitions"
    @ID(key: .id) var id: UUID?
    @Field(key: "instance_id") var instanceID: UUID
    @Field(key: "from_state") var fromState: String
    @Field(key: "outcome") var outcome: String
    @Field(key: "to_state") var toState: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @OptionalField(key: "note") var note: String?
    @Field(key: "at") var at: Date

    init() {}
}

struct CreateWorkflows: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WorkflowInstance.schema)
            .id()
            .field("machine", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("unit_id", .uuid)
            .field("state", .string, .required)
            .field("initiator_id", .uuid)
            .field("step_entered_at", .datetime, .required)
            .field("step_due_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "machine", "subject_id")
            .create()
        try await database.sql.create(index: "idx_workflow_open").on(WorkflowInstance.schema)
            .column("machine").column("state").column("step_due_at").run()
        try await database.schema(WorkflowTransition.schema)
            .id()
            .field("instance_id", .uuid, .required, .references(WorkflowInstance.schema, "id"))
            .field("from_state", .string, .required)
            .field("outcome", .string, .required)
            .field("to_state", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("note", .string)
            .field("at", .datetime, .required)
            .create()
        try await database.sql.create(index: "idx_workflow_transitions_instance").on(WorkflowTransition.schema)
            .column("instance_id").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorkflowTransition.schema).delete()
        try await database.schema(WorkflowInstance.schema).delete()
    }
}
