import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The account form as submitted, and its server-side validation with messages per field.
struct AccountForm: Content {
    var username: String?
    var fullName: String?
    var email: String?
    var nationalID: String?
    var position: String?
    var accountClass: String?
    var unitID: String?
    var roles: [String]?
    var externalValidUntil: String?
    var grants: [String]?
    var note: String?

    struct Valid: Sendable {
        var username: String
        var fullName: String
        var email: String
        var nationalID: String?
        var position: String?
        var accountClass: AccountClass
        var unit: EnforcementUnit
        var roles: Set<Role>
        var externalValidUntil: LocalDate?
        var grants: [UUID]
        var note: String
    }

    /// `existing` is the account being edited (nil when creating). Checks scope and uniqueness too.
    func validate(existing: Account?, in ctx: ActionContext) async throws
        -> Result<Valid, ValidationErrors>
    {
        let user = try ctx.staff
        let db = ctx.db
        let keys = ctx.keys
        var errors: [String: String] = [:]
        let username = (existing?.username ?? username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let fullName = TextInput.normalized((fullName ?? "").trimmingCharacters(in: .whitespaces))
        let email = (email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let nationalID = (nationalID ?? "").filter { !$0.isWhitespace }
        let note = TextInput.normalized((note ?? "").trimmingCharacters(in: .whitespacesAndNewlines))

        if existing == nil, username.range(of: #"^[a-z][a-z0-9._-]{2,39}$"#, options: .regularExpression) == nil {
            errors["username"] =
                "Tên đăng nhập gồm 3–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch; bắt đầu bằng chữ."
        }
        if let refusal = FormCheck.refusal(fullName, label: "Họ và tên", max: 120) {
            errors["fullName"] = refusal
        } else if fullName.unicodeScalars.count < 3 || fullName.contains(where: { $0.isNumber }) {
            errors["fullName"] = "Họ và tên phải từ 3 đến 120 ký tự và không chứa chữ số."
        }
        if email.range(of: #"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$"#, options: .regularExpression) == nil
            || email.count > 200
        {
            errors["email"] = "Thư điện tử công vụ không hợp lệ."
        }
        if existing == nil, nationalID.range(of: #"^[0-9]{12}$"#, options: .regularExpression) == nil {
            errors["nationalID"] = "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số."
        }
        let position = position.map { TextInput.normalized($0.trimmingCharacters(in: .whitespaces)) }?.nilIfEmpty
        if let position, let refusal = FormCheck.refusal(position, label: "Chức vụ", max: 120) {
            errors["position"] = refusal
        }

        let accountClass = existing?.accountClass ?? self.accountClass.flatMap(AccountClass.init(rawValue:))
        if accountClass == nil { errors["accountClass"] = "Chọn loại tài khoản." }
        if let accountClass, existing == nil {
            if !AccountForm.creatableClasses(by: user.account.accountClass).contains(accountClass) {
                errors["accountClass"] =
                    "Quản trị địa phương chỉ đề nghị tài khoản người dùng nội bộ hoặc ngoài hệ thống."
            }
        }

        var unit: EnforcementUnit?
        if let id = unitID.flatMap(UUID.init(uuidString:)), let found = try await EnforcementUnit.find(id, on: db) {
            unit = found
        }
        if let found = unit {
            if !found.isOpen {
                errors["unitID"] = "Đơn vị đã đóng."
            } else if !user.scope.contains(found.id!) {
                errors["unitID"] = "Đơn vị nằm ngoài phạm vi quản lý của bạn."
            } else if accountClass == .centralAdmin && found.level != .central {
                errors["unitID"] = "Quản trị Cục phải thuộc Cục Quản lý THADS."
            } else if accountClass == .technicalOperator && found.level != .central {
                errors["unitID"] = "Kỹ thuật viên vận hành thuộc Cục Quản lý THADS."
            } else if accountClass == .localAdmin && found.level == .central {
                errors["unitID"] = "Quản trị địa phương phải thuộc một cơ quan THADS địa phương."
            } else if let accountClass, existing == nil,
                case .refused(let message) = AccountChangePath.of(
                    .create, actor: user.account.accountClass, target: accountClass, targetUnit: found.level)
            {
                errors["unitID"] = message
            }
        } else {
            errors["unitID"] = "Chọn đơn vị."
        }

        let requestedRoles = Set((roles ?? []).compactMap(Role.init(rawValue:)))
        var roleSet = requestedRoles
        if let accountClass {
            let allowedRoles = Set(Role.allowed(for: accountClass))
            if accountClass == .externalUser {
                roleSet = [.externalReader]
            } else if !requestedRoles.isSubset(of: allowedRoles) {
                errors["roles"] = "Có vai trò không dùng được cho loại tài khoản này."
            } else if accountClass == .internalUser && requestedRoles.isEmpty {
                errors["roles"] = "Chọn ít nhất một vai trò."
            }
        }

        var validUntil: LocalDate?
        var grantIDs: [UUID] = []
        if accountClass == .externalUser {
            validUntil = externalValidUntil.flatMap { LocalDate(typed: $0) }
            let today = ctx.today
            if let date = validUntil {
                if date <= today {
                    errors["externalValidUntil"] = "Ngày hết hạn phải sau hôm nay."
                } else if date > today.adding(years: 1) {
                    errors["externalValidUntil"] = "Tài khoản ngoài hệ thống được cấp tối đa 1 năm."
                }
            } else {
                errors["externalValidUntil"] = "Nhập ngày hết hạn theo dạng dd/MM/yyyy."
            }
            grantIDs = (grants ?? []).compactMap(UUID.init(uuidString:))
            if grantIDs.isEmpty {
                errors["grants"] = "Chọn ít nhất một đơn vị được xem dữ liệu."
            } else if !grantIDs.allSatisfy(user.scope.contains) {
                errors["grants"] = "Có đơn vị nằm ngoài phạm vi quản lý của bạn."
            }
        }
        if let refusal = FormCheck.refusal(note, label: "Ghi chú", max: 1000, lines: .multi) {
            errors["note"] = refusal
        } else if user.account.accountClass == .localAdmin && note.count < 5 {
            errors["note"] = "Nêu lý do đề nghị (ít nhất 5 ký tự) để quản trị Cục xem xét."
        }

        // One person, one account (A3): username, email and ID number are unique, counting pending requests.
        if errors["username"] == nil, existing == nil, try await isTaken(username: username, on: db) {
            errors["username"] = "Tên đăng nhập đã được dùng."
        }
        if errors["email"] == nil, try await isTaken(email: email, except: existing?.id, on: db) {
            errors["email"] = "Thư điện tử này đã gắn với một tài khoản khác (mỗi người một tài khoản)."
        }
        if existing == nil, errors["nationalID"] == nil,
            try await isTaken(nationalIDIndex: keys.blindIndex(nationalID, purpose: "national-id"), on: db)
        {
            errors["nationalID"] = "Số định danh này đã có tài khoản (mỗi người một tài khoản)."
        }
        guard errors.isEmpty, let accountClass, let unit else { return .failure(ValidationErrors(errors)) }
        return .success(
            Valid(
                username: username, fullName: fullName, email: email, nationalID: existing == nil ? nationalID : nil,
                position: position, accountClass: accountClass, unit: unit, roles: roleSet,
                externalValidUntil: validUntil,
                grants: grantIDs, note: note))
    }

    /// The account classes an administrator may create (or request): a central admin also creates the central
    /// department's own users (Art. 8.1.a); the unit check then keeps local users with their local admin.
    static func creatableClasses(by actor: AccountClass) -> [AccountClass] {
        actor == .centralAdmin
            ? [.centralAdmin, .localAdmin, .internalUser, .externalUser, .technicalOperator]
            : [.internalUser, .externalUser]
    }

    private func isTaken(username: String, on db: any Database) async throws -> Bool {
        let accounts = try await Account.query(on: db).filter(\.$username == username).count()
        let pending = try await AccountRequest.query(on: db).filter(\.$newUsername == username).filter(
            \.$status == .pending
        ).count()
        return accounts + pending > 0
    }

    private func isTaken(email: String, except id: UUID?, on db: any Database) async throws -> Bool {
        var query = Account.query(on: db).filter(\.$email == email)
        if let id { query = query.filter(\.$id != id) }
        let pending = try await AccountRequest.query(on: db).filter(\.$newEmail == email).filter(\.$status == .pending)
            .count()
        return try await query.count() + pending > 0
    }

    private func isTaken(nationalIDIndex: String, on db: any Database) async throws -> Bool {
        let accounts = try await Account.query(on: db).filter(\.$nationalIDIndex == nationalIDIndex).count()
        let pending = try await AccountRequest.query(on: db).filter(\.$newNationalIDIndex == nationalIDIndex)
            .filter(\.$status == .pending).count()
        return accounts + pending > 0
    }
}

struct ValidationErrors: Error {
    let fields: [String: String]
    init(_ fields: [String: String]) { self.fields = fields }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
