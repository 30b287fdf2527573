import Testing

@testable import ThadsDomain

private func day(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

@Suite("Courts on the judgment's date")
struct CourtLevelTests {
    @Test("A district court judged until 30/06/2025, not after")
    func district() throws {
        #expect(CourtLevel.district.refusal(judgmentDate: day("2025-03-15")) == nil)
        #expect(CourtLevel.district.refusal(judgmentDate: day("2025-06-30")) == nil)
        #expect(CourtLevel.district.refusal(judgmentDate: day("2009-01-05")) == nil)
        let why = try #require(CourtLevel.district.refusal(judgmentDate: day("2025-07-15")))
        #expect(why.contains("không còn từ 01/07/2025"))
        #expect(why.contains("81/2025/QH15"))
        #expect(why.contains("15/07/2025"))
        #expect(why.contains("khu vực"))
        #expect(CourtLevel.district.refusal(judgmentDate: day("2025-07-01")) != nil)
    }

    @Test("A regional court judges from 01/07/2025")
    func regional() throws {
        #expect(CourtLevel.regional.refusal(judgmentDate: day("2025-07-15")) == nil)
        #expect(CourtLevel.regional.refusal(judgmentDate: day("2025-07-01")) == nil)
        let why = try #require(CourtLevel.regional.refusal(judgmentDate: day("2025-06-30")))
        #expect(why.contains("chỉ có từ 01/07/2025"))
        #expect(why.contains("cấp huyện"))
    }

    @Test("The high courts judged from 01/06/2015 to 30/06/2025")
    func high() {
        #expect(CourtLevel.high.refusal(judgmentDate: day("2015-06-01")) == nil)
        #expect(CourtLevel.high.refusal(judgmentDate: day("2025-06-30")) == nil)
        #expect(CourtLevel.high.refusal(judgmentDate: day("2015-05-31"))?.contains("01/06/2015") == true)
        #expect(CourtLevel.high.refusal(judgmentDate: day("2025-07-01"))?.contains("tối cao") == true)
    }

    @Test("Levels the reorganisation left alone have no bound of their own")
    func unbounded() {
        for level in [CourtLevel.supreme, .provincial, .military, .arbitration, .competition, .foreign, .other] {
            #expect(level.period == nil)
            #expect(level.refusal(judgmentDate: day("2001-01-01")) == nil)
            #expect(level.refusal(judgmentDate: day("2030-01-01")) == nil)
        }
    }

    @Test("The catalog attribute reads and writes level and province")
    func attribute() {
        #expect(CourtDescription(attribute: "district:01") == CourtDescription(level: .district, province: "01"))
        #expect(CourtDescription(attribute: "supreme:") == CourtDescription(level: .supreme))
        #expect(CourtDescription(attribute: "military") == CourtDescription(level: .military))
        #expect(CourtDescription(level: .regional, province: "79").attribute == "regional:79")
        for bad in ["", "01", "tinh:01", "district:1", "district:001", "district:ab", "District:01"] {
            #expect(CourtDescription(attribute: bad) == nil, "\(bad)")
        }
    }

    @Test("An entry's own dates bound it after the level's rule")
    func entryDates() throws {
        let old = CourtDescription(level: .provincial)
        let from = day("2015-01-01")
        let to = day("2025-06-30")
        #expect(old.refusal(name: "TANDT-24", validFrom: from, validTo: to, judgmentDate: day("2025-06-30")) == nil)
        let after = try #require(
            old.refusal(name: "TANDT-24", validFrom: from, validTo: to, judgmentDate: day("2025-07-02")))
        #expect(after.contains("đến 30/06/2025") && after.contains("02/07/2025"))
        let before = try #require(
            old.refusal(name: "TANDT-24", validFrom: from, validTo: to, judgmentDate: day("2014-12-31")))
        #expect(before.contains("từ 01/01/2015"))
        // The level's reason wins: it says what the law changed, not only that a date is out of range.
        let district = CourtDescription(level: .district, province: "01")
        let why = try #require(
            district.refusal(name: "X", validFrom: from, validTo: nil, judgmentDate: day("2025-07-15")))
        #expect(why.contains("81/2025/QH15"))
    }
}
