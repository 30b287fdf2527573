import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Search (B10) on both databases: every filter, their combination, the ranking and paging of name matches, and
/// the data scope.
@Suite struct CaseSearchTests {
    typealias Service = CaseQualityServiceTests

    struct Seeded {
        let hanoi: EnforcementUnit
        let hcm: EnforcementUnit
        var cases: [String: EnforcementCase] = [:]
    }

    /// Cases in Hà Nội (01-07) and Hồ Chí Minh City (79-07), each with one debtor.
    static func seed(_ app: Application) async throws -> Seeded {
        let hanoi = try await Fixtures.regional(app, code: "01-07", under: "01")
        let hcm = try await Fixtures.regional(app, code: "79-07", under: "79")
        let account = try await Fixtures.account(app, "chv.tk", unit: "01-07", roles: [.enforcementOfficer]).account
        var data = Seeded(hanoi: hanoi, hcm: hcm)
        let people: [(String, EnforcementUnit, String, String?)] = [
            ("hoa", hanoi, "Nguyễn Thị Hòa", "001190000001"),
            ("hoaOld", hanoi, "Nguyễn Thị Hoà", nil),
            ("hoaPlain", hanoi, "Nguyen Thi Hoa", nil),
            ("hoaHigh", hanoi, "Nguyễn Thị Hóa", nil),
            ("duc", hanoi, "Đặng Văn Đức", "001080000002"),
            ("ducHcm", hcm, "Đặng Văn Đức", "079080000003"),
            ("vanAn", hanoi, "Trần Văn An", nil),
            ("anVan", hanoi, "An Văn Trần", nil),
        ]
        for (index, (key, unit, name, id)) in people.enumerated() {
            let enforcementCase = try await Service.makeCase(
                app, unit: unit, account: account, number: "\(index + 1)/2026/DS-ST",
                openedOn: "2026-10-\(String(format: "%02d", index + 1))")
            try await Service.addDebtor(
                app, to: enforcementCase, name: name, birthYear: 1980, account: account, idNumber: id)
            data.cases[key] = enforcementCase
        }
        return data
    }

    static func codes(_ result: CaseSearch.Result) -> [String] { result.hits.map(\.code) }

    /// Seven people of one name, in pages of two: each is on exactly one page, in the same order on every run, for
    /// the exact name and for the name typed without marks.
    @Test func pagesThroughPeopleOfTheSameNameWithoutRepeatingOrSkippingAnyone() async throws {
        try await withTestApp { app async throws in
            let hanoi = try await Fixtures.regional(app, code: "01-07", under: "01")
            let account = try await Fixtures.account(app, "chv.tk", unit: "01-07", roles: [.enforcementOfficer]).account
            var codes: [String] = []
            for index in 0..<7 {
                let enforcementCase = try await Service.makeCase(
                    app, unit: hanoi, account: account, number: "\(index + 1)/2026/DS-ST", openedOn: "2026-10-01")
                try await Service.addDebtor(
                    app, to: enforcementCase, name: "Lê Văn Tám", birthYear: 1980, account: account)
                codes.append(enforcementCase.code)
            }
            for (name, mode) in [
                ("Lê Văn Tám", CaseSearch.NameMode.whole), ("le van tam", .whole), ("le van t", .prefix),
            ] {
                var seen: [String] = []
                for page in 1...4 {
                    let result = try await CaseSearch.run(
                        .init(name: name, nameMode: mode, page: page, pageSize: 2), scope: .all, keys: app.keys,
                        on: app.db)
                    seen += Self.codes(result)
                    #expect(result.hasNext == (page < 4), "\(name) page \(page)")
                }
                #expect(seen.count == 7 && Set(seen) == Set(codes), "\(name): \(seen)")
            }
        }
    }

    @Test func nameSearchFoldsMarksCaseAndUnicodeFormsAndRanksExactMarksFirst() async throws {
        try await withTestApp { app async throws in
            let data = try await Self.seed(app)
            func search(_ name: String, _ mode: CaseSearch.NameMode, page: Int = 1, size: Int = 50) async throws
                -> CaseSearch.Result
            {
                try await CaseSearch.run(
                    .init(name: name, nameMode: mode, page: page, pageSize: size), scope: .all, keys: app.keys,
                    on: app.db)
            }
            let hoa = ["hoa", "hoaOld", "hoaPlain", "hoaHigh"].map { data.cases[$0]!.code }
            // Whole name, typed three ways: all four people, the one typed with the same marks first.
            for typed in ["nguyễn thị hòa", "NGUYEN THI HOA", "Nguyễn Thị Hòa".decomposedStringWithCanonicalMapping] {
                let result = try await search(typed, .whole)
                #expect(Set(Self.codes(result)) == Set(hoa), "\(typed)")
            }
            #expect(try await search("Nguyễn Thị Hòa", .whole).hits.first?.caseID == data.cases["hoa"]!.id)
            #expect(try await search("Nguyễn Thị Hoà", .whole).hits.first?.caseID == data.cases["hoaOld"]!.id)
            // đ is d.
            #expect(try await search("dang van duc", .whole).hits.count == 2)
            // Prefix and word order.
            #expect(try await search("nguyen thi h", .prefix).hits.count == 4)
            #expect(try await search("nguyen thi ha", .prefix).hits.isEmpty)
            let words = Set(Self.codes(try await search("an tran", .words)))
            #expect(words == [data.cases["vanAn"]!.code, data.cases["anVan"]!.code])
            #expect(try await search("an tran", .whole).hits.isEmpty)
            // Paging crosses from the exact matches into the folded ones without losing or repeating anyone.
            var seen: [String] = []
            for page in 1...4 {
                let result = try await search("Nguyễn Thị Hòa", .whole, page: page, size: 1)
                seen += Self.codes(result)
                #expect(result.hasNext == (page < 4), "page \(page)")
            }
            #expect(seen.count == 4 && Set(seen) == Set(hoa))
            #expect(seen.first == data.cases["hoa"]!.code)
            #expect(try await search("!!!", .words).hits.isEmpty, "no words: nothing, not an error")
        }
    }

    @Test func everyFilterAndTheirCombination() async throws {
        try await withTestApp { app async throws in
            let data = try await Self.seed(app)
            func run(_ build: (inout CaseSearch.Query) -> Void) async throws -> Set<String> {
                var query = CaseSearch.Query()
                build(&query)
                return Set(Self.codes(try await CaseSearch.run(query, scope: .all, keys: app.keys, on: app.db)))
            }
            let duc = data.cases["duc"]!.code
            let ducHcm = data.cases["ducHcm"]!.code
            #expect(try await run { $0.idNumber = "001080000002" } == [duc], "ID number: exact")
            #expect(try await run { $0.idNumber = "00108000000" }.isEmpty, "ID number: never partial")
            #expect(try await run { $0.text = duc } == [duc], "case code")
            #expect(try await run { $0.text = "01-07/2027" }.count == 7, "code prefix")
            #expect(try await run { $0.text = " 5 / 2026 / ds-st " } == [duc], "judgment number")
            #expect(try await run { $0.unitID = data.hcm.id } == [ducHcm])
            #expect(try await run { $0.status = .completed }.isEmpty)
            #expect(try await run { $0.status = .accepted }.count == 8)
            #expect(try await run { $0.officerID = UUID() }.isEmpty)
            let window = try await run {
                $0.openedFrom = LocalDate(iso: "2026-10-02")
                $0.openedTo = LocalDate(iso: "2026-10-03")
            }
            #expect(window.count == 2)
            let combined = try await run {
                $0.name = "dang van duc"
                $0.nameMode = .whole
                $0.unitID = data.hanoi.id
                $0.idNumber = "001080000002"
                $0.status = .accepted
                $0.openedFrom = LocalDate(iso: "2026-10-01")
            }
            #expect(combined == [duc], "combined")
        }
    }

    @Test func resultsStayInsideTheScopeOnThePageAndInJSON() async throws {
        try await withTestApp { app async throws in
            let data = try await Self.seed(app)
            let (officer, _) = try await Fixtures.signedIn(app, "chv.hn", unit: "01-07", roles: [.enforcementOfficer])
            let page = try await officer.get("/ho-so?ten=dang+van+duc&cach-tim=whole")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(data.cases["duc"]!.code))
            #expect(!page.body.string.contains(data.cases["ducHcm"]!.code))
            let json = try await officer.get("/api/ho-so?ten=dang%20van%20duc&cach-tim=whole")
            let result = try JSONDecoder().decode(CaseSearch.Result.self, from: Data(buffer: json.body))
            #expect(result.hits.map(\.code) == [data.cases["duc"]!.code])
            #expect(result.hits.first?.partyIDMasked == "*********002", "ID numbers are masked")
            #expect(!json.body.string.contains("001080000002"))
            // Asking for the other unit by filter gives nothing, not its cases.
            let other = try await officer.get("/api/ho-so?don-vi=\(data.hcm.id!.uuidString)")
            #expect(!other.body.string.contains(data.cases["ducHcm"]!.code))
            #expect(try await officer.get("/ho-so?ten=%25%27&trang=-3").status == .ok)
            // A filter value that cannot be read is refused with its message, never dropped (issue 20).
            let refused = try await officer.get("/ho-so?ten=%25%27&tu-ngay=xx&trang=-3")
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.contains("không phải ngày hợp lệ"))
        }
    }
}
