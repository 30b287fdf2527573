import Foundation
import NIOConcurrencyHelpers
import ThadsDomain

extension UUID {
    private static let ordered = NIOLockedValueBox(TimeOrderedUUIDs())

    /// A version 7 UUID later than every one this process made before: the keys of rows written in bulk (imports),
    /// so that they go in at the right edge of the indexes instead of at random places in them.
    static func timeOrdered() -> UUID {
        ordered.withLockedValue { $0.next() }
    }
}
