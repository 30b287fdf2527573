import Foundation
import SQLKit
import ThadsDomain

/// Writes many whole cases at once with multi-row INSERTs (B9 import, demo data): per table one statement shape of
/// up to `rowsPerStatement` rows, within the database's bind limit, instead of one Fluent `create` per record.
///
/// It takes plain values and writes them as given: codes, ids, statuses and the transaction are the caller's. The
/// row types apply the same derivations as `CaseRecord.apply` (folded and exact names, encrypted ID numbers with
/// their blind index), so a case written here is found and shown like one entered through the forms. Search stays
/// in step by itself: SQLite's FTS triggers and PostgreSQL's generated column read `name_folded`.
struct CaseBulkWriter {
    let db: any SQLDatabase
    var rowsPerStatement = 500

    init(_ db: any SQLDatabase) {
        self.db = db
    }

    /// The records of any number of cases, inserted in foreign-key order.
    struct Batch: Sendable {
        var judgments: [JudgmentRow] = []
        var cases: [CaseRow] = []
        var parties: [PartyRow] = []
        var obligations: [ObligationRow] = []
        var decisions: [DecisionRow] = []
        var money: [MoneyRow] = []

        var isEmpty: Bool { cases.isEmpty && judgments.isEmpty }
    }

    /// A batch in the form the database takes it (`BulkInsert.Encoded`), tables in foreign-key order.
    struct EncodedBatch: Sendable {
        fileprivate var tables: [BulkInsert.Encoded] = []
    }

    /// Builds the batch's statements without touching the database, so that the next batch can be built while the
    /// database writes this one.
    func encode(_ batch: Batch) throws -> EncodedBatch {
        func table(_ name: String, _ columns: [String], _ rows: [[any Encodable & Sendable]]) throws
            -> BulkInsert.Encoded
        {
            var bulk = BulkInsert(name, columns)
            for row in rows { bulk.add(row) }
            return try bulk.encoded(for: db, rowsPerStatement: rowsPerStatement)
        }
        return EncodedBatch(tables: [
            try table(JudgmentRow.table, JudgmentRow.columns, batch.judgments.map(\.values)),
            try table(CaseRow.table, CaseRow.columns, batch.cases.map(\.values)),
            try table(PartyRow.table, PartyRow.columns, batch.parties.map(\.values)),
            try table(ObligationRow.table, ObligationRow.columns, batch.obligations.map(\.values)),
            try table(DecisionRow.table, DecisionRow.columns, batch.decisions.map(\.values)),
            try table(MoneyRow.table, MoneyRow.columns, batch.money.map(\.values)),
        ])
    }

    func insert(_ batch: EncodedBatch) async throws {
        for table in batch.tables { try await table.write(on: db) }
    }

    // MARK: Rows

    struct JudgmentRow: Sendable {
        static let table = Judgment.schema
        static let columns = [
            "id", "unit_id", "court_code", "number", "number_key", "judgment_date", "kind_code", "effective_date",
            "received_on", "entered_at", "is_late", "late_reason", "created_by_id",
        ]
        var id: UUID
        var unitID: UUID
        var courtCode: String
        var number: String
        var judgmentDate: LocalDate?
        var kindCode: String
        var effectiveDate: LocalDate?
        var receivedOn: LocalDate?
        var enteredAt: Date
        var isLate = false
        var lateReason: String? = nil
        var createdByID: UUID

        var values: [any Encodable & Sendable] {
            [
                id, unitID, courtCode, number, CaseQuality.judgmentNumberKey(number), judgmentDate?.iso, kindCode,
                effectiveDate?.iso, receivedOn?.iso, enteredAt, isLate, lateReason, createdByID,
            ]
        }
    }

    struct CaseRow: Sendable {
        static let table = EnforcementCase.schema
        static let columns = [
            "id", "code", "unit_id", "judgment_id", "start_mode", "request_received_on", "status", "resume_status",
            "officer_id", "statistical_year", "opened_on", "closed_on", "created_at", "created_by_id", "updated_at",
            "legacy_code",
        ]
        var id: UUID
        var code: String
        var unitID: UUID
        var judgmentID: UUID
        var startMode: CaseStartMode
        var requestReceivedOn: LocalDate?
        var status: CaseStatus
        var resumeStatus: CaseStatus?
        var officerID: UUID?
        var statisticalYear: Int
        var openedOn: LocalDate
        var closedOn: LocalDate?
        var createdAt: Date
        var createdByID: UUID
        var legacyCode: String?

        var values: [any Encodable & Sendable] {
            [
                id, code, unitID, judgmentID, startMode.rawValue, requestReceivedOn?.iso, status.rawValue,
                status.isPaused ? resumeStatus?.rawValue : nil, officerID, statisticalYear, openedOn.iso,
                closedOn?.iso, createdAt, createdByID, createdAt, legacyCode,
            ]
        }
    }

    struct PartyRow: Sendable {
        static let table = CaseParty.schema
        static let columns = [
            "id", "case_id", "unit_id", "role", "kind", "full_name", "name_folded", "name_exact", "birth_date",
            "birth_year", "id_number_cipher", "id_number_index", "id_number_last3", "address", "entered_at",
            "created_by_id",
        ]
        var id: UUID
        var caseID: UUID
        var unitID: UUID
        var role: PartyRole
        var kind: PartyKind
        var fullName: String
        var birthDate: LocalDate?
        var birthYear: Int?
        var address: String
        var enteredAt: Date
        var createdByID: UUID
        private let idNumber: StoredIDNumber

        /// `idNumber` is encrypted here, under the same key purpose as a form entry, and indexed for exact search.
        init(
            id: UUID = .timeOrdered(), caseID: UUID, unitID: UUID, role: PartyRole, kind: PartyKind, fullName: String,
            birthDate: LocalDate? = nil, birthYear: Int? = nil, idNumber: String? = nil, address: String,
            enteredAt: Date, createdByID: UUID, keys: KeyStore
        ) throws {
            self.id = id
            self.caseID = caseID
            self.unitID = unitID
            self.role = role
            self.kind = kind
            self.fullName = fullName
            self.birthDate = birthDate
            self.birthYear = birthYear ?? birthDate?.year
            self.address = address
            self.enteredAt = enteredAt
            self.createdByID = createdByID
            self.idNumber = try StoredIDNumber(idNumber, keys: keys)
        }

        var idNumberLast3: String? { idNumber.last3 }

        var values: [any Encodable & Sendable] {
            [
                id, caseID, unitID, role.rawValue, kind.rawValue, fullName, VietnameseText.fold(fullName),
                VietnameseText.exact(fullName), birthDate?.iso, birthYear, idNumber.cipher, idNumber.index,
                idNumber.last3, address, enteredAt, createdByID,
            ]
        }
    }

    struct ObligationRow: Sendable {
        static let table = CaseObligation.schema
        static let columns = [
            "id", "case_id", "kind_code", "mode", "amount", "description", "beneficiary", "periodic", "entered_at",
            "created_by_id",
        ]
        var id = UUID.timeOrdered()
        var caseID: UUID
        var kindCode: String
        var mode: ObligationMode
        var amount: Int64?
        var description: String
        var beneficiary: Beneficiary
        var periodic = false
        var enteredAt: Date
        var createdByID: UUID

        var values: [any Encodable & Sendable] {
            [
                id, caseID, kindCode, mode.rawValue, amount, description, beneficiary.rawValue, periodic, enteredAt,
                createdByID,
            ]
        }
    }

    struct DecisionRow: Sendable {
        static let table = CaseDecision.schema
        static let columns = [
            "id", "case_id", "kind", "number", "decided_on", "ground_code", "signer", "notified_on", "notes",
            "status_before", "status_after", "entered_at", "is_late", "late_reason", "created_by_id",
        ]
        var id = UUID.timeOrdered()
        var caseID: UUID
        var kind: CaseDecisionKind
        var number: String
        var decidedOn: LocalDate
        var groundCode: String
        var signer: String
        var notifiedOn: LocalDate?
        var notes = ""
        var statusBefore: CaseStatus
        var statusAfter: CaseStatus
        var enteredAt: Date
        var isLate = false
        var lateReason: String? = nil
        var createdByID: UUID

        var values: [any Encodable & Sendable] {
            [
                id, caseID, kind.rawValue, number, decidedOn.iso, groundCode, signer, notifiedOn?.iso, notes,
                statusBefore.rawValue, statusAfter.rawValue, enteredAt, isLate, lateReason, createdByID,
            ]
        }
    }

    struct MoneyRow: Sendable {
        static let table = CaseMoneyEntry.schema
        static let columns = [
            "id", "case_id", "direction", "amount", "occurred_on", "reference", "notes", "entered_at", "is_late",
            "late_reason", "created_by_id",
        ]
        var id = UUID.timeOrdered()
        var caseID: UUID
        var direction: MoneyDirection
        var amount: Int64
        var occurredOn: LocalDate
        var reference: String
        var notes = ""
        var enteredAt: Date
        var isLate = false
        var lateReason: String? = nil
        var createdByID: UUID

        var values: [any Encodable & Sendable] {
            [
                id, caseID, direction.rawValue, amount, occurredOn.iso, reference, notes, enteredAt, isLate,
                lateReason, createdByID,
            ]
        }
    }
}
