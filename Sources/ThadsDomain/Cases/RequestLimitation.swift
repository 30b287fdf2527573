/// The limitation period of an enforcement request (DOMAIN.md: 5 years), checked when an on-request case is entered.
///
/// The law lets some time not count (force majeure, postponement) and lets the period be restored, so a request past
/// it is not refused outright: the officer is warned and may go on with a written reason.
public enum RequestLimitation {
    /// The shortest override reason accepted: long enough to name the exception relied on.
    public static let minimumReasonLength = 10

    /// The warning for a request received after the limitation counted from the judgment's effective date, naming
    /// the legal basis; nil when the request is in time (on the last day included).
    public static func warning(requestReceived: LocalDate, judgmentEffective: LocalDate, deadlines: CaseDeadlines)
        -> String?
    {
        let end = deadlines.requestLimitationEnd(judgmentEffective: judgmentEffective)
        guard requestReceived > end else { return nil }
        let name = LegalParameterName.requestLimitationYears
        let period = deadlines.period(name, on: judgmentEffective).map { "\($0.value) \($0.unit.label)" } ?? ""
        return "Đơn yêu cầu nhận ngày \(requestReceived.display) đã quá thời hiệu yêu cầu thi hành án (\(period) kể "
            + "từ ngày bản án có hiệu lực \(judgmentEffective.display), hết ngày \(end.display); căn cứ: "
            + "\(basis(judgmentEffective: judgmentEffective, deadlines: deadlines))). Chỉ thụ lý khi thuộc trường hợp "
            + "thời gian không tính vào thời hiệu hoặc được khôi phục thời hiệu: ghi lý do (ít nhất "
            + "\(minimumReasonLength) ký tự)."
    }

    /// The source of the limitation in force on `judgmentEffective`, as recorded with the parameter (it names the
    /// article).
    public static func basis(judgmentEffective: LocalDate, deadlines: CaseDeadlines) -> String {
        let name = LegalParameterName.requestLimitationYears
        return
            (deadlines.parameters.value(name, on: judgmentEffective)
            ?? LegalParameterSet.seeded.value(name, on: judgmentEffective))?.source
            ?? LegalParameterName.oldLaw("Điều 30 khoản 1")
    }
}
