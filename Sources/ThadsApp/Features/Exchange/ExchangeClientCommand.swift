import Fluent
import Foundation
import ThadsDomain
import Vapor

/// `thads exchange-client`: registers a connected system from the command line (an operator's first set-up, the API
/// check script). The pages under /he-thong-ket-noi do the same for central admins; both write the same audit event.
struct ExchangeClientCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "id", help: "Mã hệ thống (iss của JWT, keyid của chữ ký)")
        var id: String?
        @Option(name: "name", help: "Tên hệ thống")
        var name: String?
        @Option(name: "public-key", help: "Tệp khóa công khai EC P-256 (PEM)")
        var publicKey: String?
        @Option(name: "read", help: "Dữ liệu được đọc, cách nhau bởi dấu phẩy (mặc định: tất cả)")
        var read: String?
        @Option(name: "write", help: "Dữ liệu được ghi, cách nhau bởi dấu phẩy (mặc định: không)")
        var write: String?
        @Option(name: "units", help: "Mã đơn vị trong phạm vi, cách nhau bởi dấu phẩy (mặc định: toàn quốc)")
        var units: String?
        @Option(name: "calls", help: "Số lượt gọi mỗi phút (mặc định 600)")
        var calls: Int?
        @Flag(name: "reveal-id-numbers", help: "Cho nhận số định danh đầy đủ")
        var reveal: Bool
    }

    var help: String { "Đăng ký một hệ thống kết nối với thỏa thuận và khóa công khai của nó." }

    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let id = signature.id, let path = signature.publicKey else {
            throw Refused(description: "cần --id và --public-key")
        }
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        func resources(_ text: String?, all: [ExchangeResource]) throws -> [ExchangeResource] {
            guard let text else { return all }
            return try text.split(separator: ",").map {
                guard let resource = ExchangeResource(rawValue: String($0)) else {
                    throw Refused(description: "không có loại dữ liệu \($0)")
                }
                return resource
            }
        }
        var unitIDs: [UUID] = []
        for code in (signature.units ?? "").split(separator: ",") {
            guard let unit = try await EnforcementUnit.query(on: app.db).filter(\.$code == String(code)).first() else {
                throw Refused(description: "không có đơn vị \(code)")
            }
            unitIDs.append(unit.id!)
        }
        let today = app.clock.today
        var form = FormCheck([
            "clientID": id, "name": signature.name ?? id, "operator": signature.name ?? id,
            "reference": "CLI-" + today.iso, "agreementDate": today.iso,
            "callsPerMinute": String(signature.calls ?? 600),
            "responsibilities": "Đăng ký bằng lệnh thads exchange-client.", "validFrom": today.iso, "validTo": "",
            "publicKey": pem,
        ])
        guard
            let draft = ConnectedSystems.check(
                &form, units: unitIDs, known: Set(unitIDs),
                read: try resources(signature.read, all: ExchangeResource.allCases).map(\.rawValue),
                write: try resources(signature.write, all: []).map(\.rawValue), reveals: signature.reveal)
        else {
            throw Refused(
                description: form.errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                    .joined(separator: "; "))
        }
        let system = try await ConnectedSystems.registerUnchecked(draft, in: .system(app, task: "exchange-client"))
        context.console.print("Đã đăng ký hệ thống kết nối \(system.clientID) (\(system.id!.uuidString))")
    }
}
