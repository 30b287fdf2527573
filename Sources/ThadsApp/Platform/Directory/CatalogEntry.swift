import Fluent
import Foundation
import NIOConcurrencyHelpers
import ThadsDomain
import Vapor

/// The shared catalogs (B2): one source for every form and the future API.
enum CatalogKind: String, CaseIterable, Sendable, Codable {
    case courts
    case judgmentKinds = "judgment-kinds"
    case obligationKinds = "obligation-kinds"
    case decisionGrounds = "decision-grounds"
    case reasons

    var label: String {
        switch self {
        case .courts: "Tòa án, cơ quan ra bản án, quyết định"
        case .judgmentKinds: "Loại bản án, quyết định"
        case .obligationKinds: "Loại nghĩa vụ thi hành án"
        case .decisionGrounds: "Căn cứ ra quyết định"
        case .reasons: "Lý do"
        }
    }

    /// What the `attribute` column holds for this catalog, shown as the column title.
    var attributeLabel: String {
        switch self {
        case .courts: "Cấp:mã tỉnh"
        case .judgmentKinds: "Thuộc tính"
        case .obligationKinds: "Hình thức:nộp cho"
        case .decisionGrounds: "Loại quyết định"
        case .reasons: "Dùng cho"
        }
    }
}

/// One entry of a catalog, valid from a date and, once superseded, until a date (entries are never deleted).
final class CatalogEntry: Model, @unchecked Sendable {
    /// Listed, not found by reflection: Fluent reads this for every row it decodes or writes.
    var properties: [any AnyProperty] {
        [$id, $catalog, $code, $name, $validFrom, $validTo, $attribute, $source, $status, $mappedTo, $recordedBy]
    }
    static let schema = "catalog_entries"

    @ID(key: .id) var id: UUID?
    @Enum(key: "catalog") var catalog: CatalogKind
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_to") var validTo: String?
    @Field(key: "attribute") var attribute: String
    @Field(key: "source") var source: String
    /// nil for an entry of the official catalog; see `CatalogEntryStatus`.
    @OptionalEnum(key: "status") var status: CatalogEntryStatus?
    /// The official code a provisional entry was mapped to.
    @OptionalField(key: "mapped_to") var mappedTo: String?
    /// The account that recorded a provisional entry.
    @OptionalField(key: "recorded_by") var recordedBy: UUID?

    init() {}

    init(
        catalog: CatalogKind, code: String, name: String, validFrom: String, validTo: String?, attribute: String,
        source: String
    ) {
        self.id = UUID()
        self.catalog = catalog
        self.code = code
        self.name = name
        self.validFrom = validFrom
        self.validTo = validTo
        self.attribute = attribute
        self.source = source
    }

    /// Whether the entry may be chosen for an event on `date`.
    func isValid(on date: LocalDate) -> Bool {
        status != .mapped && validity?.contains(date) ?? false
    }

    /// The days the entry may be chosen for (nil when its start is unreadable: never).
    var validity: ClosedRange<LocalDate>? {
        guard let from = LocalDate(iso: validFrom) else { return nil }
        guard let validTo, let to = LocalDate(iso: validTo) else { return from...LocalDate.latest }
        return to < from ? nil : from...to
    }

    struct Snapshot: Codable, Sendable {
        var catalog: String
        var code: String
        var name: String
        var validFrom: String
        var validTo: String?
        var attribute: String
        var source: String
        var status: String?
        var mappedTo: String?
    }

    var snapshot: Snapshot {
        Snapshot(
            catalog: catalog.rawValue, code: code, name: name, validFrom: validFrom, validTo: validTo,
            attribute: attribute, source: source, status: status?.rawValue, mappedTo: mappedTo)
    }
}

/// How far an entry is from the official catalog: officers record a court not yet listed as a provisional entry,
/// usable at once; a central admin later maps it to the official entry, and the provisional one is retired.
enum CatalogEntryStatus: String, Codable, Sendable {
    case provisional
    case mapped
}

struct CreateCatalogEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CatalogEntry.schema)
            .id()
            .field("catalog", .string, .required)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_to", .string)
            .field("attribute", .string, .required)
            .field("source", .string, .required)
            .unique(on: "catalog", "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CatalogEntry.schema).delete()
    }
}

enum CatalogStore {
    /// Loads the shipped entries (Resources/catalogs/*.csv) whose code a catalog does not hold yet: everything on a
    /// new installation, and what a release adds (the former provincial and the military courts) on an older one.
    /// An entry already held is left as it is, so an admin's edits and end dates survive.
    static func seedMissing(_ app: Application) async throws {
        let held = try await CatalogEntry.query(on: app.db).all().reduce(into: [CatalogKind: Set<String>]()) {
            $0[$1.catalog, default: []].insert($1.code)
        }
        for kind in CatalogKind.allCases {
            let missing = try shipped(kind).filter { !(held[kind]?.contains($0.code) ?? false) }
            guard !missing.isEmpty else { continue }
            let upgrade = !(held[kind]?.isEmpty ?? true)
            try await app.write(on: app.db) { db in
                for entry in missing { try await entry.create(on: db) }
                // A first load is the installation itself; entries a release adds later are a change to record.
                if upgrade {
                    try await AuditLog.record(
                        AuditEntry(
                            action: "catalog.shippedEntriesAdded", objectType: "catalog", objectID: kind.rawValue,
                            summary: "\(kind.label): thêm \(missing.count) mục theo phiên bản mới",
                            after: AuditEntry.json(missing.map(\.code))),
                        actor: .system, at: app.clock.now, on: db)
                }
            }
        }
        app.catalogCache.invalidate()
    }

    /// The entries shipped for `kind`, as new models.
    static func shipped(_ kind: CatalogKind) throws -> [CatalogEntry] {
        guard
            let url = Bundle.module.url(
                forResource: kind.rawValue, withExtension: "csv", subdirectory: "Resources/catalogs")
        else { throw Abort(.internalServerError, reason: "\(kind.rawValue).csv missing from the bundle") }
        let rows = CSVText.rows(try String(contentsOf: url, encoding: .utf8)).dropFirst().filter { $0 != [""] }
        if let bad = rows.first(where: { $0.count != 6 }) {
            throw Abort(.internalServerError, reason: "\(kind.rawValue).csv: a row has \(bad.count) fields, not 6")
        }
        return rows.map { row in
            CatalogEntry(
                catalog: kind, code: row[0], name: row[1], validFrom: row[2], validTo: row[3].isEmpty ? nil : row[3],
                attribute: row[4], source: row[5])
        }
    }

    /// Earlier releases cited a regulation that does not exist for the reasons; entries that still carry that text
    /// take the shipped one (with its article). An admin's own entries and texts stay.
    static let retiredReasonSource = "Quy chế quản lý cơ sở dữ liệu THADS"

    static func citeShippedSources(_ app: Application) async throws {
        let stale = try await CatalogEntry.query(on: app.db).filter(\.$catalog == .reasons)
            .filter(\.$source == retiredReasonSource).all()
        guard !stale.isEmpty else { return }
        let shipped = Dictionary(
            try Self.shipped(.reasons).map { ($0.code, $0.source) }, uniquingKeysWith: { a, _ in a })
        try await app.write(on: app.db) { db in
            var changed: [String] = []
            for entry in stale {
                guard let source = shipped[entry.code] else { continue }
                entry.source = source
                try await entry.save(on: db)
                changed.append(entry.code)
            }
            try await AuditLog.record(
                AuditEntry(
                    action: "catalog.sourcesCited", objectType: "catalog", objectID: CatalogKind.reasons.rawValue,
                    summary: "Ghi điều khoản căn cứ cho \(changed.count) lý do",
                    after: AuditEntry.json(changed.sorted())),
                actor: .system, at: app.clock.now, on: db)
        }
        app.catalogCache.invalidate()
    }

    /// The entries of `kind` that may be chosen on `date`, by code.
    static func entries(_ kind: CatalogKind, validOn date: LocalDate, on db: any Database) async throws
        -> [CatalogEntry]
    {
        try await CatalogEntry.query(on: db).filter(\.$catalog == kind).sort(\.$code).all()
            .filter { $0.isValid(on: date) }
    }
}

/// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Carriage returns outside quotes are
/// dropped, so CRLF and LF files read the same.
///
/// Read over UTF-8 bytes: the delimiters are ASCII, which never occurs inside a multi-byte sequence, so each field
/// is decoded once from its bytes (an import reads hundreds of megabytes).
enum CSVText {
    static func rows(_ text: String) -> [[String]] {
        var text = text
        return text.withUTF8 { rows(utf8: $0) }
    }

    static func rows(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [[String]] {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = 0
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == quote {
                    if index < bytes.count && bytes[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote: quoted = true
            case comma: endField()
            case cr: break
            case lf:
                endField()
                rows.append(row)
                row = []
            default: field.append(byte)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }
}

/// The catalogs as every form reads them, kept in memory for up to a minute: they change a few times a year, and
/// each case page reads all of them. An edit on this instance drops the copy at once; other instances of a cluster
/// see it within the minute.
final class CatalogCache: Sendable {
    private let state = NIOLockedValueBox<(loadedAt: ContinuousClock.Instant, catalogs: LoadedCatalogs)?>(nil)
    static let lifetime: Duration = .seconds(60)

    func entries(on db: any Database) async throws -> [CatalogEntry] {
        try await catalogs(on: db).entries
    }

    /// The entries with the lookups every form makes, worked out once per load rather than once per page.
    func catalogs(on db: any Database) async throws -> LoadedCatalogs {
        if let cached = state.withLockedValue({ $0 }), ContinuousClock.now - cached.loadedAt < Self.lifetime {
            return cached.catalogs
        }
        let catalogs = LoadedCatalogs(try await CatalogEntry.query(on: db).sort(\.$code).all())
        state.withLockedValue { $0 = (ContinuousClock.now, catalogs) }
        return catalogs
    }

    func invalidate() { state.withLockedValue { $0 = nil } }
}

/// Every catalog entry, by catalog, with each entry's validity and each catalog's codes read out of the models once.
struct LoadedCatalogs: @unchecked Sendable {
    // The entries are read, never changed, once loaded: an edit replaces the whole value.
    let entries: [CatalogEntry]
    let byKind: [CatalogKind: [CatalogEntry]]
    /// Each entry's validity, by entry.
    let validity: [ObjectIdentifier: ClosedRange<LocalDate>]
    /// The grounds by decision kind (their `attribute`).
    let groundsByKind: [String: [CatalogEntry]]
    /// Each catalog's codes with their validity (grounds under "grounds:<decision kind>").
    let codes: [String: [String: ClosedRange<LocalDate>]]
    let courtsByCode: [String: CatalogEntry]

    init(_ entries: [CatalogEntry]) {
        self.entries = entries
        var byKind: [CatalogKind: [CatalogEntry]] = [:]
        var validity: [ObjectIdentifier: ClosedRange<LocalDate>] = [:]
        var codes: [String: [String: ClosedRange<LocalDate>]] = [:]
        for entry in entries {
            let kind = entry.catalog
            byKind[kind, default: []].append(entry)
            guard let range = entry.validity, entry.status != .mapped else { continue }
            validity[ObjectIdentifier(entry)] = range
            let group = kind == .decisionGrounds ? "grounds:" + entry.attribute : kind.rawValue
            codes[group, default: [:]][entry.code] = range
        }
        self.byKind = byKind
        self.validity = validity
        self.codes = codes
        self.groundsByKind = Dictionary(grouping: byKind[.decisionGrounds] ?? [], by: \.attribute)
        self.courtsByCode = Dictionary((byKind[.courts] ?? []).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func catalog(_ kind: CatalogKind) -> [CatalogEntry] { byKind[kind] ?? [] }
}

extension Application {
    private struct CatalogCacheKey: StorageKey {
        typealias Value = CatalogCache
    }

    var catalogCache: CatalogCache {
        if let cache = storage[CatalogCacheKey.self] { return cache }
        let cache = CatalogCache()
        storage[CatalogCacheKey.self] = cache
        return cache
    }
}
