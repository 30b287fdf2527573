import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// Issue 16, item 6: accounts get a single-use link to set their password; no password or token is kept anywhere
/// in clear.
@Suite struct PasswordLinkTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// A clock the test moves forward.
    static func movableClock(_ app: Application) -> NIOLockedValueBox<Date> {
        let now = NIOLockedValueBox(start)
        app.clock = AppClock { now.withLockedValue { $0 } }
        return now
    }

    /// Every byte of the data directory (database, its WAL, mail, files) and, on PostgreSQL, every row of the tables
    /// that hold mail and links, as text.
    static func everythingStored(_ app: Application) async throws -> Data {
        var bytes = Data()
        let root = app.settings.dataDirectory
        if let walker = FileManager.default.enumerator(atPath: root) {
            for case let name as String in walker {
                if let data = FileManager.default.contents(atPath: root + "/" + name) { bytes.append(data) }
            }
        }
        if isPostgres {
            for table in ["mail_outbox", "password_links", "accounts", "audit_events"] {
                let rows = try await app.db.sql.raw("SELECT row_to_json(t)::text AS j FROM \(ident: table) t").all()
                for row in rows { bytes.append(Data(try row.decode(column: "j", as: String.self).utf8)) }
            }
        }
        return bytes
    }

    @Test func anApprovedAccountSetsItsPasswordOnceThroughTheLinkAndNoSecretIsKept() async throws {
        try await TestLog.recording {
            try await withTestApp { app async throws in
                let now = Self.movableClock(app)
                let regional = try await Fixtures.regional(app, code: "01-01", under: "01")
                let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
                _ = try await local.post("/tai-khoan/moi", TwoTierTests.newAccountForm(unit: regional.id!))
                let request = try #require(try await AccountRequest.query(on: app.db).first())
                let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
                #expect(try await central.post("/phe-duyet/\(request.id!.uuidString)/duyet").status == .seeOther)

                let token = try #require(app.passwordLinkToken(to: "cbt.moi@thads.gov.vn"))
                #expect(token.count >= 40)
                // Sent, then emptied: the outbox keeps who, what subject and when, not the body.
                let outbox = try #require(
                    try await OutboxMail.query(on: app.db).filter(\.$recipient == "cbt.moi@thads.gov.vn").first())
                #expect(outbox.sentAt != nil)
                #expect(outbox.carriesSecret)
                #expect(outbox.body == Mailer.purgedBody)
                // Nowhere in clear: database file and WAL, mail directory, log.
                let stored = try await Self.everythingStored(app)
                #expect(stored.range(of: Data(token.utf8)) == nil)
                let mails = try app.mails()
                #expect(mails.count >= 1)
                #expect(!mails.contains { $0.contains(token) })
                #expect(mails.contains { $0.contains(FileMailTransport.withheldBody) })
                #expect(!TestLog.text.contains(token))
                // Nobody knows the account's password until the link is used.
                #expect(try await TestClient(app).login("cbt.moi", "anything-123").status == .unauthorized)

                let user = TestClient(app)
                let form = try await user.get("/dat-mat-khau/" + token)
                #expect(form.status == .ok)
                #expect(form.body.string.contains("Đặt mật khẩu"))
                let weak = try await user.post("/dat-mat-khau/" + token, [("new", "abc"), ("confirm", "abc")])
                #expect(weak.status == .badRequest)
                #expect(weak.body.string.contains("id=\"f-new-error\""))
                let set = try await user.post(
                    "/dat-mat-khau/" + token, [("new", "Song-Hong-Xanh-88"), ("confirm", "Song-Hong-Xanh-88")])
                #expect(set.status == .ok)
                #expect(try await TestClient(app).login("cbt.moi", "Song-Hong-Xanh-88").status == .seeOther)
                // Single use.
                let again = try await user.post(
                    "/dat-mat-khau/" + token, [("new", "Song-Hong-Xanh-99"), ("confirm", "Song-Hong-Xanh-99")])
                #expect(again.status == .gone)
                #expect(try await user.get("/dat-mat-khau/" + token).status == .gone)
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "password.setByLink").all()
                #expect(audited.count == 1)
                #expect(audited.first?.actorUsername == "cbt.moi")
                #expect(!TestLog.text.contains("Song-Hong-Xanh-88"))

                // An admin reset sends a new link, which expires after 72 hours.
                let account = try #require(
                    try await Account.query(on: app.db).filter(\.$username == "cbt.moi").first())
                _ = try await central.post("/tai-khoan/\(account.id!.uuidString)/dat-lai-mat-khau")
                #expect(try await TestClient(app).login("cbt.moi", "Song-Hong-Xanh-88").status == .unauthorized)
                let second = try #require(app.passwordLinkToken(to: "cbt.moi@thads.gov.vn"))
                #expect(second != token)
                now.withLockedValue { $0 = $0.addingTimeInterval(PasswordLinks.lifetime + 60) }
                #expect(try await user.get("/dat-mat-khau/" + second).status == .gone)
                let late = try await user.post(
                    "/dat-mat-khau/" + second, [("new", "Song-Hong-Xanh-77"), ("confirm", "Song-Hong-Xanh-77")])
                #expect(late.status == .gone)
            }
        }
    }

    @Test func aNewLinkReplacesTheOldOne() async throws {
        try await withTestApp { app async throws in
            let officer = try await Fixtures.account(app, "cb", unit: "01", roles: [.enforcementOfficer])
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            _ = try await central.post("/tai-khoan/\(officer.account.id!.uuidString)/dat-lai-mat-khau")
            let first = try #require(app.passwordLinkToken(to: "cb@thads.test"))
            _ = try await central.post("/tai-khoan/\(officer.account.id!.uuidString)/dat-lai-mat-khau")
            let second = try #require(app.passwordLinkToken(to: "cb@thads.test"))
            let user = TestClient(app)
            #expect(try await user.get("/dat-mat-khau/" + first).status == .gone)
            #expect(try await user.get("/dat-mat-khau/" + second).status == .ok)
            #expect(try await user.get("/dat-mat-khau/not-a-token").status == .gone)
        }
    }

    @Test func theFirstAdminsPasswordGoesToTheConsoleOnlyNeverToTheLog() async throws {
        try await TestLog.recording {
            try await withTestApp { app async throws in
                let console = NIOLockedValueBox("")
                try await Bootstrap.run(
                    app, createFirstAdmin: true,
                    console: { text in
                        console.withLockedValue { $0 += text }
                    })
                let printed = console.withLockedValue { $0 }
                let password = try #require(
                    printed.components(separatedBy: "Mật khẩu dùng một lần: ").last?.components(separatedBy: "\n")
                        .first)
                #expect(password.count == 16)
                #expect(!TestLog.text.contains(password))
                let stored = try await Self.everythingStored(app)
                #expect(stored.range(of: Data(password.utf8)) == nil)
                #expect(try await TestClient(app).login("admin", password).status == .seeOther)
            }
        }
    }

    @Test func dataFilesAreReadableByTheirOwnerOnly() async throws {
        try await withTestApp { app async throws in
            let officer = try await Fixtures.account(app, "cb", unit: "01", roles: [.enforcementOfficer])
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            _ = try await central.post("/tai-khoan/\(officer.account.id!.uuidString)/dat-lai-mat-khau")
            func mode(_ path: String) throws -> Int {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            }
            let root = app.settings.dataDirectory
            var checked: [String] = [app.settings.keysDirectory + "/master.key"]
            if !isPostgres {
                checked += [root + "/thads.sqlite", root + "/thads.sqlite-wal", root + "/thads.sqlite-shm"]
            }
            let mailDirectory = app.settings.mailDirectory
            checked += try FileManager.default.contentsOfDirectory(atPath: mailDirectory).map {
                mailDirectory + "/" + $0
            }
            // An attachment and a kept import, through the paths uploads take.
            let content = Data("nội dung".utf8)
            let sha = SHA256.hex(content)
            try CaseAttachmentsController.store(content, sha256: sha, settings: app.settings)
            checked.append(CaseAttachmentsController.path(sha256: sha, settings: app.settings))
            try ImportUploads.store(content, sha256: sha, at: app.clock.now, app: app)
            checked.append(ImportUploads.path(sha256: sha, settings: app.settings))
            #expect(checked.count == (isPostgres ? 4 : 7))
            for path in checked {
                let bits = try mode(path)
                #expect(bits & 0o077 == 0, "\(path) is \(String(bits, radix: 8))")
            }
        }
    }
}
