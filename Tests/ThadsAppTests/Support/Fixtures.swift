import Crypto
import Fluent
import Foundation
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Accounts and units made directly in the database, to set the scene for a test.
enum Fixtures {
    static let password = "Kh0ng-Doan-Duoc!2026"

    struct Made {
        let account: Account
        let totpSecret: [UInt8]?
    }

    static func unit(_ app: Application, code: String) async throws -> EnforcementUnit {
        guard let unit = try await EnforcementUnit.query(on: app.db).filter(\.$code == code).first() else {
            throw FixtureError(message: "no unit \(code)")
        }
        return unit
    }

    static func regional(_ app: Application, code: String, under provinceCode: String) async throws -> EnforcementUnit {
        if let existing = try await EnforcementUnit.query(on: app.db).filter(\.$code == code).first() {
            return existing
        }
        let province = try await unit(app, code: provinceCode)
        let unit = EnforcementUnit(
            code: code, name: "Phòng Thi hành án dân sự khu vực \(code)", level: .regional, parentID: province.id)
        try await unit.create(on: app.db)
        return unit
    }

    @discardableResult
    static func account(
        _ app: Application, _ username: String, class accountClass: AccountClass = .internalUser,
        unit unitCode: String = "TW",
        roles: Set<Role> = [], mfa: Bool? = nil, mustChangePassword: Bool = false, fullName: String = "Nguyễn Văn Thử",
        externalValidUntil: LocalDate? = nil, grants: [UUID]? = nil, password: String = Fixtures.password
    ) async throws -> Made {
        let unit = try await unit(app, code: unitCode)
        let account = Account()
        account.id = UUID()
        // From the name's digest, not `hashValue`, which Swift seeds afresh in every process: the same username gets
        // the same number in every run.
        let digest = SHA256.hash(data: Data(username.utf8)).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let nationalID = String(format: "%012llu", digest % 1_000_000_000_000)
        account.nationalIDIndex = app.keys.blindIndex(nationalID + username, purpose: "national-id")
        account.nationalIDCipher = try app.keys.encrypt(nationalID, purpose: "national-id")
        account.nationalIDLast3 = String(nationalID.suffix(3))
        let snapshot = Account.Snapshot(
            username: username, fullName: fullName, email: username + "@thads.test", nationalIDMasked: "",
            position: nil,
            accountClass: accountClass.rawValue, unitID: unit.id!, roles: roles.map(\.rawValue),
            status: AccountStatus.active.rawValue, externalValidUntil: externalValidUntil?.iso, grantedUnitIDs: grants)
        let hash = try app.passwordHasher.hash(password)
        let useMFA = mfa ?? MFAPolicy.isRequired(accountClass: accountClass, roles: roles)
        let secret: [UInt8]? = useMFA ? TOTP.generateSecret() : nil
        try await app.write(on: app.db) { db in
            try await AccountWrites.apply(snapshot, to: account, isNew: true, on: db)
            try await AccountWrites.store(
                hash: hash, for: account, mustChange: mustChangePassword, at: app.clock.now,
                on: db)
            if let secret {
                account.mfaSecretCipher = try app.keys.encrypt(Base32.encode(secret), purpose: "mfa")
                account.mfaEnabled = true
                try await account.save(on: db)
            }
        }
        return Made(account: account, totpSecret: secret)
    }

    /// A signed-in client for a fresh account of the given kind.
    static func signedIn(
        _ app: Application, _ username: String, class accountClass: AccountClass = .internalUser, unit: String = "TW",
        roles: Set<Role> = []
    ) async throws -> (TestClient, Made) {
        let made = try await account(app, username, class: accountClass, unit: unit, roles: roles)
        let client = TestClient(app)
        // Two logins in the same 30 s step would reuse a TOTP code; use the next step for MFA accounts.
        let response = try await client.login(username, password, totpSecret: made.totpSecret, at: app.clock.now)
        guard response.status == .seeOther, client.cookies[SessionStore.cookieName] != nil else {
            throw FixtureError(message: "login of \(username) failed: \(response.status)")
        }
        return (client, made)
    }

    struct FixtureError: Error {
        let message: String
    }
}

extension Application {
    func mails() throws -> [String] {
        let directory = settings.mailDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return try names.sorted().map { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }
    }
}
