import Fluent
import Foundation
import NIOConcurrencyHelpers
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

    /// A sortable column of the case list; `-` before the key sorts it descending ("-ma").
    enum SortColumn: String, CaseIterable, Sendable {
        case code = "ma"
        case judgment = "ban-an"
        case unit = "don-vi"
        case opened = "ngay-thu-ly"
        case status = "trang-thai"
    }

    struct Sort: Sendable, Equatable {
        var column: SortColumn
        var descending: Bool

        init(column: SortColumn, descending: Bool) {
            self.column = column
            self.descending = descending
        }

        init?(rawValue: String) {
            let descending = rawValue.hasPrefix("-")
            guard let column = SortColumn(rawValue: descending ? String(rawValue.dropFirst()) : rawValue) else {
                return nil
            }
            self.init(column: column, descending: descending)
        }

        var rawValue: String { (descending ? "-" : "") + column.rawValue }

        /// The ORDER BY of this sort, ending on the case code so that pages neither repeat nor skip a case. Code and
        /// opening day read their indexes in order; the others sort the filtered cases (a unit's, or a search's).
        func clause(collate: String) -> String {
            let way = descending ? " DESC" : " ASC"
            switch column {
            case .code: return "c.code\(collate)\(way)"
            case .opened: return "c.opened_on\(way), c.code\(collate)\(way)"
            case .status: return "c.status\(way), c.opened_on DESC, c.code\(collate) DESC"
            case .judgment: return "j.number\(way), c.code\(collate)\(way)"
            case .unit:
                return "(SELECT u.code FROM units u WHERE u.id = c.unit_id)\(way), c.opened_on DESC, "
                    + "c.code\(collate) DESC"
            }
        }
    }

    /// Counted up to this many: beyond it the list says "more than", and a nationwide count never costs a full scan.
    static let countCap = 1_000

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
        /// Nil: the newest first. Name searches keep their own order (best match first).
        var sort: Sort?

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
        /// The case's debtors and creditors (the first two of each, then "+n").
        var debtorNames: String? = nil
        var creditorNames: String? = nil
    }

    struct Result: Content, Sendable {
        var page: Int
        var hasNext: Bool
        var hits: [Hit]
        /// The number of cases the filters match, up to `countCap` (nil for name searches, which are not counted).
        var total: Int? = nil
        /// True when more than `countCap` match.
        var totalCapped: Bool? = nil
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
        var total: Int?
        if !folded.isEmpty {
            rows = try await nameSearch(
                query, folded: folded, want: want, offset: offset, scope: scope, keys: keys, sql)
        } else {
            let partyJoin = !query.idNumber.isEmpty
            var statement = select(sql, withParty: partyJoin)
            filters(&statement, query, scope: scope, keys: keys, party: partyJoin)
            let collate = try sql.kind.byteOrderCollation
            let order = query.sort?.clause(collate: collate) ?? "c.opened_on DESC, c.code\(collate) DESC"
            rows = try await statement.orderBy(SQLRaw(order))
                .limit(query.pageSize + 1).offset(offset).all(decoding: Row.self, with: Self.decoder)
            // The judgment is joined only when the filter reads its number.
            var counted = select(
                sql, withParty: partyJoin, columns: "1 AS one",
                withJudgment: !query.text.trimmingCharacters(in: .whitespaces).isEmpty)
            filters(&counted, query, scope: scope, keys: keys, party: partyJoin)
            counted.limit(countCap + 1)
            total = try await count(counted.select, on: sql)
        }
        let hasNext = rows.count > query.pageSize
        rows = Array(rows.prefix(query.pageSize))
        let names = try await CasePartyNames.load(rows.map(\.caseId), on: db)
        var result = Result(
            page: max(query.page, 1), hasNext: hasNext,
            hits: rows.map { row in
                let status = CaseStatus(rawValue: row.status) ?? .accepted
                return Hit(
                    caseID: row.caseId, code: row.code, unitID: row.unitId, status: status,
                    statusLabel: status.label, openedOn: row.openedOn, judgmentNumber: row.number,
                    partyName: row.fullName, partyRole: row.role.flatMap(PartyRole.init(rawValue:)),
                    partyIDMasked: row.idNumberLast3.map { "*********" + $0 },
                    debtorNames: names[row.caseId]?.debtorText, creditorNames: names[row.caseId]?.creditorText)
            })
        result.total = total.map { min($0, countCap) }
        result.totalCapped = total.map { $0 > countCap }
        return result
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

    /// `SELECT COUNT(*) FROM (inner)`: the inner select stops at `countCap + 1` rows.
    private struct CountOf: SQLExpression {
        let inner: SQLSelect
        func serialize(to serializer: inout SQLSerializer) {
            serializer.write("SELECT COUNT(*) AS n FROM (")
            inner.serialize(to: &serializer)
            serializer.write(") counted")
        }
    }

    private static func count(_ inner: SQLSelect, on sql: any SQLDatabase) async throws -> Int {
        let found = NIOLockedValueBox(0)
        try await sql.execute(sql: CountOf(inner: inner)) { row in
            found.withLockedValue { $0 = (try? row.decode(column: "n", as: Int.self)) ?? 0 }
        }
        return found.withLockedValue { $0 }
    }

    private static func select(
        _ sql: any SQLDatabase, withParty: Bool, from: String? = nil, columns chosen: String? = nil,
        withJudgment: Bool = true
    ) -> SQLSelectBuilder {
        let columns =
            chosen
            ?? ("c.id AS case_id, c.code, c.unit_id, c.status, c.opened_on, j.number"
                + (withParty ? ", p.full_name, p.role, p.id_number_last3, p.name_exact" : ""))
        let source =
            from ?? (withParty ? "case_parties p" : "enforcement_cases c")
        let judgment = withJudgment ? " JOIN judgments j ON j.id = c.judgment_id" : ""
        let joins = withParty ? " JOIN enforcement_cases c ON c.id = p.case_id" + judgment : judgment
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
