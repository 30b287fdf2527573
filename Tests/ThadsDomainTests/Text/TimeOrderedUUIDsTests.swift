import Foundation
import Testing

@testable import ThadsDomain

@Suite struct TimeOrderedUUIDsTests {
    func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    @Test func idsSortInTheOrderTheyAreMadeByteForByteAndAsText() {
        var ids = TimeOrderedUUIDs(now: Date(timeIntervalSince1970: 1_795_478_400))
        let made = (0..<5_000).map { _ in ids.next(now: Date(timeIntervalSince1970: 1_795_478_400)) }
        #expect(Set(made).count == made.count)
        for (a, b) in zip(made, made.dropFirst()) {
            #expect(bytes(a).lexicographicallyPrecedes(bytes(b)))
            #expect(a.uuidString < b.uuidString)
        }
    }

    @Test func versionVariantAndTimestampFollowRFC9562() {
        let now = Date(timeIntervalSince1970: 1_795_478_400.123)
        var ids = TimeOrderedUUIDs(now: now)
        let id = bytes(ids.next(now: now))
        #expect(id[6] >> 4 == 7, "version 7")
        #expect(id[8] >> 6 == 0b10, "RFC variant")
        let millis = id[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millis == 1_795_478_400_123)
    }

    @Test func aLaterGeneratorSortsAfterAnEarlierOne() {
        var first = TimeOrderedUUIDs(now: Date(timeIntervalSince1970: 1_000))
        var second = TimeOrderedUUIDs(now: Date(timeIntervalSince1970: 1_000.002))
        var last = first.next(now: Date(timeIntervalSince1970: 1_000))
        for _ in 0..<1_000 { last = first.next(now: Date(timeIntervalSince1970: 1_000)) }
        #expect(bytes(last).lexicographicallyPrecedes(bytes(second.next(now: Date(timeIntervalSince1970: 1_000.002)))))
    }

    @Test func aClockThatGoesBackNeverMakesAnEarlierID() {
        var ids = TimeOrderedUUIDs(now: Date(timeIntervalSince1970: 2_000))
        let later = ids.next(now: Date(timeIntervalSince1970: 2_001))
        let afterClockWentBack = ids.next(now: Date(timeIntervalSince1970: 1_999))
        let millis = bytes(afterClockWentBack)[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(bytes(later).lexicographicallyPrecedes(bytes(afterClockWentBack)))
        #expect(millis == 2_001_000)
    }

    @Test func theCounterCarriesAcrossItsFields() {
        // Past 2^30 ids the counter moves into rand_a; order must hold across that carry.
        var ids = TimeOrderedUUIDs(now: Date(timeIntervalSince1970: 1_000), startingAfter: (1 << 30) - 2)
        let now = Date(timeIntervalSince1970: 1_000)
        let a = ids.next(now: now)
        let b = ids.next(now: now)
        let c = ids.next(now: now)
        #expect(bytes(a).lexicographicallyPrecedes(bytes(b)))
        #expect(bytes(b).lexicographicallyPrecedes(bytes(c)))
        #expect(bytes(c)[8] >> 6 == 0b10 && bytes(c)[6] >> 4 == 7)
    }
}
