import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

enum DatabaseSetup {
    /// The drivers log every statement with its bound values at `sqlLogLevel`: off for SQLite, trace for PostgreSQL
    /// (whose driver cannot switch it off), where `PersonalDataSafeLogHandler` drops the values.
    static func configure(_ app: Application, settings: AppSettings, postgresSearchPath: [String]? = nil) throws {
        if let url = settings.databaseURL {
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = postgresSearchPath
            app.databases.use(
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: settings.databasePoolSize,
                    connectionPoolTimeout: .seconds(30), encodingContext: .default, decodingContext: .default,
                    sqlLogLevel: .trace),
                as: .psql)
            app.databaseKind = .postgres
        } else {
            try FileManager.default.createDirectory(
                atPath: settings.dataDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let path = settings.dataDirectory + "/thads.sqlite"
            // SQLite creates its WAL and shared-memory files with the database file's mode: an owner-only file
            // made here, before SQLite opens it, keeps all three private.
            if !FileManager.default.fileExists(atPath: path) { try FileStore.writePrivate(Data(), to: path) }
            for suffix in ["", "-wal", "-shm"] { FileStore.restrict(path + suffix) }
            app.databases.use(
                .sqlite(
                    SQLiteConfiguration(storage: .file(path: path)), connectionPoolTimeout: .seconds(30),
                    sqlLogLevel: nil),
                as: .sqlite)
            app.databaseKind = .sqlite
        }
    }

    /// WAL lets readers go on while one writer commits; it is a property of the file, set once.
    static func prepare(_ app: Application, postgresSearchPath: [String]? = nil) async throws {
        let sql = try app.db.sql
        if app.databaseKind == .postgres {
            // A separate schema per test run lets the suite run in parallel on one PostgreSQL database.
            if let schema = postgresSearchPath?.first {
                try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            }
            return
        }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await onEveryConnection(app, pragmas: connectionPragmas)
    }

    /// Settings of one SQLite connection, not of the file, so they are given to every connection of the pool:
    /// - `synchronous=NORMAL`: in WAL mode a commit survives a crash of the process, and only a power loss can undo
    ///   the last commits (never corrupt the file); FULL would add an fsync to every page view's access-log event;
    /// - a 64 MiB page cache (SQLite's default is 2 MiB) and the file memory-mapped, so that reads of a database of
    ///   millions of cases do not copy each page through a system call;
    /// - statement journals of multi-row INSERTs kept in memory.
    static let usualCacheSize = "PRAGMA cache_size=-65536"
    static let connectionPragmas = [
        "PRAGMA synchronous=NORMAL", usualCacheSize, "PRAGMA mmap_size=2147418112",
        "PRAGMA temp_store=MEMORY",
    ]

    /// A load of millions of rows (`demo-data --cases`) keeps the indexes it inserts into at random in a 2 GiB cache
    /// per connection instead of spilling them mid-transaction and reading them back; this process ends afterwards.
    static func prepareForBulkLoad(_ app: Application) async throws {
        guard app.databaseKind == .sqlite else { return }
        try await onEveryConnection(app, pragmas: ["PRAGMA cache_size=-2097152"])
    }

    /// The SQLite pool holds one connection per event loop, opened once and kept: a PRAGMA run through each event
    /// loop's database reaches each connection.
    private static func onEveryConnection(_ app: Application, pragmas: [String]) async throws {
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let sql = app.databases.database(logger: app.logger, on: eventLoop) as? any SQLDatabase else {
                continue
            }
            for pragma in pragmas { try await sql.raw("\(unsafeRaw: pragma)").run() }
        }
    }
}

extension DatabaseSetup {
    /// Runs a long write (an import of many thousand cases) with a 256 MiB SQLite page cache on its connection, so
    /// that the index pages it touches stay in memory instead of being spilled to the WAL and read back mid-way; the
    /// connection's usual cache is restored afterwards. PostgreSQL sizes its buffers itself.
    static func withBulkWriteCache<T>(on db: any Database, _ body: () async throws -> T) async throws -> T {
        let sql = try db.sql
        guard try sql.kind == .sqlite else { return try await body() }
        try await sql.raw("PRAGMA cache_size = -262144").run()
        func restore() async throws {
            try await sql.raw("\(unsafeRaw: usualCacheSize)").run()
        }
        do {
            let result = try await body()
            try await restore()
            return result
        } catch {
            try? await restore()
            throw error
        }
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
        // Every event recorded in this transaction is sealed with the audit chain key (`AuditLog.sealingKey`); set
        // inside the transaction's closure, which Fluent runs in a task of its own.
        let auditKey = keys.auditChainKey
        let sealed: @Sendable (any Database) async throws -> T = { db in
            try await AuditLog.$sealingKey.withValue(auditKey) { try await body(db) }
        }
        switch databaseKind {
        case .postgres:
            return try await db.transaction { try await sealed($0) }
        case .sqlite:
            return try await sqliteWriteLock.withLock {
                try await db.transaction { try await sealed($0) }
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
