import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

public enum DatabaseKind: Sendable {
    case sqlite
    case postgres
}

enum DatabaseSetup {
    static func configure(_ app: Application, settings: AppSettings, postgresSearchPath: [String]? = nil) throws {
        if let url = settings.databaseURL {
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = postgresSearchPath
            app.databases.use(
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: settings.databasePoolSize,
                    connectionPoolTimeout: .seconds(30), encodingContext: .default, decodingContext: .default,
                    sqlLogLevel: .debug),
                as: .psql)
            app.databaseKind = .postgres
        } else {
            try FileManager.default.createDirectory(
                atPath: settings.dataDirectory, withIntermediateDirectories: true)
            let path = settings.dataDirectory + "/thads.sqlite"
            app.databases.use(
                .sqlite(SQLiteConfiguration(storage: .file(path: path)), connectionPoolTimeout: .seconds(30)),
                as: .sqlite)
            app.databaseKind = .sqlite
        }
    }

    /// WAL lets readers go on while one writer commits; it is a property of the file, set once.
    static func prepare(_ app: Application, postgresSearchPath: [String]? = nil) async throws {
        guard let sql = app.db as? any SQLDatabase else { return }
        if app.databaseKind == .postgres {
            // A separate schema per test run lets the suite run in parallel on one PostgreSQL database.
            if let schema = postgresSearchPath?.first {
                try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            }
            return
        }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=NORMAL").run()
    }
}

extension Application {
    private struct KindKey: StorageKey {
        typealias Value = DatabaseKind
    }
    private struct WriteLockKey: StorageKey {
        typealias Value = AsyncLock
    }

    public var databaseKind: DatabaseKind {
        get { storage[KindKey.self] ?? .sqlite }
        set { storage[KindKey.self] = newValue }
    }

    /// SQLite allows one writer; a deferred transaction that read before another commit fails with
    /// SQLITE_BUSY_SNAPSHOT, so writes in this process queue here. PostgreSQL needs no such lock.
    var sqliteWriteLock: AsyncLock {
        if let lock = storage[WriteLockKey.self] { return lock }
        let lock = AsyncLock()
        storage[WriteLockKey.self] = lock
        return lock
    }

    /// One transaction for one change: the change itself, its history and its audit event.
    public func write<T: Sendable>(
        on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        switch databaseKind {
        case .postgres:
            return try await db.transaction { try await body($0) }
        case .sqlite:
            return try await sqliteWriteLock.withLock {
                try await db.transaction { try await body($0) }
            }
        }
    }
}

extension Request {
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await application.write(on: db, body)
    }
}

/// A FIFO async mutex.
final class AsyncLock: @unchecked Sendable {
    private let mutex = NIOLock()
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted: Bool = mutex.withLock {
                if locked {
                    waiters.append(continuation)
                    return false
                }
                locked = true
                return true
            }
            if granted { continuation.resume() }
        }
    }

    private func release() {
        let next: CheckedContinuation<Void, Never>? = mutex.withLock {
            if waiters.isEmpty {
                locked = false
                return nil
            }
            return waiters.removeFirst()
        }
        next?.resume()
    }
}
