import Fluent
import ThadsDomain
import Vapor

/// `thads demo-data`: a few regional offices and one account per role, with one printed demo
/// password. Marks the installation as demo so every page shows the "DỮ LIỆU MẪU" banner.
struct DemoDataCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "cases", help: "Số hồ sơ mẫu cần sinh thêm (mặc định 0)")
        var cases: Int?
        @Option(name: "seed", help: "Hạt giống ngẫu nhiên: cùng hạt giống cho cùng dữ liệu (mặc định 1)")
        var seed: Int?
    }

    var help: String {
        "Tạo dữ liệu mẫu: phòng khu vực, một tài khoản cho mỗi vai trò và (với --cases N) N hồ sơ mẫu; hiện banner DỮ LIỆU MẪU."
    }

    static let password = "Demo@Thads2026!"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let created = try await DemoData.create(app)
        context.console.print("Dữ liệu mẫu — mật khẩu chung của mọi tài khoản mẫu: \(Self.password)")
        for line in created { context.console.print("  " + line) }
        let count = signature.cases ?? 0
        guard count > 0 else { return }
        let seed = UInt64(truncatingIfNeeded: signature.seed ?? 1)
        context.console.print("Sinh \(count) hồ sơ mẫu (seed \(seed))…")
        let outcome = try await DemoCases.generate(app, count: count, seed: seed) { done, seconds in
            if done % 50_000 == 0 || done == count {
                print(
                    String(
                        format: "… %d/%d hồ sơ, %.0f s, %.0f hồ sơ/s", done, count, seconds,
                        Double(done) / max(seconds, 0.001)))
                fflush(nil)
            }
        }
        context.console.print(
            String(
                format: "Đã tạo %d hồ sơ, %d đương sự trong %.1f s (%.0f hồ sơ/s).", outcome.cases, outcome.parties,
                outcome.seconds, Double(outcome.cases) / max(outcome.seconds, 0.001)))
        // The generator writes in bulk, past the change observers: the statistics' spans are built once at the end.
        let started = ContinuousClock.now
        try await app.write(on: app.db) { db in try await CaseStates.rebuild(on: db) }
        context.console.print(
            String(format: "Đã tính dữ liệu thống kê theo ngày trong %.1f s.", (ContinuousClock.now - started).seconds))
        // The same for the open duties the work lists read (`CaseDutySummaries`).
        let dutiesStarted = ContinuousClock.now
        let withDuties = try await CaseDutySummaries.rebuild(app)
        context.console.print(
            String(
                format: "Đã tính thời hạn công việc của %d hồ sơ đang thi hành trong %.1f s.", withDuties,
                (ContinuousClock.now - dutiesStarted).seconds))
    }
}

enum DemoData {
    static func create(_ app: Application) async throws -> [String] {
        let db = app.db
        guard let hanoi = try await EnforcementUnit.query(on: db).filter(\.$code == "01").first(),
            let hcm = try await EnforcementUnit.query(on: db).filter(\.$code == "79").first()
        else { throw Abort(.internalServerError, reason: "province catalog missing") }
        let central = try await UnitCatalog.central(on: db)
        let hash = try await app.hashPassword(DemoDataCommand.password)
        let lines: [String] = try await app.write(on: db) { db in
            var lines: [String] = []
            var regional: [String: EnforcementUnit] = [:]
            for (code, number, province, name) in [
                ("01-01", 1, hanoi, "Hà Nội"), ("01-02", 2, hanoi, "Hà Nội"), ("79-01", 1, hcm, "Hồ Chí Minh"),
            ] {
                if let existing = try await EnforcementUnit.query(on: db).filter(\.$code == code).first() {
                    regional[code] = existing
                    continue
                }
                let unit = EnforcementUnit(
                    code: code, name: "Phòng Thi hành án dân sự khu vực \(number) – \(name)", level: .regional,
                    parentID: province.id)
                try await unit.create(on: db)
                regional[code] = unit
            }
            var people: [(String, String, AccountClass, EnforcementUnit, Set<Role>)] = [
                ("demo.cuc", "Trần Thị Quản Trị", .centralAdmin, central, []),
                ("demo.hanoi", "Lê Văn Địa Phương", .localAdmin, hanoi, []),
                ("demo.ngoai", "Phạm Khách Ngoài", .externalUser, central, [.externalReader]),
            ]
            let names = [
                "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Hoa",
                "Đặng Văn Giang", "Bùi Thị Hạnh", "Đỗ Văn Khánh",
            ]
            for (index, role) in Role.allCases.filter({ $0 != .externalReader }).enumerated() {
                people.append(
                    (
                        "demo." + role.rawValue.lowercased(), names[index % names.count], .internalUser,
                        regional["01-01"]!, [role]
                    ))
            }
            for (index, person) in people.enumerated() {
                if try await Account.query(on: db).filter(\.$username == person.0).first() != nil { continue }
                let account = Account()
                account.id = UUID()
                let fakeID = String(format: "0010990%05d", index)
                account.nationalIDIndex = app.keys.blindIndex(fakeID, purpose: "national-id")
                account.nationalIDCipher = try app.keys.encrypt(fakeID, purpose: "national-id")
                account.nationalIDLast3 = String(fakeID.suffix(3))
                let validUntil = person.2 == .externalUser ? app.clock.today.adding(months: 6).iso : nil
                let snapshot = Account.Snapshot(
                    username: person.0, fullName: person.1, email: person.0 + "@demo.thads.local", nationalIDMasked: "",
                    position: nil, accountClass: person.2.rawValue, unitID: person.3.id!,
                    roles: person.4.map(\.rawValue),
                    status: AccountStatus.active.rawValue, externalValidUntil: validUntil,
                    grantedUnitIDs: person.2 == .externalUser ? [regional["01-01"]!.id!] : nil)
                try await AccountWrites.apply(snapshot, to: account, isNew: true, on: db)
                try await AccountWrites.store(hash: hash, for: account, mustChange: false, at: app.clock.now, on: db)
                lines.append(
                    "\(person.0) — \(person.2.label)\(person.4.isEmpty ? "" : " · " + person.4.map(\.label).joined())")
            }
            try await InstallationFact.query(on: db).filter(\.$id == "demo").delete()
            try await InstallationFact(key: "demo", value: "true").create(on: db)
            try await AuditLog.record(
                AuditEntry(action: "demo.created", objectType: "installation", summary: "\(lines.count) tài khoản mẫu"),
                actor: .system, at: app.clock.now, on: db)
            return lines
        }
        app.isDemoInstallation = true
        return lines
    }
}
