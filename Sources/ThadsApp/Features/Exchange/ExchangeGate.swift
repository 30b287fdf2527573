import Fluent
import Foundation
import OpenAPIRuntime
import SQLKit
import ThadsDomain
import Vapor

/// Every call of `/api/v1` passes here: it identifies the system (access token), checks the agreement (suspension,
/// validity, frequency) and the request's integrity (Content-Digest, RFC 9421 signature, created time, a nonce never
/// seen), runs the operation with an `ExchangeCall`, turns any failure into a problem document, signs the
/// response with the server key and writes the call to the exchange log — refused calls too.
struct ExchangeGate: AsyncMiddleware {
    /// Operations a caller reaches before it has a token.
    static let openPaths: Set<String> = ["/api/v1/token", "/api/v1/server-key"]
    static let maxBody = 1 << 20

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let operation = req.method.rawValue + " /" + (req.route?.path.map(\.description).joined(separator: "/") ?? "")
        var client: ConnectedSystem?
        var verdict = "không áp dụng"
        var call: ExchangeCall?
        var requestNonce: String?
        var response: Response
        do {
            let body = try await req.body.collect(max: Self.maxBody).get().map { Data(buffer: $0) } ?? Data()
            if Self.openPaths.contains(req.url.path) {
                call = ExchangeCall(client: nil, ctx: req.context)
            } else {
                let admitted = try await admit(req, body: body, client: &client, verdict: &verdict)
                requestNonce = admitted
                call = ExchangeCall(client: client, ctx: .connectedSystem(client!, from: req))
            }
            response = try await ExchangeCall.$current.withValue(call) { try await next.respond(to: req) }
        } catch {
            response = problem(error, req: req, verdict: &verdict)
        }
        let bodyBytes = try await response.body.collect(on: req.eventLoop).get().map { Data(buffer: $0) } ?? Data()
        sign(response, body: bodyBytes, nonce: requestNonce, keys: req.application.keys, now: req.clock.now)
        await log(
            req, operation: operation, client: client, call: call, status: Int(response.status.code), verdict: verdict,
            duration: ContinuousClock.now - started)
        return response
    }

    /// Returns the request's nonce once everything holds; throws the problem to answer otherwise.
    private func admit(_ req: Request, body: Data, client found: inout ConnectedSystem?, verdict: inout String)
        async throws -> String
    {
        let now = Int(req.clock.now.timeIntervalSince1970)
        guard let bearer = req.headers.bearerAuthorization?.token,
            let clientRef = ExchangeKeys.readToken(bearer, now: now, keys: req.application.keys)
        else {
            verdict = "không kiểm tra (thiếu mã truy cập)"
            throw ExchangeProblem(
                .unauthorized, "Chưa xác thực", "Thiếu mã truy cập, hoặc mã không hợp lệ hay đã hết hạn.")
        }
        guard let client = try await ConnectedSystem.find(clientRef, on: req.db) else {
            verdict = "không kiểm tra (hệ thống không còn)"
            throw ExchangeProblem(.unauthorized, "Chưa xác thực", "Hệ thống kết nối không còn được đăng ký.")
        }
        found = client
        if client.status == .suspended { throw ExchangeProblem(.suspended) }
        if let refusal = client.agreement.validity(on: req.clock.today) { throw ExchangeProblem(refusal) }
        let nonce = try checkSignature(req, body: body, client: client, now: now, verdict: &verdict)
        try await record(nonce: nonce, calls: client, req: req, now: now, verdict: &verdict)
        return nonce
    }

    private func checkSignature(
        _ req: Request, body: Data, client: ConnectedSystem, now: Int, verdict: inout String
    ) throws -> String {
        func refuse(_ what: String, _ detail: String) -> ExchangeProblem {
            verdict = what
            return ExchangeProblem(.unauthorized, "Chữ ký yêu cầu không hợp lệ", detail, signature: what)
        }
        guard let digest = req.headers.first(name: "Content-Digest"), ContentDigest.matches(digest, body: body) else {
            throw refuse("sai tóm lược nội dung", "Content-Digest thiếu hoặc không khớp với nội dung yêu cầu.")
        }
        guard let key = client.publicKey else { throw refuse("khóa không dùng được", "Khóa công khai không hợp lệ.") }
        let values = [
            "@method": req.method.rawValue, "@path": req.url.path, "@query": "?" + (req.url.query ?? ""),
            "content-digest": digest,
        ]
        let parameters: MessageSignature.Parameters
        do {
            parameters = try MessageSignature.verify(
                input: req.headers.first(name: "Signature-Input"), signature: req.headers.first(name: "Signature"),
                values: values, key: key)
        } catch MessageSignature.Failure.missing {
            throw refuse("thiếu chữ ký", "Thiếu trường Signature-Input hoặc Signature (RFC 9421).")
        } catch MessageSignature.Failure.badSignature {
            throw refuse("chữ ký sai", "Chữ ký không khớp với khóa của hệ thống hoặc với nội dung yêu cầu.")
        } catch {
            throw refuse(
                "chữ ký sai dạng",
                "Chữ ký phải phủ \"@method\" \"@path\" \"@query\" \"content-digest\" với created, nonce, keyid.")
        }
        guard parameters.keyID == nil || parameters.keyID == client.clientID else {
            throw refuse("sai keyid", "keyid không phải mã của hệ thống đã xác thực.")
        }
        guard SignatureAge.acceptable(created: parameters.created, now: now) else {
            throw refuse("sai thời điểm ký", "Thời điểm ký (created) lệch quá 5 phút so với máy chủ.")
        }
        guard let nonce = parameters.nonce, !nonce.isEmpty, nonce.count <= 200 else {
            throw refuse("thiếu nonce", "Chữ ký phải có nonce (tối đa 200 ký tự).")
        }
        verdict = "hợp lệ"
        return nonce
    }

    /// Keeps the nonce (a replay finds it) and counts the call in its minute, in one write.
    private func record(nonce: String, calls client: ConnectedSystem, req: Request, now: Int, verdict: inout String)
        async throws
    {
        let clientRef = try client.requireID()
        let minute = CallWindow.minute(of: now)
        let expires = req.clock.now.addingTimeInterval(TimeInterval(SignatureAge.window + SignatureAge.skew))
        let outcome: (fresh: Bool, calls: Int) = try await req.application.write(on: req.db) { db in
            let fresh = try await ExchangeReplay.remember(nonce, client: clientRef, until: expires, on: db)
            guard fresh else { return (false, 0) }
            struct Row: Decodable { let calls: Int }
            let calls =
                try await db.sql.raw(
                    """
                    INSERT INTO exchange_call_counts (client_ref, minute, calls) VALUES (\(bind: clientRef), \(bind: minute), 1)
                    ON CONFLICT (client_ref, minute) DO UPDATE SET calls = exchange_call_counts.calls + 1
                    RETURNING calls
                    """
                ).first(decoding: Row.self)?.calls ?? 1
            return (true, calls)
        }
        guard outcome.fresh else {
            verdict = "nonce dùng lại"
            throw ExchangeProblem(
                .unauthorized, "Chữ ký yêu cầu không hợp lệ", "Nonce này đã được dùng: yêu cầu bị coi là gửi lại.",
                signature: verdict)
        }
        if let refusal = CallWindow.check(
            callNumber: outcome.calls, limit: client.callsPerMinute, epochSeconds: now)
        {
            throw ExchangeProblem(refusal)
        }
    }

    private func problem(_ error: any Error, req: Request, verdict: inout String) -> Response {
        let instance = req.url.path
        var cause: any Error = error
        var decoding = false
        if let server = error as? ServerError {
            cause = server.underlyingError
            decoding = server.operationInput == nil
        }
        if let problem = cause as? ExchangeProblem { return problem.response(instance: instance) }
        if decoding || cause is DecodingError {
            // The token endpoint speaks OAuth 2.0 (RFC 6749 §5.2), not problem documents.
            if instance == "/api/v1/token" {
                let response = Response(status: .badRequest)
                response.headers.contentType = .json
                response.body = .init(
                    string: #"{"error":"invalid_request","error_description":"Yêu cầu cấp mã không đúng định dạng."}"#)
                return response
            }
            return ExchangeProblem.badRequest("Tham số hoặc nội dung yêu cầu không đúng tài liệu API.").response(
                instance: instance)
        }
        if let abort = cause as? any AbortError, abort.status.code < 500 {
            return ExchangeProblem(abort.status, "Yêu cầu không được chấp nhận", abort.reason).response(
                instance: instance)
        }
        req.logger.error("exchange call failed: \(String(reflecting: type(of: cause)))")
        return ExchangeProblem(
            .internalServerError, "Lỗi máy chủ", "Máy chủ không xử lý được yêu cầu; đã ghi nhận để kiểm tra."
        ).response(instance: instance)
    }

    /// RFC 9421 on the response: `@status` and `content-digest`, created now, the request's nonce echoed so the client
    /// knows the answer is to its own request, keyid of the server key (`GET /api/v1/server-key`).
    private func sign(_ response: Response, body: Data, nonce: String?, keys: KeyStore, now: Date) {
        let digest = ContentDigest.header(for: body)
        response.body = .init(data: body)
        response.headers.replaceOrAdd(name: "Content-Digest", value: digest)
        let parameters = MessageSignature.Parameters(
            components: MessageSignature.responseComponents, created: Int(now.timeIntervalSince1970), nonce: nonce,
            keyID: ExchangeKeys.serverKeyID, algorithm: MessageSignature.algorithm)
        guard
            let signed = try? MessageSignature.sign(
                parameters, values: ["@status": String(response.status.code), "content-digest": digest],
                key: ExchangeKeys.serverKey(keys))
        else { return }
        response.headers.replaceOrAdd(name: "Signature-Input", value: signed.input)
        response.headers.replaceOrAdd(name: "Signature", value: signed.signature)
    }

    private func log(
        _ req: Request, operation: String, client: ConnectedSystem?, call: ExchangeCall?, status: Int,
        verdict: String, duration: Duration
    ) async {
        let facts = call?.facts ?? ExchangeCall.LogFacts()
        let entry = ExchangeLogEntry()
        entry.at = req.clock.now
        entry.clientRef = client?.id ?? facts.clientRef
        entry.clientName = client?.name ?? facts.clientName ?? "(chưa xác định)"
        entry.operation = operation
        entry.resources = facts.resources.joined(separator: ", ")
        entry.unitScope = facts.unitScope
        entry.records = facts.records
        entry.status = status
        entry.result = status < 400 ? "thành công" : "từ chối"
        entry.durationMs = Int(duration.seconds * 1000)
        entry.signature = verdict
        entry.ip = req.clientIP
        do {
            try await req.application.write(on: req.db) { db in try await entry.create(on: db) }
        } catch {
            req.logger.error("exchange log write failed: \(String(reflecting: type(of: error)))")
        }
    }
}

/// Replay protection shared by request signatures and token assertions.
enum ExchangeReplay {
    /// Whether the nonce is new for this client (it is then kept until `until`); expired ones are swept as we go.
    static func remember(_ nonce: String, client: UUID, until: Date, on db: any Database) async throws -> Bool {
        let sql = try db.sql
        let inserted = try await sql.raw(
            """
            INSERT INTO exchange_nonces (id, client_ref, nonce, expires_at)
            VALUES (\(bind: UUID()), \(bind: client), \(bind: nonce), \(bind: until))
            ON CONFLICT (client_ref, nonce) DO NOTHING RETURNING id
            """
        ).all()
        return !inserted.isEmpty
    }

    /// Deletes nonces past their window (a job).
    static func sweep(before now: Date, on db: any Database) async throws -> Int {
        let old = try await ExchangeNonce.query(on: db).filter(\.$expiresAt < now).count()
        try await ExchangeNonce.query(on: db).filter(\.$expiresAt < now).delete()
        return old
    }
}

extension ExchangeReplay {
    /// Nonces older than any acceptable signature are useless; the call counts of past minutes too.
    static let sweepJob = ScheduledJob(
        name: "exchange.sweep-nonces", schedule: .every(seconds: 900), workingDaysOnly: false,
        run: { ctx in
            let minute = CallWindow.minute(of: Int(ctx.now.timeIntervalSince1970))
            return try await ctx.write { db in
                let swept = try await sweep(before: ctx.now, on: db)
                try await db.sql.raw("DELETE FROM exchange_call_counts WHERE minute < \(bind: minute - 1)").run()
                return swept
            }
        })
}
