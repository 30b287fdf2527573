import Testing

@testable import ThadsDomain

/// Seed 000 Art. 8.1 and 9.1, as a table: (actor, target class, target's unit level, change) → path.
@Suite struct AccountChangePathTests {
    struct Row: Sendable, CustomStringConvertible {
        let actor: AccountClass
        let target: AccountClass
        let unit: UnitLevel
        let kind: AccountRequestKind
        let expected: String
        var description: String { "\(actor) \(kind) \(target)@\(unit)" }
    }

    static let rows: [Row] = [
        Row(actor: .centralAdmin, target: .localAdmin, unit: .province, kind: .create, expected: "direct"),
        Row(actor: .centralAdmin, target: .centralAdmin, unit: .central, kind: .edit, expected: "direct"),
        Row(actor: .centralAdmin, target: .internalUser, unit: .central, kind: .create, expected: "direct"),
        Row(actor: .centralAdmin, target: .externalUser, unit: .central, kind: .changeRoles, expected: "direct"),
        Row(actor: .centralAdmin, target: .internalUser, unit: .regional, kind: .create, expected: "refused"),
        Row(actor: .centralAdmin, target: .internalUser, unit: .province, kind: .edit, expected: "refused"),
        Row(actor: .centralAdmin, target: .internalUser, unit: .regional, kind: .lock, expected: "direct"),
        Row(actor: .centralAdmin, target: .internalUser, unit: .regional, kind: .unlock, expected: "direct"),
        Row(actor: .centralAdmin, target: .externalUser, unit: .province, kind: .revoke, expected: "direct"),
        Row(actor: .localAdmin, target: .internalUser, unit: .regional, kind: .create, expected: "byRequest"),
        Row(actor: .localAdmin, target: .externalUser, unit: .province, kind: .lock, expected: "byRequest"),
        Row(actor: .localAdmin, target: .localAdmin, unit: .province, kind: .edit, expected: "refused"),
        Row(actor: .localAdmin, target: .centralAdmin, unit: .central, kind: .lock, expected: "refused"),
        Row(actor: .internalUser, target: .internalUser, unit: .regional, kind: .edit, expected: "refused"),
        Row(actor: .externalUser, target: .internalUser, unit: .central, kind: .create, expected: "refused"),
    ]

    @Test(arguments: rows)
    func pathFollowsTheTwoTierRules(_ row: Row) {
        let path = AccountChangePath.of(row.kind, actor: row.actor, target: row.target, targetUnit: row.unit)
        switch (path, row.expected) {
        case (.direct, "direct"), (.byRequest, "byRequest"): break
        case (.refused(let message), "refused"): #expect(!message.isEmpty)
        default: Issue.record("\(row): got \(path)")
        }
    }
}
