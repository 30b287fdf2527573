import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct WorkflowEngineTests {
    /// A local admin asks to lock an officer's account; returns the pending request.
    private func lockRequest(_ app: Application) async throws -> AccountRequest {
        let local = try await Fixtures.account(app, "qt.hanoi", class: .localAdmin, unit: "01")
        let officer = try await Fixtures.account(app, "chv.khoa", unit: "01", roles: [.enforcementOfficer])
        var after = officer.account.snapshot(grants: nil)
        after.status = AccountStatus.locked.rawValue
        let outcome = try await AccountService.submitChange(
            kind: .lock, account: officer.account, after: after, note: "Nghỉ việc từ 01/12",
            in: try await .staff(local.account, app))
        guard case .requested(let request) = outcome else { throw Fixtures.FixtureError(message: "not requested") }
        return request
    }

    /// Two central admins approve the same request at the same moment: exactly one wins, the other is told it was
    /// already decided, and the instance moved once.
    @Test func twoConcurrentApprovalsOnlyOneWins() async throws {
        try await withTestApp { app async throws in
            let request = try await lockRequest(app)
            let first = try await Fixtures.account(app, "qt.cuc1", class: .centralAdmin)
            let second = try await Fixtures.account(app, "qt.cuc2", class: .centralAdmin)
            let contexts = [try await ActionContext.staff(first.account, app), try await .staff(second.account, app)]
            let results = await withTaskGroup(of: String.self) { group in
                for ctx in contexts {
                    group.addTask {
                        do {
                            // Each approver loads the request as their own page did.
                            let mine = try await AccountRequest.find(request.id, on: app.db)!
                            try await AccountService.approve(mine, in: ctx)
                            return "approved"
                        } catch let error as AccountService.NotAllowed {
                            return error.message
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(results.sorted() == ["approved", "Đề nghị đã được xử lý."])
            let instance = try #require(
                try await Workflows.instance(.accountRequest, subjectID: request.id!, on: app.db))
            #expect(instance.state == "approved")
            let moves = try await WorkflowTransition.query(on: app.db).filter(\.$instanceID == instance.id!).all()
            #expect(moves.map(\.outcome) == ["approve"])
            let approvals = try await AuditEvent.query(on: app.db).filter(\.$action == "account.approved").count()
            #expect(approvals == 1)
        }
    }

    /// Approve and reject at the same moment (the outside probe applied a change but recorded "rejected"): one of
    /// the two wins, and the request, the account, the instance and the audit log all tell the same outcome.
    @Test func aSimultaneousApproveAndRejectLeaveOneConsistentOutcome() async throws {
        try await withTestApp { app async throws in
            let request = try await lockRequest(app)
            let first = try await Fixtures.account(app, "qt.cuc1", class: .centralAdmin)
            let second = try await Fixtures.account(app, "qt.cuc2", class: .centralAdmin)
            let approver = try await ActionContext.staff(first.account, app)
            let rejecter = try await ActionContext.staff(second.account, app)
            async let approved: Bool = {
                do {
                    try await AccountService.approve(
                        try await AccountRequest.find(request.id, on: app.db)!, in: approver)
                    return true
                } catch is AccountService.NotAllowed { return false }
            }()
            async let rejected: Bool = {
                do {
                    try await AccountService.reject(
                        try await AccountRequest.find(request.id, on: app.db)!, reason: "Không đủ căn cứ khóa",
                        in: rejecter)
                    return true
                } catch is AccountService.NotAllowed { return false }
            }()
            let outcome = try await (approved, rejected)
            #expect(outcome.0 != outcome.1, "exactly one decision went through")
            let stored = try #require(try await AccountRequest.find(request.id, on: app.db))
            let instance = try #require(
                try await Workflows.instance(.accountRequest, subjectID: request.id!, on: app.db))
            let officer = try #require(try await Account.find(request.accountID, on: app.db))
            let actions = try await AuditEvent.query(on: app.db)
                .filter(\.$action ~~ ["account.approved", "account.rejected"]).all().map(\.action)
            if outcome.0 {
                #expect(stored.status == .approved && instance.state == "approved")
                #expect(officer.status == .locked)
                #expect(actions == ["account.approved"])
            } else {
                #expect(stored.status == .rejected && instance.state == "rejected")
                #expect(officer.status == .active)
                #expect(actions == ["account.rejected"])
            }
        }
    }

    /// The step's due time comes from the clock: a request filed on Thursday 04/02/2027, the last working day
    /// before Tết (05/02 – 11/02/2027), is due at the end of Friday 12/02.
    @Test func aRequestFiledBeforeTetIsDueAfterIt() async throws {
        try await withTestApp { app async throws in
            app.clock = .fixed(LocalDate(iso: "2027-02-04")!, hour: 10)
            let request = try await lockRequest(app)
            let dueDay = LocalDate(iso: "2027-02-12")!
            let endOfDueDay = dueDay.adding(days: 1).startOfDay(in: .vietnam).addingTimeInterval(-0.001)
            #expect(request.dueAt == endOfDueDay)
            let instance = try #require(
                try await Workflows.instance(.accountRequest, subjectID: request.id!, on: app.db))
            #expect(instance.stepDueAt == endOfDueDay)
            #expect(instance.stepEnteredAt == app.clock.now)
        }
    }

    /// The requester cannot decide their own request, whatever their permissions, and nothing moves.
    @Test func theInitiatorCannotDecideAndARefusalLeavesTheInstanceWhereItWas() async throws {
        try await withTestApp { app async throws in
            let request = try await lockRequest(app)
            let requester = try #require(try await Account.find(request.requestedByID, on: app.db))
            requester.accountClass = .centralAdmin
            let ctx = try await ActionContext.staff(requester, app)
            await #expect(throws: AccountService.NotAllowed.self) { try await AccountService.approve(request, in: ctx) }
            let instance = try #require(
                try await Workflows.instance(.accountRequest, subjectID: request.id!, on: app.db))
            #expect(instance.state == "pending")
            #expect(try await WorkflowTransition.query(on: app.db).count() == 0)
        }
    }
}

@Suite struct SequenceTests {
    /// Eight tasks draw from one counter at once, some of them in transactions that roll back: the numbers kept
    /// are 1…n with no gap and no repeat, on either database.
    @Test func concurrentDrawsHaveNoGapAndNoRepeat() async throws {
        try await withTestApp { app async throws in
            let key = Sequences.Key(series: "test-receipt", scope: "01", period: 2026)
            struct RolledBack: Error {}
            let kept = try await withThrowingTaskGroup(of: [Int].self) { group in
                for task in 0..<8 {
                    group.addTask {
                        var mine: [Int] = []
                        for draw in 0..<10 {
                            let rollBack = (task + draw) % 4 == 0
                            do {
                                let number = try await app.write(on: app.db) { db in
                                    let number = try await Sequences.take(key, on: db)
                                    if rollBack { throw RolledBack() }
                                    return number
                                }
                                mine.append(number)
                            } catch is RolledBack {}
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(kept.count == 60, "8 × 10 draws, a quarter rolled back")
            #expect(kept.sorted() == Array(1...60))
            #expect(try await Sequences.current(key, on: app.db) == 60)
            // A block for a bulk load continues the same counter.
            let first = try await app.write(on: app.db) { db in try await Sequences.take(key, count: 100, on: db) }
            #expect(first == 61)
            #expect(try await Sequences.current(key, on: app.db) == 160)
            let other = try await app.write(on: app.db) { db in
                try await Sequences.take(.init(series: "test-receipt", scope: "01", period: 2027), on: db)
            }
            #expect(other == 1, "each period counts from 1")
        }
    }
}

@Suite struct JobRunnerTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() -> Int {
            lock.withLock {
                value += 1
                return value
            }
        }
        var count: Int { lock.withLock { value } }
    }

    /// Two runners (two servers) pass at the same moment over a due job: it runs once, and the run is recorded.
    @Test func aDueJobIsClaimedByOneRunnerOnly() async throws {
        try await withTestApp { app async throws in
            let clock = ManualClock(LocalDate(iso: "2026-12-01")!, hour: 8)
            app.clock = clock.clock
            let counter = Counter()
            app.jobs.register(
                ScheduledJob(
                    name: "test.count", schedule: .every(seconds: 600), workingDaysOnly: false,
                    run: { _ in
                        try await Task.sleep(for: .milliseconds(50))
                        return counter.increment()
                    }))
            async let a = JobRunner.runDue(app, runner: "may-a")
            async let b = JobRunner.runDue(app, runner: "may-b")
            let runs = try await a + b
            #expect(counter.count == 1)
            #expect(runs.filter { $0.job == "test.count" }.count == 1)
            let stored = try await JobRun.query(on: app.db).filter(\.$job == "test.count").all()
            #expect(stored.count == 1)
            #expect(stored.first?.result == .succeeded)
            #expect(stored.first?.rowsTouched == 1)
            #expect(stored.first?.finishedAt != nil)
            // Not due again until its next slot.
            try await JobRunner.runDue(app, runner: "may-a")
            #expect(counter.count == 1)
            clock.advance(by: 601)
            try await JobRunner.runDue(app, runner: "may-b")
            #expect(counter.count == 2)
        }
    }

    /// A daily job on working days only skips Tết: due on Friday 13/02/2026 at 07:00, next on Monday 23/02.
    @Test func aWorkingDaysJobSkipsTet() {
        let calendar = WorkingCalendar(decisions: [.vietnam2026])
        let friday = LocalDate(iso: "2026-02-13")!.startOfDay(in: .vietnam).addingTimeInterval(7 * 3600)
        let next = JobSchedule.daily(hour: 7, minute: 0).next(after: friday, workingDaysOnly: true, calendar: calendar)
        #expect(next == LocalDate(iso: "2026-02-23")!.startOfDay(in: .vietnam).addingTimeInterval(7 * 3600))
        let any = JobSchedule.daily(hour: 7, minute: 0).next(after: friday, workingDaysOnly: false, calendar: calendar)
        #expect(any == friday.addingTimeInterval(86_400))
    }
}

@Suite struct PublicPageTests {
    /// The public calculator needs no session, has no staff navigation, carries the portal's own policy, answers
    /// from the platform's calendar, shows errors next to the field, and stops an address that asks too often.
    @Test func thePublicWorkdayPageIsOpenLimitedAndStrict() async throws {
        try await withTestApp(SettingsOverride { $0.publicRequestsPerMinute = 3 }) { app async throws in
            let visitor = TestClient(app)
            let answer = try await visitor.get("/cong-khai/ngay-lam-viec?tu-ngay=13/02/2026&so-ngay=1")
            #expect(answer.status == .ok)
            #expect(answer.body.string.contains("kết thúc vào ngày 23/02/2026"))
            #expect(!answer.body.string.contains("main-nav"))
            #expect(answer.headers.first(name: "Content-Security-Policy") == PublicPages.contentSecurityPolicy)
            let wrong = try await visitor.get("/cong-khai/ngay-lam-viec?tu-ngay=31/02/2026&so-ngay=0")
            #expect(wrong.status == .badRequest)
            #expect(wrong.body.string.contains("Nhập ngày theo dạng dd/mm/yyyy"))
            #expect(wrong.body.string.contains("từ 1 đến 365"))
            _ = try await visitor.get("/cong-khai/ngay-lam-viec")
            let limited = try await visitor.get("/cong-khai/ngay-lam-viec")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers.first(name: .retryAfter) == "60")
            // Staff pages keep their own policy.
            let login = try await visitor.get("/dang-nhap")
            #expect(
                login.headers.first(name: "Content-Security-Policy") == SecurityHeadersMiddleware.contentSecurityPolicy)
        }
    }
}
