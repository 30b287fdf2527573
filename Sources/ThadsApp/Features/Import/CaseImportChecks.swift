import Foundation
import ThadsDomain

/// The checks of an import row that no single case form makes: which unit, the status reached in the old system,
/// and money totals brought over as one entry each.
extension CaseImportValidator {
    func checkUnit(_ code: String, fail: (LegacyImportColumn?, String) -> Void) -> Unit? {
        guard !code.isEmpty else {
            fail(.unitCode, "Nhập mã đơn vị thụ lý (ví dụ 01, 79-01).")
            return nil
        }
        guard let unit = units[code] else {
            fail(.unitCode, "Không có đơn vị mã “\(code.prefix(20))”.")
            return nil
        }
        guard scope.contains(unit.id) else {
            fail(.unitCode, "Đơn vị \(unit.code) nằm ngoài phạm vi quản lý của tài khoản.")
            return nil
        }
        guard unit.isOpen else {
            fail(.unitCode, "Đơn vị \(unit.code) đã đóng; không nhận hồ sơ mới.")
            return nil
        }
        guard unit.level != .central else {
            fail(.unitCode, "Cục Quản lý THADS không trực tiếp thụ lý hồ sơ; ghi mã đơn vị thi hành án.")
            return nil
        }
        return unit
    }

    struct State {
        let status: CaseStatus
        let resumeStatus: CaseStatus?
        let closedOn: LocalDate?
    }

    /// The status as given, with what it needs: the running status to resume to when paused, the closing day
    /// when closed, and a request to return only for a case started on request.
    func checkStatus(
        _ cells: [LegacyImportColumn: String], startMode: CaseStartMode?, decidedOn: LocalDate?,
        fail: (LegacyImportColumn?, String) -> Void
    ) -> State? {
        let statusText = cells[.status, default: ""]
        guard !statusText.isEmpty else {
            fail(.status, "Nhập trạng thái hồ sơ (ví dụ da-thu-ly, co-dieu-kien, thi-hanh-xong).")
            return nil
        }
        guard let status = LegacyImportChoice.status(statusText) else {
            fail(.status, "Trạng thái “\(statusText.prefix(40))” không hợp lệ (xem danh sách trong docs/import.md).")
            return nil
        }
        var valid = true
        if status == .requestReturned, let startMode, startMode != .onRequest {
            fail(.status, "Chỉ trả đơn yêu cầu với hồ sơ thụ lý theo đơn yêu cầu.")
            valid = false
        }
        let resumeText = cells[.resumeStatus, default: ""]
        var resumeStatus: CaseStatus?
        if status.isPaused {
            let targets = CaseLifecycle.resumptionTargets(from: status)
            let names = targets.map { LegacyImportChoice.normalized($0.label) }.joined(separator: ", ")
            if let resume = LegacyImportChoice.status(resumeText), targets.contains(resume) {
                resumeStatus = resume
            } else {
                fail(
                    .resumeStatus, "Hồ sơ \(status.label.lowercased()) cần trạng thái để tiếp tục: một trong \(names).")
                valid = false
            }
        } else if !resumeText.isEmpty {
            fail(.resumeStatus, "Chỉ ghi khi hồ sơ đang hoãn hoặc tạm đình chỉ thi hành án.")
            valid = false
        }
        var form = FormCheck(["closedOn": cells[.closedOn] ?? ""])
        let label = LegacyImportColumn.closedOn.label
        let closedOn = form.date("closedOn", label: label, required: status.isClosed, notAfter: context.today)
        if !status.isClosed && closedOn != nil {
            form.fail("closedOn", "Chỉ ghi ngày kết thúc với hồ sơ đã kết thúc (\(status.label.lowercased())).")
        } else if let closedOn, let decidedOn, closedOn < decidedOn {
            form.fail("closedOn", "\(label) không được trước ngày ra quyết định thi hành án (\(decidedOn.display)).")
        }
        for message in form.errors.values { fail(.closedOn, message) }
        guard valid && form.isValid else { return nil }
        return State(status: status, resumeStatus: resumeStatus, closedOn: status.isClosed ? closedOn : nil)
    }

    struct Money {
        var collected: Int64?
        var paidOut: Int64?
        var asOf: LocalDate?
    }

    /// Totals collected and paid out so far, with the day they stand at; 0 or blank means none.
    func checkMoney(
        _ cells: [LegacyImportColumn: String], decidedOn: LocalDate?, fail: (LegacyImportColumn?, String) -> Void
    ) -> Money {
        func blankOrZero(_ text: String) -> Bool {
            text.allSatisfy { "0. \u{00A0}đ₫".contains($0) }
        }
        var fields: [String: String] = ["asOf": cells[.moneyAsOf] ?? ""]
        for column in [LegacyImportColumn.collected, .paidOut] {
            let text = cells[column] ?? ""
            fields[column.rawValue] = blankOrZero(text) ? "" : text
        }
        var form = FormCheck(fields)
        var money = Money()
        money.collected = form.amount("collected", label: LegacyImportColumn.collected.label)
        money.paidOut = form.amount("paid_out", label: LegacyImportColumn.paidOut.label)
        let label = LegacyImportColumn.moneyAsOf.label
        let hasMoney = money.collected != nil || money.paidOut != nil
        money.asOf = form.date("asOf", label: label, required: hasMoney, notAfter: context.today)
        if let asOf = money.asOf, let decidedOn, asOf < decidedOn {
            form.fail("asOf", "\(label) không được trước ngày ra quyết định thi hành án (\(decidedOn.display)).")
        }
        for (key, message) in form.errors {
            fail(key == "asOf" ? .moneyAsOf : LegacyImportColumn(rawValue: key), message)
        }
        if !hasMoney { money.asOf = nil }
        return money
    }
}
