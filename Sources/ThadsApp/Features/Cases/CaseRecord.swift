import Fluent
import Foundation
import ThadsDomain
import Vapor

/// One stored record of a case, of any kind, read and written through its correctable fields.
enum CaseRecord {
    case judgment(Judgment)
    case caseFile(EnforcementCase)
    case party(CaseParty)
    case obligation(CaseObligation)
    case decision(CaseDecision)
    case verification(CaseVerification)
    case money(CaseMoneyEntry)

    static let idPurpose = "party-id"

    var kind: CaseRecordKind {
        switch self {
        case .judgment: .judgment
        case .caseFile: .caseFile
        case .party: .party
        case .obligation: .obligation
        case .decision: .decision
        case .verification: .verification
        case .money: .money
        }
    }

    /// The record of `kind` with `id` belonging to the case (nil when it is not the case's).
    static func load(_ kind: CaseRecordKind, id: UUID, of enforcementCase: EnforcementCase, on db: any Database)
        async throws -> CaseRecord?
    {
        let caseID = try enforcementCase.requireID()
        switch kind {
        case .judgment:
            return id == enforcementCase.judgmentID ? try await Judgment.find(id, on: db).map { .judgment($0) } : nil
        case .caseFile:
            return id == caseID ? .caseFile(enforcementCase) : nil
        case .party:
            return try await CaseParty.find(id, on: db).flatMap { $0.caseID == caseID ? .party($0) : nil }
        case .obligation:
            return try await CaseObligation.find(id, on: db).flatMap { $0.caseID == caseID ? .obligation($0) : nil }
        case .decision:
            return try await CaseDecision.find(id, on: db).flatMap { $0.caseID == caseID ? .decision($0) : nil }
        case .verification:
            return try await CaseVerification.find(id, on: db).flatMap {
                $0.caseID == caseID ? .verification($0) : nil
            }
        case .money:
            return try await CaseMoneyEntry.find(id, on: db).flatMap { $0.caseID == caseID ? .money($0) : nil }
        }
    }

    /// The stored values of the correctable fields (an ID number decrypted, for comparison only).
    func values(keys: KeyStore) -> CaseRecordFields.Values {
        switch self {
        case .judgment(let j):
            return [
                "courtCode": j.courtCode, "number": j.number, "judgmentDate": j.judgmentDate ?? "",
                "kindCode": j.kindCode, "effectiveDate": j.effectiveDate ?? "", "receivedOn": j.receivedOn ?? "",
                "provisionalReceivedAt": j.provisionalReceivedAt.map(CaseRecordFields.instantISO) ?? "",
            ]
        case .caseFile(let c):
            return [
                "officerID": c.officerID?.uuidString ?? "", "startMode": c.startMode.rawValue,
                "requestReceivedOn": c.requestReceivedOn ?? "",
            ]
        case .party(let p):
            return [
                "role": p.role.rawValue, "kind": p.kind.rawValue, "fullName": p.fullName,
                "birthDate": p.birthDate ?? "",
                "birthYear": p.birthYear.map(String.init) ?? "",
                "idNumber": p.idNumberCipher.flatMap { try? keys.decrypt($0, purpose: Self.idPurpose) } ?? "",
                "address": p.address, CorrectionPolicy.voidField: p.voidNote ?? "",
            ]
        case .obligation(let o):
            return [
                "kindCode": o.kindCode, "mode": o.mode.rawValue, "amount": o.amount.map(String.init) ?? "",
                "description": o.description, "beneficiary": o.beneficiary.rawValue, "periodic": String(o.periodic),
                CorrectionPolicy.voidField: o.voidNote ?? "",
            ]
        case .decision(let d):
            return [
                "number": d.number, "decidedOn": d.decidedOn, "groundCode": d.groundCode, "signer": d.signer,
                "notifiedOn": d.notifiedOn ?? "", "groundsOn": d.groundsOn ?? "", "notes": d.notes,
            ]
        case .verification(let v):
            return ["verifiedOn": v.verifiedOn, "findings": v.findings]
        case .money(let m):
            return [
                "direction": m.direction.rawValue, "amount": String(m.amount), "occurredOn": m.occurredOn,
                "reference": m.reference, "notes": m.notes, "payerEmail": m.payerEmail ?? "",
                CorrectionPolicy.voidField: m.voidNote ?? "",
            ]
        }
    }

    /// Sets the given fields (values as `values(keys:)` reads them); fields not given are left alone.
    func apply(_ changed: CaseRecordFields.Values, keys: KeyStore, at now: Date) throws {
        func text(_ key: String) -> String? { changed[key] }
        func optional(_ key: String) -> String?? { changed[key].map { $0.isEmpty ? nil : $0 } }
        switch self {
        case .judgment(let j):
            if let v = text("courtCode") { j.courtCode = v }
            if let v = text("number") {
                j.number = v
                j.numberKey = CaseQuality.judgmentNumberKey(v)
            }
            if let v = optional("judgmentDate") { j.judgmentDate = v }
            if let v = text("kindCode") { j.kindCode = v }
            if let v = optional("effectiveDate") { j.effectiveDate = v }
            if let v = optional("receivedOn") { j.receivedOn = v }
            if let v = optional("provisionalReceivedAt") {
                j.provisionalReceivedAt = v.flatMap(CaseRecordFields.instant(iso:))
            }
        case .caseFile(let c):
            if let v = text("officerID") { c.officerID = UUID(uuidString: v) }
            if let v = text("startMode").flatMap(CaseStartMode.init(rawValue:)) { c.startMode = v }
            if let v = optional("requestReceivedOn") { c.requestReceivedOn = v }
            c.updatedAt = now
        case .party(let p):
            if let v = text("role").flatMap(PartyRole.init(rawValue:)) { p.role = v }
            if let v = text("kind").flatMap(PartyKind.init(rawValue:)) { p.kind = v }
            if let v = text("fullName") {
                p.fullName = v
                p.nameFolded = VietnameseText.fold(v)
                p.nameExact = VietnameseText.exact(v)
            }
            if let v = optional("birthDate") { p.birthDate = v }
            if let v = text("birthYear") { p.birthYear = Int(v) }
            if let v = text("idNumber") {
                let stored = try StoredIDNumber(v, keys: keys)
                p.idNumberCipher = stored.cipher
                p.idNumberIndex = stored.index
                p.idNumberLast3 = stored.last3
            }
            if let v = text("address") { p.address = v }
            if let v = optional(CorrectionPolicy.voidField) { p.voidNote = v }
        case .obligation(let o):
            if let v = text("kindCode") { o.kindCode = v }
            if let v = text("mode").flatMap(ObligationMode.init(rawValue:)) { o.mode = v }
            if let v = text("amount") { o.amount = Int64(v) }
            if let v = text("description") { o.description = v }
            if let v = text("beneficiary").flatMap(Beneficiary.init(rawValue:)) { o.beneficiary = v }
            if let v = text("periodic") { o.periodic = v == "true" }
            if let v = optional(CorrectionPolicy.voidField) { o.voidNote = v }
        case .decision(let d):
            if let v = text("number") { d.number = v }
            if let v = text("decidedOn") { d.decidedOn = v }
            if let v = text("groundCode") { d.groundCode = v }
            if let v = text("signer") { d.signer = v }
            if let v = optional("notifiedOn") { d.notifiedOn = v }
            if let v = optional("groundsOn") { d.groundsOn = v }
            if let v = text("notes") { d.notes = v }
        case .verification(let v):
            if let value = text("verifiedOn") { v.verifiedOn = value }
            if let value = text("findings") { v.findings = value }
        case .money(let m):
            if let v = text("amount").flatMap({ Int64($0) }) { m.amount = v }
            if let v = text("occurredOn") { m.occurredOn = v }
            if let v = text("reference") { m.reference = v }
            if let v = text("notes") { m.notes = v }
            if let v = optional("payerEmail") { m.payerEmail = v }
            if let v = text("direction").flatMap(MoneyDirection.init(rawValue:)) { m.direction = v }
            if let v = optional(CorrectionPolicy.voidField) { m.voidNote = v }
        }
    }

    func save(on db: any Database) async throws {
        switch self {
        case .judgment(let r): try await r.save(on: db)
        case .caseFile(let r): try await r.save(on: db)
        case .party(let r): try await r.save(on: db)
        case .obligation(let r): try await r.save(on: db)
        case .decision(let r): try await r.save(on: db)
        case .verification(let r): try await r.save(on: db)
        case .money(let r): try await r.save(on: db)
        }
    }

    var id: UUID? {
        switch self {
        case .judgment(let r): r.id
        case .caseFile(let r): r.id
        case .party(let r): r.id
        case .obligation(let r): r.id
        case .decision(let r): r.id
        case .verification(let r): r.id
        case .money(let r): r.id
        }
    }
}

/// A party's ID number as it is stored (H2): encrypted under the key outside the database, the keyed index that
/// exact search looks up, and the last three digits a masked display shows; all nil when there is none. The one
/// way a form, the import and the generator store an ID number.
struct StoredIDNumber {
    let cipher: String?
    let index: String?
    let last3: String?

    init(_ idNumber: String?, keys: KeyStore) throws {
        guard let idNumber, !idNumber.isEmpty else {
            (cipher, index, last3) = (nil, nil, nil)
            return
        }
        cipher = try keys.encrypt(idNumber, purpose: CaseRecord.idPurpose)
        index = keys.blindIndex(idNumber, purpose: CaseRecord.idPurpose)
        last3 = String(idNumber.suffix(3))
    }
}
