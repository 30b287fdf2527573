import Fluent
import Foundation
import ThadsDomain
import Vapor

/// What the case forms choose from and check against: the catalogs, the unit's enforcement officers, today and the
/// deadlines in force. Loaded once per form.
struct CaseEntryContext: Sendable {
    let today: LocalDate
    let deadlines: CaseDeadlines
    let courts: [CatalogEntry]
    let judgmentKinds: [CatalogEntry]
    let obligationKinds: [CatalogEntry]
    let grounds: [CatalogEntry]
    let reasons: [CatalogEntry]
    /// Active enforcement officers of the case's unit, by name.
    let officers: [(id: UUID, name: String)]
    /// Each entry's validity read once: an import checks tens of thousands of rows against the same catalogs.
    let validity: [ObjectIdentifier: ClosedRange<LocalDate>]
    /// The grounds by decision kind (their `attribute`), for the same reason.
    let groundsByKind: [String: [CatalogEntry]]
    /// Each catalog's codes with their validity (grounds under "grounds:<decision kind>"): a form check is then
    /// one lookup, without reading every entry's fields.
    let codes: [String: [String: ClosedRange<LocalDate>]]
    /// The courts by code, for the check of a judgment's court against its date.
    let courtsByCode: [String: CatalogEntry]

    static func load(unitID: UUID, in ctx: ActionContext) async throws -> CaseEntryContext {
        try await load(unitID: unitID, on: ctx.db, application: ctx.app)
    }

    /// The context of `unitID`'s forms; with no unit, no officers to choose from (an import across units).
    static func load(unitID: UUID?, on db: any Database, application: Application) async throws -> CaseEntryContext {
        let catalogs = try await application.catalogCache.catalogs(on: db)
        let accounts =
            unitID == nil
            ? []
            : try await db.models(Account.self, where: \.$unitID, equals: unitID!, named: UnitAccounts.self)
                .filter { $0.status == .active }
                .sorted { $0.fullName < $1.fullName }
        return CaseEntryContext(
            today: application.clock.today,
            deadlines: CaseDeadlines(
                calendar: application.workingCalendar, parameters: application.legalParameters),
            courts: catalogs.catalog(.courts), judgmentKinds: catalogs.catalog(.judgmentKinds),
            obligationKinds: catalogs.catalog(.obligationKinds),
            grounds: catalogs.catalog(.decisionGrounds), reasons: catalogs.catalog(.reasons),
            officers: accounts.filter { $0.roles.contains(.enforcementOfficer) }.map { ($0.id!, $0.fullName) },
            validity: catalogs.validity, groundsByKind: catalogs.groundsByKind, codes: catalogs.codes,
            courtsByCode: catalogs.courtsByCode)
    }

    /// Why the court `code` cannot have issued a judgment dated `date` (it ended, had not begun, or is not listed);
    /// nil when it could.
    func courtRefusal(_ code: String, judgmentDate date: LocalDate) -> String? {
        guard let entry = courtsByCode[code] else { return "Tòa án \(code) không có trong danh mục." }
        return entry.courtRefusal(judgmentDate: date)
    }

    /// Whether `code` is an entry of `catalog` valid on `date`.
    func isValid(code: String, in catalog: CatalogKind, on date: LocalDate) -> Bool {
        codes[catalog.rawValue]?[code]?.contains(date) ?? false
    }

    /// Whether `code` is a ground of decisions of `kind` valid on `date`.
    func isValid(ground code: String, for kind: CaseDecisionKind, on date: LocalDate) -> Bool {
        codes["grounds:" + kind.rawValue]?[code]?.contains(date) ?? false
    }

    func valid(_ entries: [CatalogEntry], on date: LocalDate) -> [CatalogEntry] {
        entries.filter { isValid($0, on: date) }
    }

    /// The grounds of one decision kind valid on `date`.
    func grounds(for kind: CaseDecisionKind, on date: LocalDate) -> [CatalogEntry] {
        (groundsByKind[kind.rawValue] ?? []).filter { isValid($0, on: date) }
    }

    func reasons(_ purpose: String) -> [CatalogEntry] {
        reasons.filter { $0.attribute == purpose && isValid($0, on: today) }
    }

    private func isValid(_ entry: CatalogEntry, on date: LocalDate) -> Bool {
        guard let range = validity[ObjectIdentifier(entry)] else { return entry.isValid(on: date) }
        return range.contains(date)
    }

    func name(of code: String, in entries: [CatalogEntry]) -> String {
        entries.first { $0.code == code }.map { "\($0.code) — \($0.name)" } ?? code
    }

    func officerName(_ id: String) -> String {
        officers.first { $0.id.uuidString == id }?.name ?? (id.isEmpty ? "" : "(tài khoản khác đơn vị)")
    }

    /// Whether an event of `eventOn` entered today is late, so a reason must be given (B6).
    func isLate(_ eventOn: LocalDate?) -> Bool {
        guard let eventOn else { return false }
        return EntryTimeliness.isLate(eventOn: eventOn, enteredOn: today, deadlines: deadlines)
    }

    /// Checks the late-entry reason fields (`lateReason` from the catalog, `lateNote` free text) when the event is
    /// late; returns the reason to store, nil when on time.
    func lateReason(for eventOn: LocalDate?, form: inout FormCheck) -> String? {
        guard isLate(eventOn), let eventOn else { return nil }
        let last = EntryTimeliness.lastOnTimeDay(eventOn: eventOn, deadlines: deadlines)
        let choices = reasons("lateEntry")
        guard let code = form.catalogCode("lateReason", label: "Lý do nhập muộn", entries: choices, required: false)
        else {
            form.fail(
                "lateReason",
                "Sự kiện ngày \(eventOn.display) phải nhập chậm nhất ngày \(last.display): chọn lý do nhập muộn.")
            return nil
        }
        let note = form.text("lateNote", label: "Diễn giải lý do", required: code.hasSuffix("OTHER"), max: 500)
        let name = choices.first { $0.code == code }?.name ?? code
        return note.isEmpty ? name : "\(name): \(note)"
    }
}

/// The accounts of a unit, read for every case page and form (`ModelRowSets.read(_:named:on:)`).
enum UnitAccounts: RowSetsName {}
