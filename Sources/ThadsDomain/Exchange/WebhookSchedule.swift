import Foundation

/// Webhook deliveries (G4): when a failed delivery goes again, when it is given up (the dead-letter list), which
/// addresses a delivery may go to and what its signature covers.
public enum WebhookSchedule {
    /// Waits after the 1st, 2nd, … failed attempt: 1 min, 5 min, 30 min, 2 h, 12 h. A delivery that fails once more
    /// after the last wait (the 6th attempt, about 14 h 36 min after the first) goes to the dead-letter list.
    public static let delays: [Int] = [60, 300, 1_800, 7_200, 43_200]

    /// Every attempt waits at most this long for the receiver's answer.
    public static let timeoutSeconds = 10

    /// While one runner sends a claimed delivery, others leave it alone this long (longer than any attempt).
    public static let leaseSeconds = 120

    /// The attempts a delivery gets before it is dead.
    public static var maxAttempts: Int { delays.count + 1 }

    /// Seconds to wait after `attempts` failed attempts (1-based), or nil when the delivery is dead.
    public static func delay(afterFailedAttempts attempts: Int) -> Int? {
        guard attempts >= 1, attempts <= delays.count else { return nil }
        return delays[attempts - 1]
    }

    /// Whether a receiver's status counts as taken: any 2xx. A redirect is not followed (the signature covers the
    /// registered address), so it counts as a failure.
    public static func isSuccess(status: Int) -> Bool { (200..<300).contains(status) }

    /// What the server's signature on a delivery covers (RFC 9421): the method, the receiver's address as
    /// registered and the body's digest, so a delivery captured on the way cannot be replayed to another address.
    public static let components = ["@method", "@target-uri", "content-digest"]

    /// Why an address is refused, in Vietnamese, or nil when it may be registered: an absolute https URL, or http to
    /// the machine itself (a local relay to the integration platform, and the tests). No user or password in it,
    /// no fragment.
    public static func refusal(url text: String) -> String? {
        guard text.count <= 500 else { return "Địa chỉ nhận tối đa 500 ký tự." }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else { return "Địa chỉ nhận phải là URL đầy đủ, ví dụ https://he-thong.example.vn/thads/webhook." }
        guard url.user == nil, url.password == nil, url.fragment == nil else {
            return "Địa chỉ nhận không được chứa tên đăng nhập, mật khẩu hay phần #."
        }
        let loopback = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && loopback) else {
            return "Địa chỉ nhận phải dùng https (http chỉ được dùng cho máy chủ nội bộ localhost)."
        }
        return nil
    }
}
