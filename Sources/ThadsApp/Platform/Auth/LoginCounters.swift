import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// The per-address login throttle (A8): one row per client address holding the attempts of its current 15-minute
/// window. An attempt is taken in one conditional statement before any password is hashed, so parallel requests
/// cannot all read "under the limit", and a throttled request costs no hashing.
enum LoginThrottle {
    static let window: TimeInterval = 15 * 60

    /// Takes one attempt for `ip`; false when the address has used up its window.
    static func take(ip: String, limit: Int, now: Date, on db: any Database) async throws -> Bool {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let expired = seconds - Int64(window)
        struct Row: Decodable { let attempts: Int }
        let row = try await db.sql.raw(
            """
            INSERT INTO login_throttle (ip, window_start, attempts) VALUES (\(bind: ip), \(bind: seconds), 1)
            ON CONFLICT (ip) DO UPDATE SET
                attempts = CASE WHEN login_throttle.window_start <= \(bind: expired) THEN 1
                    ELSE login_throttle.attempts + 1 END,
                window_start = CASE WHEN login_throttle.window_start <= \(bind: expired) THEN \(bind: seconds)
                    ELSE login_throttle.window_start END
            WHERE login_throttle.window_start <= \(bind: expired) OR login_throttle.attempts < \(bind: limit)
            RETURNING attempts
            """
        ).first(decoding: Row.self)
        return row != nil
    }

    /// Gives back the attempt of a login that succeeded: the limit counts failures and attempts still running, so
    /// an office behind one address is not locked out by its own successful logins.
    static func giveBack(ip: String, now: Date, on db: any Database) async throws {
        let expired = Int64(now.timeIntervalSince1970.rounded(.down)) - Int64(window)
        try await db.sql.raw(
            """
            UPDATE login_throttle SET attempts = attempts - 1
            WHERE ip = \(bind: ip) AND attempts > 0 AND window_start > \(bind: expired)
            """
        ).run()
    }
}

struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_throttle")
            .field("ip", .string, .identifier(auto: false))
            .field("window_start", .int64, .required)
            .field("attempts", .int, .required)
            .create()
        // The throttle read these rows back and counted them, which raced; the counter above replaces them.
        try await database.schema("login_failures").delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_throttle").delete()
        try await database.schema("login_failures").id().field("ip", .string, .required)
            .field("at", .datetime, .required).create()
    }
}

/// Failed logins and the lockout on the account row, each change one conditional statement.
enum AccountLockout {
    struct Failure {
        /// Set when this failure locked the account.
        var lockedUntil: Date?
        var lockCount: Int
    }

    /// Counts one wrong password or second-factor code; the failure that reaches the policy's threshold locks the
    /// account in the same statement. Nil when the account is locked already: failures while locked do not count.
    static func countFailure(accountID: UUID, policy: LockoutPolicy, now: Date, on db: any Database) async throws
        -> Failure?
    {
        let reaches: SQLQueryString = "failed_logins + 1 >= \(bind: policy.threshold)"
        var until: SQLQueryString = "CASE lock_count"
        var previous = 0
        while policy.lockDuration(previousLocks: previous) < policy.maximumDuration && previous < 16 {
            until +=
                " WHEN \(bind: previous) THEN \(bind: now.addingTimeInterval(policy.lockDuration(previousLocks: previous)))"
            previous += 1
        }
        until += " ELSE \(bind: now.addingTimeInterval(policy.lockDuration(previousLocks: previous))) END"
        struct Row: Decodable {
            let failedLogins: Int
            let lockCount: Int
            let lockedUntil: Date?
            enum CodingKeys: String, CodingKey {
                case failedLogins = "failed_logins"
                case lockCount = "lock_count"
                case lockedUntil = "locked_until"
            }
        }
        let statement: SQLQueryString =
            "UPDATE accounts SET failed_logins = CASE WHEN " + reaches + " THEN 0 ELSE failed_logins + 1 END, "
            + "lock_count = CASE WHEN " + reaches + " THEN lock_count + 1 ELSE lock_count END, "
            + "locked_until = CASE WHEN " + reaches + " THEN " + until + " ELSE locked_until END "
            + "WHERE id = \(bind: accountID) AND (locked_until IS NULL OR locked_until <= \(bind: now)) "
            + "RETURNING failed_logins, lock_count, locked_until"
        guard let row = try await db.sql.raw(statement).first(decoding: Row.self) else { return nil }
        // The statement counts only while unlocked, so a lock in the row is this failure's.
        let locked = row.lockedUntil.map { $0 > now } ?? false
        return Failure(lockedUntil: locked ? row.lockedUntil : nil, lockCount: row.lockCount)
    }

    /// Clears the counters of a login that succeeded; false when the account was locked (or left active) meanwhile,
    /// e.g. by a parallel wrong password, which then wins.
    static func recordSuccess(accountID: UUID, now: Date, on db: any Database) async throws -> Bool {
        struct Row: Decodable { let id: UUID }
        return try await db.sql.raw(
            """
            UPDATE accounts SET failed_logins = 0, lock_count = 0, last_login_at = \(bind: now)
            WHERE id = \(bind: accountID) AND status = \(bind: AccountStatus.active.rawValue)
                AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }
}
