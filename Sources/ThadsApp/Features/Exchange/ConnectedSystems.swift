import Crypto
import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Registering, suspending and resuming connected systems (G2), by central admins; each change is one transaction
/// with its audit event.
enum ConnectedSystems {
    static let formKeys = [
        "clientID", "name", "operator", "reference", "agreementDate", "callsPerMinute", "responsibilities",
        "validFrom", "validTo", "publicKey",
    ]

    /// What a valid registration form holds.
    struct Draft: Sendable {
        var clientID: String
        var name: String
        var operatorName: String
        var reference: String
        var agreementDate: LocalDate
        var units: [UUID]
        var read: [ExchangeResource]
        var write: [ExchangeResource]
        var callsPerMinute: Int
        var responsibilities: String
        var validFrom: LocalDate
        var validTo: LocalDate?
        var revealsIDNumbers: Bool
        var publicKeyPEM: String
    }

    /// Checks the form; nil with the errors in `form` when refused.
    static func check(
        _ form: inout FormCheck, units: [UUID], known: Set<UUID>, read: [String], write: [String], reveals: Bool
    ) -> Draft? {
        let clientID = form.text("clientID", label: "Mã hệ thống", required: true, max: 64)
        if !clientID.isEmpty,
            !clientID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        {
            form.fail("clientID", "Mã hệ thống chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới.")
        }
        let name = form.text("name", label: "Tên hệ thống", required: true, max: 200)
        let operatorName = form.text("operator", label: "Đơn vị vận hành", required: true, max: 200)
        let reference = form.text("reference", label: "Số thỏa thuận", required: true, max: 100)
        let agreementDate = form.date("agreementDate", label: "Ngày thỏa thuận", required: true)
        let responsibilities = form.text(
            "responsibilities", label: "Trách nhiệm các bên", required: true, max: 4000, lines: .multi)
        let validFrom = form.date("validFrom", label: "Hiệu lực từ ngày", required: true)
        let validTo = form.date("validTo", label: "Hiệu lực đến ngày")
        if let validFrom, let validTo, validTo < validFrom {
            form.fail("validTo", "Ngày hết hiệu lực phải từ ngày bắt đầu hiệu lực trở đi.")
        }
        var calls = 0
        if let value = Int(form["callsPerMinute"]), (1...100_000).contains(value) {
            calls = value
        } else {
            form.fail("callsPerMinute", "Nhập số lượt gọi mỗi phút, từ 1 đến 100.000.")
        }
        if units.contains(where: { !known.contains($0) }) { form.fail("units", "Chọn đơn vị trong danh sách.") }
        let readResources = read.compactMap(ExchangeResource.init(rawValue:))
        let writeResources = write.compactMap(ExchangeResource.init(rawValue:))
        if readResources.count != read.count || writeResources.count != write.count {
            form.fail("read", "Chọn dữ liệu trong danh sách.")
        } else if readResources.isEmpty && writeResources.isEmpty {
            form.fail("read", "Chọn ít nhất một loại dữ liệu được đọc hoặc ghi.")
        }
        let pem = form.text("publicKey", label: "Khóa công khai", required: true, max: 4000, lines: .multi)
        if !pem.isEmpty, (try? P256.Signing.PublicKey(pemRepresentation: pem)) == nil {
            form.fail("publicKey", "Khóa công khai phải là khóa EC P-256 dạng PEM (-----BEGIN PUBLIC KEY-----).")
        }
        guard form.isValid, let agreementDate, let validFrom else { return nil }
        return Draft(
            clientID: clientID, name: name, operatorName: operatorName, reference: reference,
            agreementDate: agreementDate, units: units, read: readResources, write: writeResources,
            callsPerMinute: calls, responsibilities: responsibilities, validFrom: validFrom, validTo: validTo,
            revealsIDNumbers: reveals, publicKeyPEM: pem)
    }

    struct ClientIDTaken: Error {}

    static func register(_ draft: Draft, in ctx: ActionContext) async throws -> ConnectedSystem {
        try ctx.authorize(.manageConnectedSystems)
        return try await registerUnchecked(draft, in: ctx)
    }

    /// For the bench and the API check script, which act as the platform itself.
    static func registerUnchecked(_ draft: Draft, in ctx: ActionContext) async throws -> ConnectedSystem {
        let client = ConnectedSystem()
        client.id = UUID()
        client.clientID = draft.clientID
        client.name = draft.name
        client.operatorName = draft.operatorName
        client.agreementReference = draft.reference
        client.agreementDate = draft.agreementDate.iso
        client.units = draft.units.map(\.uuidString).joined(separator: ",")
        client.readResources = draft.read.map(\.rawValue).joined(separator: ",")
        client.writeResources = draft.write.map(\.rawValue).joined(separator: ",")
        client.callsPerMinute = draft.callsPerMinute
        client.responsibilities = draft.responsibilities
        client.validFrom = draft.validFrom.iso
        client.validTo = draft.validTo?.iso
        client.revealsIDNumbers = draft.revealsIDNumbers
        client.publicKeyPEM = draft.publicKeyPEM
        client.status = .active
        client.createdAt = ctx.now
        client.updatedAt = ctx.now
        try await ctx.write { db in
            if try await ConnectedSystem.query(on: db).filter(\.$clientID == draft.clientID).first() != nil {
                throw ClientIDTaken()
            }
            try await client.create(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "exchange.client.registered", objectType: "connected_system",
                    objectID: client.id?.uuidString, unitID: nil,
                    summary: "Đăng ký hệ thống kết nối \(draft.name) (\(draft.clientID)), thỏa thuận \(draft.reference)"
                ),
                on: db)
        }
        return client
    }

    /// Suspends or resumes; the next call of the system sees it.
    static func setStatus(_ id: UUID, to status: ConnectedSystem.Status, in ctx: ActionContext) async throws {
        try ctx.authorize(.manageConnectedSystems)
        try await ctx.write { db in
            guard let client = try await ConnectedSystem.find(id, on: db) else { throw Abort(.notFound) }
            guard client.status != status else { return }
            let before = client.status
            client.status = status
            client.updatedAt = ctx.now
            try await client.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: status == .suspended ? "exchange.client.suspended" : "exchange.client.resumed",
                    objectType: "connected_system", objectID: id.uuidString, unitID: nil,
                    summary: "\(client.name): \(before.label) → \(status.label)"),
                on: db)
        }
    }
}
