import Foundation
import Testing

@testable import ThadsDomain

@Suite("VietnameseText")
struct VietnameseTextTests {
    /// The 67 lowercase Vietnamese letters with marks or tones, plus the six unmarked vowels,
    /// grouped by the base they fold to.
    static let lettersByBase: [(base: String, letters: [String])] = [
        ("a", "a á à ả ã ạ ă ắ ằ ẳ ẵ ặ â ấ ầ ẩ ẫ ậ".split(separator: " ").map(String.init)),
        ("e", "e é è ẻ ẽ ẹ ê ế ề ể ễ ệ".split(separator: " ").map(String.init)),
        ("i", "i í ì ỉ ĩ ị".split(separator: " ").map(String.init)),
        ("o", "o ó ò ỏ õ ọ ô ố ồ ổ ỗ ộ ơ ớ ờ ở ỡ ợ".split(separator: " ").map(String.init)),
        ("u", "u ú ù ủ ũ ụ ư ứ ừ ử ữ ự".split(separator: " ").map(String.init)),
        ("y", "y ý ỳ ỷ ỹ ỵ".split(separator: " ").map(String.init)),
        ("d", ["đ"]),
    ]

    static var allLetters: [(letter: String, base: String)] {
        lettersByBase.flatMap { group in group.letters.map { ($0, group.base) } }
    }

    @Test func theAlphabetHas67LowercaseAnd134MarkedLetters() {
        let lower = Self.allLetters.map(\.letter)
        #expect(lower.count == 73)
        #expect(Set(lower).count == 73)
        let marked = Self.allLetters.filter { $0.letter != $0.base }.map(\.letter)
        #expect(marked.count == 67)
        #expect(Set(marked + marked.map { $0.uppercased() }).count == 134)
        let upper = lower.map { $0.uppercased() }
        for letter in lower + upper {
            #expect(letter.count == 1)
            #expect(letter == VietnameseText.nfc(letter), "test data must be NFC: \(letter)")
        }
    }

    @Test func everyLetterFoldsInNFCAndNFDBothCases() {
        var checked = 0
        for (letter, base) in Self.allLetters where letter != base {
            for form in [letter, letter.uppercased()] {
                let nfd = form.decomposedStringWithCanonicalMapping
                #expect(VietnameseText.fold(form) == base, "NFC \(form)")
                #expect(VietnameseText.fold(nfd) == base, "NFD \(form)")
                if form.unicodeScalars.count == 1 && base != "d" && form.lowercased() != base {
                    // The decomposed form really is decomposed (base letter + combining marks).
                    #expect(nfd.unicodeScalars.count > 1, "\(form) should decompose")
                }
                checked += 2
            }
        }
        #expect(checked == 268)
    }

    @Test func everyLetterInsideAWordAndMixedForms() {
        for (letter, base) in Self.allLetters {
            let word = "X" + letter.uppercased() + "y " + letter + "Z"
            let expected = "x" + base + "y " + base + "z"
            #expect(VietnameseText.fold(word) == expected)
            #expect(VietnameseText.fold(word.decomposedStringWithCanonicalMapping) == expected)
        }
    }

    @Test(arguments: [
        "Nguyễn Văn Đức",
        "nguyen van duc",
        "NGUYỄN VĂN ĐỨC".decomposedStringWithCanonicalMapping,
        "NGUYỄN VĂN ĐỨC",
        "nguyễn văn đức".decomposedStringWithCanonicalMapping,
        "  Nguyễn   Văn\tĐức \n",
        "Nguyễn\u{00A0}Văn\u{3000}Đức",
    ])
    func namesFoldTheSame(_ name: String) {
        #expect(VietnameseText.fold(name) == "nguyen van duc")
    }

    @Test func decomposedInputReallyIsDecomposed() {
        let nfd = "NGUYỄN VĂN ĐỨC".decomposedStringWithCanonicalMapping
        #expect(nfd.unicodeScalars.count > "NGUYỄN VĂN ĐỨC".unicodeScalars.count)
        #expect(nfd.unicodeScalars.contains { $0.value == 0x0302 })  // combining circumflex
    }

    @Test(arguments: [
        ("hoà", "hòa", "hoa"),
        ("thuý", "thúy", "thuy"),
        ("khoẻ", "khỏe", "khoe"),
        ("Hoá", "Hóa", "hoa"),
        ("quý", "qúy", "quy"),
        ("Thuỷ", "Thủy", "thuy"),
    ])
    func oldAndNewTonePlacementAreEquivalent(old: String, new: String, folded: String) {
        #expect(old != new)
        #expect(VietnameseText.fold(old) == folded)
        #expect(VietnameseText.fold(new) == folded)
        #expect(VietnameseText.fold(old.decomposedStringWithCanonicalMapping) == folded)
        #expect(VietnameseText.fold(new.decomposedStringWithCanonicalMapping) == folded)
    }

    @Test func whitespaceIsCollapsedAndTrimmed() {
        #expect(VietnameseText.fold("") == "")
        #expect(VietnameseText.fold("   \t\n ") == "")
        #expect(VietnameseText.fold("  a  \t b\r\n\nc  ") == "a b c")
        #expect(VietnameseText.fold("\u{2003}Lê\u{2009}\u{2009}Lợi\u{00A0}") == "le loi")
    }

    @Test func punctuationAndDigitsAreKept() {
        #expect(VietnameseText.fold("Số 12/2024/QĐ-CCTHADS") == "so 12/2024/qd-ccthads")
        #expect(
            VietnameseText.fold("Đ/c: 12 Lê Lợi, P. Bến Thành") == "d/c: 12 le loi, p. ben thanh")
    }

    @Test func sentences() {
        #expect(
            VietnameseText.fold("Cục Thi hành án dân sự Thành phố Hồ Chí Minh")
                == "cuc thi hanh an dan su thanh pho ho chi minh")
        #expect(
            VietnameseText.fold("Quyết định thi hành án ĐÃ ĐƯỢC BAN HÀNH")
                == "quyet dinh thi hanh an da duoc ban hanh")
        #expect(VietnameseText.fold("Trương Thị Ánh Tuyết") == "truong thi anh tuyet")
    }

    @Test func foldIsIdempotent() {
        for (letter, _) in Self.allLetters {
            let once = VietnameseText.fold(letter.uppercased() + " " + letter)
            #expect(VietnameseText.fold(once) == once)
        }
        let s = "  Phạm  Thị Hương  "
        #expect(VietnameseText.fold(VietnameseText.fold(s)) == VietnameseText.fold(s))
    }

    /// The fast table agrees with a straightforward reference (lowercase, NFD, drop marks,
    /// đ → d) for every scalar of the Latin blocks it covers.
    @Test func tableMatchesReferenceForAllLatinScalars() {
        func reference(_ s: String) -> String {
            let lowered = s.lowercased().decomposedStringWithCanonicalMapping
            var out = String.UnicodeScalarView()
            for scalar in lowered.unicodeScalars {
                switch scalar.value {
                case 0x0300...0x036F: continue
                case 0x0111, 0x0110: out.append("d")
                default: out.append(scalar)
                }
            }
            return String(out).precomposedStringWithCanonicalMapping
        }
        var checked = 0
        for range in [0x00C0...0x024F, 0x1E00...0x1EFF] as [ClosedRange<UInt32>] {
            for v in range {
                guard let scalar = Unicode.Scalar(v), v != 0x0189 else { continue }
                let s = String(scalar)
                if scalar.properties.isWhitespace { continue }
                #expect(VietnameseText.fold(s) == reference(s), "U+\(String(v, radix: 16))")
                checked += 1
            }
        }
        #expect(checked == 655)  // 400 + 256 scalars, less U+0189
    }

    @Test func otherScriptsGiveTheSameResultForNFCAndNFD() {
        for s in ["Ά Έ Ή", "Ёлка", "한국어", "Ça va, señor? Über!", "İstanbul", "日本"] {
            let nfc = VietnameseText.fold(s.precomposedStringWithCanonicalMapping)
            let nfd = VietnameseText.fold(s.decomposedStringWithCanonicalMapping)
            #expect(nfc == nfd, "\(s)")
        }
        #expect(VietnameseText.fold("Ça va, señor? Über!") == "ca va, senor? uber!")
        #expect(VietnameseText.fold("한국어") == "한국어")
        #expect(VietnameseText.fold("ΆΈ") == "αε")
    }

    @Test func nfcComposes() {
        let nfd = "Nguyễn Văn Đức".decomposedStringWithCanonicalMapping
        let nfc = VietnameseText.nfc(nfd)
        #expect(nfc == "Nguyễn Văn Đức")
        #expect(Array(nfc.unicodeScalars) == Array("Nguyễn Văn Đức".unicodeScalars))
        #expect(nfc.unicodeScalars.count == 14)
        #expect(VietnameseText.nfc("abc") == "abc")
    }

    @Test func words() {
        #expect(VietnameseText.words("Nguyễn-Văn  Đức, 2024") == ["nguyen", "van", "duc", "2024"])
        #expect(VietnameseText.words("  ") == [])
        #expect(VietnameseText.words("") == [])
        #expect(VietnameseText.words("Lê Thị Hồng Nhung") == ["le", "thi", "hong", "nhung"])
        #expect(
            VietnameseText.words("TRẦN   QUỐC TOẢN".decomposedStringWithCanonicalMapping)
                == ["tran", "quoc", "toan"])
    }

    @Test func longInputIsHandled() {
        let chunk = "Nguyễn Văn Đức ĐƯỢC THI HÀNH ÁN "
        let long = String(repeating: chunk, count: 5_000)
        let folded = VietnameseText.fold(long)
        #expect(folded.hasPrefix("nguyen van duc duoc thi hanh an nguyen"))
        #expect(!folded.hasSuffix(" "))
        #expect(folded.utf8.allSatisfy { $0 < 0x80 })
        #expect(VietnameseText.fold(long.decomposedStringWithCanonicalMapping) == folded)
    }
}

@Suite struct VietnameseExactTextTests {
    @Test func exactKeepsMarksButNotCaseFormOrSpacing() {
        #expect(VietnameseText.exact("Nguyễn  Văn An") == "nguyễn văn an")
        #expect(VietnameseText.exact("NGUYỄN VĂN AN".decomposedStringWithCanonicalMapping) == "nguyễn văn an")
        #expect(VietnameseText.exact(" Đỗ Thị Hòa ") == "đỗ thị hòa")
        #expect(VietnameseText.exact("Nguyen Van An") != VietnameseText.exact("Nguyễn Văn An"))
    }
}
