import Fluent
import Foundation

/// A registered incident (F5) with the report the regulation lists: time, course, cause, damage, remedy, prevention.
final class Incident: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [
            $id, $code, $detectedAt, $reportedBy, $unitID, $kind, $severity, $systems, $course, $cause, $damage,
            $remedy,
            $prevention, $dueAt, $reportedAt, $remindedAt, $closedAt, $alertID,
        ]
    }
    static let schema = "incidents"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "detected_at") var detectedAt: Date
    @Field(key: "reported_by") var reportedBy: String
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "severity") var severity: String
    @Field(key: "systems") var systems: String
    @Field(key: "course") var course: String
    @Field(key: "cause") var cause: String
    @Field(key: "damage") var damage: String
    @Field(key: "remedy") var remedy: String
    @Field(key: "prevention") var prevention: String
    /// Severe incidents only: detected + 24 clock hours.
    @OptionalField(key: "due_at") var dueAt: Date?
    /// When the report went to the central department.
    @OptionalField(key: "reported_at") var reportedAt: Date?
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "alert_id") var alertID: UUID?

    init() {}
}

/// A containment or recovery step with its time.
final class IncidentStep: Model, @unchecked Sendable {
    var properties: [any AnyProperty] { [$id, $incidentID, $at, $action, $by] }
    static let schema = "incident_steps"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: String
    @Field(key: "by") var by: String

    init() {}
}

/// A unit's change request (F6) and the central department's classification and decision.
final class ChangeRequest: Model, @unchecked Sendable {
    var properties: [any AnyProperty] {
        [
            $id, $unitID, $submittedBy, $submittedAt, $content, $reason, $scope, $wish, $classification, $status,
            $decision, $decidedBy, $decidedAt,
        ]
    }
    static let schema = "change_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "submitted_by") var submittedBy: UUID
    @Field(key: "submitted_at") var submittedAt: Date
    @Field(key: "content") var content: String
    @Field(key: "reason") var reason: String
    @Field(key: "scope") var scope: String
    @Field(key: "wish") var wish: String
    @OptionalField(key: "classification") var classification: String?
    @Field(key: "status") var status: String
    @OptionalField(key: "decision") var decision: String?
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}
}

struct CreateIncidentsAndChangeRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Incident.schema)
            .id()
            .field("code", .string, .required)
            .field("detected_at", .datetime, .required)
            .field("reported_by", .string, .required)
            .field("unit_id", .uuid)
            .field("kind", .string, .required)
            .field("severity", .string, .required)
            .field("systems", .string, .required)
            .field("course", .string, .required)
            .field("cause", .string, .required)
            .field("damage", .string, .required)
            .field("remedy", .string, .required)
            .field("prevention", .string, .required)
            .field("due_at", .datetime)
            .field("reported_at", .datetime)
            .field("reminded_at", .datetime)
            .field("closed_at", .datetime)
            .field("alert_id", .uuid)
            .unique(on: "code")
            .create()
        try await database.schema(IncidentStep.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(Incident.schema, "id"))
            .field("at", .datetime, .required)
            .field("action", .string, .required)
            .field("by", .string, .required)
            .create()
        try await database.schema(ChangeRequest.schema)
            .id()
            .field("unit_id", .uuid, .required)
            .field("submitted_by", .uuid, .required)
            .field("submitted_at", .datetime, .required)
            .field("content", .string, .required)
            .field("reason", .string, .required)
            .field("scope", .string, .required)
            .field("wish", .string, .required)
            .field("classification", .string)
            .field("status", .string, .required)
            .field("decision", .string)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX incident_steps_incident ON incident_steps (incident_id)").run()
        try await sql.raw("CREATE INDEX change_requests_unit ON change_requests (unit_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ChangeRequest.schema).delete()
        try await database.schema(IncidentStep.schema).delete()
        try await database.schema(Incident.schema).delete()
    }
}
