import Fluent
import Foundation
import SQLKit
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

/// The legacy import (B9) through its service: the dry-run report, all-or-nothing commits, XLSX like CSV.
@Suite struct ImportTests {
    static func centralActor(_ app: Application) async throws -> ImportActor {
        let made = try await Fixtures.account(app, "qt.nhap", class: .centralAdmin)
        return ImportActor(accountID: made.account.id!, username: "qt.nhap", scope: .all, audit: .system)
    }

    struct Counts: Equatable {
        var judgments = 0
        var cases = 0
        var parties = 0
        var counters = 0

        init(_ app: Application) async throws {
            judgments = try await Judgment.query(on: app.db).count()
            cases = try await EnforcementCase.query(on: app.db).count()
            parties = try await CaseParty.query(on: app.db).count()
            counters = try await SequenceCounter.query(on: app.db).count()
        }
    }

    @Test func theDryRunReportsBadDatesMissingFieldsAndDuplicates() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let existing = try await scene.open(number: "125/2026/DS-ST")
            try await scene.add(existing, "duong-su", CaseScene.debtor)
            let code = try await scene.enforcementCase(existing).code
            let actor = try await Self.centralActor(app)
            let rows: [ImportFiles.Row] = [
                ImportFiles.row(1),
                ImportFiles.row(2, [.judgmentDate: "31/02/2025"]),
                ImportFiles.row(3, [.debtorName: ""]),
                ImportFiles.row(4, [.judgmentNumber: " 125 / 2026 / ds-st ", .debtorName: "NGUYỄN VĂN NỢ"]),
                ImportFiles.row(5, [.judgmentNumber: "1/2025/DS-ST", .debtorName: "nguyen van no so 1"]),
            ]
            let counts = try await Counts(app)
            let report = try await CaseImportService.dryRun(ImportFiles.csv(rows), actor: actor, app: app)
            #expect(report.rowCount == 5)
            let bad = try #require(report.problems.first { $0.row == 3 })
            #expect(bad.column == .judgmentDate)
            #expect(bad.message.contains("không hợp lệ"), "\(bad.message)")
            let missing = try #require(report.problems.first { $0.row == 4 })
            #expect(missing.column == .debtorName)
            #expect(missing.message.hasPrefix("Nhập"), "\(missing.message)")
            #expect(report.problems.allSatisfy { [3, 4].contains($0.row) }, "\(report.problems)")
            #expect(report.duplicates.count == 2, "\(report.duplicates)")
            #expect(report.duplicates.contains { $0.row == 5 && $0.message.contains(code) }, "of the existing case")
            #expect(report.duplicates.contains { $0.row == 6 && $0.message.contains("dòng 2") }, "of row 2")
            #expect(!report.canCommit(acceptingDuplicates: true))
            #expect(try await Counts(app) == counts, "a dry run writes nothing")

            let header = try await CaseImportService.dryRun(
                ImportFiles.csv([ImportFiles.row(1)], columns: [.unitCode, .status]) + Data("x".utf8), actor: actor,
                app: app)
            #expect(
                header.problems.contains { $0.row == 1 && $0.column == .courtCode && $0.message.contains("Thiếu cột") })
            let unknown = try await CaseImportService.dryRun(
                Data("unit_code,ngay_gi_do\n01,x\n".utf8), actor: actor, app: app)
            #expect(
                unknown.problems.contains {
                    $0.message.contains("ngay_gi_do") && $0.message.contains("không có trong mẫu")
                })
        }
    }

    @Test func aGoodFileCommitsEveryCaseWithCodesAndFindableIDNumbers() async throws {
        try await withTestApp { app async throws in
            let actor = try await Self.centralActor(app)
            let rows = [
                ImportFiles.row(1),
                ImportFiles.row(2, [.status: "hoan-thi-hanh-an", .resumeStatus: "co-dieu-kien"]),
                ImportFiles.row(3, [.status: "Thi hành xong", .closedOn: "01/07/2026", .collected: "150.000.000"]),
            ]
            let data = ImportFiles.csv(rows)
            let outcome = try await CaseImportService.commit(
                data, actor: actor, acceptingDuplicates: false, app: app)
            #expect(outcome.report.problems.isEmpty, "\(outcome.report.problems)")
            #expect(outcome.created == 3)
            let cases = try await EnforcementCase.query(on: app.db).sort(\.$code).all()
            #expect(cases.map(\.code) == ["01/2026/000001", "01/2026/000002", "01/2026/000003"])
            #expect(cases.map(\.legacyCode) == ["HN-1", "HN-2", "HN-3"])
            #expect(cases.map(\.status) == [.withConditions, .postponed, .completed])
            #expect(cases[1].resumeStatus == .withConditions)
            #expect(cases[2].closedOn == "2026-07-01")
            #expect(cases.allSatisfy { $0.openedOn == "2025-10-01" && $0.startMode == .onRequest })

            let index = app.keys.blindIndex("001080000002", purpose: CaseRecord.idPurpose)
            let debtor = try #require(try await CaseParty.query(on: app.db).filter(\.$idNumberIndex == index).first())
            #expect(debtor.caseID == cases[1].id)
            #expect(debtor.idNumberCipher?.contains("001080000002") == false)
            #expect(try app.keys.decrypt(debtor.idNumberCipher!, purpose: CaseRecord.idPurpose) == "001080000002")
            #expect(debtor.idNumberLast3 == "002")
            #expect(debtor.nameFolded == "nguyen van no so 2")
            #expect(debtor.nameExact == "nguyễn văn nợ số 2")
            #expect(try await CaseParty.query(on: app.db).count() == 6, "debtor and creditor of each case")
            let decision = try #require(
                try await CaseDecision.query(on: app.db).filter(\.$caseID == cases[2].id!).first())
            #expect(
                decision.kind == .enforcement && decision.statusBefore == .accepted && decision.statusAfter == .accepted
            )
            let money = try await CaseMoneyEntry.query(on: app.db).filter(\.$caseID == cases[2].id!).all()
            #expect(money.map(\.amount).sorted() == [30_000_000, 150_000_000])
            #expect(money.allSatisfy { $0.occurredOn == "2026-06-30" })
            let counter = try #require(
                try await SequenceCounter.query(on: app.db).filter(\.$series == "case-code").first())
            #expect(counter.period == 2026 && counter.lastValue == 3)

            let event = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == CaseImportService.auditAction).first())
            #expect(event.objectID == CaseImportService.sha256(data))
            #expect(event.afterData?.contains(CaseImportService.sha256(data)) == true)
            #expect(event.afterData?.contains("\"cases\":3") == true)
            #expect(try await AuditLog.verify(app).isIntact)

            // The same file again: refused as already imported, nothing more written.
            let again = try await CaseImportService.commit(data, actor: actor, acceptingDuplicates: true, app: app)
            #expect(again.created == 0)
            #expect(again.report.problems.contains { $0.row == 0 && $0.message.contains("đã được nhập") })
            // Each row's old-system code is found already imported, with the case it became.
            #expect(
                again.report.problems.contains {
                    $0.row == 2 && $0.column == .legacyCode && $0.message.contains("“HN-1”")
                        && $0.message.contains("01/2026/000001")
                }, "\(again.report.problems)")
            #expect(again.report.duplicates.count == 3, "each row has the court, judgment and debtor of a stored case")
            #expect(try await EnforcementCase.query(on: app.db).count() == 3)
        }
    }

    @Test func aFailingRowOrADatabaseErrorLeavesNothingBehind() async throws {
        try await withTestApp { app async throws in
            let actor = try await Self.centralActor(app)
            let scene = try await CaseScene.make(app)
            let existing = try await scene.open()
            let before = try await Counts(app)

            let invalid = ImportFiles.csv([ImportFiles.row(1), ImportFiles.row(2, [.obligationAmount: "-5"])])
            let refused = try await CaseImportService.commit(invalid, actor: actor, acceptingDuplicates: true, app: app)
            #expect(refused.created == 0)
            #expect(refused.report.problems.contains { $0.row == 3 && $0.column == .obligationAmount })
            #expect(try await Counts(app) == before)

            // A clash the checks cannot see (a code taken behind the counter's back) fails the second row's insert
            // after the first was written: the transaction takes everything back, counters included.
            try await (try app.db.sql).raw(
                "UPDATE enforcement_cases SET code = '01/2026/000002' WHERE id = \(bind: existing)"
            ).run()
            let clashing = ImportFiles.csv((1...3).map { ImportFiles.row($0) })
            await #expect(throws: (any Error).self) {
                _ = try await CaseImportService.commit(clashing, actor: actor, acceptingDuplicates: false, app: app)
            }
            #expect(try await Counts(app) == before)
            #expect(try await CaseObligation.query(on: app.db).count() == 0)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == CaseImportService.auditAction).count() == 0)
        }
    }

    /// Batches are built while the one before is written: a write failing in a later batch still takes back
    /// every batch before it, and nothing is left running on the connection after the rollback.
    @Test func aDatabaseErrorInALaterBatchLeavesNothingBehind() async throws {
        try await withTestApp { app async throws in
            let actor = try await Self.centralActor(app)
            let scene = try await CaseScene.make(app)
            let existing = try await scene.open()
            let before = try await Counts(app)
            // The import's 2,100th case (its second batch of 2,000) would take this code.
            try await (try app.db.sql).raw(
                "UPDATE enforcement_cases SET code = '01/2026/002101' WHERE id = \(bind: existing)"
            ).run()
            let file = ImportFiles.csv((1...2_500).map { ImportFiles.row($0) })
            await #expect(throws: (any Error).self) {
                _ = try await CaseImportService.commit(file, actor: actor, acceptingDuplicates: true, app: app)
            }
            #expect(try await Counts(app) == before)
            #expect(try await CaseObligation.query(on: app.db).count() == 0)
            #expect(try await CaseDecision.query(on: app.db).count() == 1, "the existing case's decision only")
            // The connection is usable and the database writable afterwards.
            let small = try await CaseImportService.commit(
                ImportFiles.csv((1...2).map { ImportFiles.row($0) }), actor: actor, acceptingDuplicates: true, app: app)
            #expect(small.created == 2)
        }
    }

    @Test func anXLSXFileImportsTheSameAsTheCSV() async throws {
        try await withTestApp { app async throws in
            let actor = try await Self.centralActor(app)
            let rows = [
                ImportFiles.row(1),
                ImportFiles.row(
                    2,
                    [
                        .debtorName: "Công ty TNHH A & B <Việt>", .debtorKind: "to-chuc", .debtorIDNumber: "0101234567",
                        .debtorBirthYear: "",
                    ]),
                ImportFiles.row(
                    3,
                    [
                        .obligationMode: "cong-viec", .obligationKind: "GIAO-CON", .obligationAmount: "",
                        .obligationDescription: "Giao con cho mẹ",
                    ]),
            ]
            let csv = try await CaseImportService.dryRun(ImportFiles.csv(rows), actor: actor, app: app)
            let xlsx = try await CaseImportService.dryRun(try ImportFiles.xlsx(rows), actor: actor, app: app)
            #expect(csv.problems.isEmpty, "\(csv.problems)")
            #expect(xlsx.problems.isEmpty, "\(xlsx.problems)")
            #expect(xlsx.rows.count == 3)
            for (a, b) in zip(csv.rows, xlsx.rows) {
                #expect(a.number == b.number)
                #expect(a.judgment == b.judgment)
                #expect(a.decision == b.decision)
                #expect(a.debtor == b.debtor)
                #expect(a.creditor == b.creditor)
                #expect(a.obligation == b.obligation)
                #expect(a.collected == b.collected && a.paidOut == b.paidOut && a.moneyAsOf == b.moneyAsOf)
            }
            let outcome = try await CaseImportService.commit(
                try ImportFiles.xlsx(rows), actor: actor, acceptingDuplicates: false, app: app)
            #expect(outcome.created == 3)
            let organisation = try #require(
                try await CaseParty.query(on: app.db).filter(\.$fullName == "Công ty TNHH A & B <Việt>").first())
            #expect(organisation.kind == .organisation)
        }
    }

    @Test func smallPiecesReadAsTyped() {
        #expect(CaseRecordFields.isIDNumber("001080012345", organisation: false))
        #expect(CaseRecordFields.isIDNumber("123456789", organisation: false))
        #expect(!CaseRecordFields.isIDNumber("12345678901", organisation: false))
        #expect(!CaseRecordFields.isIDNumber("00108001234５", organisation: false), "ASCII digits only")
        #expect(CaseRecordFields.isIDNumber("0101234567-001", organisation: true))
        #expect(!CaseRecordFields.isIDNumber("0101234567_001", organisation: true))
        #expect(VietnameseText.nfc("Nguyễn Văn Đức") == "Nguyễn Văn Đức")
        #expect(Array(VietnameseText.nfc("Nguye\u{302}\u{303}n").utf8) == Array("Nguy\u{1EC5}n".utf8), "composed")
        #expect(SheetReader.number("150000000") == "150000000")
        #expect(SheetReader.number("1.5E+8") == "150000000")
        #expect(SheetReader.number("1.5") == "1,5", "a fraction is not taken for thousands")
        #expect(SheetReader.columnIndex("A1") == 0)
        #expect(SheetReader.columnIndex("AF12") == 31)
        #expect(XLSXReader.isDateFormat("dd/mm/yyyy"))
        #expect(XLSXReader.isDateFormat("[$-42A]d mmmm yyyy"))
        #expect(!XLSXReader.isDateFormat("#,##0\" đ\""))
        #expect(!XLSXReader.isDateFormat("[Red]0.00"))
    }
}
