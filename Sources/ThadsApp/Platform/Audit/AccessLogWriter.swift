import NIOConcurrencyHelpers
import Vapor

/// Writes reads of personal data (H3: case pages, downloads) to the audit log by group commit: every request waits
/// until its event is committed, as before, but the events of requests that arrive while one transaction commits
/// go together into the next one. A busy server then pays one transaction per batch instead of one per page view,
/// and nothing a user was shown goes unlogged.
final class AccessLogWriter: Sendable {
    private struct Pending: Sendable {
        let entry: AuditEntry
        let actor: AuditActor
        let done: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var flushing = false
        var closed = false
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    /// Refused once the application shuts down: its database is about to go.
    struct Closed: Error {}

    private let state = NIOLockedValueBox(State())

    /// Returns once the event is in the audit log.
    func record(_ entry: AuditEntry, actor: AuditActor, app: Application) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let startsFlush = state.withLockedValue { state -> Bool? in
                guard !state.closed else { return nil }
                state.queue.append(Pending(entry: entry, actor: actor, done: done))
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            switch startsFlush {
            case nil: done.resume(throwing: Closed())
            case true?: Task { await self.flush(app) }
            case false?: break
            }
        }
    }

    /// Takes no more events and returns once those already queued are committed, so that the database is never
    /// shut down under a batch (a page still being served at shutdown gets an error, not an unlogged read).
    func close() async {
        await withCheckedContinuation { (drained: CheckedContinuation<Void, Never>) in
            let idle = state.withLockedValue { state in
                state.closed = true
                if !state.flushing { return true }
                state.drained.append(drained)
                return false
            }
            if idle { drained.resume() }
        }
    }

    private func flush(_ app: Application) async {
        while true {
            let (batch, drained) = state.withLockedValue { state in
                let batch = state.queue
                state.queue = []
                var drained: [CheckedContinuation<Void, Never>] = []
                if batch.isEmpty {
                    state.flushing = false
                    drained = state.drained
                    state.drained = []
                }
                return (batch, drained)
            }
            if batch.isEmpty {
                for waiter in drained { waiter.resume() }
                return
            }
            let events = batch.map { (entry: $0.entry, actor: $0.actor) }
            do {
                try await app.write(on: app.db) { db in try await AuditLog.record(events, at: app.clock.now, on: db) }
                for pending in batch { pending.done.resume() }
            } catch {
                for pending in batch { pending.done.resume(throwing: error) }
            }
        }
    }
}

/// Drains the access log before the databases shut down (lifecycle handlers stop before storage is cleared).
struct AccessLogLifecycle: LifecycleHandler {
    func shutdownAsync(_ app: Application) async { await app.accessLog.close() }
}

extension Application {
    private struct AccessLogWriterKey: StorageKey {
        typealias Value = AccessLogWriter
    }

    /// Created when the application is configured (storage is not safe to fill from concurrent requests).
    var accessLog: AccessLogWriter {
        get {
            guard let writer = storage[AccessLogWriterKey.self] else { fatalError("access log writer not configured") }
            return writer
        }
        set { storage[AccessLogWriterKey.self] = newValue }
    }
}
