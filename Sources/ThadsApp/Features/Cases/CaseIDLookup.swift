import Foundation
import ThadsDomain
import Vapor

/// Exact-ID case search without an oracle (issue 16, H3). A hit confirms a number, so a role that sees ID numbers
/// masked (`*********415`) could confirm a full number by guessing the missing digits; the search by number is
/// therefore answered only for roles that may see the number (`viewPartyIDNumbers`). Every look-up, answered or
/// refused, is written to the access log without the number — whether it was refused, how many cases it found and
/// a keyed hash that shows repeats of one number — and an account's look-ups are counted per hour
/// (`AccessWatch`): from `alertThreshold` on they raise an abnormal-access event.
enum CaseIDLookup {
    static let action = "case.idSearched"
    static let alertThreshold = 20
    /// A purpose of its own: the hash in the log cannot be matched against the parties' blind index.
    static let hashPurpose = "id-lookup-log"

    struct Outcome: Sendable {
        var result: CaseSearch.Result
        var refused: Bool
    }

    static func search(_ query: CaseSearch.Query, in ctx: ActionContext) async throws -> Outcome {
        let user = try ctx.staff
        let refused = !user.can(.viewPartyIDNumbers)
        let result =
            refused
            ? CaseSearch.Result(page: max(query.page, 1), hasNext: false, hits: [])
            : try await CaseSearch.run(query, scope: ctx.scope, keys: ctx.keys, on: ctx.db)
        let facts = LookupFacts(
            refused: refused, cases: Set(result.hits.map(\.caseID)).count, hasMore: result.hasNext,
            numberHash: numberHash(query.idNumber, keys: ctx.keys))
        try await ctx.write { db in
            try await ctx.audit(
                AuditEntry(
                    action: action, objectType: "caseSearch",
                    summary: refused
                        ? "Tìm theo số định danh: từ chối (vai trò không được xem số định danh)"
                        : "Tìm theo số định danh: \(facts.cases)\(facts.hasMore ? "+" : "") hồ sơ",
                    after: AuditEntry.json(facts)), on: db)
            try await AccessWatch.count(
                action, label: "tìm theo số định danh", threshold: alertThreshold, actor: ctx.auditActor, at: ctx.now,
                on: db)
        }
        return Outcome(result: result, refused: refused)
    }

    /// A keyed hash of the number (hex, 128 bits): equal for equal numbers, useless without the key.
    static func numberHash(_ idNumber: String, keys: KeyStore) -> String {
        let mac = keys.blindIndex(idNumber.filter { !$0.isWhitespace }, purpose: hashPurpose)
        return (Data(base64Encoded: mac) ?? Data()).prefix(16).hexString
    }

    struct LookupFacts: Encodable, Sendable {
        var refused: Bool
        var cases: Int
        var hasMore: Bool
        var numberHash: String
    }

    static let refusalMessage =
        "Tìm theo số định danh chỉ dành cho vai trò được xem đầy đủ số định danh; hãy tìm theo tên hoặc mã hồ sơ."
}
