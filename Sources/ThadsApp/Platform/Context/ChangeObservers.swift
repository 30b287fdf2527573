import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// What a feature does when another one changes a record it builds on, inside the same transaction: the debtors'
/// register follows a case's no-conditions decision at once, without the case registry knowing the register
/// exists (features do not reference each other; the one that builds on another registers here at start).
final class ChangeObservers: Sendable {
    typealias Observer = @Sendable (_ id: UUID, _ ctx: ActionContext, _ db: any Database) async throws -> Void

    /// The kinds of record observed.
    enum Topic: String, Sendable {
        /// An enforcement case or one of its records changed.
        case enforcementCase
        /// A money record (collection or payment) was added to a case; the id is the record's.
        case moneyRecordAdded
        /// A money record is being corrected: announced before the change is saved and again after it, so an observer
        /// reading the stored row sees its day before and after (a closed day refuses both).
        case moneyRecordChanged
    }

    /// An observer's refusal of the change, for the person who made it (a day already closed in the books): the
    /// caller shows `message` next to `field` of its form; the transaction rolls back.
    struct Refusal: Error, Sendable {
        let field: String
        let message: String
    }

    private let observers = NIOLockedValueBox<[Topic: [Observer]]>([:])

    func observe(_ topic: Topic, _ observer: @escaping Observer) {
        observers.withLockedValue { $0[topic, default: []].append(observer) }
    }

    /// Runs every observer of `topic` for the record `id`, in the caller's transaction `db`: an observer that throws
    /// rolls the change back, so a register never disagrees with the records it follows.
    func changed(_ topic: Topic, id: UUID, ctx: ActionContext, on db: any Database) async throws {
        for observer in observers.withLockedValue({ $0[topic] ?? [] }) { try await observer(id, ctx, db) }
    }
}

extension Application {
    private struct ChangeObserversKey: StorageKey {
        typealias Value = ChangeObservers
    }

    var changeObservers: ChangeObservers {
        if let observers = storage[ChangeObserversKey.self] { return observers }
        let observers = ChangeObservers()
        storage[ChangeObserversKey.self] = observers
        return observers
    }
}
