import Fluent
import Foundation
import SQLKit
import ThadsDomain

/// The one workflow engine: a feature starts an instance of its step machine beside its own row, and takes each
/// outcome through `decide`, inside the transaction of the change the outcome causes. The move itself is a
/// conditional update (`… WHERE state = expected`): of two people deciding at once, the second finds the state gone
/// (on PostgreSQL it waits for the first's row lock, then matches nothing) and gets `alreadyDecided`, and its whole
/// transaction rolls back.
enum Workflows {
    struct Move: Sendable {
        let from: String
        let outcome: String
        let to: String
    }

    /// The instance's state changed between the read and the update: another decision won.
    struct AlreadyDecided: Error {}

    /// Starts an instance of `machine` for `subjectID` at its initial step, inside the caller's transaction.
    @discardableResult
    static func start(
        _ machine: StepMachine, subjectID: UUID, unitID: UUID?, in ctx: ActionContext, on db: any Database
    ) async throws -> WorkflowInstance {
        try await create(
            machine, subjectID: subjectID, unitID: unitID, state: machine.initial, initiatorID: ctx.stepActor.id,
            since: ctx.now, dueAt: dueAt(machine, state: machine.initial, enteredAt: ctx.now, ctx: ctx), on: db)
    }

    /// Gives a subject that predates the engine its instance, in the state it already has (a migration).
    static func adopt(
        _ machine: StepMachine, subjectID: UUID, unitID: UUID?, state: String, initiatorID: UUID?, since: Date,
        dueAt: Date?, on db: any Database
    ) async throws {
        try await create(
            machine, subjectID: subjectID, unitID: unitID, state: state, initiatorID: initiatorID, since: since,
            dueAt: machine.step(state)?.kind == .final ? nil : dueAt, on: db)
    }

    @discardableResult
    private static func create(
        _ machine: StepMachine, subjectID: UUID, unitID: UUID?, state: String, initiatorID: UUID?, since: Date,
        dueAt: Date?, on db: any Database
    ) async throws -> WorkflowInstance {
        let instance = WorkflowInstance()
        instance.id = UUID()
        instance.machine = machine.name
        instance.subjectID = subjectID
        instance.unitID = unitID
        instance.state = state
        instance.initiatorID = initiatorID
        instance.stepEnteredAt = since
        instance.stepDueAt = dueAt
        instance.createdAt = since
        try await instance.create(on: db)
        return instance
    }

    /// Why a decision did not go through, in the terms every approval page needs: somebody else decided first (or
    /// the instance is finished), the initiator tried to decide their own, or another rule of the machine (its
    /// message).
    enum Refusal: Sendable, Equatable {
        case alreadyDecided
        case ownInitiative
        case rule(String)

        /// Nil for an error that is not the engine's (the caller's own checks).
        init?(_ error: any Error) {
            switch error {
            case is AlreadyDecided: self = .alreadyDecided
            case WorkflowError.alreadyFinished: self = .alreadyDecided
            case WorkflowError.initiatorMayNotDecide: self = .ownInitiative
            case let error as WorkflowError: self = .rule(error.message)
            default: return nil
            }
        }
    }

    static func instance(_ machine: StepMachine, subjectID: UUID, on db: any Database) async throws
        -> WorkflowInstance?
    {
        try await WorkflowInstance.query(on: db).filter(\.$machine == machine.name)
            .filter(\.$subjectID == subjectID).first()
    }

    /// Takes `outcome` on the subject's instance for the context's actor. Throws the machine's `WorkflowError` when
    /// the rules refuse it, `AlreadyDecided` when another transaction moved the instance first.
    @discardableResult
    static func decide(
        _ machine: StepMachine, subjectID: UUID, outcome: String, note: String?, in ctx: ActionContext,
        on db: any Database
    ) async throws -> Move {
        guard let instance = try await instance(machine, subjectID: subjectID, on: db) else {
            throw WorkflowError.unknownState("")
        }
        let from = instance.state
        let to = try machine.decide(
            outcome, at: from, by: ctx.stepActor, initiatorID: instance.initiatorID, note: note
        ).get()
        let due = dueAt(machine, state: to, enteredAt: ctx.now, ctx: ctx)
        struct Row: Decodable { let id: UUID }
        let moved = try await db.sql.raw(
            """
            UPDATE workflow_instances SET state = \(bind: to), step_entered_at = \(bind: ctx.now),
                step_due_at = \(bind: due)
            WHERE id = \(bind: instance.id!) AND state = \(bind: from) RETURNING id
            """
        ).first(decoding: Row.self)
        guard moved != nil else { throw AlreadyDecided() }
        let transition = WorkflowTransition()
        transition.id = UUID()
        transition.instanceID = instance.id!
        transition.fromState = from
        transition.outcome = outcome
        transition.toState = to
        transition.actorID = ctx.stepActor.id
        transition.actorName = ctx.auditActor.username ?? ""
        transition.note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        transition.at = ctx.now
        try await transition.create(on: db)
        return Move(from: from, outcome: outcome, to: to)
    }

    static func dueAt(_ machine: StepMachine, state: String, enteredAt: Date, ctx: ActionContext) -> Date? {
        machine.dueInstant(of: state, enteredAt: enteredAt, calendar: ctx.calendar)
    }

}
