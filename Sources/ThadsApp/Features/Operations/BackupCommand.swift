import Foundation
import ThadsDomain
import Vapor

/// `thads backup run|list|verify|restore|drill`: what the scheduled jobs do, by hand. Each exits non-zero when it
/// fails, after the failure is logged and alerted.
struct BackupCommand: AsyncCommandGroup {
    var help: String { "Sao lưu, kiểm tra, khôi phục và diễn tập khôi phục (restic)." }
    var commands: [String: any AnyAsyncCommand] {
        [
            "run": RunCommand(), "list": ListCommand(), "verify": VerifyCommand(), "restore": RestoreCommand(),
            "drill": DrillCommand(),
        ]
    }

    static let trigger = "lệnh thads backup"

    struct RunCommand: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "kind", help: "incremental (mặc định), full hoặc archive") var kind: String?
        }
        var help: String { "Lập một bản sao lưu." }

        func run(using context: CommandContext, signature: Signature) async throws {
            guard let kind = BackupKind(rawValue: signature.kind ?? "incremental"), kind.takesSnapshot else {
                throw Abort(.badRequest, reason: "--kind phải là incremental, full hoặc archive")
            }
            let app = context.application
            let outcome = try await BackupService.run(
                kind, trigger: BackupCommand.trigger, in: .system(app, task: "backup"))
            context.console.print(
                "OK: bản \(outcome.run.snapshot ?? "") (\(kind.label)), thêm \(outcome.run.bytesAdded) byte, "
                    + "\(outcome.run.durationMs) ms; \(outcome.run.components).")
        }
    }

    struct ListCommand: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "Liệt kê các bản sao lưu trong kho." }

        func run(using context: CommandContext, signature: Signature) async throws {
            for snapshot in try await BackupService.snapshots(context.application.settings) {
                context.console.print("\(snapshot.shortId)  \(snapshot.time.prefix(19))  \(snapshot.kind)")
            }
        }
    }

    struct VerifyCommand: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "Đọc lại toàn bộ kho sao lưu (restic check --read-data)." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let run = try await BackupService.verify(
                trigger: BackupCommand.trigger, in: .system(context.application, task: "backup"))
            context.console.print("OK: kho sao lưu nguyên vẹn (\(run.durationMs) ms).")
        }
    }

    struct RestoreCommand: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "snapshot", help: "mã bản sao lưu, hoặc latest") var snapshot: String
            @Option(name: "to", help: "thư mục đích (chưa có hoặc rỗng)") var to: String?
            @Flag(name: "load", help: "PostgreSQL: nạp bản dump vào cơ sở dữ liệu của DATABASE_URL") var load: Bool
        }
        var help: String { "Khôi phục một bản sao lưu vào một thư mục." }

        func run(using context: CommandContext, signature: Signature) async throws {
            guard let target = signature.to, !target.isEmpty else {
                throw Abort(.badRequest, reason: "cần --to THƯ-MỤC")
            }
            let settings = context.application.settings
            let manifest = try await BackupService.restore(signature.snapshot, to: target, settings: settings)
            context.console.print(
                "Đã khôi phục bản lập lúc \(Format.dateTime(manifest.createdAt)) vào \(target): "
                    + "\(manifest.rowCounts.count) bảng, \(manifest.attachments) tệp đính kèm.")
            if manifest.database == "sqlite" {
                context.console.print(
                    "Chép thư mục keys/ vào \(target)/keys rồi chạy với THADS_DATA_DIR=\(target); "
                        + "sau đó chạy thads audit-verify.")
            } else if signature.load {
                try await BackupService.loadPostgres(from: target, settings: settings)
                context.console.print("Đã nạp bản dump vào cơ sở dữ liệu; chạy thads audit-verify.")
            } else {
                context.console.print(
                    "Nạp bằng: thads backup restore \(signature.snapshot) --to \(target) --load "
                        + "(hoặc pg_restore --clean --if-exists --no-owner -d … \(target)/\(DatabaseCopy.postgresFile))."
                )
            }
        }
    }

    struct DrillCommand: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "Diễn tập khôi phục bản mới nhất vào thư mục tạm và kiểm tra nó." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let report = try await BackupDrill.run(
                trigger: BackupCommand.trigger, in: .system(context.application, task: "backup-drill"))
            context.console.print("OK: " + report.text + ".")
        }
    }
}
