import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// The public search of debtors without conditions (D7): no account, as the law requires publication, but no way to
/// list everyone — a name is required — a tighter per-address limit than the rest of the portal, and every search
/// in the access log with its result count.
struct DebtorPublicController {
    static let path: PathComponent = "nguoi-chua-co-dieu-kien"
    static let pageSize = 20

    func register(_ app: Application) {
        let limiter = app.debtorSearchLimiter
        app.onPublic(.GET, Self.path, limiter: limiter, use: search)
        app.onPublic(.GET, Self.path, ":entryID", limiter: limiter, use: entry)
    }

    struct Query {
        var name = ""
        var province = ""
        var birthYear = ""
        var page = 1
    }

    func search(req: Request) async throws -> Response {
        var query = Query()
        query.name = VietnameseText.nfc((req.query[String.self, at: "ten"] ?? "").trimmingCharacters(in: .whitespaces))
        query.province = req.query[String.self, at: "tinh"] ?? ""
        query.birthYear = (req.query[String.self, at: "nam-sinh"] ?? "").trimmingCharacters(in: .whitespaces)
        query.page = max(1, min(req.query[Int.self, at: "trang"] ?? 1, 500))
        var errors: [String: String] = [:]
        // Names hold letters, digits and spaces only; the search itself matches whole words (`find`).
        let folded = VietnameseText.fold(query.name).filter { $0.isLetter || $0.isNumber || $0 == " " }
        let asked = !query.name.isEmpty || !query.province.isEmpty || !query.birthYear.isEmpty
        if asked && folded.count < 2 { errors["ten"] = "Nhập họ tên (ít nhất 2 ký tự, có dấu hoặc không dấu)." }
        if let refusal = FormCheck.refusal(query.name, label: "Họ tên", max: 100) { errors["ten"] = refusal }
        var year: Int?
        if !query.birthYear.isEmpty {
            year = Int(query.birthYear)
            if year == nil || !(1900...2100).contains(year!) { errors["nam-sinh"] = "Năm sinh gồm 4 chữ số." }
        }
        let provinces = try UnitCatalog.provinces()
        if !query.province.isEmpty && !provinces.contains(where: { $0.code == query.province }) {
            errors["tinh"] = "Chọn tỉnh, thành phố trong danh sách."
        }
        var results: [DebtorPublication]?
        var more = false
        if asked && errors.isEmpty {
            let found = try await Self.find(
                words: VietnameseText.words(query.name), province: query.province, birthYear: year,
                page: query.page, on: req.db)
            more = found.count > Self.pageSize
            results = Array(found.prefix(Self.pageSize))
            try await req.application.accessLog.record(
                AuditEntry(
                    action: "debtors.publicSearch", objectType: "publication",
                    summary: "Tra cứu công khai: \(more ? "hơn \(Self.pageSize)" : String(found.count)) kết quả, "
                        + "trang \(query.page)",
                    after: AuditEntry.json(["ten": folded, "tinh": query.province, "namSinh": query.birthYear])),
                actor: req.context.auditActor, app: req.application)
        }
        return DebtorPublicViews.search(
            req.pageContext, query: query, provinces: provinces, errors: errors, results: results, more: more
        ).response
    }

    /// One page (plus one row, to tell whether another follows) of the published entries carrying every typed word,
    /// in any order, read through the name index (`WordIndex.debtorPublications`).
    static func find(words: [String], province: String, birthYear: Int?, page: Int, on db: any Database)
        async throws -> [DebtorPublication]
    {
        guard !words.isEmpty else { return [] }
        let sql = try db.sql
        let index = WordIndex.debtorPublications
        let kind = try sql.kind
        var statement: SQLQueryString =
            "SELECT p.id AS id FROM \(unsafeRaw: index.from(alias: "p", kind: kind)) WHERE "
            + index.matches(words, alias: "p", kind: kind)
        statement = statement + " AND p.withdrawn_at IS NULL"
        if !province.isEmpty { statement = statement + " AND p.province_code = \(bind: province)" }
        if let birthYear { statement = statement + " AND p.birth_year = \(bind: birthYear)" }
        statement = statement + " LIMIT \(bind: pageSize + 1) OFFSET \(bind: (page - 1) * pageSize)"
        struct Row: Decodable { let id: UUID }
        let ids = try await sql.raw(statement).all(decoding: Row.self).map(\.id)
        let byID = Dictionary(
            try await DebtorPublication.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) },
            uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byID[$0] }
    }

    func entry(req: Request) async throws -> Response {
        guard let id = req.parameters.get("entryID", as: UUID.self),
            let publication = try await DebtorPublication.find(id, on: req.db), publication.withdrawnAt == nil
        else { throw Abort(.notFound) }
        try await req.application.accessLog.record(
            AuditEntry(
                action: "debtors.publicEntryViewed", objectType: "publication", objectID: id.uuidString,
                unitID: publication.unitID, summary: "Xem thông tin công khai"),
            actor: req.context.auditActor, app: req.application)
        return DebtorPublicViews.entry(req.pageContext, publication).response
    }
}

extension Application {
    private struct DebtorSearchLimiterKey: StorageKey {
        typealias Value = RateLimiter
    }

    /// Half the portal's per-address allowance: searches are what a scraper would loop over.
    var debtorSearchLimiter: RateLimiter {
        if let limiter = storage[DebtorSearchLimiterKey.self] { return limiter }
        let limiter = RateLimiter(limit: max(1, settings.publicRequestsPerMinute / 2), window: 60)
        storage[DebtorSearchLimiterKey.self] = limiter
        return limiter
    }
}
