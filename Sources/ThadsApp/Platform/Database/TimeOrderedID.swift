import Foundation
import NIOConcurrencyHelpers
import ThadsDomain

extension UUID {
    private static let ordered = NIOLockedValueBox(TimeOrderedUUIDs(now: AppClock.system.now))

    /// A version 7 UUID later than every one this process made before: the keys of rows written in bulk (imports),
    /// so that they go in at the right edge of the indexes instead of at random places in them.
    static func timeOrdered() -> UUID {
        // Ids follow the machine's time, not the platform's clock: a test that fixes the clock still gets ordered ids.
        ordered.withLockedValue { $0.next(now: AppClock.system.now) }
    }
}
