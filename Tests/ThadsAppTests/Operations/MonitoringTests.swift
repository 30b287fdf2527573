import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct MetricsTests {
    static let token = "thads-metrics-test-token-123"
    static var override: SettingsOverride {
        SettingsOverride {
            $0.operations.metricsToken = MetricsTests.token
            $0.operations.metricsAllow = []
        }
    }

    /// The text format's rules, as a scraper reads them: every sample line is `name{labels} value`, a metric's
    /// HELP and TYPE come before its samples and once only, and a histogram's buckets are cumulative and end with
    /// `+Inf` equal to its count.
    static func parse(_ text: String) throws -> [(name: String, labels: [String: String], value: Double)] {
        var types: [String: String] = [:]
        var samples: [(String, [String: String], Double)] = []
        let sample = try Regex(#"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|\+Inf|NaN)$"#)
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4)
                #expect(types[String(parts[2])] == nil, "TYPE twice for \(parts[2])")
                #expect(["counter", "gauge", "histogram", "summary", "untyped"].contains(String(parts[3])))
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            let match = try #require(try sample.wholeMatch(in: String(line)), "not a sample line: \(line)")
            let name = String(match.output[1].substring!)
            var labels: [String: String] = [:]
            if let body = match.output[3].substring {
                let pair = try Regex(#"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""#)
                for found in String(body).matches(of: pair) {
                    labels[String(found.output[1].substring!)] = String(found.output[2].substring!)
                }
            }
            let family = types.keys.first {
                name == $0 || name == $0 + "_bucket" || name == $0 + "_sum" || name == $0 + "_count"
            }
            #expect(family != nil, "\(name) has no TYPE before it")
            let value = Double(match.output[4].substring!) ?? (match.output[4].substring == "+Inf" ? .infinity : .nan)
            samples.append((name, labels, value))
        }
        return samples
    }

    @Test func metricsAreRefusedWithoutTheTokenAndParseWithIt() async throws {
        try await withTestApp(Self.override) { app async throws in
            let client = TestClient(app)
            for _ in 0..<3 { try await client.get("/dang-nhap") }
            try await client.get("/khong-co-trang-nay")
            let refused = try await client.get("/metrics")
            #expect(refused.status == .unauthorized)
            #expect(!refused.body.string.contains("thads_http_requests_total"))
            client.headers.replaceOrAdd(name: .authorization, value: "Bearer wrong-token")
            #expect(try await client.get("/metrics").status == .unauthorized)
            client.headers.replaceOrAdd(name: .authorization, value: "Bearer " + Self.token)
            let scraped = try await client.get("/metrics")
            #expect(scraped.status == .ok)
            #expect(scraped.headers.first(name: .contentType)?.hasPrefix("text/plain; version=0.0.4") == true)
            let samples = try Self.parse(scraped.body.string)
            let logins = samples.first {
                $0.name == "thads_http_requests_total" && $0.labels["route"] == "/dang-nhap"
                    && $0.labels["method"] == "GET" && $0.labels["status"] == "200"
            }
            #expect(logins?.value == 3)
            // By pattern, never by the path typed.
            #expect(!samples.contains { $0.labels["route"]?.contains("khong-co-trang-nay") == true })
            let buckets = samples.filter {
                $0.name == "thads_http_request_duration_seconds_bucket" && $0.labels["route"] == "/dang-nhap"
            }
            #expect(buckets.count == RequestMetrics.buckets.count + 1)
            #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value })
            #expect(buckets.last?.labels["le"] == "+Inf" && buckets.last?.value == 3)
            for name in [
                "thads_failed_logins_15m", "thads_lockouts_24h", "thads_mail_outbox_depth", "thads_job_lag_seconds",
                "thads_backup_age_seconds", "thads_database_size_bytes", "thads_http_server_errors_total",
            ] {
                #expect(samples.contains { $0.name == name }, "\(name) missing")
            }
            #expect((samples.first { $0.name == "thads_database_size_bytes" }?.value ?? 0) > 0)
            #expect(samples.first { $0.name == "thads_backup_age_seconds" }?.value == -1)
        }
    }
}

@Suite struct AlertRuleTests {
    /// Seven days of ordinary work for three officers of one unit (30 case views a day each), then today.
    static func week(_ app: Application, todayViews: [Int]) async throws -> [Account] {
        let unit = try await Fixtures.unit(app, code: "01")
        var accounts: [Account] = []
        for index in 0..<3 {
            accounts.append(
                try await Fixtures.account(app, "cb.\(index)", unit: "01", roles: [.enforcementOfficer]).account)
        }
        let today = LocalDate(iso: "2026-12-02")!
        let now = today.startOfDay(in: .vietnam).addingTimeInterval(15 * 3600)
        app.clock = .fixed(now)
        func views(_ account: Account, _ count: Int, at instant: Date) async throws {
            let actor = AuditActor(accountID: account.id, username: account.username, unitID: unit.id, ip: "10.0.0.1")
            let entries = (0..<count).map { _ in
                (
                    entry: AuditEntry(
                        action: "case.view", objectType: "case", objectID: UUID().uuidString, unitID: unit.id),
                    actor: actor
                )
            }
            try await app.write(on: app.db) { db in try await AuditLog.record(entries, at: instant, on: db) }
        }
        for day in 1...7 {
            let instant = today.adding(days: -day).startOfDay(in: .vietnam).addingTimeInterval(10 * 3600)
            for account in accounts { try await views(account, 30 + day, at: instant) }
        }
        for (account, count) in zip(accounts, todayViews) {
            try await views(account, count, at: now.addingTimeInterval(-3600))
        }
        return accounts
    }

    @Test func aBurstOfViewsByOneAccountRaisesOneAlertAndMailsTheCentralAdmins() async throws {
        try await withTestApp { app async throws in
            let admin = try await Fixtures.account(app, "qt.anninh", class: .centralAdmin)
            let accounts = try await Self.week(app, todayViews: [600, 35, 28])
            try await OperationsWatch.evaluate(.system(app, task: "test"))
            let alerts = try await OperationsAlert.query(on: app.db).filter(
                \.$rule == AlertRule.abnormalAccess.rawValue
            )
            .all()
            #expect(alerts.count == 1)
            #expect(alerts.first?.subject.contains(accounts[0].id!.uuidString) == true)
            let mailed = try await OutboxMail.query(on: app.db).filter(\.$recipient == admin.account.email).all()
            #expect(mailed.contains { $0.subject.contains(AlertRule.abnormalAccess.label) })
            // Evaluated again: still one open alert for the same cause.
            try await OperationsWatch.evaluate(.system(app, task: "test"))
            #expect(
                try await OperationsAlert.query(on: app.db).filter(\.$rule == AlertRule.abnormalAccess.rawValue)
                    .count() == 1)
            // Acknowledged with a note, on the operator page; a note is required.
            let (client, _) = try await Fixtures.signedIn(app, "qt.vanhanh", class: .centralAdmin)
            let path = "/van-hanh/canh-bao/\(alerts[0].id!.uuidString)/xac-nhan"
            #expect(try await client.post(path, [("note", "  ")]).status == .badRequest)
            let done = try await client.post(path, [("note", "Đã gọi điện xác minh: kiểm tra theo kế hoạch")])
            #expect(done.status == .seeOther)
            let acknowledged = try #require(try await OperationsAlert.find(alerts[0].id, on: app.db))
            #expect(acknowledged.acknowledgedBy == "qt.vanhanh")
            #expect(acknowledged.note?.contains("xác minh") == true)
        }
    }

    @Test func aNormalDayRaisesNoAccessAlert() async throws {
        try await withTestApp { app async throws in
            _ = try await Self.week(app, todayViews: [41, 35, 28])
            try await OperationsWatch.evaluate(.system(app, task: "test"))
            let access = try await OperationsAlert.query(on: app.db)
                .filter(\.$rule ~~ [AlertRule.abnormalAccess.rawValue, AlertRule.unusualHours.rawValue]).count()
            #expect(access == 0)
        }
    }

    /// F3: the threshold is a setting; the reading is the machine's own unless a test replaces it.
    @Test func aNearlyFullDiskRaisesOneAlertAtTheThresholdFromSettings() async throws {
        try await withTestApp(SettingsOverride { $0.operations.diskFreePercent = 15 }) { app async throws in
            #expect(DiskReading.measure(app.settings.dataDirectory) != nil, "the real reading answers")
            let ctx = ActionContext.system(app, task: "test")
            app.diskReading = { _ in DiskReading(freeBytes: 16, totalBytes: 100) }
            try await OperationsWatch.evaluate(ctx)
            let disk = OperationsAlert.query(on: app.db).filter(\.$rule == AlertRule.diskNearlyFull.rawValue)
            #expect(try await disk.count() == 0, "16% free is above a 15% threshold")
            app.diskReading = { _ in DiskReading(freeBytes: 14, totalBytes: 100) }
            try await OperationsWatch.evaluate(ctx)
            try await OperationsWatch.evaluate(ctx)
            let raised = try await OperationsAlert.query(on: app.db)
                .filter(\.$rule == AlertRule.diskNearlyFull.rawValue).all()
            #expect(raised.count == 1, "one open alert per cause, however often the rule runs")
            #expect(raised.first?.summary.contains("14%") == true)
        }
    }

    @Test func accessAtNightAndFailedLoginBurstsRaiseAlerts() async throws {
        try await withTestApp(SettingsOverride { $0.operations.failedLoginBurst = 5 }) { app async throws in
            let night = LocalDate(iso: "2026-12-02")!.startOfDay(in: .vietnam).addingTimeInterval(2 * 3600 + 600)
            app.clock = .fixed(night)
            let made = try await Fixtures.account(app, "cb.dem", unit: "01", roles: [.enforcementOfficer])
            let client = TestClient(app)
            for _ in 0..<5 { try await client.post("/dang-nhap", [("username", "khong.co"), ("password", "sai")]) }
            try await app.write(on: app.db) { db in
                try await AuditLog.record(
                    AuditEntry(action: "case.view", objectType: "case", objectID: UUID().uuidString),
                    actor: AuditActor(
                        accountID: made.account.id, username: "cb.dem", unitID: made.account.unitID, ip: nil),
                    at: night, on: db)
            }
            try await OperationsWatch.evaluate(.system(app, task: "test"))
            let rules = Set(try await OperationsAlert.query(on: app.db).all().map(\.rule))
            #expect(rules.contains(AlertRule.unusualHours.rawValue))
            #expect(rules.contains(AlertRule.failedLoginBurst.rawValue))
        }
    }
}

@Suite struct OperationsLogTests {
    @Test func retentionRefusesToDeleteRowsYoungerThanTwoYears() async throws {
        try await withTestApp { app async throws in
            let ctx = ActionContext.system(app, task: "test")
            try await app.write(on: app.db) { db in
                try await OperationsLog.append(
                    actor: "x", task: "cũ", result: "ok", at: ctx.now.addingTimeInterval(-4 * 365 * 86400), on: db)
                try await OperationsLog.append(
                    actor: "x", task: "mới", result: "ok", at: ctx.now.addingTimeInterval(-400 * 86400), on: db)
            }
            await #expect(throws: OperationsLog.RetentionRefused.self) {
                try await OperationsLog.purge(before: ctx.now.addingTimeInterval(-365 * 86400), in: ctx)
            }
            #expect(try await OperationsLogEntry.query(on: app.db).count() == 2)
            let removed = try await OperationsLog.purge(before: ctx.now.addingTimeInterval(-3 * 365 * 86400), in: ctx)
            #expect(removed == 1)
            #expect(try await OperationsLogEntry.query(on: app.db).all().map(\.task) == ["mới"])
        }
    }

    @Test func anOperatorWritesSearchesAndExportsTheLog() async throws {
        try await withTestApp { app async throws in
            let (client, _) = try await Fixtures.signedIn(app, "qt.vanhanh", class: .centralAdmin)
            #expect(try await client.post("/van-hanh/nhat-ky", [("task", ""), ("result", "")]).status == .badRequest)
            let saved = try await client.post(
                "/van-hanh/nhat-ky", [("task", "Thay ổ đĩa máy chủ"), ("result", "Hoàn thành"), ("notes", "Ổ số 2")])
            #expect(saved.status == .seeOther)
            let found = try await client.get("/van-hanh/nhat-ky?q=o%20dia")
            #expect(found.body.string.contains("Thay ổ đĩa máy chủ"))
            let none = try await client.get("/van-hanh/nhat-ky?q=khong-co")
            #expect(!none.body.string.contains("Thay ổ đĩa máy chủ"))
            let csv = try await client.post("/van-hanh/nhat-ky/xuat", [("q", "")])
            #expect(csv.status == .ok)
            #expect(csv.body.string.contains("Thay ổ đĩa máy chủ"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "operations.logExported").count() == 1)
            let (officer, _) = try await Fixtures.signedIn(app, "cb.thuong", roles: [.enforcementOfficer])
            #expect(try await officer.get("/van-hanh").status == .forbidden)
        }
    }
}
