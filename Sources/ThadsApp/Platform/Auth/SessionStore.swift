import Crypto
import Fluent
import Foundation
import PostgresKit
import SQLKit
import SQLiteKit
import ThadsDomain
import Vapor

/// Creates, finds and ends database sessions. The cookie holds 32 random bytes; the table only
/// their SHA-256, so a copy of the database cannot be replayed as cookies.
enum SessionStore {
    static let cookieName = "thads_session"

    static func tokenHash(_ token: String) -> String {
        SHA256.hex(Data(token.utf8))
    }

    /// 256 random bits from the cryptographic generator, in URL-safe base64. One call, not one system call per byte:
    /// a browser cookie is made for every request that comes without one.
    static func newToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Starts a new session (a new id at every login) and returns the cookie token.
    static func start(
        for account: Account, mfaPassed: Bool, ip: String?, userAgent: String?, at now: Date, on db: any Database
    ) async throws -> String {
        let token = newToken()
        let session = UserSession()
        session.id = UUID()
        session.tokenHash = tokenHash(token)
        session.accountID = account.id!
        session.createdAt = now
        session.lastSeenAt = now
        session.mfaPassed = mfaPassed
        session.ip = ip ?? "không rõ"
        session.userAgent = userAgent.map { String($0.prefix(200)) }
        try await session.create(on: db)
        return token
    }

    static func end(_ session: UserSession, reason: String, at now: Date, on db: any Database) async throws {
        session.endedAt = now
        session.endReason = reason
        try await session.save(on: db)
    }

    /// Ends every open session of an account (password change, lock, revoke, compromise, admin action).
    static func endAll(
        accountID: UUID, reason: String, except keep: UUID? = nil, at now: Date, on db: any Database
    ) async throws -> Int {
        var query = UserSession.query(on: db).filter(\.$accountID == accountID).filter(\.$endedAt == nil)
        if let keep { query = query.filter(\.$id != keep) }
        let open = try await query.all()
        for session in open { try await end(session, reason: reason, at: now, on: db) }
        return open.count
    }

    /// The open session with this token hash, its account and the account's unit, in one query: it runs before
    /// every signed-in request, so its SQL is written once (`OpenSessionRead`) rather than built by Fluent each time;
    /// PostgreSQL plans it once per connection (`PreparedRead`), SQLite's row is read by position.
    static func open(tokenHash: String, on db: any Database) async throws
        -> (UserSession, Account, EnforcementUnit)?
    {
        if let sqlite = db as? any SQLiteDatabase {
            guard let row = try await sqlite.query(OpenSessionRead.sqliteText, [.text(tokenHash)]).first else {
                return nil
            }
            let values = row.columns.map(\.data)
            let (session, accountStart) = try ModelRows.decode(UserSession.self, sqliteValues: values, at: 0)
            let (account, unitStart) = try ModelRows.decode(Account.self, sqliteValues: values, at: accountStart)
            return (session, account, try ModelRows.decode(EnforcementUnit.self, sqliteValues: values, at: unitStart).0)
        }
        guard let rows = try await OpenSessionRead(tokenHash: tokenHash).rows(on: db) else {
            throw Abort(.internalServerError, reason: "the session store is neither SQLite nor PostgreSQL")
        }
        guard let row = rows.first else { return nil }
        return (
            try ModelRows.decode(UserSession.self, from: row, prefix: "s_"),
            try ModelRows.decode(Account.self, from: row, prefix: "a_"),
            try ModelRows.decode(EnforcementUnit.self, from: row, prefix: "u_")
        )
    }

    static func cookie(_ token: String, settings: AppSettings) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: token, expires: nil, maxAge: nil, domain: nil, path: "/", isSecure: settings.usesHTTPS,
            isHTTPOnly: true, sameSite: .strict)
    }

    static func expiredCookie(settings: AppSettings) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: nil, path: "/",
            isSecure: settings.usesHTTPS, isHTTPOnly: true, sameSite: .strict)
    }
}

/// Loads the session named by the cookie; ends it when idle or too old, or when the account can no
/// longer sign in. Runs for every request before routing.
struct SessionMiddleware: AsyncMiddleware {
    let policy = SessionPolicy()

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let token = req.cookies[req.application.settings.cookieName(SessionStore.cookieName)]?.string,
            !token.isEmpty
        else {
            return try await next.respond(to: req)
        }
        let now = req.clock.now
        if let (session, account, unit) = try await SessionStore.open(
            tokenHash: SessionStore.tokenHash(token), on: req.db)
        {
            if let reason = endReason(session: session, account: account, now: now) {
                try await req.write { db in try await SessionStore.end(session, reason: reason, at: now, on: db) }
            } else {
                // Touch at most once a minute: the idle clock needs no finer grain, and each touch is a write.
                if now.timeIntervalSince(session.lastSeenAt) > 60 {
                    session.lastSeenAt = now
                    try await req.write { db in try await session.save(on: db) }
                }
                let scope = try await DataScopeResolver.resolve(account: account, unit: unit, on: req.db)
                req.currentUser = CurrentUser(
                    account: account, session: session, unit: unit, scope: scope, now: now)
            }
        }
        let response = try await next.respond(to: req)
        if req.currentUser == nil, req.cookies[req.application.settings.cookieName(SessionStore.cookieName)] != nil,
            response.cookies[req.application.settings.cookieName(SessionStore.cookieName)] == nil
        {
            response.cookies[req.application.settings.cookieName(SessionStore.cookieName)] = SessionStore.expiredCookie(
                settings: req.application.settings)
        }
        return response
    }

    private func endReason(session: UserSession, account: Account, now: Date) -> String? {
        if policy.isExpired(
            createdAt: session.createdAt, lastSeenAt: session.lastSeenAt, now: now, isAdmin: account.isAdmin)
        {
            return "hết thời gian"
        }
        if account.status != .active { return "tài khoản không còn hoạt động" }
        if let validUntil = account.externalValidUntilDate, validUntil < LocalDate(date: now, in: .vietnam) {
            return "tài khoản ngoài hệ thống hết hạn"
        }
        return nil
    }
}

/// The session lookup: on PostgreSQL a prepared statement whose columns carry each model's prefix; on SQLite the same
/// join with bare columns, taken by position: SQLite parses the text on every request, and without an alias per column
/// it is less than half as long (867 characters instead of 1,858; 4 – 8 % more signed-in requests a second).
struct OpenSessionRead: PreparedRead {
    static let sql =
        "SELECT \(ModelRows.columns(UserSession.self, alias: "s", prefix: "s_")), "
        + "\(ModelRows.columns(Account.self, alias: "a", prefix: "a_")), "
        + "\(ModelRows.columns(EnforcementUnit.self, alias: "u", prefix: "u_")) " + from
        + "$1 AND s.\"ended_at\" IS NULL"
    static let sqliteText =
        "SELECT \(ModelRows.bareColumns(UserSession.self, alias: "s")),"
        + "\(ModelRows.bareColumns(Account.self, alias: "a")),\(ModelRows.bareColumns(EnforcementUnit.self, alias: "u")) "
        + from + "? AND s.\"ended_at\" IS NULL"
    private static let from =
        "FROM \"\(UserSession.schema)\" s JOIN \"\(Account.schema)\" a ON a.\"id\"=s.\"account_id\" "
        + "JOIN \"\(EnforcementUnit.schema)\" u ON u.\"id\"=a.\"unit_id\" WHERE s.\"token_hash\"="

    let tokenHash: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(tokenHash)
        return bindings
    }
}
