import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// What the benchmark asks for: real names and ID numbers drawn from the data, and sessions to ask with.
enum BenchData {
    struct Input {
        let name: String
        let prefix: String
        let words: String
        let idNumber: String?
        let caseID: UUID
    }

    static func size(_ app: Application) async throws -> (cases: Int, parties: Int) {
        (
            try await EnforcementCase.query(on: app.db).count(),
            try await CaseParty.query(on: app.db).count()
        )
    }

    /// Parties picked at random through the primary-key index (no full scan): the first party after a random id.
    static func sample(_ app: Application, count: Int) async throws -> [Input] {
        var inputs: [Input] = []
        var attempts = 0
        while inputs.count < count && attempts < count * 5 {
            attempts += 1
            let after = try await CaseParty.query(on: app.db).filter(\.$id >= UUID()).sort(\.$id).first()
            let wrapped = after == nil ? try await CaseParty.query(on: app.db).sort(\.$id).first() : after
            guard let party = wrapped else { break }
            let words = party.fullName.split(separator: " ").map(String.init)
            guard words.count >= 2 else { continue }
            // Prefix: all but the last word and the last word's first letter, typed without marks.
            let prefix = VietnameseText.fold(
                words.dropLast().joined(separator: " ") + " " + String(words.last!.prefix(1)))
            let id = try party.idNumberCipher.map { try app.keys.decrypt($0, purpose: CaseRecord.idPurpose) }
            inputs.append(
                Input(
                    name: party.fullName, prefix: prefix, words: words.reversed().joined(separator: " "), idNumber: id,
                    caseID: party.caseID))
        }
        return inputs
    }

    /// Sessions for a central inspector and verifier (sees every case and may search by ID number) and the demo enforcement officer (has a work list).
    /// Only on a demo installation (`thads demo-data`): the bench reader sees every case in the country, which no
    /// real installation may hand out outside the two-tier approval.
    static func sessions(_ app: Application) async throws -> (reader: String, officer: String) {
        guard app.isDemoInstallation else {
            throw Abort(
                .forbidden,
                reason:
                    "thads bench chỉ chạy trên cài đặt dữ liệu mẫu (thads demo-data): nó tạo tài khoản xem toàn quốc")
        }
        let central = try await UnitCatalog.central(on: app.db)
        var reader = try await Account.query(on: app.db).filter(\.$username == "bench.reader").first()
        if reader == nil {
            let account = Account()
            account.id = UUID()
            let fakeID = "001099999999"
            account.nationalIDIndex = app.keys.blindIndex(fakeID + "bench", purpose: "national-id")
            account.nationalIDCipher = try app.keys.encrypt(fakeID, purpose: "national-id")
            account.nationalIDLast3 = "999"
            let snapshot = Account.Snapshot(
                username: "bench.reader", fullName: "Tài khoản đo hiệu năng", email: "bench.reader@thads.local",
                nationalIDMasked: "", position: nil, accountClass: AccountClass.internalUser.rawValue,
                unitID: central.id!, roles: [Role.inspector.rawValue, Role.verifier.rawValue],
                status: AccountStatus.active.rawValue,
                externalValidUntil: nil, grantedUnitIDs: nil)
            try await app.write(on: app.db) { db in
                try await AccountWrites.apply(snapshot, to: account, isNew: true, on: db)
                try await account.save(on: db)
                try await AuditLog.record(
                    AuditEntry(
                        action: "account.created", objectType: "account", objectID: account.id?.uuidString,
                        unitID: central.id, summary: "Tài khoản đo hiệu năng (thads bench, cài đặt dữ liệu mẫu)",
                        after: AuditEntry.json(snapshot)),
                    actor: .system, at: app.clock.now, on: db)
            }
            reader = account
        }
        // The bench signs in by session, never by password: a pending password change would turn every page it asks
        // for into a redirect to the change form, and the figures would measure that form instead.
        if let account = reader, account.mustChangePassword || account.passwordChangedAt == nil {
            account.mustChangePassword = false
            account.passwordChangedAt = app.clock.now
            try await app.write(on: app.db) { db in try await account.save(on: db) }
        }
        guard let officer = try await Account.query(on: app.db).filter(\.$username == "demo.enforcementofficer").first()
        else { throw Abort(.internalServerError, reason: "demo accounts missing: run demo-data first") }
        return (try await session(for: reader!, app), try await session(for: officer, app))
    }

    private static func session(for account: Account, _ app: Application) async throws -> String {
        let token = SessionStore.newToken()
        let session = UserSession()
        session.id = UUID()
        session.tokenHash = SessionStore.tokenHash(token)
        session.accountID = account.id!
        session.createdAt = app.clock.now
        session.lastSeenAt = app.clock.now
        session.mfaPassed = true
        session.userAgent = "thads bench"
        try await app.write(on: app.db) { db in try await session.create(on: db) }
        return token
    }
}

enum BenchHTTP {
    /// Sequential requests, one at a time: the latency a user waits for, end to end through HTTP.
    /// Writes one batch of seeded rows in its own transaction.
    static func store(_ rows: BulkInsert, _ app: Application) async throws {
        try await app.write(on: app.db) { db in
            var batch = rows
            try await batch.flush(on: db)
        }
    }

    static func latency(_ app: Application, name: String, base: String, paths: [String], cookie: String) async throws
        -> BenchFigure
    {
        var timings: [Double] = []
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: cookie)
        // One warm-up request, not counted.
        if let first = paths.first { _ = try await get(app, base + first, headers: headers) }
        for path in paths {
            let start = DispatchTime.now().uptimeNanoseconds
            let response = try await get(app, base + path, headers: headers)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            guard response.status == .ok else {
                throw Abort(.internalServerError, reason: "\(name): \(path) → \(response.status.code)")
            }
            timings.append(elapsed)
        }
        timings.sort()
        func percentile(_ p: Double) -> Double? {
            timings.isEmpty ? nil : timings[min(timings.count - 1, Int((Double(timings.count) * p).rounded(.up)) - 1)]
        }
        return BenchFigure(
            name: name, count: timings.count, p50Milliseconds: percentile(0.50), p99Milliseconds: percentile(0.99))
    }

    /// One request; `BenchCommand` turns off following redirects: a figure must be of the page asked for.
    static func get(_ app: Application, _ url: String, headers: HTTPHeaders) async throws -> ClientResponse {
        try await app.client.get(URI(string: url), headers: headers)
    }

    /// Checks that `path` answers 200 with `expected` in its body, before wrk measures it (wrk counts a redirect as
    /// a success).
    static func check(_ app: Application, base: String, path: String, cookie: String?, expected: String) async throws {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: .cookie, value: cookie) }
        let response = try await get(app, base + path, headers: headers)
        let body = response.body.map { String(buffer: $0) } ?? ""
        guard response.status == .ok, expected.isEmpty || body.contains(expected) else {
            throw Abort(
                .internalServerError, reason: "\(path) → \(response.status.code), expected a page with “\(expected)”")
        }
    }

    /// Throughput and p99 under load with wrk (Debian package `wrk`).
    static func wrk(name: String, url: String, cookie: String?, seconds: Int, connections: Int) throws -> BenchFigure {
        let result = try ExternalProgram.runBlocking(
            "wrk",
            ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency"] + (cookie.map { ["-H", "Cookie: \($0)"] } ?? [])
                + [url])
        let output = result.text + result.stderr
        guard result.succeeded else {
            throw Abort(.internalServerError, reason: "wrk failed (apt-get install wrk): \(output.prefix(300))")
        }
        func number(_ pattern: String) -> Double? {
            guard let range = output.range(of: pattern, options: .regularExpression) else { return nil }
            let text = String(output[range])
            let value = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map(String.init) ?? ""
            let digits = Double(value.filter { $0.isNumber || $0 == "." }) ?? 0
            if value.hasSuffix("us") { return digits / 1000 }
            if value.hasSuffix("ms") { return digits }
            if value.hasSuffix("s") { return digits * 1000 }
            return digits
        }
        let requests = number(#"Requests/sec:\s+[0-9.]+"#)
        let non2xx = output.contains("Non-2xx")
        if non2xx { throw Abort(.internalServerError, reason: "\(name): non-2xx answers under load:\n\(output)") }
        let total = output.range(of: #"[0-9]+ requests in"#, options: .regularExpression).flatMap {
            Int(output[$0].split(separator: " ")[0])
        }
        return BenchFigure(
            name: name, count: total ?? 0,
            p50Milliseconds: number(#"50%\s+[0-9.]+(us|ms|s)"#), p99Milliseconds: number(#"99%\s+[0-9.]+(us|ms|s)"#),
            throughput: requests)
    }
}
