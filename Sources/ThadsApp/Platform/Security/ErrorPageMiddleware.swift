import Foundation
import PostgresNIO
import Vapor

/// Turns every error into a Vietnamese page (or JSON for the API) with a reference number; the log
/// gets the reference and the technical reason, the user gets neither internals nor personal data.
struct ErrorPageMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return Self.response(for: error, req: req)
        }
    }

    static func response(for error: any Error, req: Request) -> Response {
        let status: HTTPResponseStatus
        var headers = HTTPHeaders()
        switch error {
        case let abort as any AbortError:
            status = abort.status
            headers = abort.headers
        case is DecodingError:
            status = .badRequest
        case let postgres as PSQLError where postgres.serverInfo?[.sqlState] == Self.characterNotInRepertoire:
            // Text the input rule should have refused before it reached a statement (a NUL PostgreSQL cannot
            // store): the user's input, not the server, is at fault.
            status = .badRequest
        default:
            status = .internalServerError
        }
        if (300..<400).contains(status.code) {
            return Response(status: status, headers: headers)
        }
        let reference = String(UUID().uuidString.prefix(8))
        let path = req.url.path
        if status.code >= 500 {
            req.logger.error(
                "request failed",
                metadata: ["ref": "\(reference)", "path": "\(path)", "error": "\(String(reflecting: type(of: error)))"])
        } else {
            req.logger.info(
                "request refused", metadata: ["ref": "\(reference)", "path": "\(path)", "status": "\(status.code)"])
        }
        let message = Self.message(for: status)
        if path.hasPrefix("/api/") || (req.headers.accept.first?.mediaType == .json) {
            struct Body: Content {
                let error: String
                let reference: String
            }
            let response = Response(status: status)
            try? response.content.encode(Body(error: message, reference: reference))
            return response
        }
        return Layout.errorPage(
            status: status, message: message, reference: reference, pageContext: req.pageContext
        ).response
    }

    /// SQLSTATE 22021, e.g. "invalid byte sequence for encoding UTF8: 0x00".
    static let characterNotInRepertoire = "22021"

    static func message(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "Yêu cầu không hợp lệ. Vui lòng kiểm tra lại dữ liệu đã nhập."
        case 401: "Vui lòng đăng nhập để tiếp tục."
        case 403: "Bạn không có quyền thực hiện thao tác này, hoặc biểu mẫu đã hết hạn (hãy tải lại trang)."
        case 404: "Không tìm thấy trang hoặc dữ liệu được yêu cầu."
        case 405: "Phương thức không được hỗ trợ cho địa chỉ này."
        case 413: "Dữ liệu gửi lên vượt quá dung lượng cho phép."
        case 415: "Định dạng dữ liệu gửi lên không được hỗ trợ."
        case 429: "Có quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."
        default: "Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại hoặc báo cho quản trị viên kèm mã tham chiếu."
        }
    }
}
