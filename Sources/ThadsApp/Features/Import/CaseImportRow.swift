import Fluent
import Foundation
import ThadsDomain
import Vapor

/// One problem of an import file: the row (0 for the file itself), the column and the Vietnamese message.
struct ImportProblem: Sendable, Hashable {
    var row: Int
    var column: LegacyImportColumn?
    var message: String
}

/// One row that passed every check: the values of its records as the case forms would have stored them.
struct CaseImportRow: Sendable {
    let number: Int
    let unitID: UUID
    let legacyCode: String?
    let judgment: CaseRecordFields.Values
    let caseFile: CaseRecordFields.Values
    let decision: CaseRecordFields.Values
    let decidedOn: LocalDate
    let status: CaseStatus
    let resumeStatus: CaseStatus?
    let closedOn: LocalDate?
    let debtor: CaseRecordFields.Values
    let creditor: CaseRecordFields.Values?
    let obligation: CaseRecordFields.Values
    let collected: Int64?
    let paidOut: Int64?
    let moneyAsOf: LocalDate?
    /// `CaseQuality.judgmentNumberKey` and `CaseImportDuplicates.key`, made while rows are checked in parallel.
    let numberKey: String
    let duplicateKey: String

    /// The debtor's name as `name_folded` stores it.
    var foldedDebtor: String { VietnameseText.fold(debtor["fullName"] ?? "") }
}

/// Checks rows of the template with the case forms' own rules (`CaseRecordFields.parse` over `FormCheck`): the
/// same catalogs valid on the same dates, no future dates, the effective date not before the judgment, amounts,
/// ID number formats. On top: the unit, the coded choices, and the status facts a form collects over time.
struct CaseImportValidator: Sendable {
    struct Unit: Sendable {
        let id: UUID
        let code: String
        let name: String
        let level: UnitLevel
        let isOpen: Bool
    }

    let columns: [LegacyImportColumn]
    let context: CaseEntryContext
    let units: [String: Unit]
    let scope: DataScope

    /// A validator with its own copy of the catalogs and units, read from the database.
    static func load(columns: [LegacyImportColumn], scope: DataScope, app: Application) async throws
        -> CaseImportValidator
    {
        let units = try await EnforcementUnit.query(on: app.db).all().map {
            Unit(id: $0.id!, code: $0.code, name: $0.name, level: $0.level, isOpen: $0.isOpen)
        }
        return CaseImportValidator(
            columns: columns, context: try await CaseEntryContext.load(unitID: nil, on: app.db, application: app),
            units: Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }), scope: scope)
    }

    /// The columns of a header row, and its problems: unknown, repeated or missing columns.
    static func readHeader(_ header: [String]) -> (columns: [LegacyImportColumn], problems: [ImportProblem]) {
        var problems: [ImportProblem] = []
        var columns: [LegacyImportColumn] = []
        for (index, title) in header.enumerated() {
            let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let column = LegacyImportColumn.named(trimmed) else {
                problems.append(
                    ImportProblem(
                        row: 1, column: nil,
                        message:
                            "Cột thứ \(index + 1) “\(trimmed.prefix(60))” không có trong mẫu nhập (xem docs/import.md)."
                    ))
                continue
            }
            if columns.contains(column) {
                problems.append(ImportProblem(row: 1, column: column, message: "Cột “\(column.rawValue)” bị lặp lại."))
            }
            columns.append(column)
        }
        for column in LegacyImportColumn.allCases where column.isRequired && !columns.contains(column) {
            problems.append(
                ImportProblem(
                    row: 1, column: column, message: "Thiếu cột bắt buộc “\(column.rawValue)” (\(column.label))."))
        }
        return (columns, problems)
    }

    func check(_ row: ImportSheet.Row) -> (CaseImportRow?, [ImportProblem]) {
        var cells: [LegacyImportColumn: String] = [:]
        cells.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() where index < row.cells.count {
            // Trimmed once here; the form checks trim again, but find nothing left to do.
            cells[column] = FormCheck.trimmed(row.cells[index])
        }
        var problems: [ImportProblem] = []
        func fail(_ column: LegacyImportColumn?, _ message: String) {
            problems.append(ImportProblem(row: row.number, column: column, message: message))
        }
        if row.cells.count > columns.count, row.cells[columns.count...].contains(where: { !$0.isEmpty }) {
            // Usually a comma inside an unquoted cell (an address), which shifts every later column.
            fail(
                nil,
                "Dòng có \(row.cells.count) ô, nhiều hơn \(columns.count) cột của dòng tiêu đề: kiểm tra ô có dấu phẩy "
                    + "chưa đặt trong ngoặc kép.")
        }
        /// Runs one record's form check over the row's cells; its errors go back to the columns they came from.
        func form(
            _ kind: CaseRecordKind, _ mapping: [LegacyImportColumn: String], extra: [String: String] = [:],
            decision: CaseDecisionKind? = nil
        ) -> (CaseRecordFields.Values, FormCheck) {
            var fields = extra
            for (column, key) in mapping { fields[key] = cells[column] ?? "" }
            var check = FormCheck(fields)
            let values = CaseRecordFields.parse(kind, &check, context: context, decision: decision)
            for (key, message) in check.errors.sorted(by: { $0.key < $1.key }) {
                fail(mapping.first { $0.value == key }?.key, message)
            }
            return (values, check)
        }
        func choice<Value: RawRepresentable>(
            _ column: LegacyImportColumn, _ parse: (String) -> Value?, forms: String, required: Bool = true
        ) -> Value? where Value.RawValue == String {
            let text = cells[column, default: ""]
            if text.isEmpty {
                if required { fail(column, "Nhập \(column.label.lowercased()) (\(forms)).") }
                return nil
            }
            guard let value = parse(text) else {
                fail(column, "\(column.label) “\(text.prefix(40))” không hợp lệ: dùng \(forms).")
                return nil
            }
            return value
        }

        let unit = checkUnit(cells[.unitCode] ?? "", fail: fail)
        var legacy = FormCheck(["legacyCode": cells[.legacyCode] ?? ""])
        let legacyCode = legacy.text("legacyCode", label: LegacyImportColumn.legacyCode.label, max: 50)
        for message in legacy.errors.values { fail(.legacyCode, message) }

        let (judgment, _) = form(
            .judgment,
            [
                .courtCode: "courtCode", .judgmentNumber: "number", .judgmentDate: "judgmentDate",
                .judgmentKind: "kindCode", .effectiveDate: "effectiveDate",
            ])
        let startMode = choice(.startMode, LegacyImportChoice.startMode, forms: "chu-dong, theo-don, nhan-uy-thac")
        let (caseFile, _) = form(
            .caseFile, [.requestReceivedOn: "requestReceivedOn"],
            extra: ["startMode": startMode?.rawValue ?? CaseStartMode.exOfficio.rawValue, "officerID": ""])
        let (decision, _) = form(
            .decision,
            [
                .decisionNumber: "number", .decisionDate: "decidedOn", .decisionGround: "groundCode",
                .decisionSigner: "signer",
            ],
            decision: .enforcement)
        let decidedOn = LocalDate(iso: decision["decidedOn"] ?? "")
        if let effective = LocalDate(iso: judgment["effectiveDate"] ?? ""), let decidedOn, decidedOn < effective {
            fail(
                .decisionDate, "Quyết định thi hành án không được trước ngày bản án có hiệu lực (\(effective.display))."
            )
        }

        let state = checkStatus(cells, startMode: startMode, decidedOn: decidedOn, fail: fail)

        let debtorKind = choice(.debtorKind, LegacyImportChoice.partyKind, forms: "ca-nhan, to-chuc")
        let (debtor, _) = form(
            .party,
            [
                .debtorName: "fullName", .debtorBirthYear: "birthYear", .debtorIDNumber: "idNumber",
                .debtorAddress: "address",
            ],
            extra: ["role": PartyRole.debtor.rawValue, "kind": (debtorKind ?? .person).rawValue])
        var creditor: CaseRecordFields.Values?
        let creditorColumns: [LegacyImportColumn] = [.creditorKind, .creditorName, .creditorAddress]
        if creditorColumns.contains(where: { !(cells[$0] ?? "").isEmpty }) {
            let kind = choice(.creditorKind, LegacyImportChoice.partyKind, forms: "ca-nhan, to-chuc")
            creditor =
                form(
                    .party, [.creditorName: "fullName", .creditorAddress: "address"],
                    extra: ["role": PartyRole.creditor.rawValue, "kind": (kind ?? .person).rawValue]
                ).0
        }

        let mode = choice(
            .obligationMode, LegacyImportChoice.obligationMode, forms: "tra-tien, giao-tai-san, cong-viec")
        let beneficiary = choice(
            .obligationBeneficiary, LegacyImportChoice.beneficiary, forms: "nguoi-duoc-thi-hanh, ngan-sach")
        let (obligation, _) = form(
            .obligation,
            [.obligationKind: "kindCode", .obligationAmount: "amount", .obligationDescription: "description"],
            extra: [
                "mode": (mode ?? .money).rawValue, "beneficiary": (beneficiary ?? .person).rawValue, "periodic": "",
            ])

        let money = checkMoney(cells, decidedOn: decidedOn, fail: fail)

        guard problems.isEmpty, let unit, let decidedOn, let state else { return (nil, problems) }
        let numberKey = CaseQuality.judgmentNumberKey(judgment["number"] ?? "")
        return (
            CaseImportRow(
                number: row.number, unitID: unit.id, legacyCode: legacyCode.isEmpty ? nil : legacyCode,
                judgment: judgment, caseFile: caseFile, decision: decision, decidedOn: decidedOn, status: state.status,
                resumeStatus: state.resumeStatus, closedOn: state.closedOn, debtor: debtor, creditor: creditor,
                obligation: obligation, collected: money.collected, paidOut: money.paidOut, moneyAsOf: money.asOf,
                numberKey: numberKey,
                duplicateKey: CaseImportDuplicates.key(
                    court: judgment["courtCode"] ?? "", numberKey: numberKey,
                    foldedDebtor: VietnameseText.fold(debtor["fullName"] ?? ""))),
            []
        )
    }
}
