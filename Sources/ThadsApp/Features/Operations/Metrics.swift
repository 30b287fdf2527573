import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import ThadsDomain
import Vapor

/// Request counts and latency histograms by route pattern, kept in memory and written in Prometheus's text format
/// (version 0.0.4) by `/metrics`. Written here rather than through swift-prometheus: a few dozen lines cover the
/// three metric types needed, and the package's build cost on the project's two-core machines is not.
final class RequestMetrics: Sendable {
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct Key: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    struct Series {
        var count = 0
        var sum = 0.0
        var buckets = [Int](repeating: 0, count: RequestMetrics.buckets.count)
    }

    private let series = NIOLockedValueBox<[Key: Series]>([:])

    func observe(method: String, route: String, status: Int, seconds: Double) {
        series.withLockedValue { all in
            var entry = all[Key(method: method, route: route, status: status)] ?? Series()
            entry.count += 1
            entry.sum += seconds
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { entry.buckets[index] += 1 }
            all[Key(method: method, route: route, status: status)] = entry
        }
    }

    var snapshot: [Key: Series] { series.withLockedValue { $0 } }
}

extension Application {
    private struct MetricsKey: StorageKey {
        typealias Value = RequestMetrics
    }

    var requestMetrics: RequestMetrics {
        if let metrics = storage[MetricsKey.self] { return metrics }
        let metrics = RequestMetrics()
        storage[MetricsKey.self] = metrics
        return metrics
    }
}

/// Times every request by the route it matched (its pattern, never the path with its ids).
struct RequestMetricsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let metrics = request.application.requestMetrics
        func route() -> String {
            guard let route = request.route else { return "(không khớp)" }
            return "/" + route.path.map(\.description).joined(separator: "/")
        }
        do {
            let response = try await next.respond(to: request)
            metrics.observe(
                method: request.method.rawValue, route: route(), status: Int(response.status.code),
                seconds: (ContinuousClock.now - started).seconds)
            return response
        } catch {
            let status = (error as? any AbortError)?.status.code ?? 500
            metrics.observe(
                method: request.method.rawValue, route: route(), status: Int(status),
                seconds: (ContinuousClock.now - started).seconds)
            throw error
        }
    }
}

/// `/metrics`: for the addresses of `METRICS_ALLOW` or a bearer token equal to `METRICS_TOKEN`; 401 otherwise.
struct MetricsController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "metrics", access: .anyone, use: metrics)
    }

    static func allowed(_ req: Request) -> Bool {
        let settings = req.application.settings.operations
        if let token = settings.metricsToken, let bearer = req.headers.bearerAuthorization?.token {
            let expected = SHA256.hash(data: Data(token.utf8))
            let given = SHA256.hash(data: Data(bearer.utf8))
            // Compared as digests, so the time taken says nothing about the token.
            if expected == given { return true }
        }
        return settings.metricsAllow.contains(req.clientIP)
    }

    func metrics(req: Request) async throws -> Response {
        guard Self.allowed(req) else {
            let response = Response(status: .unauthorized, body: .init(string: "401 Unauthorized\n"))
            response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
            return response
        }
        let text = try await MetricsText.render(req.application, now: req.clock.now)
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return response
    }
}

enum MetricsText {
    static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    static func render(_ app: Application, now: Date) async throws -> String {
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        let series = app.requestMetrics.snapshot.sorted {
            ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status)
        }
        metric("thads_http_requests_total", "counter", "HTTP requests by route pattern, method and status.")
        for (key, value) in series {
            lines.append(
                "thads_http_requests_total{method=\"\(key.method)\",route=\"\(label(key.route))\",status=\"\(key.status)\"} \(value.count)"
            )
        }
        metric("thads_http_server_errors_total", "counter", "HTTP responses with a 5xx status.")
        lines.append(
            "thads_http_server_errors_total \(series.filter { $0.key.status >= 500 }.reduce(0) { $0 + $1.value.count })"
        )
        metric("thads_http_request_duration_seconds", "histogram", "Request latency by route pattern and method.")
        var byRoute: [String: RequestMetrics.Series] = [:]
        for (key, value) in series {
            let name = "method=\"\(key.method)\",route=\"\(label(key.route))\""
            var merged = byRoute[name] ?? RequestMetrics.Series()
            merged.count += value.count
            merged.sum += value.sum
            for index in merged.buckets.indices { merged.buckets[index] += value.buckets[index] }
            byRoute[name] = merged
        }
        for (name, value) in byRoute.sorted(by: { $0.key < $1.key }) {
            for (index, bound) in RequestMetrics.buckets.enumerated() {
                lines.append(
                    "thads_http_request_duration_seconds_bucket{\(name),le=\"\(number(bound))\"} \(value.buckets[index])"
                )
            }
            lines.append("thads_http_request_duration_seconds_bucket{\(name),le=\"+Inf\"} \(value.count)")
            lines.append("thads_http_request_duration_seconds_sum{\(name)} \(value.sum)")
            lines.append("thads_http_request_duration_seconds_count{\(name)} \(value.count)")
        }
        let db = app.db
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded())
        let failures = try await AuditEvent.query(on: db).filter(\.$action == "login.failure")
            .filter(\.$occurredAtMs >= nowMs - 900_000).count()
        metric("thads_failed_logins_15m", "gauge", "Failed logins in the last 15 minutes.")
        lines.append("thads_failed_logins_15m \(failures)")
        let lockouts = try await AuditEvent.query(on: db).filter(\.$action == "account.lockout")
            .filter(\.$occurredAtMs >= nowMs - 86_400_000).count()
        metric("thads_lockouts_24h", "gauge", "Account lockouts in the last 24 hours.")
        lines.append("thads_lockouts_24h \(lockouts)")
        let outbox = try await OutboxMail.query(on: db).filter(\.$sentAt == nil).count()
        metric("thads_mail_outbox_depth", "gauge", "Messages waiting in the mail outbox.")
        lines.append("thads_mail_outbox_depth \(outbox)")
        let overdue = try await ScheduledJobState.query(on: db).filter(\.$nextDueAt < now).all()
        let lag = overdue.map { now.timeIntervalSince($0.nextDueAt) }.max() ?? 0
        metric("thads_job_lag_seconds", "gauge", "How long the most overdue scheduled job has waited.")
        lines.append("thads_job_lag_seconds \(number(lag.rounded()))")
        metric("thads_backup_age_seconds", "gauge", "Age of the last successful backup (-1: none).")
        let backup = try await OperationsWatch.lastSuccess(OperationsWatch.snapshotKinds, on: db)
        lines.append(
            "thads_backup_age_seconds \(number(backup.map { now.timeIntervalSince($0.startedAt).rounded() } ?? -1))")
        metric("thads_drill_age_seconds", "gauge", "Age of the last successful restore drill (-1: none).")
        let drill = try await OperationsWatch.lastSuccess([.drill], on: db)
        lines.append(
            "thads_drill_age_seconds \(number(drill.map { now.timeIntervalSince($0.startedAt).rounded() } ?? -1))")
        let openAlerts = try await OperationsAlert.query(on: db).filter(\.$acknowledgedAt == nil).count()
        metric("thads_alerts_open", "gauge", "Alerts not acknowledged yet.")
        lines.append("thads_alerts_open \(openAlerts)")
        metric("thads_database_size_bytes", "gauge", "Size of the database.")
        lines.append("thads_database_size_bytes \(try await databaseSize(app))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func databaseSize(_ app: Application) async throws -> Int64 {
        switch app.databaseKind {
        case .postgres:
            struct Size: Decodable { let size: Int64 }
            return try await app.db.sql.raw("SELECT pg_database_size(current_database()) AS size")
                .first(decoding: Size.self)?.size ?? 0
        case .sqlite:
            let base = app.settings.dataDirectory + "/thads.sqlite"
            return ["", "-wal"].reduce(Int64(0)) { total, suffix in
                let size = (try? FileManager.default.attributesOfItem(atPath: base + suffix))?[.size] as? NSNumber
                return total + (size?.int64Value ?? 0)
            }
        }
    }
}
