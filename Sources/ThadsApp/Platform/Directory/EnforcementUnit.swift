import Fluent
import Foundation
import ThadsDomain
import Vapor

/// An enforcement body: the central department, a provincial body or a regional office (A1).
final class EnforcementUnit: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [$id, $code, $name, $level, $parentID, $isOpen, $createdAt, $closedAt, $supportContact, $itFocalPoint]
    }
    static let schema = "units"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Enum(key: "level") var level: UnitLevel
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "is_open") var isOpen: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// Where the unit's staff get help (J8): the support contact and the IT focal point, as an admin typed them
    /// (name, telephone, email); shown in every page's footer to the unit's staff.
    @OptionalField(key: "support_contact") var supportContact: String?
    @OptionalField(key: "it_focal_point") var itFocalPoint: String?

    init() {}

    init(id: UUID = UUID(), code: String, name: String, level: UnitLevel, parentID: UUID?) {
        self.id = id
        self.code = code
        self.name = name
        self.level = level
        self.parentID = parentID
        self.isOpen = true
    }

    var ref: UnitRef { UnitRef(id: id!, level: level, parentID: parentID) }

    struct Snapshot: Codable, Sendable {
        var code: String
        var name: String
        var level: String
        var parentID: UUID?
        var isOpen: Bool
    }

    var snapshot: Snapshot {
        Snapshot(code: code, name: name, level: level.rawValue, parentID: parentID, isOpen: isOpen)
    }
}

struct CreateUnits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EnforcementUnit.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("parent_id", .uuid, .references(EnforcementUnit.schema, "id"))
            .field("is_open", .bool, .required)
            .field("created_at", .datetime)
            .field("closed_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EnforcementUnit.schema).delete()
    }
}

/// The support contact and IT focal point of each unit (J8).
struct AddUnitSupportContacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EnforcementUnit.schema).field("support_contact", .string).update()
        try await database.schema(EnforcementUnit.schema).field("it_focal_point", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EnforcementUnit.schema).deleteField("it_focal_point").update()
        try await database.schema(EnforcementUnit.schema).deleteField("support_contact").update()
    }
}
