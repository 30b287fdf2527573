import Foundation
import ThadsDomain
import Vapor

/// The legacy import page (B9) for central admins (every unit) and local admins (their scope): upload, read the
/// dry-run report, confirm. The upload is kept under its SHA-256 so the confirmation commits exactly the file
/// that was checked, checked once more.
struct ImportController {
    /// Above this, the quality re-check of the new cases runs from the command line (`thads quality-scan`)
    /// rather than in the request: it reads each case again and would keep the page waiting for minutes.
    static let scanInRequestLimit = 2_000

    func register(_ routes: any RoutesBuilder, maxUploadBytes: Int) {
        routes.on(.GET, "nhap-du-lieu", access: .permission(.importCases), use: index)
        routes.on(.GET, "nhap-du-lieu", "mau.csv", access: .permission(.importCases), use: template)
        // Room for the multipart framing around the file.
        routes.on(
            .POST, "nhap-du-lieu", access: .permission(.importCases), maxBodyBytes: maxUploadBytes + 64 * 1024,
            use: upload)
        routes.on(.POST, "nhap-du-lieu", ":sha", "xac-nhan", access: .permission(.importCases), use: confirm)
    }

    func index(req: Request) async throws -> Response {
        ImportViews.form(
            req.pageContext, maxUploadBytes: req.application.settings.maxUploadBytes, error: nil, status: .ok
        ).response
    }

    /// The header and an example row, ready to fill in Excel (with a byte order mark so Excel reads UTF-8).
    func template(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: "\u{FEFF}" + ImportTemplate.csv))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.setAttachment(fileName: "mau-nhap-ho-so.csv")
        return response
    }

    struct Upload: Content {
        var file: File?
    }

    func upload(req: Request) async throws -> Response {
        let settings = req.application.settings
        guard let file = (try? req.content.decode(Upload.self))?.file, file.data.readableBytes > 0 else {
            return ImportViews.form(
                req.pageContext, maxUploadBytes: req.application.settings.maxUploadBytes,
                error: "Chọn tệp CSV hoặc XLSX cần nhập (tệp không được rỗng).", status: .badRequest
            ).response
        }
        let data = Data(buffer: file.data)
        let verdict = await req.application.scanUpload(data)
        if case .infected = verdict {
            return ImportViews.form(
                req.pageContext, maxUploadBytes: settings.maxUploadBytes, error: ScanVerdict.refusal,
                status: .badRequest
            ).response
        }
        let limits = ImportLimits(maxFileBytes: settings.maxUploadBytes)
        let report = try await CaseImportService.dryRun(
            data, actor: try actor(req), limits: limits, app: req.application)
        if report.canCommit(acceptingDuplicates: true) {
            try ImportUploads.store(data, sha256: report.sha256, at: req.clock.now, app: req.application)
        }
        try await req.write { db in
            try await req.audit(
                AuditEntry(
                    action: "cases.import-checked", objectType: "import", objectID: report.sha256,
                    summary: "Kiểm tra tệp nhập dữ liệu cũ: \(report.rowCount) dòng, \(report.problems.count) lỗi, "
                        + "\(report.duplicates.count) có thể trùng; \(verdict.label)"), on: db)
        }
        return ImportViews.report(
            req.pageContext, report, fileName: VietnameseText.nfc(file.filename), notice: nil,
            status: report.hasErrors ? .badRequest : .ok
        ).response
    }

    func confirm(req: Request) async throws -> Response {
        guard let sha = req.parameters.get("sha"), sha.count == 64,
            sha.allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
            let data = ImportUploads.load(sha256: sha, app: req.application),
            CaseImportService.sha256(data) == sha
        else { throw Abort(.notFound) }
        let accept = ["on", "true", "1"].contains((try? req.content.get(String.self, at: "acceptDuplicates")) ?? "")
        let limits = ImportLimits(maxFileBytes: req.application.settings.maxUploadBytes)
        let outcome: ImportOutcome
        do {
            outcome = try await CaseImportService.commit(
                data, actor: try actor(req), acceptingDuplicates: accept, limits: limits, app: req.application)
        } catch let committed as ImportAlreadyCommitted {
            ImportUploads.remove(sha256: sha, settings: req.application.settings)
            return ImportViews.form(
                req.pageContext, maxUploadBytes: req.application.settings.maxUploadBytes, error: committed.message,
                status: .conflict
            ).response
        }
        guard outcome.created > 0 else {
            let reason =
                outcome.report.hasErrors
                ? "Chưa ghi hồ sơ nào: tệp không còn hợp lệ khi kiểm tra lại."
                : "Chưa ghi hồ sơ nào: đánh dấu xác nhận các dòng có thể trùng nếu đúng là hồ sơ khác."
            return ImportViews.report(
                req.pageContext, outcome.report, fileName: nil, notice: reason, status: .badRequest
            ).response
        }
        ImportUploads.remove(sha256: sha, settings: req.application.settings)
        // Only the new cases are re-checked here; twins among the unit's older cases are found by the next
        // `thads quality-scan`, which a large import needs anyway.
        var scanned = false
        if outcome.created <= Self.scanInRequestLimit {
            _ = try await CaseQualityService.scan(outcome.caseIDs, app: req.application, today: req.clock.today)
            scanned = true
        }
        return ImportViews.done(req.pageContext, outcome, scanned: scanned).response
    }

    private func actor(_ req: Request) throws -> ImportActor {
        let user = try req.user
        return ImportActor(
            accountID: user.account.id!, username: user.account.username, scope: user.scope, audit: req.auditActor)
    }
}
