import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct DemoCasesTests {
    static func generate(seed: UInt64) async throws -> (rows: [String], logic: Int, units: Int) {
        var outcome: ([String], Int, Int) = ([], 0, 0)
        try await withTestApp { app async throws in
            _ = try await DemoData.create(app)
            let result = try await DemoCases.generate(app, count: 200, seed: seed, batchSize: 64) { _, _ in }
            #expect(result.cases == 200)
            #expect(try await EnforcementCase.query(on: app.db).count() == 200)
            let codes = try await EnforcementCase.query(on: app.db).all(\.$code)
            #expect(Set(codes).count == 200, "codes are unique")
            #expect(codes.allSatisfy { CaseCode.parse($0) != nil })
            let parties = try await CaseParty.query(on: app.db).sort(\.$fullName).all()
            #expect(parties.count == result.parties)
            #expect(parties.allSatisfy { $0.nameFolded == VietnameseText.fold($0.fullName) })
            #expect(
                parties.contains {
                    $0.idNumberIndex != nil && $0.idNumberCipher?.contains($0.idNumberLast3 ?? "x") == false
                })
            // Generated data follows the lifecycle: the quality rules find no logic errors in it.
            _ = try await CaseQualityService.scanAll(app, today: app.clock.today)
            let logic = try await QualityWarning.query(on: app.db).filter(\.$category == .logic)
                .filter(\.$status == .open).count()
            let nextCase = try await EnforcementCase.query(on: app.db).sort(\.$code).first()
            let counter = try await Sequences.current(
                CaseQualityService.codeSequence(unitID: nextCase!.unitID, year: nextCase!.statisticalYear), on: app.db)
            #expect(counter > 0, "code counters continue after the generated cases")
            let rows = try await EnforcementCase.query(on: app.db).sort(\.$code).all().map {
                "\($0.code) \($0.status.rawValue) \($0.openedOn)"
            }
            outcome = (
                rows + parties.map(\.fullName), logic,
                try await EnforcementUnit.query(on: app.db).filter(\.$level == .regional).count()
            )
        }
        return outcome
    }

    @Test func theSameSeedGivesTheSameConsistentData() async throws {
        let first = try await Self.generate(seed: 9)
        let second = try await Self.generate(seed: 9)
        #expect(first.rows == second.rows)
        #expect(first.logic == 0, "logic warnings in generated data: \(first.logic)")
        #expect(first.units == 355, "355 regional offices over the 34 provinces")
        let other = try await Self.generate(seed: 10)
        #expect(other.rows != first.rows)
    }
}
