import Fluent
import Foundation
import ThadsDomain
import Vapor

/// `thads bench --online N`: N submitted online requests in the demo officer's unit (only those missing are
/// added), then the public status page (by secret link) and the staff intake queue are measured. The status page is
/// counted per address like every portal page: run the bench with PUBLIC_RATE_LIMIT=100000.
enum OnlineSupportBench {
    static let phoneMark = "bench"

    static func token(_ index: Int) -> String { "bench-\(index)" }

    /// Adds the missing benchmark requests; returns how many there are.
    static func seed(_ app: Application, count: Int, unitID: UUID) async throws -> Int {
        let existing = try await OnlineRequest.query(on: app.db).filter(\.$phone == phoneMark).count()
        guard existing < count else { return existing }
        let now = app.clock.now
        let states = ["receive", "check", "appointment", "processing", "approval"]
        var next = existing
        while next < count {
            let upper = min(count, next + 5_000)
            var rows = BulkInsert(
                OnlineRequest.schema,
                [
                    "id", "procedure", "unit_id", "province_code", "tracking_code", "secret_hash", "email", "phone",
                    "submitter_name", "fields", "otp_attempts", "created_at", "submitted_at", "state", "step_due_at",
                    "request_due_at", "pauses", "completed_at",
                ])
            for index in next..<upper {
                let submitted = now.addingTimeInterval(-Double(index % 2_000) * 3_600)
                let done = index % 5 < 2
                let due: Date? = done ? nil : submitted.addingTimeInterval(86_400 * Double(1 + index % 3))
                rows.add([
                    UUID(), OnlineProcedure.allCases[index % 3].rawValue, unitID, "BN",
                    "BN-\(index)", OnlineSubmissions.secretHash(token(index), keys: app.keys),
                    "bench\(index % 1_000)@thads.local", phoneMark, "Người gửi \(index)", "{}", 0, submitted, submitted,
                    done ? "completed" : states[index % states.count], due,
                    submitted.addingTimeInterval(5 * 86_400), "[]", done ? submitted.addingTimeInterval(86_400) : nil,
                ])
            }
            try await BenchHTTP.store(rows, app)
            next = upper
        }
        return count
    }

    static func measure(
        _ app: Application, count: Int, samples: Int, base: String, officerCookie: String, seconds: Int,
        connections: Int
    ) async throws -> [BenchFigure] {
        guard
            let officer = try await Account.query(on: app.db).filter(\.$username == "demo.enforcementofficer").first()
        else { return [] }
        let total = try await seed(app, count: count, unitID: officer.unitID)
        let statusPaths = (0..<samples).map { _ in
            "/\(PublicPages.prefix)/\(OnlinePublicController.root)/theo-doi/\(token(Int.random(in: 0..<total)))"
        }
        let queuePaths = (0..<min(samples, 100)).map { index in
            ["/ho-tro-truc-tuyen", "/ho-tro-truc-tuyen?han=qua-han", "/ho-tro-truc-tuyen?thu-tuc=kien-nghi-phan-anh"][
                index % 3]
        }
        var figures: [BenchFigure] = []
        figures.append(
            try await BenchHTTP.latency(app, name: "online-status", base: base, paths: statusPaths, cookie: ""))
        figures.append(
            try await BenchHTTP.latency(
                app, name: "online-queue", base: base, paths: queuePaths, cookie: officerCookie))
        try await BenchHTTP.check(app, base: base, path: statusPaths[0], cookie: nil, expected: "BN-")
        figures.append(
            try BenchHTTP.wrk(
                name: "wrk-online-status", url: base + statusPaths[0], cookie: nil, seconds: seconds,
                connections: connections))
        return figures
    }
}
