import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// Case search (B10) over the indexes of `CreateCaseSearch`: every query reads an index in its order and stops at
/// the page, so its cost follows the page size, not the table size.
///
/// Name matches come in two passes when the whole name or its start is searched: first the parties whose name as
/// typed (with its marks) matches, then those that match only once folded, so "Hòa" finds "Hòa" before "Hoa" and
/// "Hóa". Word matches (any order) come in index order, with the exact-marks matches first within the page.
enum CaseSearch {
    enum NameMode: String, CaseIterable, Sendable, Codable {
        case whole, prefix, words

        var label: String {
            switch self {
            case .whole: "Đúng cả họ tên"
            case .prefix: "Bắt đầu bằng"
            case .words: "Có các từ (thứ tự bất kỳ)"
            }
        }
    }

    struct Query: Sendable {
        var text = ""
        var name = ""
        var nameMode: NameMode = .words
        var idNumber = ""
        var unitID: UUID?
        var status: CaseStatus?
        var officerID: UUID?
        var openedFrom: LocalDate?
        var openedTo: LocalDate?
        var page = 1
        var pageSize = 50

        var isEmpty: Bool {
            text.isEmpty && VietnameseText.fold(name).isEmpty && idNumber.isEmpty && unitID == nil && status == nil
                && officerID == nil && openedFrom == nil && openedTo == nil
        }
    }

    struct Hit: Content, Sendable {
        var caseID: UUID
        var code: String
        var unitID: UUID
        var status: CaseStatus
        var statusLabel: String
        var openedOn: String
        var judgmentNumber: String
        var partyName: String?
        var partyRole: PartyRole?
        var partyIDMasked: String?
    }

    struct Result: Content, Sendable {
        var page: Int
        var hasNext: Bool
        var hits: [Hit]
    }

    private struct Row: Decodable {
        let caseId: UUID
        let code: String
        let unitId: UUID
        let status: String
        let openedOn: String
        let number: String
        let fullName: String?
        let role: String?
        let idNumberLast3: String?
        let nameExact: String?
    }

    private static let decoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)

    static func run(_ query: Query, scope: DataScope, keys: KeyStore, on db: any Database) async throws -> Result {
        let sql = try db.sql
        let offset = (max(query.page, 1) - 1) * query.pageSize
        let want = offset + query.pageSize + 1
        let folded = VietnameseText.fold(query.name)
        var rows: [Row]
        if !folded.isEmpty {
            rows = try await nameSearch(
                query, folded: folded, want: want, offset: offset, scope: scope, keys: keys, sql)
        } else {
            let partyJoin = !query.idNumber.isEmpty
            var statement = select(sql, withParty: partyJoin)
            filters(&statement, query, scope: scope, keys: keys, party: partyJoin)
            rows = try await statement.orderBy(SQLRaw("c.opened_on DESC, c.code DESC"))
                .limit(query.pageSize + 1).offset(offset).all(decoding: Row.self, with: Self.decoder)
        }
        let hasNext = rows.count > query.pageSize
        rows = Array(rows.prefix(query.pageSize))
        return Result(
            page: max(query.page, 1), hasNext: hasNext,
            hits: rows.map { row in
                let status = CaseStatus(rawValue: row.status) ?? .accepted
                return Hit(
                    caseID: row.caseId, code: row.code, unitID: row.unitId, status: status,
                    statusLabel: status.label, openedOn: row.openedOn, judgmentNumber: row.number,
                    partyName: row.fullName, partyRole: row.role.flatMap(PartyRole.init(rawValue:)),
                    partyIDMasked: row.idNumberLast3.map { "*********" + $0 })
            })
    }

    // MARK: Name search

    private static func nameSearch(
        _ query: Query, folded: String, want: Int, offset: Int, scope: DataScope, keys: KeyStore,
        _ sql: any SQLDatabase
    ) async throws -> [Row] {
        let exact = VietnameseText.exact(query.name)
        let kind = try sql.kind
        let collate = kind.byteOrderCollation
        // Many people share a name: the row's own key orders them, so that pages neither repeat nor skip anyone.
        // Both are the last column of the name indexes (PostgreSQL's carry the id, SQLite's the rowid), so the order
        // is still read from the index and the scan stops at the page.
        let tieBreak = ", " + kind.rowKey(of: "p")
        switch query.nameMode {
        case .whole, .prefix:
            let prefix = query.nameMode == .prefix
            func condition(_ column: String, _ value: String, upper: String) -> SQLQueryString {
                prefix
                    ? "p.\(unsafeRaw: column)\(unsafeRaw: collate) >= \(bind: value) AND p.\(unsafeRaw: column)\(unsafeRaw: collate) < \(bind: value + upper)"
                    : "p.\(unsafeRaw: column)\(unsafeRaw: collate) = \(bind: value)"
            }
            let exactCondition = condition("name_exact", exact, upper: "\u{10FFFF}")
            var first = select(sql, withParty: true)
            first.where(exactCondition)
            filters(&first, query, scope: scope, keys: keys, party: true)
            let exactRows = try await first.orderBy(SQLRaw("p.name_exact\(collate)\(tieBreak)")).limit(want)
                .all(decoding: Row.self, with: Self.decoder)
            if exactRows.count > offset + query.pageSize { return Array(exactRows.dropFirst(offset)) }
            var second = select(sql, withParty: true)
            second.where(condition("name_folded", folded, upper: "\u{7F}"))
            let notExact: SQLQueryString = "NOT (\(exactCondition))"
            second.where(notExact)
            filters(&second, query, scope: scope, keys: keys, party: true)
            // The page continues in the folded list where the exact list ran out.
            let skip = max(0, offset - exactRows.count)
            let need = query.pageSize + 1 - max(0, exactRows.count - offset)
            let foldedOrder = SQLRaw("p.name_folded\(collate)\(tieBreak)")
            let foldedRows = try await second.orderBy(foldedOrder).limit(need).offset(skip)
                .all(decoding: Row.self, with: Self.decoder)
            return Array(exactRows.dropFirst(offset)) + foldedRows
        case .words:
            let words = VietnameseText.words(query.name)
            guard !words.isEmpty else { return [] }
            // Any-order words through the name index (`WordIndex.caseParties`).
            let index = WordIndex.caseParties
            var statement =
                kind == .postgres
                ? select(sql, withParty: true) : select(sql, withParty: true, from: index.from(alias: "p", kind: kind))
            statement.where(index.matches(words, alias: "p", kind: kind))
            filters(&statement, query, scope: scope, keys: keys, party: true)
            let rows = try await statement.limit(query.pageSize + 1).offset(offset).all(
                decoding: Row.self, with: Self.decoder)
            // Within the page, names carrying every typed word with its marks first.
            let typed = exact.split(separator: " ").map(String.init)
            return rows.enumerated().sorted { a, b in
                let aExact = typed.allSatisfy {
                    (a.element.nameExact ?? "").split(separator: " ").contains(Substring($0))
                }
                let bExact = typed.allSatisfy {
                    (b.element.nameExact ?? "").split(separator: " ").contains(Substring($0))
                }
                return aExact != bExact ? aExact : a.offset < b.offset
            }.map(\.element)
        }
    }

    // MARK: Building blocks

    private static func select(_ sql: any SQLDatabase, withParty: Bool, from: String? = nil) -> SQLSelectBuilder {
        let columns =
            "c.id AS case_id, c.code, c.unit_id, c.status, c.opened_on, j.number"
            + (withParty ? ", p.full_name, p.role, p.id_number_last3, p.name_exact" : "")
        let source =
            from ?? (withParty ? "case_parties p" : "enforcement_cases c")
        let joins =
            withParty
            ? " JOIN enforcement_cases c ON c.id = p.case_id JOIN judgments j ON j.id = c.judgment_id"
            : " JOIN judgments j ON j.id = c.judgment_id"
        return sql.select().column(SQLRaw(columns)).from(SQLRaw(source + joins))
    }

    private static func filters(
        _ statement: inout SQLSelectBuilder, _ query: Query, scope: DataScope, keys: KeyStore, party: Bool
    ) {
        let collation = (try? statement.database.kind)?.byteOrderCollation ?? ""
        // The party row carries its case's unit, so a scoped name search stays on the (unit, name) index.
        let unitColumn = party ? "p.unit_id" : "c.unit_id"
        if case .units(let ids) = scope {
            statement.where(SQLRaw(unitColumn), .in, SQLBind.group(ids.isEmpty ? [UUID()] : Array(ids)))
        }
        if let unitID = query.unitID { statement.where(SQLRaw(unitColumn), .equal, SQLBind(unitID)) }
        if let status = query.status { statement.where(SQLRaw("c.status"), .equal, SQLBind(status.rawValue)) }
        if let officerID = query.officerID { statement.where(SQLRaw("c.officer_id"), .equal, SQLBind(officerID)) }
        if let from = query.openedFrom {
            statement.where(SQLRaw("c.opened_on"), .greaterThanOrEqual, SQLBind(from.iso))
        }
        if let to = query.openedTo { statement.where(SQLRaw("c.opened_on"), .lessThanOrEqual, SQLBind(to.iso)) }
        if party && !query.idNumber.isEmpty {
            let normalized = query.idNumber.filter { !$0.isWhitespace }
            statement.where(
                SQLRaw("p.id_number_index"), .equal,
                SQLBind(keys.blindIndex(normalized, purpose: CaseRecord.idPurpose)))
        }
        let text = query.text.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty {
            let code = text.uppercased()
            let key = CaseQuality.judgmentNumberKey(text)
            let collate = collation
            let codeOrNumber: SQLQueryString =
                "(c.code\(unsafeRaw: collate) >= \(bind: code) AND c.code\(unsafeRaw: collate) < \(bind: code + "\u{7F}") OR j.number_key = \(bind: key))"
            statement.where(codeOrNumber)
        }
    }
}
