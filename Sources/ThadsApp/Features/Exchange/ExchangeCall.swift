import Foundation
import NIOConcurrencyHelpers
import ThadsDomain
import ThadsExchangeAPI
import Vapor

/// An answer of the API other than success, as an RFC 9457 problem with a Vietnamese title and detail.
struct ExchangeProblem: Error, Sendable {
    let status: HTTPResponseStatus
    let title: String
    let detail: String
    var retryAfter: Int? = nil
    /// What the exchange log records about the signature when the problem is the signature's.
    var signatureVerdict: String? = nil

    var type: String { "/api/v1/reference#problem-\(status.code)" }

    init(
        _ status: HTTPResponseStatus, _ title: String, _ detail: String, retryAfter: Int? = nil,
        signature: String? = nil
    ) {
        self.status = status
        self.title = title
        self.detail = detail
        self.retryAfter = retryAfter
        self.signatureVerdict = signature
    }

    init(_ refusal: ExchangeAgreement.Refusal) {
        var retry: Int?
        if case .tooFrequent(let seconds) = refusal { retry = seconds }
        self.init(HTTPResponseStatus(statusCode: refusal.status), refusal.title, refusal.detail, retryAfter: retry)
    }

    static func badRequest(_ detail: String) -> ExchangeProblem {
        ExchangeProblem(.badRequest, "Yêu cầu không hợp lệ", detail)
    }

    static let notFound = ExchangeProblem(
        .notFound, "Không tìm thấy", "Không có đối tượng này, hoặc nó nằm ngoài phạm vi thỏa thuận.")

    func response(instance: String) -> Response {
        let document = ProblemDocument(
            type: type, title: title, status: Int(status.code), detail: detail, instance: instance)
        let response = Response(status: status)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
        response.body = .init(data: (try? JSONEncoder().encode(document)) ?? Data())
        if let retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter)) }
        return response
    }
}

private struct ProblemDocument: Encodable {
    let type: String
    let title: String
    let status: Int
    let detail: String
    let instance: String
}

/// What the handlers of one API call know — the calling system, its agreement, the action context — and what they
/// tell the exchange log (resources, unit scope, number of records). Set by `ExchangeGate` for the call's task.
final class ExchangeCall: Sendable {
    @TaskLocal static var current: ExchangeCall?

    let client: ConnectedSystem?
    let ctx: ActionContext
    private let state = NIOLockedValueBox(LogFacts())

    struct LogFacts: Sendable {
        var resources: [String] = []
        var unitScope = ""
        var records = 0
        var clientRef: UUID?
        var clientName: String?
    }

    init(client: ConnectedSystem?, ctx: ActionContext) {
        self.client = client
        self.ctx = ctx
    }

    static func get() throws -> ExchangeCall {
        guard let call = current else { throw Abort(.internalServerError, reason: "API call outside the gate") }
        return call
    }

    var facts: LogFacts { state.withLockedValue { $0 } }

    /// The agreement of the calling system (every operation but the token and key ones has one).
    var agreement: ExchangeAgreement {
        get throws {
            guard let client else { throw ExchangeProblem(.unauthorized, "Chưa xác thực", "Thiếu mã truy cập.") }
            return client.agreement
        }
    }

    /// Refuses (403) unless the agreement grants the resource; notes it for the log.
    func require(_ resource: ExchangeResource, writing: Bool = false) throws -> ExchangeAgreement {
        state.withLockedValue { $0.resources.append(resource.rawValue + (writing ? ":ghi" : ":đọc")) }
        let agreement = try agreement
        guard agreement.admits(resource, writing: writing) else {
            throw ExchangeProblem(ExchangeAgreement.Refusal.resourceNotGranted(resource))
        }
        return agreement
    }

    func noteScope(_ text: String) { state.withLockedValue { $0.unitScope = text } }
    func noteRecords(_ count: Int) { state.withLockedValue { $0.records = count } }

    /// The token endpoint learns who calls only from the assertion.
    func noteClient(_ client: ConnectedSystem) {
        state.withLockedValue {
            $0.clientRef = client.id
            $0.clientName = client.name
        }
    }
}

extension ActionContext {
    /// A connected system acting through the API: its agreement's units are its data scope.
    static func connectedSystem(_ client: ConnectedSystem, from req: Request) -> ActionContext {
        let units = client.agreement.units
        return ActionContext(
            actor: .connectedSystem(name: client.name), scope: units.isEmpty ? .all : .units(units), db: req.db,
            clock: req.application.clock, ip: req.clientIP, app: req.application)
    }
}

/// The generated API's schemas; `Components` alone names the app's view components.
typealias APISchemas = ThadsExchangeAPI.Components.Schemas
