import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Who acts. Staff sign in; a visitor of the public portal may be anonymous or a citizen who identified
/// themselves; a connected system calls the API with its own credentials; the platform itself runs jobs and
/// commands.
public enum Actor: Sendable {
    case staff(CurrentUser)
    case visitor(PublicVisitor)
    case connectedSystem(name: String)
    case system(task: String)
}

/// A person on the public portal. `citizenName` is set once they identified themselves for a request.
public struct PublicVisitor: Sendable {
    public var citizenName: String?

    public static let anonymous = PublicVisitor(citizenName: nil)
}

/// Everything a service needs to act, and nothing from HTTP: who acts, on which units' data, the database,
/// the clock, the keys, the audit log and the mail outbox. A controller builds it from the request
/// (`req.context`); a job or a command builds it for the system (`ActionContext.system(_:task:)`); a test builds
/// either with a clock it fixed (`app.clock`).
public struct ActionContext: Sendable {
    public let actor: Actor
    public let scope: DataScope
    public let db: any Database
    public let clock: AppClock
    /// The network address of a person acting through the web (audit), nil for jobs.
    public let ip: String?
    let app: Application
    /// The answers to choices another feature added to the form being saved (`FormExtensions`), by field name.
    var formChoices: [String: String] = [:]

    init(actor: Actor, scope: DataScope, db: any Database, clock: AppClock, ip: String?, app: Application) {
        self.actor = actor
        self.scope = scope
        self.db = db
        self.clock = clock
        self.ip = ip
        self.app = app
    }

    /// The platform itself, for a job or a command: every unit, the application's clock.
    public static func system(_ app: Application, task: String) -> ActionContext {
        ActionContext(actor: .system(task: task), scope: .all, db: app.db, clock: app.clock, ip: nil, app: app)
    }

    public var now: Date { clock.now }
    public var today: LocalDate { clock.today }
    public var keys: KeyStore { app.keys }
    public var settings: AppSettings { app.settings }
    public var calendar: WorkingCalendar { app.workingCalendar }
    public var parameters: LegalParameterSet { app.legalParameters }
    public var logger: Logger { app.logger }

    /// The signed-in staff member, or 403 for any other actor.
    public var staff: CurrentUser {
        get throws {
            guard case .staff(let user) = actor else { throw Abort(.forbidden) }
            return user
        }
    }

    /// Throws 403 unless a staff actor holds the permission and, when a unit is named, it is in scope.
    public func authorize(_ permission: Permission, unit unitID: UUID? = nil) throws {
        let user = try staff
        guard user.can(permission) else { throw Abort(.forbidden) }
        if let unitID, !scope.contains(unitID) { throw Abort(.forbidden) }
    }

    /// The same context on another database handle (a transaction's).
    public func on(_ db: any Database) -> ActionContext {
        var moved = ActionContext(actor: actor, scope: scope, db: db, clock: clock, ip: ip, app: app)
        moved.formChoices = formChoices
        return moved
    }

    /// For the step machines: who acts, with what permissions.
    public var stepActor: StepActor {
        switch actor {
        case .staff(let user): StepActor(id: user.account.id, permissions: user.permissions)
        case .system: .system
        case .visitor, .connectedSystem: StepActor(id: nil, permissions: [])
        }
    }

    public var auditActor: AuditActor {
        switch actor {
        case .staff(let user):
            AuditActor(accountID: user.account.id, username: user.account.username, unitID: user.account.unitID, ip: ip)
        case .visitor(let visitor):
            AuditActor(
                accountID: nil, username: visitor.citizenName.map { "công dân: " + $0 } ?? "khách", unitID: nil, ip: ip)
        case .connectedSystem(let name):
            AuditActor(accountID: nil, username: "hệ thống kết nối: " + name, unitID: nil, ip: ip)
        case .system:
            .system
        }
    }

    // MARK: Writing

    /// One transaction for one change: the change itself, its history and its audit event.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await app.write(on: db, body)
    }

    /// Appends an audit event by this actor, at the clock's time, inside the caller's transaction.
    public func audit(_ entry: AuditEntry, on db: any Database) async throws {
        try await AuditLog.record(entry, actor: auditActor, at: now, on: db)
    }

    /// Queues a message in the outbox inside the caller's transaction; `deliverMail()` sends it after the commit.
    /// A message that carries a secret is stored encrypted and emptied once sent.
    @discardableResult
    public func enqueueMail(
        to recipient: String, subject: String, body: String, carriesSecret: Bool = false,
        attachments: [MailAttachment] = [], on db: any Database
    ) async throws -> UUID {
        try await Mailer.enqueue(
            to: recipient, subject: subject, body: body, secretWith: carriesSecret ? keys : nil,
            attachments: attachments, at: now, on: db)
    }

    public func deliverMail() async { await Mailer.deliverPending(app: app) }

    public func hashPassword(_ password: String) async throws -> String { try await app.hashPassword(password) }

    public func verifyPassword(_ password: String, against stored: String) async throws -> Bool {
        try await app.verifyPassword(password, against: stored)
    }

    /// The due instant of a duty that starts now and lasts the named number of working days.
    public func dueInstant(workingDaysParameter name: String) -> Date {
        app.dueInstant(startingAt: now, workingDaysParameter: name)
    }
}

extension Application {
    private struct ClockKey: StorageKey {
        typealias Value = AppClock
    }

    /// The clock every context of this application reads; tests replace it.
    public var clock: AppClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    /// The context of this request: the signed-in staff member with their scope, or an anonymous visitor.
    public var context: ActionContext {
        let clock = application.clock
        if let user = currentUser {
            return ActionContext(
                actor: .staff(user), scope: user.scope, db: db, clock: clock, ip: clientIP, app: application)
        }
        return ActionContext(
            actor: .visitor(.anonymous), scope: .units([]), db: db, clock: clock, ip: clientIP, app: application)
    }

    public var clock: AppClock { application.clock }
}
