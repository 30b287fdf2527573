import Fluent
import Foundation
import Testing

@testable import ThadsApp

/// PostgreSQL rows given as JSON read to the same values as the binary rows Fluent reads.
@Suite struct JSONRowTests {
    /// The `Date` PostgreSQL's binary form gives: microseconds since 2000-01-01 UTC.
    func binary(_ microsecondsSince2000: Int64) -> Date {
        Date(timeInterval: Double(microsecondsSince2000) / 1_000_000, since: Date(timeIntervalSince1970: 946_684_800))
    }

    @Test func timestampsReadToTheMicrosecondInAnyOffset() {
        // 2026-11-23T22:06:59.433354Z
        let micros: Int64 = (1_795_471_619 - 946_684_800) * 1_000_000 + 433_354
        #expect(JSONRow.timestamp("2026-11-23T22:06:59.433354+00:00") == binary(micros))
        #expect(JSONRow.timestamp("2026-11-24T05:06:59.433354+07:00") == binary(micros))
        #expect(JSONRow.timestamp("2026-11-23T18:36:59.433354-03:30") == binary(micros))
        #expect(JSONRow.timestamp("2026-11-23T22:06:59.4+00") == binary(micros - 33_354))
        #expect(JSONRow.timestamp("2026-11-23T22:06:59+00:00") == binary(micros - 433_354))
        #expect(JSONRow.timestamp("2000-01-01T00:00:00+00:00") == binary(0))
        #expect(JSONRow.timestamp("1999-12-31T23:59:59.999999+00:00") == binary(-1))
        #expect(JSONRow.timestamp("2024-02-29T12:00:00+00:00") != nil, "leap day")
        for bad in [
            "", "2026-11-23", "2026-11-23 22:06:59+00", "2026-11-23T22:06:59+0x:00", "2026-11-23T22:06:59Zjunk",
        ] {
            #expect(JSONRow.timestamp(bad) == nil, "\(bad)")
        }
    }

    @Test func fieldsReadByTypeAndAMismatchIsAnErrorNotANil() throws {
        let row = JSONRow([
            "id": "01a20a72-b569-7000-8000-000188dcba6a", "name": "Trần Thị Ánh", "year": 1_975,
            "amount": 1_234_567_890_123, "late": false, "note": NSNull(),
        ])
        #expect(try row.decode(.id, as: UUID.self) == UUID(uuidString: "01A20A72-B569-7000-8000-000188DCBA6A"))
        #expect(try row.decode(.id, as: UUID?.self) == UUID(uuidString: "01A20A72-B569-7000-8000-000188DCBA6A"))
        #expect(try row.decode("name", as: String.self) == "Trần Thị Ánh")
        #expect(try row.decode("year", as: Int.self) == 1_975)
        #expect(try row.decode("amount", as: Int64.self) == 1_234_567_890_123)
        #expect(try row.decode("late", as: Bool.self) == false)
        #expect(try row.decodeNil("note"))
        #expect(!row.contains("missing"))
        #expect(throws: DecodingError.self) { try row.decode("name", as: UUID?.self) }
        #expect(throws: DecodingError.self) { try row.decode("name", as: Double.self) }
        #expect(throws: DecodingError.self) { try row.decode("note", as: String.self) }
    }
}
