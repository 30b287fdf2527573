import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The operator's pages (F1–F4): backup state and log, the last drill, open alerts to acknowledge, and the
/// operations log with its hand-written entries and CSV export.
struct OperationsController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "van-hanh", access: .permission(.operatePlatform), use: dashboard)
        routes.on(
            .POST, "van-hanh", "canh-bao", ":alertID", "xac-nhan", access: .permission(.operatePlatform),
            use: acknowledge)
        routes.on(.POST, "van-hanh", "sao-luu", access: .permission(.operatePlatform), use: requestBackup)
        routes.on(.GET, "van-hanh", "nhat-ky", access: .permission(.operatePlatform), use: log)
        routes.on(.POST, "van-hanh", "nhat-ky", access: .permission(.operatePlatform), use: addEntry)
        routes.on(.POST, "van-hanh", "nhat-ky", "xuat", access: .permission(.operatePlatform), use: export)
        routes.on(.GET, "van-hanh", "tong-hop", access: .permission(.operatePlatform), use: summary)
    }

    func dashboardData(_ req: Request) async throws -> OperationsViews.Dashboard {
        let runs = try await BackupRun.query(on: req.db).sort(\.$startedAt, .descending).limit(50).all()
        let lastBackup = try await OperationsWatch.lastSuccess(OperationsWatch.snapshotKinds, on: req.db)
        let lastDrill = try await OperationsWatch.lastSuccess([.drill], on: req.db)
        let alerts = try await OperationsAlert.query(on: req.db).filter(\.$acknowledgedAt == nil)
            .sort(\.$raisedAt, .descending).limit(100).all()
        let now = req.clock.now
        return OperationsViews.Dashboard(
            runs: runs, lastBackup: lastBackup, lastDrill: lastDrill, openAlerts: alerts,
            backupStatus: BackupFreshness.status(
                lastSuccess: lastBackup?.startedAt, now: now, maxAge: BackupFreshness.backupMaxAge),
            drillStatus: BackupFreshness.status(
                lastSuccess: lastDrill?.startedAt, now: now, maxAge: BackupFreshness.drillMaxAge),
            repository: req.application.settings.backupRepository,
            copyRepository: req.application.settings.operations.copyRepository,
            requests: try await BackupRequests.pending(on: req.db))
    }

    func dashboard(req: Request) async throws -> Response {
        OperationsViews.dashboard(req.pageContext, try await dashboardData(req), errors: [:]).response
    }

    func acknowledge(req: Request) async throws -> Response {
        guard let id = req.parameters.get("alertID", as: UUID.self) else { throw Abort(.notFound) }
        let note = TextInput.normalized((try? req.content.get(String.self, at: "note")) ?? "")
        var errors: [String: String] = [:]
        if let refusal = FormCheck.refusal(note, label: "Ghi chú", max: 2000, lines: .multi) {
            errors[id.uuidString] = refusal
        } else if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors[id.uuidString] = "Ghi rõ đã xử lý cảnh báo thế nào."
        }
        guard errors.isEmpty else {
            return OperationsViews.dashboard(
                req.pageContext, try await dashboardData(req), errors: errors, status: .badRequest
            ).response
        }
        try await OperationsAlerts.acknowledge(id, note: note, in: req.context)
        return req.redirect(to: "/van-hanh", redirectType: .normal)
    }

    /// Queues a backup, verification or drill for the job runner (F1, F2 by hand).
    func requestBackup(req: Request) async throws -> Response {
        let typed = (try? req.content.get(String.self, at: "kind")) ?? ""
        var errors: [String: String] = [:]
        if let kind = BackupKind(rawValue: typed), BackupRequests.kinds.contains(kind) {
            do {
                try await BackupRequests.request(kind, in: req.context)
                return req.redirect(to: "/van-hanh", redirectType: .normal)
            } catch is BackupRequests.AlreadyQueued {
                errors["kind"] = "Đã có yêu cầu \(kind.label.lowercased()) đang chờ hoặc đang chạy."
            }
        } else {
            errors["kind"] = "Chọn việc cần chạy."
        }
        return OperationsViews.dashboard(
            req.pageContext, try await dashboardData(req), errors: errors, status: .badRequest
        )
        .response
    }

    func summary(req: Request) async throws -> Response {
        let typed = (req.query[String.self, at: "thang"] ?? "").trimmingCharacters(in: .whitespaces)
        let current = SummaryMonth.containing(req.clock.today)
        var month = current.previous
        var error: String?
        if !typed.isEmpty {
            if let chosen = SummaryMonth(display: typed), chosen <= current {
                month = chosen
            } else {
                error = "Tháng không hợp lệ: nhập theo dạng MM/yyyy, không sau tháng này."
            }
        }
        let figures = try await SecuritySummary.compile(month, on: req.db)
        let logged = try await OperationsLogEntry.query(on: req.db).filter(\.$task == SecuritySummary.task(month))
            .first()
        return OperationsViews.summary(
            req.pageContext, month: month, typed: error == nil ? month.display : typed, error: error,
            figures: figures, loggedAt: logged?.at, status: error == nil ? .ok : .badRequest
        ).response
    }

    struct LogFilters {
        var text = ""
        var from: LocalDate?
        var to: LocalDate?
        var errors: [String: String] = [:]

        init(_ read: (String) -> String?) {
            text = (read("q") ?? "").trimmingCharacters(in: .whitespaces)
            if let raw = read("from"), !raw.isEmpty {
                from = LocalDate(display: raw)
                if from == nil { errors["from"] = "Ngày không hợp lệ (dd/MM/yyyy)." }
            }
            if let raw = read("to"), !raw.isEmpty {
                to = LocalDate(display: raw)
                if to == nil { errors["to"] = "Ngày không hợp lệ (dd/MM/yyyy)." }
            }
        }

        func entries(on db: any Database) async throws -> [OperationsLogEntry] {
            var query = OperationsLogEntry.query(on: db)
            if let from { query = query.filter(\.$at >= from.startOfDay(in: .vietnam)) }
            if let to { query = query.filter(\.$at < to.adding(days: 1).startOfDay(in: .vietnam)) }
            let rows = try await query.sort(\.$at, .descending).limit(5000).all()
            guard !text.isEmpty else { return rows }
            let needle = VietnameseText.fold(text)
            return rows.filter {
                VietnameseText.fold([$0.actor, $0.task, $0.result, $0.notes].joined(separator: " ")).contains(needle)
            }
        }
    }

    func log(req: Request) async throws -> Response {
        let filters = LogFilters { req.query[String.self, at: $0] }
        let entries = filters.errors.isEmpty ? try await filters.entries(on: req.db) : []
        let jobs = try await OperationsLog.jobRuns(since: req.clock.now.addingTimeInterval(-7 * 86400), on: req.db)
        return OperationsViews.log(
            req.pageContext, filters: filters, entries: Array(entries.prefix(500)), jobRuns: jobs, form: [:],
            errors: [:]
        ).response
    }

    func addEntry(req: Request) async throws -> Response {
        var form: [String: String] = [:]
        for name in ["task", "result", "notes"] {
            form[name] = TextInput.normalized((try? req.content.get(String.self, at: name)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var errors: [String: String] = [:]
        for (name, label, max) in [("task", "Công việc", 300), ("result", "Kết quả", 300), ("notes", "Ghi chú", 2000)] {
            if let refusal = FormCheck.refusal(form[name] ?? "", label: label, max: max, lines: .multi) {
                errors[name] = refusal
            }
        }
        if (form["task"] ?? "").isEmpty { errors["task"] = "Nhập công việc đã làm." }
        if (form["result"] ?? "").isEmpty { errors["result"] = "Nhập kết quả." }
        guard errors.isEmpty else {
            let filters = LogFilters { _ in nil }
            return OperationsViews.log(
                req.pageContext, filters: filters, entries: try await filters.entries(on: req.db), jobRuns: [],
                form: form, errors: errors, status: .badRequest
            ).response
        }
        try await OperationsLog.record(
            task: form["task"]!, result: form["result"]!, notes: form["notes"] ?? "", in: req.context)
        return req.redirect(to: "/van-hanh/nhat-ky", redirectType: .normal)
    }

    func export(req: Request) async throws -> Response {
        let filters = LogFilters { try? req.content.get(String.self, at: $0) }
        guard filters.errors.isEmpty else { throw Abort(.badRequest) }
        let entries = try await filters.entries(on: req.db)
        let ctx = req.context
        var csv =
            "\u{FEFF}" + CSVText.field(InformationClass.internalUse.marking)
            + "\r\nthoi_gian,nguoi_thuc_hien,cong_viec,ket_qua,ghi_chu,nguon\r\n"
        for entry in entries {
            csv +=
                [Format.dateTime(entry.at), entry.actor, entry.task, entry.result, entry.notes, entry.source]
                .map(CSVText.field).joined(separator: ",") + "\r\n"
        }
        let purpose = FormCheck.trimmed((try? req.content.get(String.self, at: "purpose")) ?? "")
        try await ExtractionLog.record(
            ExtractionRecord(
                kind: .export, subject: "Nhật ký vận hành", unitID: nil, scope: "toàn hệ thống", period: "",
                format: "csv", rows: entries.count,
                purpose: purpose.isEmpty ? "Trích xuất nhật ký vận hành theo yêu cầu" : purpose, file: Array(csv.utf8),
                auditEntry: AuditEntry(
                    action: "operations.logExported", objectType: "operationsLog", summary: "\(entries.count) dòng")),
            in: ctx)
        try await ctx.write { db in
            try await OperationsLog.append(
                actor: OperationsLog.actorName(ctx), task: "Trích xuất nhật ký vận hành (CSV)",
                result: "\(entries.count) dòng", at: ctx.now, on: db)
        }
        let response = Response(status: .ok, body: .init(string: csv))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(
            .attachment, filename: "nhat-ky-van-hanh-\(req.clock.today.iso).csv")
        return response
    }
}
