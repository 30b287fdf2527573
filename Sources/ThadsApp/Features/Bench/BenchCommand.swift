import Fluent
import Foundation
import SQLKit
import ThadsDomain
import Vapor

/// `thads bench`: measures search, case page and work list latency end to end through HTTP on the data in the
/// database (generate it with `thads demo-data --cases N`), and the throughput of the authenticated case page
/// against a route without database work in the same server with `wrk`. Prints a table and writes JSON.
struct BenchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "samples", help: "Requests per latency figure (default 300)")
        var samples: Int?
        @Option(name: "duration", help: "Seconds per wrk run (default 10)")
        var duration: Int?
        @Option(name: "connections", help: "wrk connections (default 32)")
        var connections: Int?
        @Option(name: "output", help: "JSON file for the results (default bench-results.json)")
        var output: String?
        @Option(
            name: "online", help: "Online-support requests to measure the status page and queue on (default 0: skip)")
        var online: Int?

        @Option(
            name: "debtors",
            help: "Published debtors' entries to measure the public search on (default 0: skip)")
        var debtors: Int?

        @Option(
            name: "exchange",
            help:
                "Changes to read from the API's change feed, then signed case reads at --connections (default 0: skip)")
        var exchange: Int?
    }

    var help: String { "Đo hiệu năng: tìm kiếm, trang hồ sơ, danh sách việc (p50/p99) và thông lượng HTTP (wrk)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        // A redirect (a pending gate, an expired session) must fail the bench, not be measured as the page.
        app.http.client.configuration.redirectConfiguration = .disallow
        let samples = max(20, signature.samples ?? 300)
        let size = try await BenchData.size(app)
        context.console.print(
            "Dữ liệu: \(size.cases) hồ sơ, \(size.parties) đương sự (\(app.databaseKind == .postgres ? "PostgreSQL" : "SQLite"))"
        )
        guard size.cases > 0 else {
            context.console.print("Chưa có dữ liệu: chạy `thads demo-data --cases N` trước.")
            return
        }
        let inputs = try await BenchData.sample(app, count: samples)
        let sessions = try await BenchData.sessions(app)
        let port = Int.random(in: 20_000..<40_000)
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
        let base = "http://127.0.0.1:\(port)"
        var figures: [BenchFigure] = []
        do {
            let reader = sessions.reader
            func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
            let measurements: [(String, String, [String])] = [
                ("name-whole", reader, inputs.map { "/api/ho-so?cach-tim=whole&ten=" + enc($0.name) }),
                ("name-prefix", reader, inputs.map { "/api/ho-so?cach-tim=prefix&ten=" + enc($0.prefix) }),
                ("name-words", reader, inputs.map { "/api/ho-so?cach-tim=words&ten=" + enc($0.words) }),
                ("id-number", reader, inputs.compactMap { $0.idNumber.map { "/api/ho-so?so-dinh-danh=" + $0 } }),
                ("case-page", reader, inputs.map { "/ho-so/\($0.caseID.uuidString)" }),
                // The case list as a page (with the debtors' and creditors' names), unfiltered and by status.
                ("case-list", reader, inputs.indices.map { "/ho-so?trang=\($0 % 5 + 1)" }),
                (
                    "case-list-status", reader,
                    inputs.indices.map { "/ho-so?trang-thai=" + (["accepted", "withConditions", "postponed"][$0 % 3]) }
                ),
                ("work-list", sessions.officer, Array(repeating: "/viec-cua-toi", count: min(samples, 100))),
            ]
            for (name, token, paths) in measurements {
                let figure = try await BenchHTTP.latency(
                    app, name: name, base: base, paths: paths, cookie: "\(SessionStore.cookieName)=\(token)")
                context.console.print(figure.line)
                figures.append(figure)
            }
            let pagePath = "/ho-so/\(inputs[0].caseID.uuidString)"
            let pageCode = try await EnforcementCase.find(inputs[0].caseID, on: app.db)?.code ?? "?"
            try await BenchHTTP.check(
                app, base: base, path: pagePath, cookie: "\(SessionStore.cookieName)=\(reader)",
                expected: pageCode)
            try await BenchHTTP.check(app, base: base, path: "/healthz", cookie: nil, expected: "")
            let duration = signature.duration ?? 10
            let connections = signature.connections ?? 32
            let cookie = "\(SessionStore.cookieName)=\(reader)"
            let page = try BenchHTTP.wrk(
                name: "wrk-case-page", url: base + pagePath, cookie: cookie,
                seconds: duration, connections: connections)
            // The route without database work is asked without a session: a session lookup is database work.
            let plain = try BenchHTTP.wrk(
                name: "wrk-healthz", url: base + "/healthz", cookie: nil, seconds: duration, connections: connections)
            // The same route signed in costs one session lookup and nothing else: the floor under every signed-in
            // page, against which the case page's share of `/healthz` can be judged.
            try await BenchHTTP.check(app, base: base, path: "/healthz", cookie: cookie, expected: "")
            let signedIn = try BenchHTTP.wrk(
                name: "wrk-session", url: base + "/healthz", cookie: cookie, seconds: duration,
                connections: connections)
            for figure in [page, plain, signedIn] {
                context.console.print(figure.line)
                figures.append(figure)
            }
            if let online = signature.online, online > 0 {
                for figure in try await OnlineSupportBench.measure(
                    app, count: online, samples: samples, base: base,
                    officerCookie: "\(SessionStore.cookieName)=\(sessions.officer)", seconds: duration,
                    connections: connections)
                {
                    context.console.print(figure.line)
                    figures.append(figure)
                }
            }
            if let debtors = signature.debtors, debtors > 0 {
                for figure in try await DebtorSearchBench.measure(
                    app, count: debtors, samples: samples, base: base, seconds: duration, connections: connections)
                {
                    context.console.print(figure.line)
                    figures.append(figure)
                }
            }
            if let feedLimit = signature.exchange, feedLimit > 0 {
                for figure in try await ExchangeBench.measure(
                    app, base: base, caseIDs: inputs.map(\.caseID), seconds: duration, connections: connections,
                    feedLimit: feedLimit, print: { context.console.print($0) })
                {
                    context.console.print(figure.line)
                    figures.append(figure)
                }
            }
            if let plainRate = plain.throughput, plainRate > 0 {
                for (label, figure) in [("Trang hồ sơ", page), ("Chỉ tra phiên đăng nhập", signedIn)] {
                    guard let rate = figure.throughput else { continue }
                    context.console.print(
                        "\(label) / route không dùng CSDL: " + String(format: "%.1f %%", rate / plainRate * 100))
                }
            }
        } catch {
            await app.server.shutdown()
            throw error
        }
        await app.server.shutdown()
        let report = BenchReport(
            database: app.databaseKind == .postgres ? "postgresql" : "sqlite", cases: size.cases, parties: size.parties,
            samples: samples, figures: figures, measuredAt: app.clock.now)
        let path = signature.output ?? "bench-results.json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(report).write(to: URL(fileURLWithPath: path))
        context.console.print("Kết quả JSON: \(path)")
    }
}

struct BenchFigure: Codable, Sendable {
    var name: String
    var count: Int
    var p50Milliseconds: Double?
    var p99Milliseconds: Double?
    var throughput: Double?

    var line: String {
        var parts = [name.padding(toLength: 16, withPad: " ", startingAt: 0)]
        if let p50 = p50Milliseconds { parts.append(String(format: "p50 %7.2f ms", p50)) }
        if let p99 = p99Milliseconds { parts.append(String(format: "p99 %7.2f ms", p99)) }
        if let throughput { parts.append(String(format: "%9.0f req/s", throughput)) }
        parts.append("n=\(count)")
        return parts.joined(separator: "  ")
    }
}

struct BenchReport: Codable {
    var database: String
    var cases: Int
    var parties: Int
    var samples: Int
    var figures: [BenchFigure]
    var measuredAt: Date
}
