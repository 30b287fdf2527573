import Foundation
import ThadsDomain

/// A question a person answers and a script would have to be written for, asked without any third-party service
/// or JavaScript: the sum of two numbers written in Vietnamese words. The form carries the question's signed
/// token (answer hidden in an HMAC, with its expiry), so the server keeps no state; the per-address and per-email
/// limits bound what a solved question is worth.
struct HumanCheck: Sendable {
    let question: String
    let token: String

    static let lifetime: TimeInterval = 30 * 60
    static let words = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]

    static func make(now: Date, keys: KeyStore) -> HumanCheck {
        let a = Int.random(in: 1...9)
        let b = Int.random(in: 1...9)
        let expiry = Int64(now.timeIntervalSince1970) + Int64(lifetime)
        let nonce = OnlineSubmissions.randomToken().prefix(12)
        let payload = "\(nonce).\(expiry)"
        let mac = keys.blindIndex(payload + "|" + String(a + b), purpose: "online-human-check")
        return HumanCheck(
            question: "\(words[a].capitalized) cộng \(words[b]) bằng bao nhiêu? (ghi bằng chữ số)",
            token: payload + "." + mac)
    }

    /// Whether `answer` solves the question `token` carries, before it expired.
    static func passes(token: String, answer: String, now: Date, keys: KeyStore) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expiry = Int64(parts[1]), Int64(now.timeIntervalSince1970) <= expiry,
            let number = Int(answer.trimmingCharacters(in: .whitespaces)), (2...18).contains(number)
        else { return false }
        let expected = keys.blindIndex("\(parts[0]).\(parts[1])|\(number)", purpose: "online-human-check")
        return ConstantTime.equal(expected, String(parts[2]))
    }
}
