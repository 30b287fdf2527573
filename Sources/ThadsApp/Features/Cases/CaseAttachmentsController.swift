import Crypto
import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Documents of a case (B8): checked by content before they are kept, stored once per SHA-256 outside the database,
/// always downloaded as an attachment, every download written to the access log.
struct CaseAttachmentsController {
    func register(_ routes: any RoutesBuilder, maxUploadBytes: Int) {
        // Room for the multipart framing and the other fields around the file.
        routes.on(
            .POST, "ho-so", ":caseID", "tai-lieu", access: .permission(.enterCaseData),
            maxBodyBytes: maxUploadBytes + 64 * 1024, use: upload)
        routes.on(.GET, "ho-so", ":caseID", "tai-lieu", ":attachmentID", access: .permission(.viewCases), use: download)
    }

    struct Upload: Content {
        var file: File?
        var description: String?
        var classification: String?
    }

    func upload(req: Request) async throws -> Response {
        let enforcementCase = try await req.changeableCase()
        let upload = try? req.content.decode(Upload.self)
        var form = FormCheck([
            "description": upload?.description ?? "", "classification": upload?.classification ?? "",
        ])
        let description = form.text("description", label: "Mô tả tài liệu", max: 300)
        let classificationText = upload?.classification ?? ""
        let classification = classificationText.isEmpty ? .internalUse : InformationClass(rawValue: classificationText)
        if let refusal = classification?.refusal {
            form.fail("classification", refusal)
        } else if classification == nil {
            form.fail("classification", "Chọn phân loại tài liệu.")
        }
        var kind: AttachmentKind?
        let file = upload?.file
        let fileName = (file?.filename ?? "").isEmpty ? "" : DownloadName.clean(file!.filename)
        if let file, file.data.readableBytes > 0 || !fileName.isEmpty {
            let limits = AttachmentLimits(maxBytes: req.application.settings.maxUploadBytes)
            do {
                kind = try AttachmentInspector.inspect(Data(buffer: file.data), fileName: fileName, limits: limits)
            } catch {
                form.fail("file", error.message)
            }
            if fileName.count > 200 { form.fail("file", "Tên tệp tối đa 200 ký tự.") }
        } else {
            form.fail("file", "Chọn tệp cần tải lên.")
        }
        var verdict = ScanVerdict.notScanned(reason: "")
        if form.isValid, let file {
            verdict = await req.application.scanUpload(Data(buffer: file.data))
            if case .infected = verdict { form.fail("file", ScanVerdict.refusal) }
        }
        guard form.isValid, let kind, let file else {
            return try await CasesController.render(
                req, enforcementCase, tab: .documents,
                form: .init(form: "attachment", values: form.values, errors: form.errors))
        }
        let data = Data(buffer: file.data)
        let scan = verdict.label
        let sha = SHA256.hex(data)
        try Self.store(data, sha256: sha, settings: req.application.settings)
        let attachment = CaseAttachment()
        attachment.id = UUID()
        attachment.caseID = enforcementCase.id!
        attachment.fileName = fileName
        attachment.kind = kind.rawValue
        attachment.size = Int64(data.count)
        attachment.sha256 = sha
        attachment.description = description
        attachment.uploadedByID = try req.user.account.id!
        attachment.uploadedAt = req.clock.now
        attachment.scan = verdict.record
        attachment.classification = (classification ?? .internalUse).rawValue
        try await req.write { db in
            try await attachment.create(on: db)
            try await req.audit(
                AuditEntry(
                    action: "case.attachment-uploaded", objectType: "case", objectID: enforcementCase.id?.uuidString,
                    unitID: enforcementCase.unitID,
                    summary:
                        "\(enforcementCase.code): tải lên \(kind.label) (\((classification ?? .internalUse).label)), "
                        + "\(data.count) byte, SHA-256 \(sha); " + scan),
                on: db)
        }
        return req.redirect(to: "/ho-so/\(enforcementCase.id!.uuidString)?tab=tai-lieu&thongbao=da-tai-len")
    }

    func download(req: Request) async throws -> Response {
        let enforcementCase = try await req.scopedCase()
        guard let id = req.parameters.get("attachmentID", as: UUID.self),
            let attachment = try await CaseAttachment.find(id, on: req.db), attachment.caseID == enforcementCase.id,
            let kind = AttachmentKind(rawValue: attachment.kind)
        else { throw Abort(.notFound) }
        let path = Self.path(sha256: attachment.sha256, settings: req.application.settings)
        guard let data = FileManager.default.contents(atPath: path),
            SHA256.hex(data) == attachment.sha256
        else {
            req.logger.error("attachment content missing or altered", metadata: ["attachment": "\(id)"])
            throw Abort(.internalServerError, reason: "Tài liệu không còn nguyên vẹn trong kho lưu trữ.")
        }
        try await req.logCaseAccess(
            enforcementCase, action: "case.attachment-downloaded", detail: "tải về tài liệu \(attachment.sha256)")
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: kind.mimeType)
        response.headers.setAttachment(fileName: attachment.fileName)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    // MARK: Store

    static func path(sha256: String, settings: AppSettings) -> String {
        "\(settings.filesDirectory)/attachments/\(sha256.prefix(2))/\(sha256)"
    }

    /// Writes the content once; an existing file with this hash already holds the same bytes.
    static func store(_ data: Data, sha256: String, settings: AppSettings) throws {
        try FileStore.writeOnce(data, to: path(sha256: sha256, settings: settings))
    }
}
