import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// A form submitted after the session ended is not lost (issue 20, item 8): its fields are kept on the server,
/// encrypted and keyed to the browser that sent it (the hash of its CSRF cookie, which another site's request never
/// carries: `SameSite=Strict`), for an hour. After signing in again, the page the form was on asks for them
/// (`GET /ban-nhap`, once: reading deletes them) and fills the form in; nothing is submitted without the user.
enum FormDrafts {
    static let table = "form_drafts"
    static let purpose = "form-draft"
    /// A cookie the page script reads (not a secret: it only says that a draft is waiting).
    static let markerCookie = "thads_draft"
    static let lifetime: TimeInterval = 3_600
    /// Never kept: secrets and the form machinery.
    static let skipped: Set<String> = ["_csrf", FormOnce.field, "password", "newPassword", "currentPassword", "code"]

    struct Draft: Codable, Sendable {
        var path: String
        var fields: [[String]]
    }

    static func browserKey(_ req: Request) -> String? {
        guard let browser = req.browserID, browser.count >= 20 else { return nil }
        return SHA256.hex(Data(browser.utf8))
    }

    /// Keeps the submitted form of a request whose session has ended; returns where to sign in.
    static func keep(_ req: Request) async throws -> Response? {
        guard let key = browserKey(req),
            req.headers.contentType == .urlEncodedForm,
            let body = req.body.string, body.utf8.count <= 200_000,
            let path = FormOnce.refererPath(req)
        else { return nil }
        // Decoded by hand: a body is untrusted, and `URLComponents` traps on a malformed percent-encoding.
        func decoded(_ part: Substring) -> String {
            let spaced = part.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        let fields = body.split(separator: "&").compactMap { pair -> [String]? in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.map(decoded), !name.isEmpty else { return nil }
            return [name, parts.count > 1 ? decoded(parts[1]) : ""]
        }.filter { !skipped.contains($0[0]) && !$0[0].lowercased().contains("password") }
        guard !fields.isEmpty else { return nil }
        let sealed = try req.application.keys.encrypt(
            String(decoding: try JSONEncoder().encode(Draft(path: path, fields: fields)), as: UTF8.self),
            purpose: purpose)
        let now = req.clock.now
        try await req.application.write(on: req.db) { db in
            let sql = try db.sql
            try await sql.delete(from: table).where("browser_key", .equal, SQLBind(key)).run()
            try await sql.delete(from: table).where("at", .lessThan, SQLBind(now.addingTimeInterval(-lifetime))).run()
            try await sql.insert(into: table).columns("browser_key", "at", "draft")
                .values(SQLBind(key), SQLBind(now), SQLBind(sealed)).run()
        }
        let next = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        let response = req.redirect(to: "/dang-nhap?het-phien=1&tiep=" + next)
        response.cookies[markerCookie] = HTTPCookies.Value(
            string: "1", maxAge: Int(lifetime), path: "/", isSecure: req.application.settings.usesHTTPS,
            isHTTPOnly: false, sameSite: .strict)
        return response
    }

    /// The browser's waiting draft, removed as it is read; nil when there is none or it is too old.
    static func take(_ req: Request) async throws -> Draft? {
        guard let key = browserKey(req) else { return nil }
        let now = req.clock.now
        struct Row: Decodable {
            let draft: String
            let at: Date
        }
        let row = try await req.application.write(on: req.db) { db -> Row? in
            let sql = try db.sql
            let row = try await sql.select().columns("draft", "at").from(table)
                .where("browser_key", .equal, SQLBind(key)).first(decoding: Row.self)
            try await sql.delete(from: table).where("browser_key", .equal, SQLBind(key)).run()
            return row
        }
        guard let row, now.timeIntervalSince(row.at) <= lifetime,
            let text = try? req.application.keys.decrypt(row.draft, purpose: purpose)
        else { return nil }
        return try? JSONDecoder().decode(Draft.self, from: Data(text.utf8))
    }
}

struct CreateFormDrafts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FormDrafts.table)
            .field("browser_key", .string, .identifier(auto: false))
            .field("at", .datetime, .required)
            .field("draft", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FormDrafts.table).delete()
    }
}
