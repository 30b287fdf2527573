import Fluent
import Vapor

/// `thads audit-verify`: walks the hash chain, checks every event's HMAC from the keyed upgrade on, compares the chain
/// with the daily checkpoints (database and `audit-checkpoints.log`), and names the first event that was edited,
/// deleted or moved, or the checkpoint the chain no longer reaches.
struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Kiểm tra tính toàn vẹn của nhật ký (chuỗi băm)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let result = try await AuditLog.verify(context.application)
        if result.isIntact {
            context.console.print(
                "OK: chuỗi nhật ký nguyên vẹn, \(result.checked) sự kiện (HMAC từ sự kiện số \(result.keyedFrom)), "
                    + "khớp \(result.checkpointsChecked) mốc kiểm tra.")
        } else {
            context.console.error(
                "LỖI: sự kiện số \(result.firstBadSeq ?? 0): \(result.problem ?? "") (đã kiểm \(result.checked) sự kiện trước đó)."
            )
            throw AuditChainBroken()
        }
    }

    struct AuditChainBroken: Error, CustomStringConvertible {
        var description: String { "audit chain broken" }
    }
}

/// `thads docs`: writes the generated reference documents (permission matrix) under docs/.
struct DocsCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Sinh tài liệu tham chiếu (ma trận phân quyền) vào docs/." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try FileManager.default.createDirectory(atPath: "docs", withIntermediateDirectories: true)
        try GeneratedDocs.permissions().write(toFile: "docs/permissions.md", atomically: true, encoding: .utf8)
        context.console.print("Đã ghi docs/permissions.md")
    }
}

public enum GeneratedDocs {
    public static func permissions() -> String {
        PermissionMatrixDoc.text
    }
}
