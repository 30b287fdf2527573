import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// A citizen on the portal: fills a procedure's form with a file, answers the question, proves the email with the
/// code from the mailbox and returns the tracking code and the secret status link.
struct OnlinePortalScene {
    let app: Application
    let client: TestClient

    static let base = "/cong-khai/ho-tro-truc-tuyen"

    init(_ app: Application) {
        self.app = app
        self.client = TestClient(app)
    }

    static func fields(_ procedure: OnlineProcedure) -> [(String, String)] {
        var fields: [(String, String)] = [("ho-ten", "Lê Thị Gửi"), ("dia-chi", "12 Hàng Bài, Hoàn Kiếm, Hà Nội")]
        switch procedure {
        case .enforcementRequest:
            fields += [
                ("nguoi-duoc-thi-hanh", "Lê Thị Gửi"), ("dia-chi-nguoi-duoc-thi-hanh", "12 Hàng Bài, Hà Nội"),
                ("nguoi-phai-thi-hanh", "Trần Văn Nợ"), ("dia-chi-nguoi-phai-thi-hanh", "3 Láng Hạ, Hà Nội"),
                ("ban-an", "Bản án số 12/2026/DS-ST ngày 05/3/2026 của TAND khu vực 1 Hà Nội"),
                ("noi-dung", "Yêu cầu thi hành khoản trả nợ 150.000.000 đồng"), ("tai-san", "Xe ô tô 30A-123.45"),
            ]
        case .petition:
            fields += [
                ("tieu-de", "Chậm thi hành án"), ("noi-dung", "Vụ việc <b>chậm</b> thi hành"), ("so-nguoi", "2"),
            ]
        case .resultConfirmation:
            fields += [("ban-an", "Bản án số 7/2025/DS-PT"), ("noi-dung", "Đề nghị xác nhận đã thi hành xong")]
        }
        return fields
    }

    /// The answer to the form's question, read as a person would.
    static func solve(_ html: String) -> (token: String, answer: String)? {
        guard let tokenRange = html.range(of: "name=\"cau-hoi\" value=\"") else { return nil }
        let token = String(html[tokenRange.upperBound...].prefix { $0 != "\"" })
        let numbers = HumanCheck.words.enumerated().map { ($0.element, $0.offset) }
        guard let questionEnd = html.range(of: " bằng bao nhiêu?") else { return nil }
        let before = html[..<questionEnd.lowerBound]
        guard let labelStart = before.range(of: ">", options: .backwards) else { return nil }
        let question = before[labelStart.upperBound...].lowercased()
        let parts = question.components(separatedBy: " cộng ")
        guard parts.count == 2, let a = numbers.first(where: { $0.0 == parts[0] })?.1,
            let b = numbers.first(where: { $0.0 == parts[1] })?.1
        else { return nil }
        return (token, String(a + b))
    }

    static func code(in body: String) -> String? {
        guard let range = body.range(of: #"\b[0-9]{6}\b"#, options: .regularExpression) else { return nil }
        return String(body[range])
    }

    /// Posts the form (multipart, one file); returns the response.
    func post(
        _ procedure: OnlineProcedure, unitID: UUID, email: String, extra: [(String, String)] = [],
        file: Data? = minimalPDF, answer: String? = nil
    ) async throws -> TestingHTTPResponse {
        let form = try await client.get("\(Self.base)/gui?thu-tuc=\(procedure.rawValue)&tinh=01")
        let solved = try #require(Self.solve(form.body.string))
        let fields =
            [("thu-tuc", procedure.rawValue), ("tinh", "01"), ("co-quan", unitID.uuidString)] + Self.fields(procedure)
            + [
                ("email", email), ("dien-thoai", "0912 345 678"), ("cau-hoi", solved.token),
                ("tra-loi", answer ?? solved.answer),
            ] + extra
        let boundary = "----online-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        if let file {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"tep1\"; filename=\"ban-an.pdf\"\r\n".utf8)
            )
            body.append(Data("Content-Type: application/pdf\r\n\r\n".utf8))
            body.append(file)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return try await client.send(
            .POST, CSRF.uploadAction("\(Self.base)/gui", token: try await client.token()),
            buffer: ByteBuffer(data: body), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Files a request end to end; returns it with the secret link's token.
    func file(_ procedure: OnlineProcedure, unitID: UUID, email: String = "nguoi.gui@vi-du.vn") async throws
        -> (request: OnlineRequest, token: String)
    {
        let posted = try await post(procedure, unitID: unitID, email: email)
        #expect(posted.status == .seeOther, "\(posted.body.string.prefix(2000))")
        let location = try #require(posted.headers.first(name: .location))
        let page = try await client.get(location)
        #expect(page.body.string.contains("Xác thực email"))
        let codeMail = try #require(app.secretMailbox.messages.last { $0.to == email })
        let code = try #require(Self.code(in: codeMail.body))
        let done = try await client.post(location, [("ma", code)])
        #expect(done.status == .ok)
        let html = done.body.string
        #expect(html.contains("Mã hồ sơ"))
        let linkStart = try #require(html.range(of: "/theo-doi/"))
        let token = String(html[linkStart.upperBound...].prefix { $0 != "\"" })
        let id = try #require(UUID(uuidString: String(location.split(separator: "/").last!)))
        let request = try #require(try await OnlineRequest.find(id, on: app.db))
        #expect(request.trackingCode != nil)
        #expect(html.contains(request.trackingCode!))
        return (request, token)
    }
}
