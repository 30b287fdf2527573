import Foundation
import Testing
import ThadsDomain

@Suite("Webhook schedule")
struct WebhookScheduleTests {
    @Test("failed attempts wait 1 min, 5 min, 30 min, 2 h, 12 h, then the delivery is dead")
    func backOff() {
        let waits = (1...7).map { WebhookSchedule.delay(afterFailedAttempts: $0) }
        #expect(waits == [60, 300, 1_800, 7_200, 43_200, nil, nil])
        #expect(WebhookSchedule.delay(afterFailedAttempts: 0) == nil)
        #expect(WebhookSchedule.maxAttempts == 6)
        // Every wait is longer than the one before and longer than the lease of a claimed delivery's attempt.
        #expect(zip(WebhookSchedule.delays, WebhookSchedule.delays.dropFirst()).allSatisfy { $0 < $1 })
        #expect(WebhookSchedule.leaseSeconds > WebhookSchedule.timeoutSeconds)
    }

    @Test("only 2xx counts as delivered")
    func success() {
        #expect(WebhookSchedule.isSuccess(status: 200))
        #expect(WebhookSchedule.isSuccess(status: 204))
        #expect(!WebhookSchedule.isSuccess(status: 301))
        #expect(!WebhookSchedule.isSuccess(status: 404))
        #expect(!WebhookSchedule.isSuccess(status: 500))
    }

    @Test("addresses: https anywhere, http only to the machine itself, no credentials or fragment")
    func addresses() {
        #expect(WebhookSchedule.refusal(url: "https://toa-an.example.vn/thads/webhook") == nil)
        #expect(WebhookSchedule.refusal(url: "https://10.0.0.5:8443/hook?k=1") == nil)
        #expect(WebhookSchedule.refusal(url: "http://127.0.0.1:8081/hook") == nil)
        #expect(WebhookSchedule.refusal(url: "http://localhost/hook") == nil)
        #expect(WebhookSchedule.refusal(url: "http://toa-an.example.vn/hook")?.contains("https") == true)
        #expect(WebhookSchedule.refusal(url: "ftp://toa-an.example.vn/hook") != nil)
        #expect(WebhookSchedule.refusal(url: "https://user:pw@toa-an.example.vn/hook") != nil)
        #expect(WebhookSchedule.refusal(url: "https://toa-an.example.vn/hook#x") != nil)
        #expect(WebhookSchedule.refusal(url: "toa-an.example.vn/hook") != nil)
        #expect(WebhookSchedule.refusal(url: "https://" + String(repeating: "a", count: 500) + ".vn") != nil)
    }
}
