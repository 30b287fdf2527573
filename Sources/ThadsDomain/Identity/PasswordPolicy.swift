/// A reason a password is refused.
public enum PasswordProblem: Equatable, Hashable, Sendable {
    case tooShort(minimum: Int)
    case tooLong(maximum: Int)
    case missingLowercase
    case missingUppercase
    case missingDigit
    case missingSpecial
    case containsUsername
    case containsName
    case containsEmail
    case common
    case repetitive

    /// The message shown to the user, in Vietnamese.
    public var message: String {
        switch self {
        case .tooShort(let minimum): "Mật khẩu phải có ít nhất \(minimum) ký tự."
        case .tooLong(let maximum): "Mật khẩu không được dài quá \(maximum) ký tự."
        case .missingLowercase: "Mật khẩu phải có ít nhất một chữ thường."
        case .missingUppercase: "Mật khẩu phải có ít nhất một chữ hoa."
        case .missingDigit: "Mật khẩu phải có ít nhất một chữ số."
        case .missingSpecial: "Mật khẩu phải có ít nhất một ký tự đặc biệt (ví dụ: ! @ # $ %)."
        case .containsUsername: "Mật khẩu không được chứa tên đăng nhập."
        case .containsName: "Mật khẩu không được chứa họ tên của bạn."
        case .containsEmail: "Mật khẩu không được chứa địa chỉ thư điện tử của bạn."
        case .common: "Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."
        case .repetitive: "Mật khẩu có quá ít ký tự khác nhau."
        }
    }
}

/// Password rules of A6 (000 Art. 8.2): users at least 8 characters; administrators at least 12
/// with lower case, upper case, digit and special character; never the username, the person's
/// own name, their e-mail or a common password.
///
/// Lengths are counted in characters after NFC, so "Đức" is 3 characters however it was typed.
/// Hash ``normalize(_:)``'s result, never the raw input.
public struct PasswordPolicy: Sendable {
    public static let minimumUserLength = 8
    public static let minimumAdminLength = 12
    /// Upper bound so a megabyte "password" cannot tie up the hasher.
    public static let maximumLength = 256
    /// Name, username and e-mail fragments shorter than this are not checked.
    public static let minimumFragmentLength = 3
    /// Passwords with fewer distinct characters than this are refused ("aaaaaaaa", "abababab").
    public static let minimumDistinctCharacters = 4
    /// A common word hidden by decorations ("Linh1995!") is only matched from this length on.
    public static let minimumDerivedLength = 4

    /// Folded (lower case, no marks) common passwords.
    public let commonPasswords: Set<String>

    /// - Parameter commonPasswords: the list, in any case; entries are folded here. The app loads
    ///   it from `Resources/common-passwords.txt` with ``parseCommonPasswords(_:)``.
    public init(commonPasswords: Set<String>) {
        self.commonPasswords = Set(
            commonPasswords.map { VietnameseText.fold($0) }.filter { !$0.isEmpty })
    }

    /// Parses a word list: one password per line; empty lines and lines starting with
    /// `#!comment:` (John the Ripper's convention, which keeps passwords beginning with `#`) are
    /// skipped.
    public static func parseCommonPasswords(_ text: String) -> Set<String> {
        var result = Set<String>()
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if line.hasPrefix("#!comment:") { continue }
            let word = VietnameseText.fold(String(line))
            if !word.isEmpty { result.insert(word) }
        }
        return result
    }

    /// The form that is hashed and compared: Unicode NFC, so a password typed on a keyboard that
    /// sends decomposed Vietnamese still matches.
    public static func normalize(_ password: String) -> String {
        VietnameseText.nfc(password)
    }

    public static func minimumLength(isAdmin: Bool) -> Int {
        isAdmin ? minimumAdminLength : minimumUserLength
    }

    /// Every problem with `password`, in a stable order; empty when it is acceptable.
    public func validate(
        _ password: String, isAdmin: Bool, username: String, fullName: String, email: String?
    ) -> [PasswordProblem] {
        let normalized = Self.normalize(password)
        var problems: [PasswordProblem] = []

        let length = normalized.count
        let minimum = Self.minimumLength(isAdmin: isAdmin)
        if length < minimum { problems.append(.tooShort(minimum: minimum)) }
        if length > Self.maximumLength { problems.append(.tooLong(maximum: Self.maximumLength)) }

        if isAdmin {
            var lower = false
            var upper = false
            var digit = false
            var special = false
            for ch in normalized {
                if ch.isNumber {
                    digit = true
                } else if ch.isLetter {
                    if ch.isLowercase { lower = true }
                    if ch.isUppercase { upper = true }
                } else {
                    special = true
                }
            }
            if !lower { problems.append(.missingLowercase) }
            if !upper { problems.append(.missingUppercase) }
            if !digit { problems.append(.missingDigit) }
            if !special { problems.append(.missingSpecial) }
        }

        let folded = VietnameseText.fold(normalized)
        let compact = Self.alphanumerics(folded)

        if containsFragment(compact, of: [username]) {
            problems.append(.containsUsername)
        }

        if containsFragment(compact, of: Self.nameFragments(fullName)) {
            problems.append(.containsName)
        }

        if let email, let at = email.lastIndex(of: "@") {
            let local = String(email[..<at])
            if containsFragment(compact, of: [local] + VietnameseText.words(local)) {
                problems.append(.containsEmail)
            }
        }

        if isCommon(folded) { problems.append(.common) }

        if Set(folded).count < Self.minimumDistinctCharacters {
            problems.append(.repetitive)
        }
        return problems
    }

    /// Whether `password` is on the common list: as typed (folded), without spaces, without
    /// trailing or leading digits and symbols ("Matkhau123!"), and with common letter
    /// substitutions undone ("p@ssw0rd").
    public func isCommon(_ password: String) -> Bool {
        let folded = VietnameseText.fold(password)
        let whole = [folded, folded.replacingSpaces()]
        if whole.contains(where: commonPasswords.contains) { return true }
        // Derived forms must keep at least `minimumDerivedLength` letters, so "x2024!!!" is not
        // refused just because "x" is on the list.
        for base in whole {
            let stripped = Self.stripDecorations(base)
            let derived = [
                stripped, Self.undoSubstitutions(stripped),
                Self.stripDecorations(Self.undoSubstitutions(base)),
            ]
            for candidate in derived
            where candidate.count >= Self.minimumDerivedLength
                && commonPasswords.contains(candidate)
            {
                return true
            }
        }
        return false
    }

    /// The parts of a name a password must not contain: the whole name, the given name (the last
    /// word, as people are called by it), and any other word of 4 or more letters. Short family and
    /// middle names such as "Lê", "Văn", "Thị" are left out: they are everyday syllables ("vang",
    /// "thiên") and refusing them would refuse ordinary passphrases, not guessable ones.
    static func nameFragments(_ fullName: String) -> [String] {
        let words = VietnameseText.words(fullName)
        guard let given = words.last else { return [] }
        return [words.joined(), given] + words.dropLast().filter { $0.count >= 4 }
    }

    // MARK: - Internals

    private func containsFragment(_ compactPassword: String, of fragments: [String]) -> Bool {
        for fragment in fragments {
            let f = Self.alphanumerics(VietnameseText.fold(fragment))
            if f.count >= Self.minimumFragmentLength && compactPassword.contains(f) { return true }
        }
        return false
    }

    /// Only the letters and digits of `s`.
    static func alphanumerics(_ s: String) -> String {
        String(
            s.unicodeScalars.filter {
                $0.properties.isAlphabetic || $0.properties.numericType != nil
            }
            .map(Character.init))
    }

    /// Removes leading and trailing characters that are not letters (digits, symbols, spaces).
    static func stripDecorations(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard let first = scalars.firstIndex(where: { $0.properties.isAlphabetic }),
            let last = scalars.lastIndex(where: { $0.properties.isAlphabetic })
        else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }

    /// Undoes "leet" substitutions: 0→o 1→i 3→e 4→a 5→s 7→t @→a $→s !→i.
    static func undoSubstitutions(_ s: String) -> String {
        String(
            s.map { ch -> Character in
                switch ch {
                case "0": "o"
                case "1": "i"
                case "3": "e"
                case "4", "@": "a"
                case "5", "$": "s"
                case "7": "t"
                case "!": "i"
                default: ch
                }
            })
    }
}

extension String {
    fileprivate func replacingSpaces() -> String {
        String(unicodeScalars.filter { $0 != " " }.map(Character.init))
    }
}
