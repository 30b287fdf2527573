import Foundation

/// UUIDs of RFC 9562 version 7 (Unix milliseconds first), made in increasing order by one generator: a counter
/// fills the bits after the timestamp (the RFC's "method 1"), the rest is random. Rows loaded by the million get
/// keys that sort in the order they are written, so every primary-key index, and every index on a foreign key to
/// them, grows at its right edge instead of touching pages all over the tree.
public struct TimeOrderedUUIDs: Sendable {
    private var millis: UInt64
    private var counter: UInt64 = 0
    /// 42 counter bits: 4 trillion ids per generator.
    static let counterBits: UInt64 = 42

    public init(now: Date) {
        self.init(now: now, startingAfter: 0)
    }

    init(now: Date, startingAfter counter: UInt64) {
        millis = Self.millis(now)
        self.counter = counter
    }

    static func millis(_ date: Date) -> UInt64 {
        UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down))) & 0xFFFF_FFFF_FFFF
    }

    /// The next id; a clock that moved on starts a new millisecond (and the counter again), one that stands still or
    /// went back keeps the last millisecond, so ids never go backwards.
    public mutating func next(now: Date) -> UUID {
        let current = Self.millis(now)
        if current > millis {
            millis = current
            counter = 0
        }
        counter += 1
        precondition(counter < 1 << Self.counterBits, "time-ordered UUID counter exhausted")
        let random = UInt32.random(in: .min ... .max)
        // rand_a (12 bits) and the top 30 bits of rand_b hold the counter; the last 32 bits are random.
        let high = counter >> 30
        let low = counter & 0x3FFF_FFFF
        return UUID(
            uuid: (
                UInt8(truncatingIfNeeded: millis >> 40), UInt8(truncatingIfNeeded: millis >> 32),
                UInt8(truncatingIfNeeded: millis >> 24), UInt8(truncatingIfNeeded: millis >> 16),
                UInt8(truncatingIfNeeded: millis >> 8), UInt8(truncatingIfNeeded: millis),
                0x70 | UInt8(truncatingIfNeeded: high >> 8), UInt8(truncatingIfNeeded: high),
                0x80 | UInt8(truncatingIfNeeded: low >> 24), UInt8(truncatingIfNeeded: low >> 16),
                UInt8(truncatingIfNeeded: low >> 8), UInt8(truncatingIfNeeded: low),
                UInt8(truncatingIfNeeded: random >> 24), UInt8(truncatingIfNeeded: random >> 16),
                UInt8(truncatingIfNeeded: random >> 8), UInt8(truncatingIfNeeded: random)
            ))
    }
}
