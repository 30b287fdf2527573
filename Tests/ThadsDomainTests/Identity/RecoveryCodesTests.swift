import Foundation
import Testing

@testable import ThadsDomain

@Suite("RecoveryCodes")
struct RecoveryCodesTests {
    @Test func formatAndCount() {
        let codes = RecoveryCodes.generate()
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        for code in codes {
            let chars = Array(code)
            #expect(chars.count == 12)
            #expect(chars[4] == "-" && chars[9] == "-")
            let symbols = chars.filter { $0 != "-" }
            #expect(symbols.count == 10)
            #expect(symbols.allSatisfy { RecoveryCodes.alphabet.contains($0) })
            #expect(code == code.lowercased())
        }
        #expect(RecoveryCodes.generate(count: 0) == [])
        #expect(RecoveryCodes.generate(count: 25).count == 25)
    }

    @Test func alphabetIsUnambiguousAndGivesFiftyBits() {
        let alphabet = RecoveryCodes.alphabet
        #expect(alphabet.count == 32)
        #expect(Set(alphabet).count == 32)
        for confusable in ["i", "l", "o", "u"] as [Character] {
            #expect(!alphabet.contains(confusable))
        }
        #expect(alphabet.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) })
        let bits = Double(RecoveryCodes.symbolCount) * log2(Double(alphabet.count))
        #expect(bits >= 50)
        #expect(RecoveryCodes.bitsPerCode == 50)
    }

    @Test func codesLookRandom() {
        // 2,000 codes: no repeats, and every symbol appears.
        let codes = (0..<200).flatMap { _ in RecoveryCodes.generate() }
        #expect(Set(codes).count == codes.count)
        let used = Set(codes.joined().filter { $0 != "-" })
        #expect(used.count == 32)
    }

    @Test func normalizeAcceptsWhatPeopleType() {
        #expect(RecoveryCodes.normalize("7kq2-m9xd-4h") == "7kq2-m9xd-4h")
        #expect(RecoveryCodes.normalize("7KQ2-M9XD-4H") == "7kq2-m9xd-4h")
        #expect(RecoveryCodes.normalize(" 7kq2 m9xd 4h ") == "7kq2-m9xd-4h")
        #expect(RecoveryCodes.normalize("7kq2m9xd4h") == "7kq2-m9xd-4h")
        #expect(RecoveryCodes.normalize("7kq2–m9xd–4h") == "7kq2-m9xd-4h")  // en dashes
        #expect(RecoveryCodes.normalize("Okq2-m9xd-4h") == "0kq2-m9xd-4h")
        #expect(RecoveryCodes.normalize("ikq2-L9xd-4h") == "1kq2-19xd-4h")
    }

    @Test func normalizeKeepsGeneratedCodes() {
        for code in RecoveryCodes.generate(count: 50) {
            #expect(RecoveryCodes.normalize(code) == code)
            #expect(RecoveryCodes.normalize(code.uppercased()) == code)
            #expect(RecoveryCodes.normalize(code.replacingOccurrences(of: "-", with: " ")) == code)
        }
    }

    @Test func invalidInputNeverLooksLikeACode() {
        for input in [
            "", "7kq2-m9xd-4", "7kq2-m9xd-4hh", "7kq2-m9xd-4!", "7kq2-m9xd-4ư", "uuuu-uuuu-uu",
        ] {
            let normalized = RecoveryCodes.normalize(input)
            let isCodeShaped =
                normalized.count == 12
                && normalized.filter { $0 != "-" }.allSatisfy {
                    RecoveryCodes.alphabet.contains($0)
                }
            #expect(!isCodeShaped, "\(input) → \(normalized)")
        }
    }
}
