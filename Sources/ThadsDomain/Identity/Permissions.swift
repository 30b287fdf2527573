/// What an account may do. Checked on the server for every route, together with the data scope.
public enum Permission: String, Sendable, Codable, CaseIterable, Hashable {
    case viewUnits
    case manageUnits
    case viewAccounts
    case changeAccounts
    case requestAccountChanges
    case manageAccountsDirectly
    case approveAccountRequests
    case endAccountSessions
    case viewAuditLog
    case exportAuditLog
    case viewCalendar
    case manageCalendar
    case viewLegalParameters
    case manageLegalParameters
    case viewCatalogs
    case manageCatalogs
    case viewCases
    case enterCaseData
    case approveCaseCorrections
    case dismissQualityWarnings
    case viewDataQuality
    case viewPartyIDNumbers
    case importCases
    case viewStatistics
    case lockReportingPeriods
    case confirmPeriodAmendments
    case approvePeriodAmendments
    case viewExtractionLog
    case viewReceipts
    case manageReceipts
    case approveReceiptSeries
    case viewOnlineRequests
    case handleOnlineRequests
    case processOnlineRequests
    case approveOnlineRequests
    case viewOnlineSupportOverview
    case operatePlatform
    case manageConnectedSystems
    case viewExchangeLog

    public var label: String {
        switch self {
        case .viewUnits: "Xem danh mục đơn vị"
        case .manageUnits: "Tạo, đổi tên, đóng đơn vị"
        case .viewAccounts: "Xem tài khoản trong phạm vi"
        case .changeAccounts: "Tạo, sửa, khóa tài khoản (trực tiếp hoặc qua đề nghị)"
        case .requestAccountChanges: "Đề nghị tạo, sửa, khóa, mở khóa, thu hồi tài khoản"
        case .manageAccountsDirectly: "Quản lý trực tiếp tài khoản (không cần phê duyệt)"
        case .approveAccountRequests: "Phê duyệt, từ chối đề nghị về tài khoản"
        case .endAccountSessions: "Kết thúc mọi phiên của một tài khoản"
        case .viewAuditLog: "Xem nhật ký quản trị, truy cập"
        case .exportAuditLog: "Trích xuất nhật ký (CSV)"
        case .viewCalendar: "Xem lịch ngày làm việc"
        case .manageCalendar: "Cập nhật quyết định nghỉ lễ, làm bù"
        case .viewLegalParameters: "Xem tham số pháp lý"
        case .manageLegalParameters: "Sửa tham số pháp lý"
        case .viewCatalogs: "Xem danh mục dùng chung"
        case .manageCatalogs: "Thêm mục, kết thúc hiệu lực mục trong danh mục dùng chung"
        case .viewCases: "Xem hồ sơ thi hành án trong phạm vi (kể cả tải tài liệu)"
        case .enterCaseData: "Nhập hồ sơ, đương sự, quyết định, xác minh, thu chi; đề nghị hiệu chỉnh"
        case .approveCaseCorrections: "Phê duyệt, từ chối hiệu chỉnh nội dung hồ sơ"
        case .dismissQualityWarnings: "Bỏ qua cảnh báo chất lượng dữ liệu (có lý do)"
        case .viewDataQuality: "Xem trang chất lượng dữ liệu của đơn vị"
        case .viewPartyIDNumbers: "Xem đầy đủ số định danh, mã số thuế của đương sự (người khác chỉ thấy 3 số cuối)"
        case .importCases: "Nhập hồ sơ từ dữ liệu cũ (CSV, XLSX) vào các đơn vị trong phạm vi"
        case .viewStatistics: "Xem, trích xuất báo cáo thống kê của đơn vị và cấp dưới (có ghi nhật ký)"
        case .lockReportingPeriods: "Khóa số liệu kỳ báo cáo của đơn vị"
        case .confirmPeriodAmendments: "Xác nhận đề nghị sửa số liệu kỳ đã khóa của đơn vị"
        case .approvePeriodAmendments: "Phê duyệt đề nghị sửa số liệu kỳ đã khóa (cấp trung ương)"
        case .viewExtractionLog: "Xem nhật ký trích xuất dữ liệu"
        case .viewReceipts: "Xem biên lai, sổ tiền thi hành án, báo cáo sử dụng biên lai của đơn vị"
        case .manageReceipts: "Đăng ký dải biên lai, hủy, thay thế biên lai, khóa sổ ngày (kế toán)"
        case .approveReceiptSeries: "Phê duyệt dải biên lai của đơn vị trước khi sử dụng"
        case .viewOnlineRequests: "Xem yêu cầu hỗ trợ trực tuyến của đơn vị"
        case .handleOnlineRequests: "Tiếp nhận, kiểm tra, hẹn, trả kết quả yêu cầu hỗ trợ trực tuyến"
        case .processOnlineRequests: "Thẩm tra, xử lý, dự thảo văn bản cho yêu cầu hỗ trợ trực tuyến"
        case .approveOnlineRequests: "Phân công, ký phê duyệt kết quả yêu cầu hỗ trợ trực tuyến"
        case .viewOnlineSupportOverview: "Theo dõi tiếp nhận, xử lý hỗ trợ trực tuyến theo đơn vị, công chức"
        case .operatePlatform: "Vận hành: sao lưu, diễn tập khôi phục, cảnh báo, nhật ký vận hành"
        case .manageConnectedSystems: "Đăng ký, tạm dừng hệ thống kết nối và thỏa thuận trao đổi dữ liệu"
        case .viewExchangeLog: "Xem, trích xuất nhật ký trao đổi dữ liệu với hệ thống kết nối"
        }
    }
}

/// The permission matrix (A5): defined once here, printed in docs/permissions.md by `thads docs`.
public enum PermissionMatrix {
    public static func permissions(for accountClass: AccountClass, roles: Set<Role>) -> Set<
        Permission
    > {
        switch accountClass {
        case .centralAdmin:
            return [
                .viewUnits, .manageUnits, .viewAccounts, .changeAccounts, .manageAccountsDirectly,
                .approveAccountRequests,
                .endAccountSessions, .viewAuditLog, .exportAuditLog, .viewCalendar, .manageCalendar,
                .viewLegalParameters, .manageLegalParameters, .viewCatalogs, .manageCatalogs, .importCases,
                .approveReceiptSeries,
                .operatePlatform, .manageConnectedSystems, .viewExchangeLog,
            ]
        case .localAdmin:
            return [
                .viewUnits, .viewAccounts, .changeAccounts, .requestAccountChanges,
                .endAccountSessions,
                .viewCalendar,
                .viewLegalParameters, .viewCatalogs, .importCases,
            ]
        case .externalUser:
            return roles.contains(.externalReader) ? [.viewCalendar, .viewCases] : []
        case .technicalOperator:
            return [.operatePlatform]
        case .internalUser:
            return roles.reduce(into: Set<Permission>()) { result, role in
                result.formUnion(permissions(of: role))
            }
        }
    }

    static func permissions(of role: Role) -> Set<Permission> {
        let everyStaffMember: Set<Permission> = [.viewCalendar, .viewLegalParameters, .viewCatalogs, .viewCases]
        switch role {
        case .inspector:
            return everyStaffMember.union([
                .viewUnits, .viewAuditLog, .exportAuditLog, .viewDataQuality, .viewStatistics, .viewExtractionLog,
                .viewReceipts, .viewOnlineRequests, .viewOnlineSupportOverview, .viewExchangeLog,
            ])
        case .head:
            return everyStaffMember.union([
                .viewUnits, .enterCaseData, .approveCaseCorrections, .dismissQualityWarnings, .viewDataQuality,
                .viewPartyIDNumbers, .viewStatistics, .lockReportingPeriods, .confirmPeriodAmendments, .viewReceipts,
                .viewOnlineRequests, .approveOnlineRequests, .viewOnlineSupportOverview,
            ])
        case .externalReader: return [.viewCalendar, .viewCases]
        case .enforcementOfficer:
            return everyStaffMember.union([
                .enterCaseData, .viewDataQuality, .viewPartyIDNumbers, .viewReceipts, .viewOnlineRequests,
                .processOnlineRequests,
            ])
        case .statisticsOfficer:
            return everyStaffMember.union([
                .viewDataQuality, .viewStatistics, .lockReportingPeriods, .approvePeriodAmendments,
            ])
        // The accountant keeps the receipts and the money books; they see the payer's ID number a receipt carries.
        case .accountant:
            return everyStaffMember.union([.enterCaseData, .viewReceipts, .manageReceipts, .viewPartyIDNumbers])
        case .secretary, .recordsClerk: return everyStaffMember.union([.enterCaseData, .viewOnlineRequests])
        case .verifier:
            return everyStaffMember.union([.viewPartyIDNumbers, .viewOnlineRequests, .processOnlineRequests])
        case .onlineSupportOfficer:
            return everyStaffMember.union([.viewOnlineRequests, .handleOnlineRequests])
        }
    }

    /// The matrix as a Markdown table, one row per permission and one column per class/role.
    public static func markdown() -> String {
        var columns: [(String, Set<Permission>)] = [
            (AccountClass.centralAdmin.label, permissions(for: .centralAdmin, roles: [])),
            (AccountClass.localAdmin.label, permissions(for: .localAdmin, roles: [])),
            (AccountClass.technicalOperator.label, permissions(for: .technicalOperator, roles: [])),
        ]
        for role in Role.allCases {
            let accountClass: AccountClass = role == .externalReader ? .externalUser : .internalUser
            columns.append((role.label, permissions(for: accountClass, roles: [role])))
        }
        var lines = ["# Ma trận phân quyền (Permission matrix)", ""]
        lines.append(
            "Sinh tự động từ `ThadsDomain/Identity/Permissions.swift` bằng `swift run thads docs`. "
                + "Mọi quyền còn bị giới hạn bởi phạm vi dữ liệu theo đơn vị (xem mục “Phạm vi dữ liệu” bên dưới)."
        )
        lines.append("")
        lines.append("| Quyền | `code` | " + columns.map(\.0).joined(separator: " | ") + " |")
        lines.append("|---|---|" + columns.map { _ in "---" }.joined(separator: "|") + "|")
        for permission in Permission.allCases {
            let cells = columns.map { $0.1.contains(permission) ? "✔" : "" }
            lines.append(
                "| \(permission.label) | `\(permission.rawValue)` | "
                    + cells.joined(separator: " | ")
                    + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
