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
    }

    private let state = NIOLockedValueBox(State())

    /// Returns once the event is in the audit log.
    func record(_ entry: AuditEntry, actor: AuditActor, app: Application) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let startsFlush = state.withLockedValue { state in
                state.queue.append(Pending(entry: entry, actor: actor, done: done))
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startsFlush { Task { await self.flush(app) } }
        }
    }

    private func flush(_ app: Application) async {
        while true {
            let batch = state.withLockedValue { state in
                let batch = state.queue
                state.queue = []
                if batch.isEmpty { state.flushing = false }
                return batch
            }
            if batch.isEmpty { return }
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
