import Fluent
import Foundation
import Vapor

/// `thads debtors-recheck`: runs the register's daily pass now — after a legacy import brought in cases without
/// conditions, or to time it — and prints how many cases it went through and how fast.
struct DebtorsRecheckCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Chạy ngay lượt kiểm tra hằng ngày của sổ người chưa có điều kiện thi hành án." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let count = try await DebtorRegister.reevaluateAll(ActionContext.system(app, task: "debtors-recheck"))
        let seconds = (ContinuousClock.now - started).seconds
        let published = try await DebtorPublication.query(on: app.db).filter(\.$withdrawnAt == nil).count()
        context.console.print(
            "Đã kiểm tra \(count) hồ sơ trong \(String(format: "%.1f", seconds)) giây "
                + "(\(String(format: "%.0f", Double(count) / max(seconds, 0.001))) hồ sơ/giây); đang công khai \(published)."
        )
    }
}
