import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The working-day calendar year view, and central admins' record of each year's official decision.
struct CalendarController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "lich", access: .permission(.viewCalendar), use: year)
        routes.on(.POST, "lich", ":year", "ngay-nghi", access: .permission(.manageCalendar), use: addDayOff)
        routes.on(.POST, "lich", ":year", "lam-bu", access: .permission(.manageCalendar), use: addMakeUpDay)
        routes.on(.POST, "lich", ":year", "xoa", access: .permission(.manageCalendar), use: removeEntry)
        routes.on(.POST, "lich", ":year", "thay-the", access: .permission(.manageCalendar), use: toggleReplacement)
    }

    static let validYears = 1950...2150

    func year(req: Request) async throws -> Response {
        let requested = req.query[Int.self, at: "nam"] ?? req.clock.today.year
        let year = Self.validYears.contains(requested) ? requested : req.clock.today.year
        return try await CalendarViews.year(
            req.pageContext, year: year, calendar: req.application.workingCalendar,
            decision: decision(for: year, on: req.db), errors: [:], form: [:]
        ).response
    }

    func addDayOff(req: Request) async throws -> Response {
        try await addEntry(req, makeUp: false)
    }

    func addMakeUpDay(req: Request) async throws -> Response {
        try await addEntry(req, makeUp: true)
    }

    private func addEntry(_ req: Request, makeUp: Bool) async throws -> Response {
        let year = try yearParameter(req)
        var decision = try await decision(for: year, on: req.db)
        let dateText = ((try? req.content.get(String.self, at: "date")) ?? "").trimmingCharacters(in: .whitespaces)
        let reason = TextInput.normalized(
            ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingCharacters(in: .whitespaces))
        let prefix = makeUp ? "makeUp" : "dayOff"
        var errors: [String: String] = [:]
        let date = LocalDate(typed: dateText)
        if let date {
            if date.year != year {
                errors[prefix + "Date"] = "Ngày phải thuộc năm \(year)."
            } else if decision.daysOff.contains(where: { $0.date == date })
                || decision.makeUpWorkingDays.contains(where: { $0.date == date })
            {
                errors[prefix + "Date"] = "Ngày \(date.display) đã có trong quyết định; xóa mục cũ trước."
            } else if makeUp && date.weekday < 6 {
                errors[prefix + "Date"] = "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."
            } else if !makeUp && date.weekday >= 6 {
                errors[prefix + "Date"] = "Thứ Bảy, Chủ nhật vốn là ngày nghỉ; ghi ngày nghỉ bù vào ngày thường."
            }
        } else {
            errors[prefix + "Date"] = "Nhập ngày theo dạng dd/MM/yyyy."
        }
        if let refusal = FormCheck.refusal(reason, label: "Lý do", max: 200) {
            errors[prefix + "Reason"] = refusal
        } else if reason.count < 3 {
            errors[prefix + "Reason"] = "Lý do từ 3 đến 200 ký tự."
        }
        guard errors.isEmpty, let date else {
            return CalendarViews.year(
                req.pageContext, year: year, calendar: req.application.workingCalendar, decision: decision,
                errors: errors,
                form: [prefix + "Date": dateText, prefix + "Reason": reason], status: .badRequest
            ).response
        }
        let before = decision
        if makeUp {
            decision.makeUpWorkingDays.append(DatedReason(date: date, reason: reason))
        } else {
            decision.daysOff.append(DatedReason(date: date, reason: reason))
        }
        decision.daysOff.sort { $0.date < $1.date }
        decision.makeUpWorkingDays.sort { $0.date < $1.date }
        try await save(
            decision, before: before, action: makeUp ? "calendar.makeUpDayAdded" : "calendar.dayOffAdded",
            summary: (makeUp ? "Làm bù " : "Nghỉ ") + date.display + ": " + reason, req: req)
        return req.redirect(to: "/lich?nam=\(year)")
    }

    func removeEntry(req: Request) async throws -> Response {
        let year = try yearParameter(req)
        var decision = try await decision(for: year, on: req.db)
        guard let date = (try? req.content.get(String.self, at: "date")).flatMap(LocalDate.init(iso:)) else {
            throw Abort(.badRequest)
        }
        let before = decision
        decision.daysOff.removeAll { $0.date == date }
        decision.makeUpWorkingDays.removeAll { $0.date == date }
        guard decision != before else { throw Abort(.notFound) }
        try await save(
            decision, before: before, action: "calendar.entryRemoved", summary: "Xóa " + date.display, req: req)
        return req.redirect(to: "/lich?nam=\(year)")
    }

    func toggleReplacement(req: Request) async throws -> Response {
        let year = try yearParameter(req)
        var decision = try await decision(for: year, on: req.db)
        let before = decision
        decision.replacesDefaults.toggle()
        if decision.replacesDefaults && decision.daysOff.isEmpty {
            // Replacing the defaults with nothing would make every holiday a working day: start from them.
            decision.daysOff = WorkingCalendar(decisions: []).exceptions(in: year)
                .filter { !$0.isWorkingDay }.map { DatedReason(date: $0.date, reason: $0.reason ?? "Nghỉ lễ") }
        }
        try await save(
            decision, before: before, action: "calendar.replacementToggled",
            summary: decision.replacesDefaults ? "Thay thế ngày nghỉ mặc định" : "Dùng ngày nghỉ mặc định", req: req)
        return req.redirect(to: "/lich?nam=\(year)")
    }

    private func save(_ decision: YearDecision, before: YearDecision, action: String, summary: String, req: Request)
        async throws
    {
        try await req.write { db in
            try await CalendarStore.save(decision, on: db)
            try await req.audit(
                AuditEntry(
                    action: action, objectType: "calendarDecision", objectID: String(decision.year), summary: summary,
                    before: AuditEntry.json(before), after: AuditEntry.json(decision)), on: db)
        }
        try await req.application.reloadWorkingCalendar()
    }

    private func yearParameter(_ req: Request) throws -> Int {
        guard let year = req.parameters.get("year", as: Int.self), Self.validYears.contains(year) else {
            throw Abort(.notFound)
        }
        return year
    }

    private func decision(for year: Int, on db: any Database) async throws -> YearDecision {
        try await CalendarDecisionRecord.query(on: db).filter(\.$year == year).first()?.decision
            ?? YearDecision(year: year, daysOff: [], makeUpWorkingDays: [], replacesDefaults: false, source: "")
    }
}
