import Crypto
import Fluent
import Foundation
import OpenAPIRuntime
import ThadsDomain
import ThadsExchangeAPI
import Vapor

/// The operations of `openapi/thads-v1.yaml`, behind `ExchangeGate`. Refusals are thrown as `ExchangeProblem`s and
/// answered by the gate as problem documents, in the statuses the document lists.
struct ExchangeAPI: APIProtocol {
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    // MARK: Auth

    func issueToken(_ input: Operations.IssueToken.Input) async throws -> Operations.IssueToken.Output {
        let call = try ExchangeCall.get()
        let ctx = call.ctx
        guard case .urlEncodedForm(let form) = input.body else {
            throw ExchangeProblem.badRequest("Thiếu thân yêu cầu.")
        }
        func oauth(_ error: String, _ description: String) -> Operations.IssueToken.Output {
            .badRequest(.init(body: .json(.init(error: error, errorDescription: description))))
        }
        func invalidClient(_ description: String) -> Operations.IssueToken.Output {
            .unauthorized(.init(body: .json(.init(error: "invalid_client", errorDescription: description))))
        }
        guard form.grantType == "client_credentials" else {
            return oauth("unsupported_grant_type", "Chỉ hỗ trợ grant_type=client_credentials.")
        }
        guard form.clientAssertionType == Self.assertionType else {
            return oauth("invalid_request", "client_assertion_type phải là \(Self.assertionType).")
        }
        guard let claimed = try? ClientAssertion.claimedClient(form.clientAssertion),
            let client = try await ConnectedSystem.query(on: ctx.db).filter(\.$clientID == claimed).first(),
            let key = client.publicKey
        else { return invalidClient("Hệ thống kết nối không được nhận diện.") }
        call.noteClient(client)
        call.noteScope(client.units.isEmpty ? "toàn quốc" : client.units)
        let now = Int(ctx.now.timeIntervalSince1970)
        let assertion: ClientAssertion
        do {
            assertion = try ClientAssertion.verify(
                form.clientAssertion, key: key, audience: "/api/v1/token", now: now)
        } catch {
            return invalidClient("Chữ ký hoặc nội dung client_assertion không hợp lệ (ES256, aud, exp, jti).")
        }
        if client.status == .suspended { throw ExchangeProblem(.suspended) }
        if let refusal = client.agreement.validity(on: ctx.today) { throw ExchangeProblem(refusal) }
        let clientRef = try client.requireID()
        let fresh = try await ctx.write { db in
            try await ExchangeReplay.remember(
                "jti:" + assertion.jti, client: clientRef,
                until: Date(timeIntervalSince1970: TimeInterval(assertion.expires + SignatureAge.skew)), on: db)
        }
        guard fresh else { return invalidClient("client_assertion này đã được dùng (jti lặp lại).") }
        let token = ExchangeKeys.issueToken(
            client: clientRef, expires: now + ExchangeKeys.tokenLifetime, keys: ctx.keys)
        call.noteRecords(1)
        return .ok(
            .init(
                body: .json(
                    .init(
                        accessToken: token, tokenType: "Bearer", expiresIn: ExchangeKeys.tokenLifetime,
                        scope: client.readResources))))
    }

    func getServerKey(_ input: Operations.GetServerKey.Input) async throws -> Operations.GetServerKey.Output {
        let keys = try ExchangeCall.get().ctx.keys
        let (x, y) = ExchangeKeys.serverJWK(keys)
        return .ok(
            .init(
                body: .json(
                    .init(
                        kty: "EC", crv: "P-256", x: x, y: y, kid: ExchangeKeys.serverKeyID,
                        alg: MessageSignature.algorithm))))
    }

    func getAgreement(_ input: Operations.GetAgreement.Input) async throws -> Operations.GetAgreement.Output {
        let call = try ExchangeCall.get()
        guard let client = call.client else {
            throw ExchangeProblem(.unauthorized, "Chưa xác thực", "Thiếu mã truy cập.")
        }
        let agreement = client.agreement
        let units = try await EnforcementUnit.query(on: call.ctx.db).all().filter {
            agreement.units.contains($0.id ?? UUID())
        }
        call.noteRecords(1)
        return .ok(
            .init(
                body: .json(
                    .init(
                        clientId: client.clientID, name: client.name, _operator: client.operatorName,
                        reference: client.agreementReference, signedOn: client.agreementDate,
                        validFrom: client.validFrom, validTo: client.validTo, units: units.map(\.code).sorted(),
                        read: agreement.read.map(\.rawValue).sorted(), write: agreement.write.map(\.rawValue).sorted(),
                        callsPerMinute: client.callsPerMinute, idNumbers: client.revealsIDNumbers))))
    }

    // MARK: Cases

    func searchCases(_ input: Operations.SearchCases.Input) async throws -> Operations.SearchCases.Output {
        let call = try ExchangeCall.get()
        _ = try call.require(.cases)
        let query = input.query
        var search = CaseSearch.Query()
        search.pageSize = try Self.limit(query.limit)
        search.page = 1
        if let cursor = query.cursor {
            guard let page = ExchangeCursor.decode(cursor, as: .page), page >= 1, page <= 10_000 else {
                throw ExchangeProblem.badRequest("Con trỏ không hợp lệ: dùng nguyên giá trị next của trang trước.")
            }
            search.page = page
        }
        if let unit = query.unit {
            guard let id = UUID(uuidString: unit) else { throw ExchangeProblem.badRequest("unit phải là UUID.") }
            guard call.ctx.scope.contains(id) else { throw ExchangeProblem(.unitOutOfScope) }
            search.unitID = id
        }
        if let status = query.status {
            guard let value = CaseStatus(rawValue: status) else {
                throw ExchangeProblem.badRequest("status không có trong danh mục case-statuses.")
            }
            search.status = value
        }
        search.name = query.name ?? ""
        search.text = query.text ?? ""
        call.noteScope(search.unitID?.uuidString ?? Self.scopeText(call.ctx.scope))
        let result = try await CaseSearch.run(search, scope: call.ctx.scope, keys: call.ctx.keys, on: call.ctx.db)
        call.noteRecords(result.hits.count)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: result.hits.map(Self.summary),
                        next: result.hasNext ? ExchangeCursor.encode(.page, result.page + 1) : nil))))
    }

    func getCase(_ input: Operations.GetCase.Input) async throws -> Operations.GetCase.Output {
        let call = try ExchangeCall.get()
        let agreement = try call.require(.cases)
        guard let id = UUID(uuidString: input.path.caseId) else {
            throw ExchangeProblem.badRequest("caseId phải là UUID.")
        }
        let db = call.ctx.db
        guard let found = try await EnforcementCase.find(id, on: db), call.ctx.scope.contains(found.unitID),
            let judgment = try await Judgment.find(found.judgmentID, on: db)
        else { throw ExchangeProblem.notFound }
        call.noteScope(found.unitID.uuidString)
        let parties = try await CaseParty.query(on: db).filter(\.$caseID == id).all()
        call.noteRecords(1)
        return .ok(
            .init(
                body: .json(
                    .init(
                        id: id.uuidString, code: found.code, unitId: found.unitID.uuidString,
                        status: found.status.rawValue, statusLabel: found.status.label, openedOn: found.openedOn,
                        closedOn: found.closedOn,
                        judgment: .init(
                            number: judgment.number, date: judgment.judgmentDate, courtCode: judgment.courtCode,
                            kindCode: judgment.kindCode),
                        parties: parties.map { party in
                            .init(
                                name: party.fullName, role: party.role.rawValue,
                                idNumber: Self.idNumber(party, reveal: agreement.revealsIDNumbers, keys: call.ctx.keys))
                        }))))
    }

    func lookupParty(_ input: Operations.LookupParty.Input) async throws -> Operations.LookupParty.Output {
        let call = try ExchangeCall.get()
        let agreement = try call.require(.parties)
        guard case .json(let body) = input.body else { throw ExchangeProblem.badRequest("Thiếu thân yêu cầu.") }
        let idNumber = body.idNumber.filter { !$0.isWhitespace }
        guard !idNumber.isEmpty, idNumber.count <= 20, idNumber.allSatisfy(\.isNumber) else {
            throw ExchangeProblem.badRequest("Số định danh chỉ gồm chữ số (tối đa 20).")
        }
        var search = CaseSearch.Query()
        search.idNumber = idNumber
        search.pageSize = 100
        call.noteScope(Self.scopeText(call.ctx.scope))
        let result = try await CaseSearch.run(search, scope: call.ctx.scope, keys: call.ctx.keys, on: call.ctx.db)
        call.noteRecords(result.hits.count)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: result.hits.map { hit in
                            var summary = Self.summary(hit)
                            // The caller typed the number; it sees it whole only where the agreement allows.
                            if agreement.revealsIDNumbers { summary.partyIdNumber = idNumber }
                            return summary
                        }))))
    }

    // MARK: Catalogs and changes

    func listCatalogs(_ input: Operations.ListCatalogs.Input) async throws -> Operations.ListCatalogs.Output {
        let call = try ExchangeCall.get()
        _ = try call.require(.catalogs)
        var infos: [APISchemas.CatalogInfo] = []
        for name in APISchemas.CatalogName.allCases {
            let catalog = try await ExchangeCatalogs.catalog(name, ctx: call.ctx)
            infos.append(
                .init(name: name, title: catalog.title, version: catalog.version, entries: catalog.entries.count))
        }
        call.noteRecords(infos.count)
        return .ok(.init(body: .json(.init(catalogs: infos))))
    }

    func getCatalog(_ input: Operations.GetCatalog.Input) async throws -> Operations.GetCatalog.Output {
        let call = try ExchangeCall.get()
        _ = try call.require(.catalogs)
        let catalog = try await ExchangeCatalogs.catalog(input.path.name, ctx: call.ctx)
        call.noteRecords(catalog.entries.count)
        return .ok(.init(body: .json(catalog)))
    }

    func listChanges(_ input: Operations.ListChanges.Input) async throws -> Operations.ListChanges.Output {
        let call = try ExchangeCall.get()
        let agreement = try call.require(.changes)
        let limit = try Self.limit(input.query.limit)
        var after = 0
        if let cursor = input.query.after {
            guard let value = ExchangeCursor.decode(cursor, as: .changes) else {
                throw ExchangeProblem.badRequest("Con trỏ không hợp lệ: dùng nguyên giá trị next của trang trước.")
            }
            after = value
        }
        call.noteScope(Self.scopeText(call.ctx.scope))
        let (changes, last) = try await ExchangeFeed.page(
            after: after, limit: limit, units: agreement.units, on: call.ctx.db)
        call.noteRecords(changes.count)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: changes.map {
                            .init(
                                resource: $0.resource, id: $0.resourceID.uuidString,
                                kind: $0.kind == "created" ? .created : .updated, at: $0.at, version: $0.version)
                        }, next: ExchangeCursor.encode(.changes, last)))))
    }

    // MARK: Helpers

    static func limit(_ value: Int?) throws -> Int {
        let limit = value ?? 50
        guard (1...500).contains(limit) else { throw ExchangeProblem.badRequest("limit phải từ 1 đến 500.") }
        return limit
    }

    static func scopeText(_ scope: DataScope) -> String {
        switch scope {
        case .all: "toàn quốc"
        case .units(let ids): ids.map(\.uuidString).sorted().joined(separator: ",")
        }
    }

    static func summary(_ hit: CaseSearch.Hit) -> APISchemas.CaseSummary {
        .init(
            id: hit.caseID.uuidString, code: hit.code, unitId: hit.unitID.uuidString, status: hit.status.rawValue,
            statusLabel: hit.statusLabel, openedOn: hit.openedOn, judgmentNumber: hit.judgmentNumber,
            partyName: hit.partyName, partyRole: hit.partyRole?.rawValue, partyIdNumber: hit.partyIDMasked)
    }

    static func idNumber(_ party: CaseParty, reveal: Bool, keys: KeyStore) -> String? {
        if reveal, let cipher = party.idNumberCipher,
            let plain = try? keys.decrypt(cipher, purpose: CaseRecord.idPurpose)
        {
            return plain
        }
        return party.idNumberLast3.map { "*********" + $0 }
    }
}
