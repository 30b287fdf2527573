import Foundation
import Testing

@testable import ThadsDomain

/// J7 and H1 as rules: what a technical operator may do and see, and the classification line exports carry.
@Suite struct TechnicalOperatorTests {
    @Test func aTechnicalOperatorOperatesThePlatformAndSeesNoUnitsRecords() {
        let permissions = PermissionMatrix.permissions(for: .technicalOperator, roles: [])
        #expect(permissions == [.operatePlatform])
        #expect(!permissions.contains(.viewCases) && !permissions.contains(.viewAuditLog))
        #expect(Role.allowed(for: .technicalOperator).isEmpty)
        let central = UnitRef(id: UUID(), level: .central, parentID: nil)
        let scope = DataScope.of(accountClass: .technicalOperator, unit: central, childUnitIDs: [], grantedUnitIDs: [])
        #expect(scope == .units([]), "no unit's records, though the account sits in the central department")
        #expect(MFAPolicy.isRequired(accountClass: .technicalOperator, roles: []))
        #expect(!AccountClass.technicalOperator.isAdmin)
        #expect(PermissionMatrix.markdown().contains("Kỹ thuật viên vận hành"))
    }

    @Test func onlyACentralAdminManagesTechnicalOperatorAccounts() {
        #expect(
            AccountChangePath.of(.create, actor: .centralAdmin, target: .technicalOperator, targetUnit: .central)
                == .direct)
        guard
            case .refused = AccountChangePath.of(
                .create, actor: .localAdmin, target: .technicalOperator, targetUnit: .province)
        else {
            Issue.record("a local admin cannot ask for a technical operator")
            return
        }
        guard
            case .refused = AccountChangePath.of(
                .lock, actor: .technicalOperator, target: .internalUser, targetUnit: .central)
        else {
            Issue.record("a technical operator changes no account")
            return
        }
    }

    @Test func everyClassHasAMarkingLine() {
        #expect(InformationClass.internalUse.marking == "Phân loại thông tin: Nội bộ")
        #expect(InformationClass.interAgency.marking == "Phân loại thông tin: Chia sẻ giữa các cơ quan")
        #expect(InformationClass.publicInfo.marking == "Phân loại thông tin: Công khai")
    }
}
