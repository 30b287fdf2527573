import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// The hand-written reads (`ModelRows`, `ModelRowSets`, the session lookup) give the same models, field for field,
/// as Fluent's own queries, on both databases.
@Suite struct ModelRowsTests {
    /// Models compared by their encoded fields, in id order.
    func fields<M: Model>(_ models: [M]) throws -> [String] where M.IDValue == UUID {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .secondsSince1970
        return try models.sorted { $0.id!.uuidString < $1.id!.uuidString }.map {
            String(decoding: try encoder.encode($0), as: UTF8.self)
        }
    }

    @Test func oneStatementReadsEveryListOfACaseAsFluentDoes() async throws {
        try await withTestApp { app async throws in
            _ = try await DemoData.create(app)
            _ = try await DemoCases.generate(app, count: 40, seed: 3, batchSize: 40) { _, _ in }
            _ = try await CaseQualityService.scanAll(app, today: app.clock.today)
            let db = app.db
            var sawDecisions = false
            var sawWarnings = false
            for enforcementCase in try await EnforcementCase.query(on: db).limit(12).all() {
                let caseID = enforcementCase.id!
                let branches: [ModelRowSets.Branch] = [
                    .of(Judgment.self, where: \.$id, equals: enforcementCase.judgmentID),
                    .of(CaseParty.self, where: \.$caseID, equals: caseID),
                    .of(CaseDecision.self, where: \.$caseID, equals: caseID),
                    .of(CaseMoneyEntry.self, where: \.$caseID, equals: caseID),
                    .of(QualityWarning.self, where: \.$caseID, equals: caseID),
                ]
                let sets = try await ModelRowSets.read(branches, on: db)
                // The same read as a named (on PostgreSQL, prepared) statement: twelve runs, past the fifth, after
                // which PostgreSQL may keep one generic plan.
                let named = try await ModelRowSets.read(branches, named: ProbeLists.self, on: db)
                func namedReadsAsUnnamed<M: Model>(_ type: M.Type, branch: Int) throws -> Bool
                where M.IDValue == UUID {
                    try fields(named.models(M.self, branch: branch)) == fields(sets.models(M.self, branch: branch))
                }
                #expect(try namedReadsAsUnnamed(Judgment.self, branch: 0))
                #expect(try namedReadsAsUnnamed(CaseParty.self, branch: 1))
                #expect(try namedReadsAsUnnamed(CaseDecision.self, branch: 2))
                #expect(try namedReadsAsUnnamed(CaseMoneyEntry.self, branch: 3))
                #expect(try namedReadsAsUnnamed(QualityWarning.self, branch: 4))
                #expect(
                    try fields(sets.models(Judgment.self, branch: 0))
                        == fields([try await Judgment.find(enforcementCase.judgmentID, on: db)!]))
                #expect(
                    try fields(sets.models(CaseParty.self, branch: 1))
                        == fields(try await CaseParty.query(on: db).filter(\.$caseID == caseID).all()))
                let decisions = try await CaseDecision.query(on: db).filter(\.$caseID == caseID).all()
                #expect(try fields(sets.models(CaseDecision.self, branch: 2)) == fields(decisions))
                #expect(
                    try fields(sets.models(CaseMoneyEntry.self, branch: 3))
                        == fields(try await CaseMoneyEntry.query(on: db).filter(\.$caseID == caseID).all()))
                let warnings = try await QualityWarning.query(on: db).filter(\.$caseID == caseID).all()
                #expect(try fields(sets.models(QualityWarning.self, branch: 4)) == fields(warnings))
                sawDecisions = sawDecisions || !decisions.isEmpty
                sawWarnings = sawWarnings || !warnings.isEmpty
                // A model read this way is an existing row: saving it updates, it does not insert a second one.
                let party = try sets.models(CaseParty.self, branch: 1).first!
                party.address = "Số 1 phố Tràng Tiền, Hà Nội"
                try await party.save(on: db)
                #expect(try await CaseParty.find(party.id, on: db)?.address == "Số 1 phố Tràng Tiền, Hà Nội")
            }
            #expect(sawDecisions && sawWarnings, "the sample has decisions and warnings to compare")
            #expect(
                try await db.model(EnforcementCase.self, id: UUID()) == nil, "an unknown id reads as nothing")
        }
    }

    @Test func theSessionLookupReadsTheOpenSessionItsAccountAndUnit() async throws {
        try await withTestApp { app async throws in
            _ = try await DemoData.create(app)
            let account = try await Account.query(on: app.db).filter(\.$username == "demo.enforcementofficer").first()!
            let session = UserSession()
            session.id = UUID()
            session.tokenHash = SessionStore.tokenHash("probe-token")
            session.accountID = account.id!
            session.createdAt = Date()
            session.lastSeenAt = Date()
            session.mfaPassed = false
            try await session.create(on: app.db)
            // Seven lookups: on PostgreSQL a prepared statement, planned afresh five times and then maybe once.
            for _ in 0..<6 {
                #expect(
                    try await SessionStore.open(tokenHash: SessionStore.tokenHash("probe-token"), on: app.db)?.0.id
                        == session.id)
            }
            let found = try await SessionStore.open(tokenHash: SessionStore.tokenHash("probe-token"), on: app.db)
            #expect(try fields([found!.0]) == fields([try await UserSession.find(session.id, on: app.db)!]))
            #expect(try fields([found!.1]) == fields([account]))
            #expect(try fields([found!.2]) == fields([try await EnforcementUnit.find(account.unitID, on: app.db)!]))
            #expect(found!.1.permissions == account.permissions)
            #expect(try await SessionStore.open(tokenHash: SessionStore.tokenHash("other"), on: app.db) == nil)
            try await SessionStore.end(found!.0, reason: "thử", at: app.clock.now, on: app.db)
            #expect(try await SessionStore.open(tokenHash: SessionStore.tokenHash("probe-token"), on: app.db) == nil)
        }
    }
}

/// The lists `oneStatementReadsEveryListOfACaseAsFluentDoes` reads by name.
enum ProbeLists: RowSetsName {}
