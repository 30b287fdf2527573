import Fluent
import FluentSQL
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// Auditors and central admins search the audit log and export it; each export asks for a purpose
/// and is itself logged (A9, H3, E3). Both read only the viewer's scope, like any other data: the central department
/// everything, a provincial body its own events and its regional offices', a regional office its own. An event
/// belongs to the unit it concerns and to the acting account's unit; events of neither (the platform's own, failed
/// logins of unknown names) only the central department reads.
struct AuditController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "nhat-ky", access: .permission(.viewAuditLog), use: search)
        routes.on(.POST, "nhat-ky", "xuat", access: .permission(.exportAuditLog), use: export)
    }

    struct Filters {
        var actor: String = ""
        var action: String = ""
        var unitID: UUID?
        var from: LocalDate?
        var to: LocalDate?
        var errors: [String: String] = [:]

        init(_ read: (String) -> String?) {
            actor = (read("actor") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            action = (read("action") ?? "").trimmingCharacters(in: .whitespaces)
            unitID = read("unit").flatMap(UUID.init(uuidString:))
            if let text = read("from")?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                from = LocalDate(display: text)
                if from == nil { errors["from"] = "Ngày không hợp lệ (dd/MM/yyyy)." }
            }
            if let text = read("to")?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                to = LocalDate(display: text)
                if to == nil { errors["to"] = "Ngày không hợp lệ (dd/MM/yyyy)." }
            }
            if let from, let to, to < from { errors["to"] = "Ngày kết thúc phải sau ngày bắt đầu." }
        }

        var queryItems: [(String, String)] {
            [
                ("actor", actor), ("action", action), ("unit", unitID?.uuidString ?? ""), ("from", from?.display ?? ""),
                ("to", to?.display ?? ""),
            ]
        }

        func apply(to query: QueryBuilder<AuditEvent>, scope: DataScope) -> QueryBuilder<AuditEvent> {
            var query = query
            if case .units(let ids) = scope {
                let ids = ids.isEmpty ? [UUID()] : Array(ids)
                query = query.group(.or) { $0.filter(\.$unitID ~~ ids).filter(\.$actorUnitID ~~ ids) }
            }
            if !actor.isEmpty { query = query.filter(\.$actorUsername == actor) }
            if !action.isEmpty {
                // Escaped, so `%`, `_` and `\` in the typed prefix match themselves.
                let pattern: SQLQueryString =
                    "\(ident: AuditEvent.schema).\(ident: "action") LIKE \(bind: LikePattern.prefix(action)) ESCAPE '\\'"
                query = query.filter(.sql(embed: pattern))
            }
            if let unitID { query = query.filter(\.$unitID == unitID) }
            if let from {
                query = query.filter(
                    \.$occurredAtMs >= Int64(from.startOfDay(in: .vietnam).timeIntervalSince1970 * 1000))
            }
            if let to {
                query = query.filter(
                    \.$occurredAtMs < Int64(to.adding(days: 1).startOfDay(in: .vietnam).timeIntervalSince1970 * 1000))
            }
            return query
        }
    }

    func search(req: Request) async throws -> Response {
        let scope = try req.user.scope
        let filters = Filters { req.query[String.self, at: $0] }
        let page = min(max(req.query[Int.self, at: "trang"] ?? 1, 1), 10_000)
        let pageSize = 100
        var events: [AuditEvent] = []
        if filters.errors.isEmpty {
            events = try await filters.apply(to: AuditEvent.query(on: req.db), scope: scope).sort(\.$seq, .descending)
                .range(((page - 1) * pageSize)..<(page * pageSize + 1)).all()
        }
        let units = try await EnforcementUnit.query(on: req.db).sort(\.$code).all()
        return AuditViews.search(
            req.pageContext, filters: filters, events: Array(events.prefix(pageSize)), units: units, page: page,
            hasNext: events.count > pageSize, purposeError: nil
        ).response
    }

    func export(req: Request) async throws -> Response {
        let scope = try req.user.scope
        let filters = Filters { try? req.content.get(String.self, at: $0) }
        let purpose = TextInput.normalized(
            ((try? req.content.get(String.self, at: "purpose")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        let purposeRefusal = FormCheck.refusal(purpose, label: "Mục đích trích xuất", max: 500, lines: .multi)
        guard filters.errors.isEmpty, purposeRefusal == nil, purpose.count >= 10 else {
            let units = try await EnforcementUnit.query(on: req.db).sort(\.$code).all()
            return AuditViews.search(
                req.pageContext, filters: filters, events: [], units: units, page: 1, hasNext: false,
                purposeError: purposeRefusal
                    ?? (purpose.count < 10 ? "Nêu mục đích trích xuất (ít nhất 10 ký tự)." : nil), status: .badRequest
            ).response
        }
        let limit = 100_000
        let events = try await filters.apply(to: AuditEvent.query(on: req.db), scope: scope).sort(\.$seq).limit(limit)
            .all()
        // The export names the scope it was read in, beside the filters.
        var facts = Dictionary(uniqueKeysWithValues: filters.queryItems.map { ($0.0, $0.1) })
        switch scope {
        case .all: facts["scope"] = "all"
        case .units(let ids):
            let codes = try await EnforcementUnit.query(on: req.db).filter(\.$id ~~ Array(ids)).all().map(\.code)
            facts["scope"] = codes.sorted().joined(separator: ",")
        }
        var csv =
            "\u{FEFF}" + CSVText.field(InformationClass.internalUse.marking) + "\r\n"
            + "seq,thoi_gian,tai_khoan,don_vi,hanh_dong,doi_tuong,ma_doi_tuong,tom_tat,truoc,sau,dia_chi_ip,muc_dich,hash\r\n"
        for event in events {
            let fields: [String] = [
                String(event.seq), Format.dateTime(event.occurredAt), event.actorUsername ?? "",
                event.unitID?.uuidString ?? "",
                event.action, event.objectType ?? "", event.objectID ?? "", event.summary ?? "", event.beforeData ?? "",
                event.afterData ?? "", event.ip ?? "", event.purpose ?? "", event.hash,
            ]
            csv += fields.map(CSVText.field).joined(separator: ",") + "\r\n"
        }
        // The extraction log holds the export's facts and the file's hash; its audit event keeps the filters.
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: .export, subject: "Nhật ký quản trị", unitID: nil,
                scope: facts["scope"] ?? "",
                period: filters.queryItems.filter { $0.0 == "from" || $0.0 == "to" }
                    .map { "\($0.0) \($0.1)" }.joined(separator: ", "),
                format: "csv", rows: events.count, purpose: purpose, file: Array(csv.utf8),
                auditEntry: AuditEntry(
                    action: "audit.exported", objectType: "auditLog", summary: "\(events.count) sự kiện",
                    after: AuditEntry.json(facts))), in: req.context)
        let response = Response(status: .ok, body: .init(string: csv))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "nhat-ky-\(req.clock.today.iso).csv")
        return response
    }
}
