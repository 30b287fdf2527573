import Fluent
import Foundation
import ThadsDomain
import Vapor

/// Courts not yet in the catalog (the district and regional courts have no official list at hand): an officer
/// records one by name and level, usable at once instead of "KHAC"; a central admin maps it to the catalog entry
/// once that exists, which moves every judgment that named it.
enum ProvisionalCourts {
    /// The levels an officer may record: the supreme and high courts are listed in full.
    static let recordableLevels: [CourtLevel] = [
        .district, .regional, .provincial, .military, .arbitration, .foreign, .other,
    ]
    static let codeSeries = Sequences.Key(series: "provisional-court")
    /// Provisional entries have no start of their own: the level's period (before or from 01/07/2025) bounds them.
    static let validFrom = "0001-01-01"

    struct Draft {
        var name: String
        var level: CourtLevel
    }

    /// Checks the form; the name is refused when a court of that level with the same name (diacritics and case
    /// aside) is already listed, so two officers do not record one court twice.
    static func check(_ form: inout FormCheck, existing: [CatalogEntry]) -> Draft? {
        let name = form.text("name", label: "Tên tòa án", required: true, max: 300)
        if !name.isEmpty && name.count < 5 { form.fail("name", "Ghi đủ tên tòa án (ít nhất 5 ký tự).") }
        let level = form.choice("level", label: "Cấp tòa án", CourtLevel.self)
        if let level, !recordableLevels.contains(level) {
            form.fail("level", "\(level.label) đã có đủ trong danh mục; chọn mục có sẵn.")
        }
        if let level, !name.isEmpty {
            let folded = VietnameseText.fold(name)
            if let twin = existing.first(where: {
                $0.status != .mapped && $0.court?.level == level && VietnameseText.fold($0.name) == folded
            }) {
                form.fail("name", "Đã có trong danh mục: \(twin.code) — \(twin.name).")
            }
        }
        guard form.isValid, let level else { return nil }
        return Draft(name: name, level: level)
    }

    static func record(_ draft: Draft, in ctx: ActionContext) async throws -> CatalogEntry {
        let user = try ctx.staff
        try ctx.authorize(.enterCaseData)
        let entry = try await ctx.write { db in
            let number = try await Sequences.take(codeSeries, on: db)
            let entry = CatalogEntry(
                catalog: .courts, code: String(format: "TAM-%05d", number), name: draft.name, validFrom: validFrom,
                validTo: nil, attribute: CourtDescription(level: draft.level).attribute,
                source: "Ghi tạm bởi cán bộ, chờ Cục đối chiếu với danh mục chính thức")
            entry.status = .provisional
            entry.recordedBy = user.account.id
            try await entry.create(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "catalog.provisionalCourtRecorded", objectType: "catalog", objectID: entry.id?.uuidString,
                    summary: "Ghi tạm tòa án \(entry.code) — \(entry.name)", after: AuditEntry.json(entry.snapshot)),
                on: db)
            return entry
        }
        ctx.app.catalogCache.invalidate()
        return entry
    }

    struct MappingRefused: Error {
        let message: String
    }

    /// Maps the provisional `entry` to the official `target`: every judgment naming it names the target, and the
    /// provisional entry is retired (kept, so history still reads). Refused when the target could not have issued
    /// one of those judgments on its date.
    static func map(_ entry: CatalogEntry, to target: CatalogEntry, in ctx: ActionContext) async throws -> Int {
        try ctx.authorize(.manageCatalogs)
        guard entry.status == .provisional else { throw MappingRefused(message: "Mục này không còn là mục tạm.") }
        guard target.catalog == .courts, target.status == nil else {
            throw MappingRefused(message: "Chọn một tòa án của danh mục chính thức.")
        }
        let code = entry.code
        let moved = try await ctx.write { db -> Int in
            let judgments = try await Judgment.query(on: db).filter(\.$courtCode == code).all()
            for judgment in judgments {
                guard let day = judgment.judgmentDate.flatMap(LocalDate.init(iso:)) else { continue }
                if let why = target.courtRefusal(judgmentDate: day) {
                    throw MappingRefused(message: "Bản án số \(judgment.number): \(why)")
                }
            }
            try await Judgment.query(on: db).filter(\.$courtCode == code).set(\.$courtCode, to: target.code).update()
            let before = entry.snapshot
            entry.status = .mapped
            entry.mappedTo = target.code
            try await entry.save(on: db)
            try await ctx.audit(
                AuditEntry(
                    action: "catalog.provisionalCourtMapped", objectType: "catalog", objectID: entry.id?.uuidString,
                    summary: "Đối chiếu tòa án tạm \(code) sang \(target.code) — \(target.name); "
                        + "chuyển \(judgments.count) bản án",
                    before: AuditEntry.json(before), after: AuditEntry.json(entry.snapshot)), on: db)
            return judgments.count
        }
        ctx.app.catalogCache.invalidate()
        return moved
    }
}
