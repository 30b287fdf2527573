import Foundation

/// The three levels of enforcement bodies (A1).
public enum UnitLevel: String, Sendable, Codable, CaseIterable, Hashable {
    case central
    case province
    case regional

    public var label: String {
        switch self {
        case .central: "Cục Quản lý THADS"
        case .province: "THADS tỉnh/thành phố"
        case .regional: "Phòng THADS khu vực"
        }
    }
}

public struct UnitRef: Sendable, Hashable {
    public let id: UUID
    public let level: UnitLevel
    public let parentID: UUID?

    public init(id: UUID, level: UnitLevel, parentID: UUID?) {
        self.id = id
        self.level = level
        self.parentID = parentID
    }
}

/// Which units' data an account may see: its own unit; a provincial body also its regional offices;
/// the central department everything; an external account only the units it was granted.
public enum DataScope: Sendable, Hashable {
    case all
    case units(Set<UUID>)

    public static func of(
        accountClass: AccountClass, unit: UnitRef, childUnitIDs: [UUID], grantedUnitIDs: [UUID]
    ) -> DataScope {
        if accountClass == .externalUser { return .units(Set(grantedUnitIDs)) }
        // A technical operator runs the platform, not a unit's business: no unit's records.
        if accountClass == .technicalOperator { return .units([]) }
        switch unit.level {
        case .central: return .all
        case .province: return .units(Set(childUnitIDs).union([unit.id]))
        case .regional: return .units([unit.id])
        }
    }

    public func contains(_ unitID: UUID) -> Bool {
        switch self {
        case .all: true
        case .units(let ids): ids.contains(unitID)
        }
    }
}
