import Fluent
import Foundation
import ThadsDomain
import Vapor

/// `thads bench --debtors N`: N published entries of debtors without conditions (only those missing are added; one in
/// ten withdrawn), then the public search is measured by names typed without marks, one at a time and under wrk.
/// The search is counted per address like every portal page: run the bench with PUBLIC_RATE_LIMIT=1000000.
enum DebtorSearchBench {
    static let marker = "bench"

    /// The name of entry `index`: the same draw every run, so searches find what an earlier run seeded.
    static func name(_ index: Int) -> String {
        var random = SeededGenerator(seed: UInt64(index) &* 2_654_435_761 &+ 17)
        let male = index % 2 == 0
        let family = VietnameseNames.familyName(
            draw: Int.random(in: 0..<VietnameseNames.familyNameBounds.total, using: &random))
        let middles = male ? VietnameseNames.maleMiddleNames : VietnameseNames.femaleMiddleNames
        let givens = male ? VietnameseNames.maleGivenNames : VietnameseNames.femaleGivenNames
        return "\(family) \(middles[Int.random(in: 0..<middles.count, using: &random)]) "
            + givens[Int.random(in: 0..<givens.count, using: &random)]
    }

    /// Adds the missing benchmark entries; returns how many there are.
    static func seed(_ app: Application, count: Int) async throws -> Int {
        let existing = try await DebtorPublication.query(on: app.db).filter(\.$reason == marker).count()
        guard existing < count else { return existing }
        let units = try await EnforcementUnit.query(on: app.db).filter(\.$level == .regional).all()
        let provinces = try UnitCatalog.provinces()
        guard !units.isEmpty, !provinces.isEmpty else { return existing }
        let now = app.clock.now
        var next = existing
        while next < count {
            let upper = min(count, next + 5_000)
            var rows = BulkInsert(
                DebtorPublication.schema,
                [
                    "id", "case_id", "unit_id", "province_code", "unit_name", "name", "name_folded", "birth_year",
                    "address", "judgment", "enforcement_decision", "obligation", "outstanding", "reason",
                    "decision_number", "decided_on", "published_at", "withdrawn_at",
                ])
            for index in next..<upper {
                let unit = units[index % units.count]
                let name = Self.name(index)
                rows.add([
                    UUID(), UUID(), unit.id!, provinces[index % provinces.count].code, unit.name, name,
                    VietnameseText.fold(name), 1950 + index % 50, "Số \(index % 300) đường \(index % 97)",
                    "Bản án \(index)/2024/DS-ST", "Quyết định \(index)/QĐ-THADS", "Trả tiền",
                    Int64(index % 500) * 100_000,
                    marker, "\(index)/QĐ-CCĐK", "2025-06-01", now, index % 10 == 0 ? now : nil,
                ])
            }
            try await BenchHTTP.store(rows, app)
            next = upper
        }
        return count
    }

    static func measure(
        _ app: Application, count: Int, samples: Int, base: String, seconds: Int, connections: Int
    ) async throws -> [BenchFigure] {
        let total = try await seed(app, count: count)
        guard total > 0 else { return [] }
        let path = "/\(PublicPages.prefix)/\(DebtorPublicController.path)"
        func search(_ index: Int) -> String {
            var components = URLComponents()
            components.queryItems = [URLQueryItem(name: "ten", value: VietnameseText.fold(name(index)))]
            return path + "?" + (components.percentEncodedQuery ?? "")
        }
        // Entries the withdrawn tenth does not hold, so every search has a row to show.
        let paths = (0..<samples).map { _ in search(Int.random(in: 0..<total / 10) * 10 + 1) }
        var figures = [try await BenchHTTP.latency(app, name: "debtor-search", base: base, paths: paths, cookie: "")]
        try await BenchHTTP.check(app, base: base, path: paths[0], cookie: nil, expected: ">Kết quả<")
        figures.append(
            try BenchHTTP.wrk(
                name: "wrk-debtor-search", url: base + paths[0], cookie: nil, seconds: seconds,
                connections: connections))
        return figures
    }
}
