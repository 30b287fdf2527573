import Foundation
import ThadsDomain

/// The correctable fields of each record kind, read from a form into stored values (dates ISO, amounts in đồng,
/// enums by raw value, booleans "true"/"false"). Entry and correction use the same checks, so a value that could
/// not be entered cannot be corrected into a record either. Field keys are `CorrectionPolicy`'s.
enum CaseRecordFields {
    typealias Values = [String: String]

    /// The form keys of a record kind, including the non-correctable ones entry also reads.
    static func formKeys(_ kind: CaseRecordKind) -> [String] {
        CorrectionPolicy.fields(of: kind) + ["lateReason", "lateNote"]
    }

    static func label(_ kind: CaseRecordKind, _ field: String) -> String {
        CorrectionPolicy.label(kind, field: field)
    }

    static func parse(
        _ kind: CaseRecordKind, _ form: inout FormCheck, context: CaseEntryContext, decision: CaseDecisionKind? = nil
    )
        -> Values
    {
        switch kind {
        case .judgment: judgment(&form, context)
        case .caseFile: caseFile(&form, context)
        case .party: party(&form, context)
        case .obligation: obligation(&form, context)
        case .decision: self.decision(&form, context, kind: decision ?? .enforcement)
        case .verification: verification(&form, context)
        case .money: money(&form, context)
        }
    }

    /// The date of the event a record stands for (for timeliness), from its stored values.
    static func eventDate(_ kind: CaseRecordKind, _ values: Values) -> LocalDate? {
        eventDateKey(kind).flatMap { values[$0] }.flatMap(LocalDate.init(iso:))
    }

    /// The field that dates a record of `kind`: what timeliness and the period locks read.
    static func eventDateKey(_ kind: CaseRecordKind) -> String? {
        switch kind {
        case .judgment: "receivedOn"
        case .decision: "decidedOn"
        case .verification: "verifiedOn"
        case .money: "occurredOn"
        case .caseFile, .party, .obligation: nil
        }
    }

    // MARK: Per kind

    private static func judgment(_ form: inout FormCheck, _ context: CaseEntryContext) -> Values {
        let l = { label(.judgment, $0) }
        let judgmentDate = form.date("judgmentDate", label: l("judgmentDate"), required: true, notAfter: context.today)
        var court = form.catalogCode("courtCode", label: l("courtCode")) { context.courtsByCode[$0] != nil }
        if let code = court, let why = context.courtRefusal(code, judgmentDate: judgmentDate ?? context.today) {
            form.fail("courtCode", why)
            court = nil
        }
        let number = form.text("number", label: l("number"), required: true, max: 50)
        let kind = form.catalogCode("kindCode", label: l("kindCode")) {
            context.isValid(code: $0, in: .judgmentKinds, on: context.today)
        }
        let effective = form.date("effectiveDate", label: l("effectiveDate"), notAfter: context.today)
        var received = form.date("receivedOn", label: l("receivedOn"), notAfter: context.today)
        let provisional = instant(&form, "provisionalReceivedAt", label: l("provisionalReceivedAt"), context: context)
        if let provisional {
            // The hour is what counts for these; the day of receipt follows from it.
            let day = LocalDate(date: provisional, in: .vietnam)
            if received == nil && form.errors["receivedOn"] == nil {
                received = day
            } else if let received, received != day {
                form.fail(
                    "provisionalReceivedAt",
                    "Giờ nhận phải thuộc ngày nhận (\(received.display)); để trống ngày nhận nếu chỉ ghi giờ nhận.")
            }
        }
        if let judgmentDate, let effective, effective < judgmentDate {
            form.fail("effectiveDate", "Ngày có hiệu lực không được trước ngày bản án (\(judgmentDate.display)).")
        }
        if let judgmentDate, let received, received < judgmentDate {
            form.fail("receivedOn", "Ngày nhận không được trước ngày bản án (\(judgmentDate.display)).")
        }
        return [
            "courtCode": court ?? "", "number": number, "judgmentDate": judgmentDate?.iso ?? "",
            "kindCode": kind ?? "", "effectiveDate": effective?.iso ?? "", "receivedOn": received?.iso ?? "",
            "provisionalReceivedAt": provisional.map(instantISO) ?? "",
        ]
    }

    // MARK: Instants

    /// The instant typed as "dd/mm/yyyy hh:mm" (or "yyyy-mm-ddThh:mm", as a browser's datetime field sends it) in
    /// Asia/Ho_Chi_Minh; nil when empty or refused. Not after today.
    private static func instant(_ form: inout FormCheck, _ key: String, label: String, context: CaseEntryContext)
        -> Date?
    {
        let value = form[key]
        if value.isEmpty { return nil }
        guard let instant = instant(typed: value) else {
            form.fail(key, "\(label) không hợp lệ: nhập theo dạng dd/mm/yyyy hh:mm, ví dụ 13/06/2026 16:00.")
            return nil
        }
        if LocalDate(date: instant, in: .vietnam) > context.today {
            form.fail(key, "\(label) không được sau ngày hôm nay (\(context.today.display)).")
            return nil
        }
        return instant
    }

    /// "13/06/2026 16:00", "2026-06-13T16:00" or "2026-06-13 16:00" in Asia/Ho_Chi_Minh.
    static func instant(typed text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = LocalDate(typed: String(parts[0])) else { return nil }
        let time = parts[1].split(separator: ":")
        guard time.count == 2, time[1].count == 2, let hour = Int(time[0]), let minute = Int(time[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return day.startOfDay(in: .vietnam).addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    /// The stored form of an instant in `Values`: "yyyy-mm-ddThh:mm", Asia/Ho_Chi_Minh.
    static func instantISO(_ instant: Date) -> String {
        let day = LocalDate(date: instant, in: .vietnam)
        return day.iso + "T" + clock(instant, day)
    }

    static func instant(iso: String) -> Date? { instant(typed: iso) }

    /// "dd/mm/yyyy hh:mm", as typed back into a form.
    static func instantText(_ instant: Date) -> String {
        let day = LocalDate(date: instant, in: .vietnam)
        return day.display + " " + clock(instant, day)
    }

    private static func clock(_ instant: Date, _ day: LocalDate) -> String {
        let seconds = Int(instant.timeIntervalSince(day.startOfDay(in: .vietnam)))
        let (hour, minute) = (seconds / 3600, seconds % 3600 / 60)
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    private static func caseFile(_ form: inout FormCheck, _ context: CaseEntryContext) -> Values {
        let l = { label(.caseFile, $0) }
        let officer = form["officerID"]
        if !officer.isEmpty && !context.officers.contains(where: { $0.id.uuidString == officer }) {
            form.fail("officerID", "Chọn một Chấp hành viên đang công tác tại đơn vị.")
        }
        let mode = form.choice("startMode", label: l("startMode"), CaseStartMode.self)
        let requested = form.date(
            "requestReceivedOn", label: l("requestReceivedOn"), required: mode == .onRequest, notAfter: context.today)
        return [
            "officerID": officer, "startMode": mode?.rawValue ?? "",
            "requestReceivedOn": mode == .onRequest ? requested?.iso ?? "" : "",
        ]
    }

    private static func party(_ form: inout FormCheck, _ context: CaseEntryContext) -> Values {
        let l = { label(.party, $0) }
        let role = form.choice("role", label: l("role"), PartyRole.self)
        let kind = form.choice("kind", label: l("kind"), PartyKind.self)
        let name = form.text("fullName", label: l("fullName"), required: true, max: 200)
        if !name.isEmpty && name.count < 2 { form.fail("fullName", "Họ và tên quá ngắn.") }
        let birthDate =
            kind == .organisation ? nil : form.date("birthDate", label: l("birthDate"), notAfter: context.today)
        var birthYear = ""
        let yearText = form["birthYear"]
        if kind != .organisation && !yearText.isEmpty {
            if let year = Int(yearText), (1900...context.today.year).contains(year) {
                birthYear = String(year)
                if let birthDate, birthDate.year != year {
                    form.fail("birthYear", "Năm sinh khác với năm của ngày sinh (\(birthDate.year)).")
                }
            } else {
                form.fail("birthYear", "Năm sinh là số có 4 chữ số, từ 1900 đến \(context.today.year).")
            }
        } else if let birthDate {
            birthYear = String(birthDate.year)
        }
        let id = form["idNumber"].filter { !$0.isWhitespace }
        if !id.isEmpty {
            if !Self.isIDNumber(id, organisation: kind == .organisation) {
                form.fail(
                    "idNumber",
                    kind == .organisation
                        ? "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số."
                        : "Số định danh cá nhân gồm 12 chữ số (hoặc chứng minh nhân dân cũ 9 chữ số).")
            }
        }
        let address = form.text("address", label: l("address"), max: 300)
        return [
            "role": role?.rawValue ?? "", "kind": kind?.rawValue ?? "", "fullName": name,
            "birthDate": birthDate?.iso ?? "", "birthYear": birthYear, "idNumber": id, "address": address,
        ]
    }

    /// A tax code of 10 digits or 10-3 for an organisation; 12 digits (or an old 9-digit ID card) for a person.
    /// Checked by hand rather than with a regular expression, which Foundation compiles anew on every call.
    static func isIDNumber(_ id: String, organisation: Bool) -> Bool {
        let bytes = Array(id.utf8)
        func digits(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { (48...57).contains($0) } }
        if organisation {
            return (bytes.count == 10 && digits(0..<10))
                || (bytes.count == 14 && digits(0..<10) && bytes[10] == UInt8(ascii: "-") && digits(11..<14))
        }
        return (bytes.count == 9 || bytes.count == 12) && digits(0..<bytes.count)
    }

    private static func obligation(_ form: inout FormCheck, _ context: CaseEntryContext) -> Values {
        let l = { label(.obligation, $0) }
        let kind = form.catalogCode("kindCode", label: l("kindCode")) {
            context.isValid(code: $0, in: .obligationKinds, on: context.today)
        }
        let mode = form.choice("mode", label: l("mode"), ObligationMode.self)
        let amount = form.amount("amount", label: l("amount"), required: mode == .money)
        if mode != nil && mode != .money && amount != nil {
            form.fail("amount", "Nghĩa vụ giao tài sản hoặc thực hiện công việc không ghi số tiền; mô tả ở ô bên dưới.")
        }
        let description = form.text(
            "description", label: l("description"), required: mode != .money, max: 1000, lines: .multi)
        let beneficiary = form.choice("beneficiary", label: l("beneficiary"), Beneficiary.self)
        let periodic = ["on", "true", "1"].contains(form["periodic"])
        return [
            "kindCode": kind ?? "", "mode": mode?.rawValue ?? "", "amount": amount.map(String.init) ?? "",
            "description": description, "beneficiary": beneficiary?.rawValue ?? "", "periodic": String(periodic),
        ]
    }

    private static func decision(_ form: inout FormCheck, _ context: CaseEntryContext, kind: CaseDecisionKind)
        -> Values
    {
        let l = { label(.decision, $0) }
        let number = form.text("number", label: l("number"), required: true, max: 50)
        let decided = form.date("decidedOn", label: l("decidedOn"), required: true, notAfter: context.today)
        let ground = form.catalogCode("groundCode", label: l("groundCode")) {
            context.isValid(ground: $0, for: kind, on: decided ?? context.today)
        }
        let signer = form.text("signer", label: l("signer"), required: true, max: 100)
        let notified = form.date("notifiedOn", label: l("notifiedOn"), notAfter: context.today)
        if let decided, let notified, notified < decided {
            form.fail("notifiedOn", "Ngày giao, thông báo không được trước ngày ra quyết định (\(decided.display)).")
        }
        var groundsOn: LocalDate?
        if kind.runsFromGrounds {
            groundsOn = form.date("groundsOn", label: l("groundsOn"), notAfter: context.today)
            if let decided, let grounds = groundsOn, grounds > decided {
                form.fail("groundsOn", "Ngày phát sinh căn cứ không được sau ngày ra quyết định (\(decided.display)).")
            }
        }
        let notes = form.text("notes", label: l("notes"), max: 1000, lines: .multi)
        return [
            "number": number, "decidedOn": decided?.iso ?? "", "groundCode": ground ?? "", "signer": signer,
            "notifiedOn": notified?.iso ?? "", "groundsOn": groundsOn?.iso ?? "", "notes": notes,
        ]
    }

    private static func verification(_ form: inout FormCheck, _ context: CaseEntryContext) -> Values {
        let verified = form.date(
            "verifiedOn", label: label(.verification, "verifiedOn"), required: true, notAfter: context.today)
        let findings = form.text(
            "findings", label: label(.verification, "findings"), required: true, max: 2000, lines: .multi)
        return ["verifiedOn": verified?.iso ?? "", "findings": findings]
    }

    private static func money(_ form: inout FormCheck, _ context: CaseEntryContext) -> Values {
        let l = { label(.money, $0) }
        let amount = form.amount("amount", label: l("amount"), required: true)
        let occurred = form.date("occurredOn", label: l("occurredOn"), required: true, notAfter: context.today)
        let reference = form.text("reference", label: l("reference"), required: true, max: 50)
        let notes = form.text("notes", label: l("notes"), max: 1000, lines: .multi)
        let email = form.text("payerEmail", label: l("payerEmail"), max: 200).lowercased()
        if !email.isEmpty
            && email.range(of: #"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$"#, options: .regularExpression) == nil
        {
            form.fail("payerEmail", "Địa chỉ email không đúng dạng, ví dụ ten@vidu.vn.")
        }
        return [
            "amount": amount.map(String.init) ?? "", "occurredOn": occurred?.iso ?? "", "reference": reference,
            "notes": notes, "payerEmail": email,
        ]
    }

    // MARK: Showing values

    /// A stored value as people read it: dd/MM/yyyy, 1.234.567 đ, labels for enums, names for codes.
    static func display(_ kind: CaseRecordKind, _ field: String, _ value: String, context: CaseEntryContext?) -> String
    {
        if field == CorrectionPolicy.voidField { return value.isEmpty ? "Còn hiệu lực" : "Đã hủy (\(value))" }
        if value.isEmpty { return "(trống)" }
        switch field {
        case "direction": return MoneyDirection(rawValue: value)?.label ?? value
        case "judgmentDate", "effectiveDate", "receivedOn", "requestReceivedOn", "birthDate", "decidedOn",
            "notifiedOn", "groundsOn", "verifiedOn", "occurredOn":
            return LocalDate(iso: value)?.display ?? value
        case "provisionalReceivedAt": return instant(iso: value).map(CaseDuties.instantText) ?? value
        case "amount": return Int64(value).map(MoneyText.dong) ?? value
        case "periodic": return value == "true" ? "Có" : "Không"
        case "idNumber": return "*********" + value.suffix(3)
        case "startMode": return CaseStartMode(rawValue: value)?.label ?? value
        case "role": return PartyRole(rawValue: value)?.label ?? value
        case "mode": return ObligationMode(rawValue: value)?.label ?? value
        case "beneficiary": return Beneficiary(rawValue: value)?.label ?? value
        case "kind" where kind == .party: return PartyKind(rawValue: value)?.label ?? value
        case "officerID": return context?.officerName(value) ?? value
        case "courtCode": return context.map { $0.name(of: value, in: $0.courts) } ?? value
        case "kindCode" where kind == .judgment:
            return context.map { $0.name(of: value, in: $0.judgmentKinds) } ?? value
        case "kindCode": return context.map { $0.name(of: value, in: $0.obligationKinds) } ?? value
        case "groundCode": return context.map { $0.name(of: value, in: $0.grounds) } ?? value
        default: return value
        }
    }

    /// A stored value as it is typed back into a form (dates dd/mm/yyyy, amounts with dots; an ID number is never
    /// shown back: it is left empty and kept unless a new one is typed).
    static func formText(_ field: String, _ value: String) -> String {
        switch field {
        case "idNumber": return ""
        case "provisionalReceivedAt": return instant(iso: value).map(instantText) ?? value
        case "amount": return Int64(value).map { MoneyText.dong($0).replacingOccurrences(of: " đ", with: "") } ?? value
        default:
            if value.count == 10, let date = LocalDate(iso: value) { return date.display }
            return value
        }
    }
}
