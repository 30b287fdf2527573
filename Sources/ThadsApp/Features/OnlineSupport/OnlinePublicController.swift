import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The portal's online support pages (C1): choose the procedure, the body (province, then office), fill the form
/// with files, prove the email with a one-time code, get the tracking code; follow the request by code and email or
/// by the secret link, and send what the officers asked for while the request waits.
struct OnlinePublicController {
    static let root = "ho-tro-truc-tuyen"
    static let base = "/\(PublicPages.prefix)/\(root)"
    let rootPath: PathComponent = .constant(Self.root)

    func register(_ app: Application, maxUploadBytes: Int) {
        let pages = app.publicRateLimiter
        let writes = app.onlineSubmissionLimiter
        let body = maxUploadBytes * OnlineRequestForm.maxFiles + 256 * 1024
        app.onPublic(.GET, rootPath, limiter: pages, use: start)
        app.onPublic(.GET, rootPath, "gui", limiter: pages, use: form)
        app.onPublic(.POST, rootPath, "gui", limiter: writes, maxBodyBytes: body, use: submit)
        app.onPublic(.GET, rootPath, "xac-thuc", ":draftID", limiter: pages, use: verification)
        app.onPublic(.POST, rootPath, "xac-thuc", ":draftID", limiter: writes, use: confirm)
        app.onPublic(.GET, rootPath, "tra-cuu", limiter: pages, use: lookupForm)
        app.onPublic(.POST, rootPath, "tra-cuu", limiter: app.onlineLookupLimiter, use: lookup)
        app.onPublic(.GET, rootPath, "theo-doi", ":token", limiter: app.onlineLookupLimiter, use: status)
        app.onPublic(
            .POST, rootPath, "theo-doi", ":token", "bo-sung", limiter: writes, maxBodyBytes: body, use: supplement)
    }

    func start(req: Request) async throws -> Response {
        OnlinePublicViews.start(req.pageContext).response
    }

    /// Province first, then the office of that province, then the procedure's fields.
    func form(req: Request) async throws -> Response {
        guard let procedure = OnlineProcedure(rawValue: req.query[String.self, at: "thu-tuc"] ?? "") else {
            return req.redirect(to: Self.base)
        }
        let provinces = try UnitCatalog.provinces()
        let provinceCode = req.query[String.self, at: "tinh"] ?? ""
        guard provinces.contains(where: { $0.code == provinceCode }) else {
            return OnlinePublicViews.chooseProvince(req.pageContext, procedure: procedure, provinces: provinces)
                .response
        }
        let bodies = try await Self.bodies(provinceCode: provinceCode, on: req.db)
        return OnlinePublicViews.form(
            req.pageContext, procedure: procedure, provinceCode: provinceCode, bodies: bodies, values: [:],
            errors: [:], check: HumanCheck.make(now: req.clock.now, keys: req.application.keys),
            maxUploadBytes: req.application.settings.maxUploadBytes
        ).response
    }

    /// The provincial body and its regional offices, open ones only.
    static func bodies(provinceCode: String, on db: any Database) async throws -> [EnforcementUnit] {
        guard
            let province = try await EnforcementUnit.query(on: db).filter(\.$code == provinceCode)
                .filter(\.$level == .province).first()
        else { return [] }
        let offices = try await EnforcementUnit.query(on: db).filter(\.$parentID == province.id!)
            .filter(\.$isOpen == true).sort(\.$name).all()
        return (province.isOpen ? [province] : []) + offices
    }

    func submit(req: Request) async throws -> Response {
        guard let procedure = OnlineProcedure(rawValue: (try? req.content.get(String.self, at: "thu-tuc")) ?? "")
        else { throw Abort(.badRequest) }
        let provinceCode = (try? req.content.get(String.self, at: "tinh")) ?? ""
        let bodies = try await Self.bodies(provinceCode: provinceCode, on: req.db)
        guard !bodies.isEmpty else { throw Abort(.badRequest) }
        let definitions = OnlineRequestForm.fields(for: procedure)
        var form = FormCheck(
            req, keys: definitions.map(\.key) + ["co-quan", "email", "dien-thoai", "tra-loi", "cau-hoi"])
        var fields: [String: String] = [:]
        for field in definitions {
            fields[field.key] = form.text(
                field.key, label: field.label, required: field.required, max: field.max,
                lines: field.multiline ? .multi : .single)
        }
        if procedure == .petition, !fields["so-nguoi", default: ""].isEmpty,
            !(1...9999).contains(Int(fields["so-nguoi"]!) ?? 0)
        {
            form.fail("so-nguoi", "Số người là số nguyên từ 1 đến 9999.")
        }
        let unit = bodies.first { $0.id?.uuidString == form["co-quan"] }
        if unit == nil { form.fail("co-quan", "Chọn cơ quan thi hành án dân sự nhận yêu cầu.") }
        let email = form.text("email", label: "Email", required: true, max: 200).lowercased()
        if !email.isEmpty && !Self.looksLikeEmail(email) {
            form.fail("email", "Email chưa đúng dạng, ví dụ: ten@vi-du.vn.")
        }
        let phone = form.text("dien-thoai", label: "Số điện thoại", required: true, max: 20)
        let digits = phone.filter(\.isNumber)
        if !phone.isEmpty
            && (digits.count < 9 || digits.count > 12 || phone.contains(where: { !"0123456789 +.-".contains($0) }))
        {
            form.fail("dien-thoai", "Số điện thoại gồm 9 đến 12 chữ số.")
        }
        if !HumanCheck.passes(
            token: form["cau-hoi"], answer: form["tra-loi"], now: req.clock.now, keys: req.application.keys)
        {
            form.fail("tra-loi", "Câu trả lời chưa đúng hoặc câu hỏi đã hết hạn. Vui lòng trả lời câu hỏi mới.")
        }
        let uploads = await Self.uploads(req, form: &form, required: OnlineRequestForm.needsAttachment(procedure))
        if form.isValid, try await OnlineSubmissions.emailLimitReached(email, in: req.context) {
            form.fail("email", "Email này đã gửi quá số yêu cầu cho phép trong 24 giờ. Vui lòng thử lại sau.")
        }
        guard form.isValid, let unit else {
            return OnlinePublicViews.form(
                req.pageContext, procedure: procedure, provinceCode: provinceCode, bodies: bodies, values: form.values,
                errors: form.errors, check: HumanCheck.make(now: req.clock.now, keys: req.application.keys),
                maxUploadBytes: req.application.settings.maxUploadBytes
            ).response
        }
        let draft = try await OnlineSubmissions.createDraft(
            procedure: procedure, unit: unit, provinceCode: provinceCode, fields: fields, email: email, phone: phone,
            uploads: uploads, in: req.context)
        return req.redirect(to: "\(Self.base)/xac-thuc/\(draft.id!.uuidString)")
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
    }

    /// The files of the form, each checked by content; errors go next to their field.
    static func uploads(_ req: Request, form: inout FormCheck, required: Bool) async -> [OnlineSubmissions.Upload] {
        var uploads: [OnlineSubmissions.Upload] = []
        let limits = AttachmentLimits(maxBytes: req.application.settings.maxUploadBytes)
        for key in OnlineRequestForm.fileKeys {
            guard let file = try? req.content.get(File.self, at: key), file.data.readableBytes > 0 else { continue }
            let name = DownloadName.clean(file.filename)
            let data = Data(buffer: file.data)
            let kind: AttachmentKind
            do {
                kind = try AttachmentInspector.inspect(data, fileName: name, limits: limits)
            } catch {
                form.fail(key, error.message)
                continue
            }
            let verdict = await req.application.scanUpload(data)
            if case .infected = verdict {
                form.fail(key, ScanVerdict.refusal)
                continue
            }
            uploads.append(.init(fileName: String(name.prefix(200)), data: data, kind: kind, scan: verdict.record))
        }
        if required && uploads.isEmpty && form.errors.keys.allSatisfy({ !$0.hasPrefix("tep") }) {
            form.fail("tep1", "Đính kèm bản án, quyết định (bản sao) cần thi hành.")
        }
        return uploads
    }

    func draft(_ req: Request) async throws -> OnlineRequest {
        guard let id = req.parameters.get("draftID", as: UUID.self),
            let draft = try await OnlineRequest.find(id, on: req.db), draft.submittedAt == nil
        else { throw Abort(.notFound) }
        return draft
    }

    func verification(req: Request) async throws -> Response {
        let draft = try await draft(req)
        let unit = try await EnforcementUnit.find(draft.unitID, on: req.db)
        return OnlinePublicViews.verification(req.pageContext, draft: draft, unitName: unit?.name ?? "", error: nil)
            .response
    }

    func confirm(req: Request) async throws -> Response {
        let draft = try await draft(req)
        guard let unit = try await EnforcementUnit.find(draft.unitID, on: req.db) else { throw Abort(.notFound) }
        let code = (try? req.content.get(String.self, at: "ma")) ?? ""
        do {
            let token = try await OnlineSubmissions.confirm(draft, code: code, unit: unit, in: req.context)
            return OnlinePublicViews.done(
                req.pageContext, request: draft, link: OnlineSubmissions.statusLink(token, req.context)
            ).response
        } catch let error as OnlineSubmissions.ConfirmError {
            return OnlinePublicViews.verification(
                req.pageContext, draft: draft, unitName: unit.name, error: error.message, status: .badRequest
            ).response
        }
    }

    func lookupForm(req: Request) async throws -> Response {
        OnlinePublicViews.lookup(req.pageContext, values: [:], error: nil).response
    }

    func lookup(req: Request) async throws -> Response {
        let form = FormCheck(req, keys: ["ma", "email"])
        guard let request = try await OnlineSubmissions.find(code: form["ma"], email: form["email"], on: req.db)
        else {
            return OnlinePublicViews.lookup(
                req.pageContext, values: form.values,
                error: "Không tìm thấy hồ sơ với mã và email này. Vui lòng kiểm tra lại.", status: .notFound
            ).response
        }
        return try await Self.statusPage(req, request, token: nil)
    }

    func status(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let request = try await OnlineSubmissions.find(token: token, keys: req.application.keys, on: req.db),
            request.submittedAt != nil
        else { throw Abort(.notFound) }
        return try await Self.statusPage(req, request, token: token)
    }

    static func statusPage(
        _ req: Request, _ request: OnlineRequest, token: String?, errors: [String: String] = [:],
        note: String? = nil
    ) async throws -> Response {
        let data = try await OnlineRequestData.load(request, on: req.db)
        return OnlinePublicViews.status(req.pageContext, data, token: token, errors: errors, note: note).response
    }

    func supplement(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let request = try await OnlineSubmissions.find(token: token, keys: req.application.keys, on: req.db),
            request.submittedAt != nil
        else { throw Abort(.notFound) }
        var form = FormCheck(req, keys: ["noi-dung"])
        let text = form.text("noi-dung", label: "Nội dung bổ sung", required: true, max: 4000, lines: .multi)
        let uploads = await Self.uploads(req, form: &form, required: false)
        guard form.isValid else {
            return try await Self.statusPage(req, request, token: token, errors: form.errors)
        }
        do {
            try await OnlineSteps.supplement(request, text: text, uploads: uploads, in: req.context)
        } catch let refused as OnlineSteps.Refused {
            return try await Self.statusPage(req, request, token: token, errors: ["noi-dung": refused.message])
        } catch is Workflows.AlreadyDecided {
            return try await Self.statusPage(req, request, token: token, errors: ["noi-dung": "Hồ sơ vừa được xử lý."])
        }
        return try await Self.statusPage(req, request, token: token, note: "Đã gửi phần bổ sung hồ sơ.")
    }
}

extension Application {
    private struct SubmissionLimiterKey: StorageKey {
        typealias Value = RateLimiter
    }
    private struct LookupLimiterKey: StorageKey {
        typealias Value = RateLimiter
    }

    /// Submissions, code entries and supplements per address per minute: a sixth of the portal's allowance.
    var onlineSubmissionLimiter: RateLimiter {
        if let limiter = storage[SubmissionLimiterKey.self] { return limiter }
        let limiter = RateLimiter(limit: max(2, settings.publicRequestsPerMinute / 6), window: 60)
        storage[SubmissionLimiterKey.self] = limiter
        return limiter
    }

    /// Status look-ups per address per minute: what someone guessing codes would loop over.
    var onlineLookupLimiter: RateLimiter {
        if let limiter = storage[LookupLimiterKey.self] { return limiter }
        let limiter = RateLimiter(limit: max(2, settings.publicRequestsPerMinute / 2), window: 60)
        storage[LookupLimiterKey.self] = limiter
        return limiter
    }
}
