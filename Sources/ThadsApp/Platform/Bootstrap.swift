import Fluent
import Foundation
import ThadsDomain
import Vapor

/// What every start does after migrating: load the shipped catalogs and, on an empty database,
/// create the first central admin with a one-time password printed once on the console.
enum Bootstrap {
    /// The password goes to the console (standard output) once, and never through the logger: log handlers ship
    /// their lines to files and collectors that outlive the password.
    static func run(
        _ app: Application, createFirstAdmin shouldCreate: Bool,
        console: @Sendable (String) -> Void = { print($0) }
    ) async throws {
        try await KeyCheck.verify(app)
        _ = try await app.write(on: app.db) { db in try await UnitCatalog.load(on: db) }
        try await CatalogStore.seedMissing(app)
        try await CatalogStore.citeShippedSources(app)
        for step in app.startupSteps { try await step(app) }
        app.isDemoInstallation = try await InstallationFact.find("demo", on: app.db)?.value == "true"
        if shouldCreate, try await Account.query(on: app.db).count() == 0 {
            let password = try await createFirstAdmin(app)
            console(
                """

                ============================================================
                 Quản trị viên Cục đầu tiên đã được tạo.
                 Tên đăng nhập: admin
                 Mật khẩu dùng một lần: \(password)
                 Bắt buộc đổi mật khẩu và đăng ký xác thực hai lớp khi đăng nhập lần đầu.
                ============================================================

                """)
        }
    }

    static func createFirstAdmin(_ app: Application, username: String = "admin") async throws -> String {
        let central = try await UnitCatalog.central(on: app.db)
        let password = AccountWrites.generateOneTimePassword()
        let hash = try await app.hashPassword(password)
        // The first admin has no national ID on file yet: a placeholder that cannot collide with a real one.
        let placeholderID = "chưa-cập-nhật-" + UUID().uuidString
        try await app.write(on: app.db) { db in
            let account = Account()
            account.id = UUID()
            account.nationalIDIndex = app.keys.blindIndex(placeholderID, purpose: "national-id")
            account.nationalIDCipher = try app.keys.encrypt(placeholderID, purpose: "national-id")
            account.nationalIDLast3 = "???"
            let snapshot = Account.Snapshot(
                username: username, fullName: "Quản trị viên hệ thống", email: username + "@thads.local",
                nationalIDMasked: "",
                position: nil, accountClass: AccountClass.centralAdmin.rawValue, unitID: central.id!, roles: [],
                status: AccountStatus.active.rawValue, externalValidUntil: nil, grantedUnitIDs: nil)
            try await AccountWrites.apply(snapshot, to: account, isNew: true, on: db)
            try await AccountWrites.store(hash: hash, for: account, mustChange: true, at: app.clock.now, on: db)
            try await AuditLog.record(
                AuditEntry(
                    action: "account.created", objectType: "account", objectID: account.id?.uuidString,
                    unitID: central.id,
                    summary: "Quản trị viên đầu tiên (khởi tạo hệ thống)", after: AuditEntry.json(snapshot)),
                actor: .system, at: app.clock.now, on: db)
        }
        return password
    }
}

extension Application {
    private struct StartupKey: StorageKey {
        typealias Value = [@Sendable (Application) async throws -> Void]
    }

    /// What features do at every start after the shared directory is loaded (seed their tables, load what is in
    /// force), in the order `configure` added them.
    var startupSteps: [@Sendable (Application) async throws -> Void] {
        get { storage[StartupKey.self] ?? [] }
        set { storage[StartupKey.self] = newValue }
    }
}
