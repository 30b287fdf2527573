import Foundation
import NIOConcurrencyHelpers

/// Counts requests per key (an address, a tracking code) in fixed windows and refuses past the limit. It lives in
/// each server's memory: behind several servers a caller gets at most the limit per server, which still bounds
/// guessing; the windows are short, so nothing needs to survive a restart.
final class RateLimiter: Sendable {
    let limit: Int
    let window: TimeInterval
    private let counts = NIOLockedValueBox<(windowStart: Date, counts: [String: Int])>((.distantPast, [:]))

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Counts one request for `key` at `now`; false once the key has used up its window.
    func allow(_ key: String, now: Date) -> Bool {
        counts.withLockedValue { state in
            if now.timeIntervalSince(state.windowStart) >= window || now < state.windowStart {
                state = (now, [:])
            }
            let used = state.counts[key, default: 0]
            guard used < limit else { return false }
            state.counts[key] = used + 1
            return true
        }
    }
}
