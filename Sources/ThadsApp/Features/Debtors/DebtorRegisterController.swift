import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The register for staff (D1, D3, D4, D5): the unit's cases without conditions with the next verification, the
/// separate book and exemption, filtered; the officer records the debtor's circumstance and the move to the book.
struct DebtorRegisterController {
    static let base = "so-chua-co-dieu-kien"

    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "so-chua-co-dieu-kien", access: .permission(.viewCases), use: list)
        routes.on(.GET, "so-chua-co-dieu-kien", "nhat-ky-cong-khai", access: .permission(.viewCases), use: log)
        routes.on(.GET, "so-chua-co-dieu-kien", "doi-chieu", access: .permission(.viewDataQuality), use: crossCheck)
        routes.on(.GET, "so-chua-co-dieu-kien", "bao-cao", access: .permission(.viewDataQuality), use: report)
        routes.on(
            .POST, "so-chua-co-dieu-kien", ":entryID", "hoan-canh", access: .permission(.enterCaseData),
            use: setCircumstance)
        routes.on(
            .POST, "so-chua-co-dieu-kien", ":entryID", "so-rieng", access: .permission(.enterCaseData),
            use: moveToSeparateBook)
    }

    enum Filter: String, CaseIterable {
        case all = ""
        case reverificationDue = "den-han-xac-minh"
        case separateBookDue = "du-dieu-kien-so-rieng"
        case inSeparateBook = "so-rieng"
        case exemption = "mien-giam"

        var label: String {
            switch self {
            case .all: "Tất cả"
            case .reverificationDue: "Đến hạn, quá hạn xác minh lại (30 ngày tới)"
            case .separateBookDue: "Đủ điều kiện chuyển sổ theo dõi riêng"
            case .inSeparateBook: "Đang ở sổ theo dõi riêng"
            case .exemption: "Đủ điều kiện đề nghị miễn, giảm"
            }
        }
    }

    func list(req: Request) async throws -> Response {
        try await page(req, errors: [:], status: .ok)
    }

    private func page(_ req: Request, errors: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let user = try req.user
        let filter = Filter(rawValue: req.query[String.self, at: "loc"] ?? "") ?? .all
        let today = req.context.today
        var query = DebtorEntry.query(on: req.db).filter(\.$isListed == true)
        if let units = user.scopedUnitIDs { query = query.filter(\.$unitID ~~ units) }
        switch filter {
        case .all: break
        case .reverificationDue: query = query.filter(\.$reverificationDue <= today.adding(days: 30).iso)
        case .separateBookDue: query = query.filter(\.$bookEligibleSince != nil).filter(\.$inSeparateBook == false)
        case .inSeparateBook: query = query.filter(\.$inSeparateBook == true)
        case .exemption: query = query.filter(\.$exemptionBand != nil)
        }
        let entries = try await query.sort(\.$reverificationDue).sort(\.$caseCode).limit(500).all()
        return DebtorRegisterViews.list(
            req.pageContext, entries: entries, filter: filter, today: today,
            calendar: req.application.workingCalendar, errors: errors, status: status,
            notice: req.notice([
                "da-ghi": "Đã ghi hoàn cảnh của người phải thi hành án.",
                "da-chuyen": "Đã chuyển hồ sơ sang sổ theo dõi riêng.",
            ])
        ).response
    }

    func log(req: Request) async throws -> Response {
        let user = try req.user
        var query = PublicationEvent.query(on: req.db)
        if let units = user.scopedUnitIDs { query = query.filter(\.$unitID ~~ units) }
        let events = try await query.sort(\.$at, .descending).limit(500).all()
        let codes = Dictionary(
            try await DebtorEntry.query(on: req.db).filter(\.$caseID ~~ Set(events.map(\.caseID))).all()
                .map { ($0.caseID, $0.caseCode) }, uniquingKeysWith: { a, _ in a })
        return DebtorRegisterViews.log(req.pageContext, events: events, codes: codes).response
    }

    func crossCheck(req: Request) async throws -> Response {
        let user = try req.user
        let mismatches = try await DebtorCrossCheck.find(unitIDs: user.scopedUnitIDs, on: req.db)
        try await req.application.accessLog.record(
            AuditEntry(
                action: "debtors.crossChecked", objectType: "publication",
                summary: "Đối chiếu công khai: \(mismatches.count) chỗ không khớp"),
            actor: req.context.auditActor, app: req.application)
        return DebtorRegisterViews.crossCheck(req.pageContext, mismatches: mismatches).response
    }

    /// The publication status per unit for leaders (J6): listed, published, taken down this month, mismatches.
    func report(req: Request) async throws -> Response {
        let user = try req.user
        let units = user.scopedUnitIDs
        let monthStart = LocalDate(year: req.context.today.year, month: req.context.today.month, day: 1)!
            .startOfDay(in: .vietnam)
        var listed = DebtorEntry.query(on: req.db).filter(\.$isListed == true)
        var published = DebtorPublication.query(on: req.db).filter(\.$withdrawnAt == nil)
        var events = PublicationEvent.query(on: req.db).filter(\.$at >= monthStart)
        if let units {
            listed = listed.filter(\.$unitID ~~ units)
            published = published.filter(\.$unitID ~~ units)
            events = events.filter(\.$unitID ~~ units)
        }
        var rows: [UUID: DebtorRegisterViews.ReportRow] = [:]
        for entry in try await listed.all() {
            rows[entry.unitID, default: .init()].listed += 1
            if entry.inSeparateBook { rows[entry.unitID, default: .init()].inSeparateBook += 1 }
        }
        for unitID in try await published.all(\.$unitID) { rows[unitID, default: .init()].published += 1 }
        for event in try await events.all() {
            switch event.action {
            case .published: rows[event.unitID, default: .init()].publishedThisMonth += 1
            case .withdrawn: rows[event.unitID, default: .init()].withdrawnThisMonth += 1
            case .updated: break
            }
        }
        for mismatch in try await DebtorCrossCheck.find(unitIDs: units, on: req.db) {
            rows[mismatch.unitID, default: .init()].mismatches += 1
        }
        let names = Dictionary(
            try await EnforcementUnit.query(on: req.db).filter(\.$id ~~ Array(rows.keys)).all()
                .map { ($0.id!, $0.code + " · " + $0.name) }, uniquingKeysWith: { a, _ in a })
        return DebtorRegisterViews.report(
            req.pageContext,
            rows: rows.map { (names[$0.key] ?? $0.key.uuidString, $0.value) }.sorted { $0.0 < $1.0 }
        ).response
    }

    /// An entry of the user's own unit (others cannot be changed, and do not exist for them).
    private func ownEntry(_ req: Request) async throws -> DebtorEntry {
        guard let id = req.parameters.get("entryID", as: UUID.self),
            let entry = try await DebtorEntry.find(id, on: req.db), entry.isListed,
            entry.unitID == (try req.user.unit.id)
        else { throw Abort(.notFound) }
        return entry
    }

    func setCircumstance(req: Request) async throws -> Response {
        let entry = try await ownEntry(req)
        let key = "circumstance-" + entry.id!.uuidString
        var form = FormCheck(req, keys: [key])
        guard let circumstance = form.choice(key, label: "Hoàn cảnh", DebtorCircumstance.self) else {
            return try await page(req, errors: form.errors, status: .badRequest)
        }
        try await DebtorRegister.record(circumstance, for: entry, in: req.context)
        return req.redirect(to: "/\(Self.base)?thongbao=da-ghi")
    }

    func moveToSeparateBook(req: Request) async throws -> Response {
        let entry = try await ownEntry(req)
        guard let since = entry.bookEligibleSince, !entry.inSeparateBook else {
            return try await page(
                req,
                errors: [
                    "book-" + entry.id!.uuidString:
                        "Hồ sơ chưa đủ điều kiện chuyển sổ theo dõi riêng (Điều 9 khoản 5 Nghị định 62/2015/NĐ-CP)."
                ], status: .conflict)
        }
        try await DebtorRegister.moveToSeparateBook(entry, eligibleSince: since, in: req.context)
        return req.redirect(to: "/\(Self.base)?thongbao=da-chuyen")
    }
}
