import Foundation
import ThadsDomain

/// `thads workdays add <yyyy-mm-dd> <n> | between <date> <date> | year <yyyy>`: operators check a
/// deadline by hand against the same calendar the platform uses (recorded decisions included).
public enum WorkdaysCLI {
    public struct UsageError: Error, CustomStringConvertible {
        public let description: String
    }

    public static let usage = """
        Cách dùng:
          thads workdays add <yyyy-mm-dd> <n>        ngày sau n ngày làm việc
          thads workdays between <yyyy-mm-dd> <yyyy-mm-dd>   số ngày làm việc (không tính ngày đầu)
          thads workdays year <yyyy>                 ngày nghỉ trong tuần và ngày làm việc cuối tuần, kèm lý do
        """

    public static func run(_ arguments: [String], calendar: WorkingCalendar) throws -> String {
        guard let action = arguments.first else { throw UsageError(description: usage) }
        func date(_ index: Int) throws -> LocalDate {
            guard arguments.count > index, let date = LocalDate(iso: arguments[index]) else {
                throw UsageError(description: "Ngày không hợp lệ (cần yyyy-mm-dd).\n" + usage)
            }
            return date
        }
        switch action {
        case "add":
            let start = try date(1)
            guard arguments.count == 3, let n = Int(arguments[2]), (0...10_000).contains(n) else {
                throw UsageError(description: "Số ngày làm việc phải là số nguyên 0…10000.\n" + usage)
            }
            return calendar.adding(workingDays: n, to: start).iso
        case "between":
            guard arguments.count == 3 else { throw UsageError(description: usage) }
            return String(calendar.workingDays(from: try date(1), to: try date(2)))
        case "year":
            guard arguments.count == 2, let year = Int(arguments[1]), (1900...2100).contains(year) else {
                throw UsageError(description: "Năm phải trong khoảng 1900–2100.\n" + usage)
            }
            return calendar.exceptions(in: year).map { info in
                "\(info.date.iso)\t\(info.isWorkingDay ? "làm việc" : "nghỉ")\t\(info.reason ?? "")"
            }.joined(separator: "\n")
        default:
            throw UsageError(description: usage)
        }
    }
}
