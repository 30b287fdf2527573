import Fluent
import Foundation
import ThadsDomain
import Vapor

/// `thads import cases FILE.csv|FILE.xlsx [--commit] [--accept-duplicates] [--as USERNAME]`: the legacy import
/// (B9) from the command line, for files larger than an upload. Without `--commit` it only checks.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "What to import: cases")
        var kind: String
        @Argument(name: "file", help: "A CSV (UTF-8) or XLSX file in the template of docs/import.md")
        var file: String
        @Flag(name: "commit", help: "Write the cases (all or nothing) when the check finds no error")
        var commit: Bool
        @Flag(name: "accept-duplicates", help: "Import rows that may duplicate existing cases or other rows")
        var acceptDuplicates: Bool
        @Option(name: "as", help: "Username the cases are created by (default: the first central admin)")
        var username: String?
    }

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    var help: String { "Nhập hồ sơ từ dữ liệu cũ (CSV, XLSX): kiểm tra thử; ghi khi có --commit." }

    static let shownProblems = 200

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.kind == "cases" else { throw Failed(description: "Chỉ hỗ trợ: thads import cases TỆP") }
        let app = context.application
        let console = context.console
        let limits = ImportLimits()
        let attributes = try? FileManager.default.attributesOfItem(atPath: signature.file)
        guard let size = attributes?[.size] as? Int else {
            throw Failed(description: "Không đọc được tệp \(signature.file).")
        }
        guard size <= limits.maxFileBytes else {
            throw Failed(description: ImportFileError.tooLarge(limits.maxFileBytes).message)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: signature.file))
        let actor = try await Self.actor(signature.username, app: app)
        let print: @Sendable (String) -> Void = { console.print($0) }

        let report: ImportReport
        var outcome: ImportOutcome?
        if signature.commit {
            outcome = try await CaseImportService.commit(
                data, actor: actor, acceptingDuplicates: signature.acceptDuplicates, limits: limits, app: app,
                progress: print)
            report = outcome!.report
        } else {
            report = try await CaseImportService.dryRun(data, actor: actor, limits: limits, app: app) { done in
                if done % 10_000 == 0 { print("… đã kiểm tra \(MoneyText.grouped(Int64(done))) dòng") }
            }
        }
        Self.printReport(report, print: print)
        guard let outcome, outcome.created > 0 else {
            if report.hasErrors { throw Failed(description: "Tệp có lỗi; chưa ghi hồ sơ nào.") }
            if !report.duplicates.isEmpty && !signature.acceptDuplicates {
                throw Failed(
                    description:
                        "Có dòng có thể trùng; kiểm tra rồi chạy lại với --accept-duplicates nếu đúng là hồ sơ khác.")
            }
            print(
                signature.commit
                    ? "Không có hồ sơ nào để ghi." : "Kiểm tra xong, không có lỗi. Chạy lại với --commit để ghi.")
            return
        }
        print(
            "Đã tạo \(MoneyText.grouped(Int64(outcome.created))) hồ sơ trong \(String(format: "%.1f", outcome.seconds)) giây "
                + "(\(MoneyText.grouped(Int64(outcome.casesPerSecond))) hồ sơ/giây).")
        for (unit, codes) in outcome.codes.sorted(by: { $0.key < $1.key }) {
            print("  Đơn vị \(unit): \(codes.first) … \(codes.last)")
        }
        // Outside the import's transaction: the warnings are a re-check of what is now stored, batch by batch. Only
        // the new cases, as the staff page does: each is checked against the cases already stored, and re-checking
        // whole units of hundreds of thousands of cases belongs to the nightly `thads quality-scan`.
        let open = try await CaseQualityService.scan(outcome.caseIDs, app: app, today: app.clock.today) { done in
            if done % 10_000 == 0 { print("… đã quét chất lượng \(MoneyText.grouped(Int64(done))) hồ sơ") }
        }
        print("Quét chất lượng: \(outcome.caseIDs.count) hồ sơ mới, \(open) cảnh báo đang mở.")
    }

    static func printReport(_ report: ImportReport, print: (String) -> Void) {
        print("Tệp SHA-256 \(report.sha256): \(MoneyText.grouped(Int64(report.rowCount))) dòng dữ liệu.")
        for problem in (report.problems + report.duplicates).prefix(shownProblems) {
            print("  " + line(problem))
        }
        let total = report.problems.count + report.duplicates.count
        if total > shownProblems { print("  … và \(total - shownProblems) vấn đề khác.") }
        print(
            "Lỗi: \(report.problems.count); có thể trùng: \(report.duplicates.count); "
                + "kiểm tra trong \(String(format: "%.2f", report.seconds)) giây "
                + "(\(MoneyText.grouped(Int64(report.rowsPerSecond))) dòng/giây).")
    }

    static func line(_ problem: ImportProblem) -> String {
        let place = problem.row == 0 ? "Tệp" : "Dòng \(problem.row)"
        let column = problem.column.map { " · \($0.rawValue) (\($0.label))" } ?? ""
        return place + column + ": " + problem.message
    }

    /// The account the cases are created by, with its scope; it must hold the import permission.
    static func actor(_ username: String?, app: Application) async throws -> ImportActor {
        let query = Account.query(on: app.db).filter(\.$status == .active)
        let account: Account?
        if let username {
            account = try await query.filter(\.$username == username).first()
        } else {
            account = try await query.filter(\.$accountClass == .centralAdmin).sort(\.$createdAt).first()
        }
        guard let account else {
            throw Failed(
                description: "Không có tài khoản đang hoạt động \(username ?? "quản trị Cục") để ghi nhận người nhập.")
        }
        guard account.permissions.contains(.importCases) else {
            throw Failed(description: "Tài khoản \(account.username) không có quyền nhập hồ sơ từ dữ liệu cũ.")
        }
        guard let unit = try await EnforcementUnit.find(account.unitID, on: app.db) else {
            throw Failed(description: "Không tìm thấy đơn vị của tài khoản \(account.username).")
        }
        let scope = try await DataScopeResolver.resolve(account: account, unit: unit, on: app.db)
        return ImportActor(accountID: account.id!, username: account.username, scope: scope, audit: .system)
    }
}
