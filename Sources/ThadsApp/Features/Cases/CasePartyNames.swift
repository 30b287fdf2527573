import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// The debtor's and the creditor's names of a page of cases, shown wherever a case is listed: officers think in
/// names, not codes. Read as one statement over the `parties_case` index after the list's own page is chosen, so
/// the list query keeps reading its own index in its order and the names cost one lookup per listed case.
struct CasePartyNames: Sendable, Hashable {
    var debtors: [String] = []
    var creditors: [String] = []

    /// "Nguyễn Văn A, Trần Thị B" (the first two, then "+n").
    static func short(_ names: [String]) -> String {
        guard names.count > 2 else { return names.joined(separator: ", ") }
        return names.prefix(2).joined(separator: ", ") + " +\(names.count - 2)"
    }

    var debtorText: String { Self.short(debtors) }
    var creditorText: String { Self.short(creditors) }

    private struct Row: Decodable {
        let caseId: UUID
        let role: String
        let fullName: String
    }

    private static let decoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)

    /// Names by case, in the order the parties were entered; cases without parties are absent.
    static func load(_ caseIDs: [UUID], on db: any Database) async throws -> [UUID: CasePartyNames] {
        let ids = Array(Set(caseIDs))
        guard !ids.isEmpty else { return [:] }
        let sql = try db.sql
        var names: [UUID: CasePartyNames] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let batch = Array(ids[start..<min(ids.count, start + 500)])
            let rows = try await sql.select()
                .column(SQLRaw("case_id, role, full_name"))
                .from(SQLRaw("case_parties"))
                .where(SQLRaw("case_id"), .in, SQLBind.group(batch))
                .where(SQLRaw("role"), .notEqual, SQLBind(PartyRole.related.rawValue))
                .where(SQLRaw("void_note IS NULL"))
                .orderBy(SQLRaw("entered_at, id"))
                .all(decoding: Row.self, with: decoder)
            for row in rows {
                switch PartyRole(rawValue: row.role) {
                case .debtor: names[row.caseId, default: .init()].debtors.append(row.fullName)
                case .creditor: names[row.caseId, default: .init()].creditors.append(row.fullName)
                default: break
                }
            }
        }
        return names
    }
}
