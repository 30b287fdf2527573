import Crypto
import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The confidentiality commitment a technical operator accepts before the operations pages open to them (J7): the
/// text they accepted (its SHA-256), when, from which address; audited and written to the operations log. Other
/// staff who operate the platform (central admins) are bound by their office and are not asked.
final class OperatorCommitment: Model, @unchecked Sendable {
    var properties: [any AnyProperty] { [$id, $accountID, $acceptedAt, $textSHA256, $ip] }
    static let schema = "operator_commitments"
    @ID(key: .id) var id: UUID?
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "accepted_at") var acceptedAt: Date
    @Field(key: "text_sha256") var textSHA256: String
    @OptionalField(key: "ip") var ip: String?

    init() {}

    static let text = [
        "Tôi cam kết giữ bí mật mọi thông tin, dữ liệu của Nền tảng số Thi hành án dân sự mà tôi biết được khi vận "
            + "hành hệ thống: không sao chép, cung cấp, tiết lộ hay sử dụng vào mục đích khác ngoài công việc được giao.",
        "Tôi chỉ thực hiện các thao tác vận hành (sao lưu, khôi phục, giám sát, xử lý sự cố) trong phạm vi được phân "
            + "công, không truy cập nội dung hồ sơ thi hành án, và ghi đầy đủ các việc đã làm vào nhật ký vận hành.",
        "Tôi bảo quản mật khẩu kho sao lưu và khóa mã hóa tách biệt với bản sao lưu, báo ngay cho Cục Quản lý THADS "
            + "khi phát hiện sự cố hoặc nguy cơ lộ lọt thông tin, và chịu trách nhiệm trước pháp luật nếu vi phạm.",
    ]

    static var textDigest: String { SHA256.hex(Array(text.joined(separator: "\n").utf8)) }

    static func accepted(by accountID: UUID, on db: any Database) async throws -> Bool {
        try await query(on: db).filter(\.$accountID == accountID).filter(\.$textSHA256 == textDigest).count() > 0
    }

    static func accept(in ctx: ActionContext) async throws {
        let user = try ctx.staff
        try await ctx.write { db in
            guard try await !accepted(by: user.account.id!, on: db) else { return }
            let row = OperatorCommitment()
            row.id = UUID()
            row.accountID = user.account.id!
            row.acceptedAt = ctx.now
            row.textSHA256 = textDigest
            row.ip = ctx.ip
            try await row.create(on: db)
            try await OperationsLog.append(
                actor: user.account.username, task: "Ký cam kết bảo mật thông tin (kỹ thuật viên vận hành)",
                result: "đã ký", at: ctx.now, on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "operations.commitmentAccepted", objectType: "account",
                    objectID: user.account.id?.uuidString, summary: "Cam kết bảo mật, SHA-256 \(textDigest.prefix(16))…"
                ),
                on: db)
        }
    }
}

struct CreateOperatorCommitments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OperatorCommitment.schema)
            .id()
            .field("account_id", .uuid, .required)
            .field("accepted_at", .datetime, .required)
            .field("text_sha256", .string, .required)
            .field("ip", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OperatorCommitment.schema).delete()
    }
}

/// Keeps a technical operator who has not accepted the commitment out of the operations pages: a page sends them to
/// the commitment, anything else is refused.
struct OperatorCommitmentGate: AsyncMiddleware {
    static let path = "/van-hanh/cam-ket"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = req.currentUser, user.account.accountClass == .technicalOperator,
            try await !OperatorCommitment.accepted(by: user.account.id!, on: req.db)
        else { return try await next.respond(to: req) }
        if req.method == .GET { return req.redirect(to: Self.path) }
        throw Abort(.forbidden)
    }
}

struct OperatorCommitmentController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "van-hanh", "cam-ket", access: .permission(.operatePlatform), use: show)
        routes.on(.POST, "van-hanh", "cam-ket", access: .permission(.operatePlatform), use: accept)
    }

    func show(req: Request) async throws -> Response {
        try await page(req, error: nil, status: .ok)
    }

    private func page(_ req: Request, error: String?, status: HTTPResponseStatus) async throws -> Response {
        let user = try req.user
        let accepted = try await OperatorCommitment.query(on: req.db).filter(\.$accountID == user.account.id!)
            .filter(\.$textSHA256 == OperatorCommitment.textDigest).first()
        return Layout.page(
            req.pageContext, title: "Cam kết bảo mật thông tin", status: status,
            .ol(.forEach(OperatorCommitment.text) { .li(.text($0)) }),
            .unwrap(accepted) { .p(.id("commitment-accepted"), .text("Đã ký lúc \(Format.dateTime($0.acceptedAt)).")) },
            .if(
                accepted == nil,
                .form(
                    .method(.post), .action(OperatorCommitmentGate.path), .id("commitment-form"),
                    Components.csrf(req.pageContext.csrfToken),
                    Components.checkbox(
                        name: "agree", label: "Tôi đã đọc, hiểu và cam kết thực hiện các nội dung trên", checked: false,
                        error: error),
                    Components.submit("Ký cam kết")))
        ).response
    }

    func accept(req: Request) async throws -> Response {
        let agreed = (try? req.content.get(String.self, at: "agree")) == "on"
        guard agreed else {
            return try await page(req, error: "Đánh dấu ô xác nhận để ký cam kết.", status: .badRequest)
        }
        try await OperatorCommitment.accept(in: req.context)
        return req.redirect(to: "/van-hanh", redirectType: .normal)
    }
}
