import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

extension ActionContext {
    /// The context a signed-in request of `account` would have, for calling services directly.
    static func staff(_ account: Account, _ app: Application) async throws -> ActionContext {
        let unit = try #require(try await EnforcementUnit.find(account.unitID, on: app.db))
        let session = UserSession()
        session.id = UUID()
        session.accountID = account.id!
        session.createdAt = app.clock.now
        session.lastSeenAt = app.clock.now
        session.mfaPassed = true
        let scope = try await DataScopeResolver.resolve(account: account, unit: unit, on: app.db)
        let user = CurrentUser(account: account, session: session, unit: unit, scope: scope, now: app.clock.now)
        return ActionContext(
            actor: .staff(user), scope: scope, db: app.db, clock: app.clock, ip: "127.0.0.1", app: app)
    }
}
