import Fluent
import Foundation
import SQLKit
import Vapor

/// One-time submission tokens: every form carries `_once` (a random value rendered with its CSRF field), and the
/// server admits each value once. A second submission of the same form — a double click, a retried request — does
/// nothing and is sent where the first one went, so a money row entered twice is stored once.
enum FormOnce {
    static let field = "_once"
    static let table = "form_submissions"

    /// A fresh token for one rendering of a form.
    static func token() -> String { UUID().uuidString.lowercased() }

    /// Claims `token`; nil when this request is the first to use it, else where the first one was sent (waiting a
    /// moment for it to finish), or the page the form was on.
    static func claim(_ token: String, req: Request) async throws -> String? {
        let now = req.clock.now
        let inserted = try await req.application.write(on: req.db) { db in
            let sql = try db.sql
            if Int.random(in: 0..<100) == 0 {
                try await sql.delete(from: table).where("at", .lessThan, SQLBind(now.addingTimeInterval(-86_400)))
                    .run()
            }
            struct Row: Decodable { let token: String }
            return try await sql.raw(
                """
                INSERT INTO form_submissions (token, at, location) VALUES (\(bind: token), \(bind: now), NULL)
                ON CONFLICT (token) DO NOTHING RETURNING token
                """
            ).first(decoding: Row.self) != nil
        }
        if inserted { return nil }
        struct Stored: Decodable { let location: String? }
        for _ in 0..<30 {
            let stored = try await req.db.sql.raw(
                "SELECT location FROM form_submissions WHERE token = \(bind: token)"
            ).first(decoding: Stored.self)
            if let location = stored?.location, !location.isEmpty { return location }
            if stored?.location != nil { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return refererPath(req) ?? "/"
    }

    /// Keeps where the first submission was sent ("" when it answered with a page).
    static func finish(_ token: String, response: Response, req: Request) async throws {
        let location = response.headers.first(name: .location) ?? ""
        try await req.application.write(on: req.db) { db in
            try await db.sql.raw(
                "UPDATE form_submissions SET location = \(bind: location) WHERE token = \(bind: token)"
            ).run()
        }
    }

    /// The path (and query) of the page the form was on, when it is this site's.
    static func refererPath(_ req: Request) -> String? {
        guard let referer = req.headers.first(name: .referer), let url = URLComponents(string: referer),
            url.path.hasPrefix("/")
        else { return nil }
        return url.path + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
    }
}

struct CreateFormSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FormOnce.table)
            .field("token", .string, .identifier(auto: false))
            .field("at", .datetime, .required)
            .field("location", .string)
            .create()
        try await database.sql.raw("CREATE INDEX form_submissions_at ON form_submissions (at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FormOnce.table).delete()
    }
}
