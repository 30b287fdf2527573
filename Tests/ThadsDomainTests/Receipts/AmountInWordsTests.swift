import Testing
import ThadsDomain

/// Written by hand from the reading rules (see `AmountInWords`), not produced by the code under test.
@Suite struct AmountInWordsTests {
    static let table: [(Int64, String)] = [
        (0, "không"),
        (1, "một"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1_000, "một nghìn"),
        (1_005, "một nghìn không trăm linh năm"),
        (10_500, "mười nghìn năm trăm"),
        (1_000_000, "một triệu"),
        (1_000_001, "một triệu không trăm linh một"),
        (1_250_000, "một triệu hai trăm năm mươi nghìn"),
        (1_000_000_000, "một tỷ"),
        (
            999_999_999_999,
            "chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn "
                + "chín trăm chín mươi chín"
        ),
        // Beyond the brief's list: the rules at their edges.
        (20, "hai mươi"),
        (31, "ba mươi mốt"),
        (44, "bốn mươi tư"),
        (55, "năm mươi lăm"),
        (104, "một trăm linh bốn"),
        (114, "một trăm mười bốn"),
        (115, "một trăm mười lăm"),
        (1_010, "một nghìn không trăm mười"),
        (1_021, "một nghìn không trăm hai mươi mốt"),
        (2_000_500, "hai triệu năm trăm"),
        (5_000_015, "năm triệu không trăm mười lăm"),
        (1_000_000_005, "một tỷ không trăm linh năm"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (-25, "âm hai mươi lăm"),
    ]

    @Test(arguments: table)
    func reads(amount: Int64, expected: String) {
        #expect(AmountInWords.words(amount) == expected)
    }

    @Test func receiptLineIsCapitalisedInDong() {
        #expect(AmountInWords.receiptLine(1_250_000) == "Một triệu hai trăm năm mươi nghìn đồng")
        #expect(AmountInWords.receiptLine(0) == "Không đồng")
    }

    @Test func largestAmountReads() {
        #expect(AmountInWords.words(Int64.max).hasPrefix("chín tỷ"))
        #expect(AmountInWords.words(Int64.min + 1).hasPrefix("âm"))
    }
}
