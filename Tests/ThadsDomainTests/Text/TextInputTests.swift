import Foundation
import Testing

@testable import ThadsDomain

@Suite("TextInput")
struct TextInputTests {
    func refusal(_ s: String, _ lines: TextInput.Lines = .single, max: Int = 200) -> TextInput.Refusal? {
        TextInput.refusal(TextInput.normalized(s), lines: lines, maxScalars: max)
    }

    @Test func everyControlCharacterIsRefusedInASingleLineField() {
        let controls = (0x00...0x1F).map { $0 } + (0x7F...0x9F).map { $0 }
        for value in controls {
            let scalar = Unicode.Scalar(UInt32(value))!
            #expect(refusal("Nguyễn" + String(scalar) + "Văn") == .controlCharacter, "U+\(String(value, radix: 16))")
        }
    }

    @Test func aMultiLineFieldKeepsLineBreaksAndTabsOnly() {
        #expect(refusal("Dòng một\nDòng hai\tcột", .multi) == nil)
        #expect(refusal("Dòng một\r\nDòng hai", .multi) == nil, "a browser's CRLF becomes LF")
        #expect(TextInput.normalized("a\r\nb") == "a\nb")
        #expect(refusal("Dòng một\rDòng hai", .multi) == .controlCharacter, "a lone CR is refused")
        #expect(refusal("a\u{0}b", .multi) == .controlCharacter)
        #expect(refusal("a\u{85}b", .multi) == .controlCharacter, "C1 next line")
        #expect(refusal("Dòng một\nDòng hai") == .controlCharacter, "a name has one line")
    }

    @Test func bidiOverridesAndIsolatesAreRefusedEverywhere() {
        for value in Array(0x202A...0x202E) + Array(0x2066...0x2069) {
            let scalar = String(Unicode.Scalar(UInt32(value))!)
            #expect(refusal("Nguyễn" + scalar + "Văn") == .directionOverride)
            #expect(refusal("Ghi chú" + scalar, .multi) == .directionOverride)
        }
    }

    @Test func zeroWidthCharactersAreRefusedInNamesAndSingleLines() {
        for value: UInt32 in [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF] {
            let scalar = String(Unicode.Scalar(value)!)
            #expect(refusal("Nguyễn" + scalar + "Văn") == .invisibleCharacter)
        }
    }

    @Test func vietnameseComposedAndDecomposedIsAcceptedAndStoredComposed() {
        let composed = "Nguyễn Văn Đức, 12 phố Hàng Bạc, Hoàn Kiếm"
        let decomposed = composed.decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count > composed.unicodeScalars.count)
        #expect(refusal(composed) == nil)
        #expect(refusal(decomposed) == nil)
        #expect(TextInput.normalized(decomposed).unicodeScalars.elementsEqual(composed.unicodeScalars))
        // 200 marked letters fit a 200 limit: each is one scalar of 3 bytes once composed.
        #expect(refusal(String(repeating: "ệ", count: 200)) == nil)
        #expect(refusal(String(repeating: "ệ", count: 200).decomposedStringWithCanonicalMapping) == nil)
    }

    @Test func limitsCountScalarsNotGraphemes() {
        let zalgo = "a" + String(repeating: "\u{0301}", count: 60_000)
        #expect(zalgo.count == 1, "one grapheme")
        #expect(refusal(zalgo) == .tooLong(max: 200))
        #expect(refusal(String(repeating: "a", count: 200)) == nil)
        #expect(refusal(String(repeating: "a", count: 201)) == .tooLong(max: 200))
    }

    @Test func theByteCapBoundsScriptsOfLongerScalars() {
        // 200 scalars of 4 bytes each are 800 bytes, over the 600-byte cap of a 200 limit.
        let emoji = String(repeating: "😀", count: 200)
        #expect(refusal(emoji) == .tooManyBytes(max: 600))
        #expect(refusal(String(repeating: "😀", count: 150)) == nil)
    }

    @Test func messagesAreVietnameseAndNameTheField() {
        let message = TextInput.message(.controlCharacter, label: "Họ và tên")
        #expect(message.hasPrefix("Họ và tên chứa ký tự điều khiển"))
        #expect(TextInput.message(.tooLong(max: 200), label: "Tên") == "Tên tối đa 200 ký tự.")
        #expect(TextInput.message(.directionOverride, label: "Tên").contains("đảo chiều"))
        #expect(TextInput.message(.invisibleCharacter, label: "Tên").contains("vô hình"))
    }
}
