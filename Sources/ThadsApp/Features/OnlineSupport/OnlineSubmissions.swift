import Crypto
import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Filing on the public portal: a draft holds what the submitter typed and attached until the email address is
/// proven with a one-time code; the confirmation gives the request its tracking code, its workflow instance, its
/// due instants and the "received" notice, all in one transaction.
enum OnlineSubmissions {
    /// A checked attachment waiting to be stored.
    struct Upload: Sendable {
        let fileName: String
        let data: Data
        let kind: AttachmentKind
        let scan: String
    }

    static let codeLifetime: TimeInterval = 15 * 60
    static let maxCodeAttempts = 5
    /// Requests (drafts included) one email address may start per 24 hours.
    static let perEmailDailyLimit = 5

    /// Whether the address has reached its daily allowance.
    static func emailLimitReached(_ email: String, in ctx: ActionContext) async throws -> Bool {
        let count = try await OnlineRequest.query(on: ctx.db).filter(\.$email == email)
            .filter(\.$createdAt > ctx.now.addingTimeInterval(-86_400)).count()
        return count >= perEmailDailyLimit
    }

    /// Stores the draft and its files and mails the one-time code. Returns the draft.
    static func createDraft(
        procedure: OnlineProcedure, unit: EnforcementUnit, provinceCode: String, fields: [String: String],
        email: String, phone: String, uploads: [Upload], in ctx: ActionContext
    ) async throws -> OnlineRequest {
        let request = OnlineRequest()
        request.id = UUID()
        request.procedure = procedure.rawValue
        request.unitID = unit.id!
        request.provinceCode = provinceCode
        request.trackingCode = nil
        // Replaced at confirmation; unique meanwhile.
        request.secretHash = "draft:" + request.id!.uuidString
        request.email = email
        request.phone = phone
        request.submitterName = fields["ho-ten"] ?? ""
        request.fields = fields
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
        request.otpHash = codeHash(code, request: request.id!, keys: ctx.keys)
        request.otpExpiresAt = ctx.now.addingTimeInterval(codeLifetime)
        request.otpAttempts = 0
        request.createdAt = ctx.now
        request.state = OnlineRequest.draftState
        request.pauses = []
        for upload in uploads {
            try OnlineFiles.store(upload.data, settings: ctx.settings)
        }
        try await ctx.write { db in
            try await request.create(on: db)
            for upload in uploads {
                try await OnlineFiles.record(upload, request: request.id!, fromSubmitter: true, at: ctx.now, on: db)
            }
            let template = OnlineNotices.verificationCode
            try await ctx.enqueueMail(
                to: email, subject: OnlineNotices.fill(template.subject, ["ma": code]),
                body: OnlineNotices.fill(template.body, ["ma": code]), carriesSecret: true, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "online.draft", objectType: "online-request", objectID: request.id!.uuidString,
                    unitID: unit.id, summary: "Yêu cầu trực tuyến mới (\(procedure.label)), chờ xác thực email"),
                on: db)
        }
        await ctx.deliverMail()
        return request
    }

    static func codeHash(_ code: String, request: UUID, keys: KeyStore) -> String {
        keys.blindIndex(request.uuidString + "|" + code, purpose: "online-request-code")
    }

    static func secretHash(_ token: String, keys: KeyStore) -> String {
        keys.blindIndex(token, purpose: "online-request-link")
    }

    enum ConfirmError: Error, Equatable {
        case wrongCode(remaining: Int)
        case expired
        case tooManyAttempts
        case alreadyConfirmed

        var message: String {
            switch self {
            case .wrongCode(let remaining): "Mã xác thực không đúng. Ông/bà còn \(remaining) lần nhập."
            case .expired: "Mã xác thực đã hết hạn. Vui lòng gửi lại yêu cầu."
            case .tooManyAttempts: "Đã nhập sai quá số lần cho phép. Vui lòng gửi lại yêu cầu."
            case .alreadyConfirmed: "Yêu cầu đã được gửi."
            }
        }
    }

    /// Checks the code; on success the request is submitted. Returns the secret status link's token.
    static func confirm(_ request: OnlineRequest, code: String, unit: EnforcementUnit, in ctx: ActionContext)
        async throws -> String
    {
        guard request.submittedAt == nil else { throw ConfirmError.alreadyConfirmed }
        guard request.otpAttempts < maxCodeAttempts else { throw ConfirmError.tooManyAttempts }
        guard let expires = request.otpExpiresAt, ctx.now <= expires else { throw ConfirmError.expired }
        let given = codeHash(code.filter(\.isNumber), request: request.id!, keys: ctx.keys)
        guard let stored = request.otpHash, ConstantTime.equal(given, stored) else {
            request.otpAttempts += 1
            try await ctx.write { db in try await request.save(on: db) }
            if request.otpAttempts >= maxCodeAttempts { throw ConfirmError.tooManyAttempts }
            throw ConfirmError.wrongCode(remaining: maxCodeAttempts - request.otpAttempts)
        }
        let token = randomToken()
        let procedure = request.kind
        let year = LocalDate(date: ctx.now, in: .vietnam).year
        try await ctx.write { db in
            let number = try await Sequences.take(
                Sequences.Key(series: "online-request", scope: request.provinceCode, period: year), on: db)
            request.trackingCode = procedure.trackingCode(
                provinceCode: request.provinceCode, year: year, number: number)
            request.secretHash = secretHash(token, keys: ctx.keys)
            request.otpHash = nil
            request.otpExpiresAt = nil
            request.submittedAt = ctx.now
            let instance = try await Workflows.start(
                procedure.machine, subjectID: request.id!, unitID: request.unitID, in: ctx, on: db)
            request.state = instance.state
            request.stepDueAt = instance.stepDueAt
            request.requestDueAt = request.clock?.dueInstant(calendar: ctx.calendar)
            try await request.save(on: db)
            try await OnlineSteps.notify(
                request, template: OnlineNotices.received, text: "", unitName: unit.name, link: statusLink(token, ctx),
                author: "Hệ thống", in: ctx, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "online.submitted", objectType: "online-request", objectID: request.id!.uuidString,
                    unitID: request.unitID, summary: "Đã gửi yêu cầu \(request.trackingCode!) (\(procedure.label))"),
                on: db)
        }
        await ctx.deliverMail()
        return token
    }

    static func randomToken() -> String {
        var bytes = [UInt8](repeating: 0, count: 24)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func statusLink(_ token: String, _ ctx: ActionContext) -> String {
        ctx.settings.publicURL.absoluteString + "/" + PublicPages.prefix + "/" + OnlinePublicController.root
            + "/theo-doi/" + token
    }

    /// The request the tracking code and email name, or nil (the same answer for a wrong code and a wrong email).
    static func find(code: String, email: String, on db: any Database) async throws -> OnlineRequest? {
        guard
            let request = try await OnlineRequest.query(on: db).filter(\.$trackingCode == code.uppercased()).first(),
            request.email.lowercased() == email.lowercased()
        else { return nil }
        return request
    }

    static func find(token: String, keys: KeyStore, on db: any Database) async throws -> OnlineRequest? {
        try await OnlineRequest.query(on: db).filter(\.$secretHash == secretHash(token, keys: keys)).first()
    }
}

/// The attachments' store: the case documents' content-addressed directory, written once per SHA-256.
enum OnlineFiles {
    static func path(sha256: String, settings: AppSettings) -> String {
        "\(settings.filesDirectory)/attachments/\(sha256.prefix(2))/\(sha256)"
    }

    static func store(_ data: Data, settings: AppSettings) throws {
        try FileStore.writeOnce(data, to: path(sha256: SHA256.hex(data), settings: settings))
    }

    static func record(
        _ upload: OnlineSubmissions.Upload, request: UUID, fromSubmitter: Bool, at now: Date, on db: any Database
    ) async throws {
        let file = OnlineRequestFile()
        file.id = UUID()
        file.requestID = request
        file.fileName = upload.fileName
        file.kind = upload.kind.rawValue
        file.size = Int64(upload.data.count)
        file.sha256 = SHA256.hex(upload.data)
        file.scan = upload.scan
        file.uploadedAt = now
        file.fromSubmitter = fromSubmitter
        try await file.create(on: db)
    }
}
