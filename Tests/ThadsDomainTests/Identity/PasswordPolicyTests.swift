import Foundation
import Testing

@testable import ThadsDomain

@Suite("PasswordPolicy")
struct PasswordPolicyTests {
    static let common: Set<String> = [
        "123456", "12345678", "password", "matkhau", "anhyeuem", "iloveyou", "qwerty", "admin",
        "vietnam", "hanoi", "saigon", "a", "linh",
    ]
    let policy = PasswordPolicy(commonPasswords: Self.common)

    func check(
        _ password: String, admin: Bool = false, username: String = "cb0427",
        fullName: String = "Nguyễn Văn Đức", email: String? = "cb0427@thads.gov.vn"
    ) -> [PasswordProblem] {
        policy.validate(
            password, isAdmin: admin, username: username, fullName: fullName, email: email)
    }

    @Test func goodPasswordsPass() {
        #expect(check("Trời xanh mây trắng") == [])
        #expect(check("cây-bàng-lá-đỏ") == [])
        #expect(check("Kx9#mPq2$wLz", admin: true) == [])
        #expect(check("Sông Hồng 2024 chảy!", admin: true) == [])
    }

    @Test func userMinimumIsEight() {
        #expect(check("k9#mPq2") == [.tooShort(minimum: 8)])
        #expect(check("k9#mPq2w") == [])
    }

    @Test func adminMinimumIsTwelveWithAllClasses() {
        #expect(check("Kx9#mPq2$wL", admin: true) == [.tooShort(minimum: 12)])
        #expect(check("kx9#mpq2$wlz", admin: true) == [.missingUppercase])
        #expect(check("KX9#MPQ2$WLZ", admin: true) == [.missingLowercase])
        #expect(check("Kxy#mPqz$wLz", admin: true) == [.missingDigit])
        #expect(check("Kx9fmPq2gwLz", admin: true) == [.missingSpecial])
        #expect(
            check("kxyzmpqrstvw", admin: true) == [
                .missingUppercase, .missingDigit, .missingSpecial,
            ])
        // Users need no character classes.
        #expect(check("kxyzmpqrstvw") == [])
    }

    @Test func vietnameseLettersCountAsLetters() {
        #expect(check("Đường9@ồịửãệ", admin: true) == [])
        #expect(check("đường9@ồịửãệ", admin: true) == [.missingUppercase])
        #expect(check("ĐƯỜNG9@ỒỊỬÃỆ", admin: true) == [.missingLowercase])
    }

    @Test func lengthIsCountedInCharactersAfterNFC() {
        let nfc = "Đường Bưởi"  // 10 characters
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(nfd.unicodeScalars.count > 10)
        #expect(check(nfc, admin: true).contains(.tooShort(minimum: 12)))
        #expect(check(nfd, admin: true).contains(.tooShort(minimum: 12)))
        #expect(check("Đường Bưở", username: "x", fullName: "", email: nil) == [])  // 9 ≥ 8
        #expect(check("Đườn Bư".decomposedStringWithCanonicalMapping) == [.tooShort(minimum: 8)])
    }

    @Test func tooLong() {
        let long = String(repeating: "Ab1!xyzw", count: 40)
        #expect(check(long, admin: true) == [.tooLong(maximum: PasswordPolicy.maximumLength)])
    }

    @Test func rejectsUsername() {
        #expect(check("xx-CB0427-zz", email: nil) == [.containsUsername])
        #expect(check("Kx9#cb0427$wLz", admin: true, email: nil) == [.containsUsername])
        #expect(
            check("xx-DUCNV-2024", username: "ducnv", fullName: "Zz", email: nil) == [
                .containsUsername
            ])
        #expect(
            check("qa.nguyen.van.duc.x", username: "nguyen.van.duc") == [
                .containsUsername, .containsName,
            ])
        #expect(
            check("hello-thads-boss", username: "ThaDs", fullName: "", email: nil) == [
                .containsUsername
            ])
        // Very short usernames are not checked.
        #expect(check("zz-ab-zzqk", username: "ab", fullName: "", email: nil) == [])
    }

    @Test func rejectsTheNameWithOrWithoutDiacritics() {
        #expect(check("ducnguyen2024!A").contains(.containsName))
        #expect(check("Đức@12345678").contains(.containsName))
        #expect(check("Đức@12345678".decomposedStringWithCanonicalMapping).contains(.containsName))
        #expect(check("NguyenVanDuc").contains(.containsName))
        #expect(check("nguyễnvănđức!!").contains(.containsName))
        // A three-letter middle name ("Văn") alone is an everyday syllable: not refused.
        #expect(!check("xx văn yy zz").contains(.containsName))
        #expect(check("Kx9#mPq2$wLz", admin: true, fullName: "Lê Thị Hồng Nhung") == [])
        // Two-letter name words ("Lê", "Võ") are not checked on their own…
        #expect(check("kleqz-7tw!", fullName: "Lê Võ") == [])
        // …but the whole name is.
        #expect(check("kzlevo7tw!", fullName: "Lê Võ") == [.containsName])
    }

    @Test func rejectsTheEmailLocalPart() {
        #expect(
            check("hoa.pt-secret", username: "u1", fullName: "Zz", email: "hoa.pt@moj.gov.vn")
                == [.containsEmail])
        #expect(
            check("9hoapt9xkq", username: "u1", fullName: "Zz", email: "HOA.PT@moj.gov.vn")
                == [.containsEmail])
        #expect(
            check("thads.gov.vn", username: "u1", fullName: "Zz", email: "hoa@thads.gov.vn") == [])
        #expect(check("quả-cam-chín", username: "u1", fullName: "Zz", email: nil) == [])
    }

    @Test func rejectsCommonPasswords() {
        let plain = { (p: String) in
            self.policy.validate(p, isAdmin: false, username: "u1", fullName: "Zz", email: nil)
        }
        #expect(plain("12345678") == [.common])
        #expect(plain("password") == [.common])
        #expect(plain("PASSWORD") == [.common])
        #expect(plain("Matkhau123!") == [.common])
        #expect(plain("mật khẩu 123") == [.common])
        #expect(plain("MậtKhẩu@2024") == [.common])
        #expect(plain("Anh yêu em!!") == [.common])
        #expect(plain("!!anhyeuem99") == [.common])
        #expect(plain("P@ssw0rd2024!") == [.common])
        #expect(plain("iloveyou") == [.common])
        #expect(plain("Linh1995!") == [.common])
        #expect(plain("qwerty12345") == [.common])
        #expect(
            policy.validate(
                "Matkhau@12345", isAdmin: true, username: "u1", fullName: "Zz", email: nil)
                == [.common])
        // A single-letter list entry does not make every "a" + digits password common…
        #expect(plain("a9876543") == [])
        // …and a common word inside a longer passphrase is fine.
        #expect(plain("matkhau của tôi là bí mật") == [])
    }

    @Test func repetitivePasswords() {
        #expect(check("zzzzzzzz").contains(.repetitive))
        #expect(check("zxzxzxzx").contains(.repetitive))
        #expect(check("zxczxczx").contains(.repetitive))
        #expect(!check("zxcvzxcv").contains(.repetitive))
    }

    @Test func normalizeIsNFC() {
        let nfd = "Mật khẩu".decomposedStringWithCanonicalMapping
        #expect(PasswordPolicy.normalize(nfd) == "Mật khẩu")
        #expect(Array(PasswordPolicy.normalize(nfd).utf8) == Array("Mật khẩu".utf8))
        #expect(PasswordPolicy.normalize("abc") == "abc")
    }

    @Test func listEntriesAreFolded() {
        let p = PasswordPolicy(commonPasswords: ["MậtKhẩu", "", "  "])
        #expect(p.commonPasswords == ["matkhau"])
        #expect(p.isCommon("matkhau"))
    }

    @Test func messagesAreVietnamese() {
        #expect(
            PasswordProblem.tooShort(minimum: 12).message == "Mật khẩu phải có ít nhất 12 ký tự.")
        let all: [PasswordProblem] = [
            .tooShort(minimum: 8), .tooLong(maximum: 256), .missingLowercase, .missingUppercase,
            .missingDigit, .missingSpecial, .containsUsername, .containsName, .containsEmail,
            .common, .repetitive,
        ]
        #expect(Set(all.map(\.message)).count == all.count)
        for problem in all {
            #expect(problem.message.hasPrefix("Mật khẩu"))
            #expect(problem.message.hasSuffix("."))
        }
    }

    @Test func accountClasses() {
        #expect(AccountClass.allCases.count == 5, "the four of A5 and the technical operator of J7")
        #expect(AccountClass.allCases.filter(\.isAdmin) == [.centralAdmin, .localAdmin])
        #expect(AccountClass(rawValue: "externalUser") == .externalUser)
        #expect(PasswordPolicy.minimumLength(isAdmin: AccountClass.localAdmin.isAdmin) == 12)
        #expect(PasswordPolicy.minimumLength(isAdmin: AccountClass.internalUser.isAdmin) == 8)
        #expect(Set(AccountClass.allCases.map(\.displayName)).count == 5)
    }
}

/// The shipped list in the app target (the domain target has no resources, so read it by path).
@Suite("Common password list")
struct CommonPasswordListTests {
    static var listURL: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // Identity
            .deletingLastPathComponent()  // ThadsDomainTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("Sources/ThadsApp/Resources/common-passwords.txt")
    }

    static func load() throws -> String {
        let data = try Data(contentsOf: listURL)
        return try #require(String(data: data, encoding: .utf8))
    }

    @Test func listIsLargeAndHasTheVietnameseFavourites() throws {
        let text = try Self.load()
        let list = PasswordPolicy.parseCommonPasswords(text)
        #expect(list.count >= 1_000)
        for word in [
            "anhyeuem", "matkhau", "iloveyou", "123456", "12345678", "123456789", "123123",
            "111111", "000000", "qwerty", "abc123", "password", "admin", "vietnam", "hanoi",
            "saigon", "emyeuanh", "yeuem", "toilaai", "conyeume",
        ] {
            #expect(list.contains(word), "\(word)")
        }
        #expect(!list.contains { $0.hasPrefix("#!comment") })
    }

    @Test func fileIsLowerCaseOnePerLine() throws {
        let text = try Self.load()
        let entries = text.split(separator: "\n").filter { !$0.hasPrefix("#!comment:") }
        #expect(entries.count >= 1_000)
        for entry in entries {
            #expect(entry == entry.lowercased(), "\(entry)")
            #expect(!entry.isEmpty)
        }
        #expect(Set(entries).count == entries.count, "no duplicates")
    }

    @Test func policyWithTheShippedList() throws {
        let policy = PasswordPolicy(
            commonPasswords: PasswordPolicy.parseCommonPasswords(try Self.load()))
        for p in [
            "Matkhau123!", "anhyeuem2024", "Vietnam@123", "Hanoi1234", "Password1!", "Iloveyou99",
            "emyeuanh!!",
        ] {
            #expect(
                policy.validate(p, isAdmin: false, username: "u1", fullName: "Zz", email: nil) == [
                    .common
                ],
                "\(p)")
        }
        #expect(
            policy.validate(
                "Đêm trăng thanh 7 gió mát!", isAdmin: true, username: "u1", fullName: "Zz",
                email: nil) == [])
    }

    @Test func parserSkipsCommentsAndBlankLines() {
        let list = PasswordPolicy.parseCommonPasswords("#!comment: x\n\nAbc\r\n#hash\nMẬT KHẨU\n")
        #expect(list == ["abc", "#hash", "mat khau"])
    }
}

@Suite struct PasswordNameFragmentTests {
    let policy = PasswordPolicy(commonPasswords: [])

    @Test func shortMiddleNamesDoNotBlockOrdinaryWords() {
        let problems = policy.validate(
            "mua thu la vang 47", isAdmin: false, username: "cuong.le", fullName: "Lê Văn Cường", email: nil)
        #expect(!problems.contains(.containsName))
    }

    @Test func givenNameAndWholeNameAreRefused() {
        for password in ["cuong-2026-xyz", "levancuong!9", "LÊVĂNCƯỜNG#1"] {
            let problems = policy.validate(
                password, isAdmin: false, username: "cb01", fullName: "Lê Văn Cường", email: nil)
            #expect(problems.contains(.containsName), "\(password)")
        }
    }

    @Test func longFamilyNamesAreRefused() {
        let problems = policy.validate(
            "nguyen-trai-1442", isAdmin: false, username: "cb01", fullName: "Nguyễn Văn An", email: nil)
        #expect(problems.contains(.containsName))
    }
}
