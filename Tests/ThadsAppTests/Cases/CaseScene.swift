import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Signed-in staff of Hà Nội (an officer, a clerk and the head) and an officer of Hồ Chí Minh City, with helpers
/// that drive the case forms as a browser would.
struct CaseScene {
    let app: Application
    let officer: TestClient
    let officerAccount: Account
    let head: TestClient
    let headAccount: Account
    let outsider: TestClient

    // Read on each use: a run that crosses midnight in Vietnam sees the same "today" as the server.
    static var today: LocalDate { AppClock.system.today }

    static func make(_ app: Application) async throws -> CaseScene {
        let (officer, officerMade) = try await Fixtures.signedIn(
            app, "chv.hanoi", unit: "01", roles: [.enforcementOfficer])
        let (head, headMade) = try await Fixtures.signedIn(app, "tt.hanoi", unit: "01", roles: [.head])
        let (outsider, _) = try await Fixtures.signedIn(app, "chv.hcm", unit: "79", roles: [.enforcementOfficer])
        return CaseScene(
            app: app, officer: officer, officerAccount: officerMade.account, head: head,
            headAccount: headMade.account, outsider: outsider)
    }

    /// The fields of a valid new case; `overrides` replace or add fields.
    func openingForm(number: String = "125/2026/DS-ST", _ overrides: [(String, String)] = []) -> [(String, String)] {
        let t = app.clock.today
        var fields: [String: String] = [
            "courtCode": "TAND-01", "number": number, "judgmentDate": t.adding(days: -60).display,
            "kindCode": "DS", "effectiveDate": t.adding(days: -30).display, "receivedOn": t.display,
            "startMode": "exOfficio", "officerID": officerAccount.id!.uuidString,
            "qd-number": "15/QĐ-CTHADS", "qd-decidedOn": t.display, "qd-groundCode": "L106-ENFORCE",
            "qd-signer": "Trần Văn Thủ", "qd-notifiedOn": "",
        ]
        for (key, value) in overrides { fields[key] = value }
        return fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Opens a case through the form; returns its id.
    func open(number: String = "125/2026/DS-ST", _ overrides: [(String, String)] = []) async throws -> UUID {
        let response = try await officer.post("/ho-so/moi", openingForm(number: number, overrides))
        #expect(response.status == .seeOther, "open → \(response.status.code): \(Self.errors(response))")
        let location = try #require(response.location)
        let id = try #require(
            location.split(separator: "/").dropFirst().first.flatMap { UUID(uuidString: String($0.prefix(36))) })
        return id
    }

    /// Posts an add form of the case page and expects it to be saved.
    @discardableResult
    func add(_ caseID: UUID, _ section: String, _ fields: [(String, String)], by client: TestClient? = nil)
        async throws -> TestingHTTPResponse
    {
        let response = try await (client ?? officer).post("/ho-so/\(caseID.uuidString)/\(section)", fields)
        #expect(response.status == .seeOther, "\(section) → \(response.status.code): \(Self.errors(response))")
        return response
    }

    func enforcementCase(_ id: UUID) async throws -> EnforcementCase {
        try #require(try await EnforcementCase.find(id, on: app.db))
    }

    func openRules(_ id: UUID) async throws -> Set<QualityRule> {
        Set(
            try await QualityWarning.query(on: app.db).filter(\.$caseID == id).filter(\.$status == .open).all()
                .map(\.rule))
    }

    /// The field messages of a refused form, for failure output.
    static func errors(_ response: TestingHTTPResponse) -> String {
        let body = response.body.string
        var messages: [String] = []
        var rest = body[...]
        while let range = rest.range(of: "class=\"field-error\"") {
            let after = rest[range.upperBound...]
            if let start = after.firstIndex(of: ">"), let end = after.range(of: "</p>") {
                messages.append(String(after[after.index(after: start)..<end.lowerBound]))
            }
            rest = after
        }
        return messages.joined(separator: " | ")
    }

    static let debtor: [(String, String)] = [
        ("role", "debtor"), ("kind", "person"), ("fullName", "Nguyễn Văn Nợ"), ("birthYear", "1980"),
        ("idNumber", "001080012345"), ("address", "12 Hàng Bạc, Hà Nội"),
    ]
    static let creditor: [(String, String)] = [
        ("role", "creditor"), ("kind", "person"), ("fullName", "Lê Thị Được"), ("birthYear", "1975"),
        ("address", "5 Tràng Tiền, Hà Nội"),
    ]
    static func obligation(_ amount: String) -> [(String, String)] {
        [("kindCode", "AN-PHI"), ("mode", "money"), ("amount", amount), ("beneficiary", "stateBudget")]
    }
    static func money(_ direction: String, _ amount: String, on date: LocalDate = today, reference: String = "BL-1")
        -> [(String, String)]
    {
        [("direction", direction), ("amount", amount), ("occurredOn", date.display), ("reference", reference)]
    }
}
