import Fluent
import Foundation
import ThadsDomain
import ThadsExchangeAPI
import Vapor

/// The competent unit's intake list of judgments received from courts: officers open a case from an item with the
/// judgment pre-filled; an item whose court and number already have a case says so (the case form's rule).
struct ExchangeIntakeController {
    func list(req: Request) async throws -> Response {
        let user = try req.user
        var query = ExchangeIntake.query(on: req.db).sort(\.$receivedAt, .descending)
        if let units = user.scopedUnitIDs { query = query.filter(\.$unitID ~~ units) }
        let items = try await query.limit(200).all()
        let keys = items.map { CaseQualityService.JudgmentKey(court: $0.courtCode, numberKey: $0.numberKey) }
        let cases = try await CaseQualityService.casesOnJudgments(keys, on: req.db)
        let rows = items.map { item in
            ExchangeIntakeViews.Row(
                item: item, details: ExchangeIntakes.details(item, keys: req.application.keys),
                cases: (cases[CaseQualityService.judgmentKey(item.courtCode, item.numberKey)] ?? []).map(\.code))
        }
        return ExchangeIntakeViews.list(req.pageContext, rows: rows).response
    }
}

enum ExchangeIntakeViews {
    struct Row {
        let item: ExchangeIntake
        let details: ExchangeIntake.Details?
        let cases: [String]
    }

    static func list(_ pageContext: PageContext, rows: [Row]) -> Page {
        Layout.page(
            pageContext, title: "Bản án, quyết định nhận từ Tòa án",
            .p(
                .text(
                    "Bản án do hệ thống của Tòa án gửi qua API trao đổi dữ liệu. “Lập hồ sơ” mở biểu mẫu hồ sơ với "
                        + "thông tin bản án điền sẵn; đương sự và nghĩa vụ nhập tiếp trong hồ sơ theo danh sách dưới đây."
                )),
            .if(rows.isEmpty, .p(.text("Chưa có bản án nào được gửi đến."))),
            .if(
                !rows.isEmpty,
                .div(
                    .class("table-scroll"),
                    .table(
                        .class("data"), .id("intake"),
                        .thead(
                            .tr(
                                .th("Nhận lúc"), .th("Từ"), .th("Tòa án"), .th("Số, ngày"), .th("Loại"),
                                .th("Đương sự"), .th("Nghĩa vụ"), .th("Hồ sơ"))),
                        .tbody(
                            .forEach(rows) { row in
                                let item = row.item
                                return .tr(
                                    .td(.text(Format.dateTime(item.receivedAt))), .td(.text(item.clientName)),
                                    .td(.class("code"), .text(item.courtCode)),
                                    .td(
                                        .text(
                                            item.number + " ngày "
                                                + (LocalDate(iso: item.judgmentDate)?.display ?? item.judgmentDate))),
                                    .td(.class("code"), .text(item.kindCode)),
                                    .td(
                                        .ul(
                                            .forEach(row.details?.parties ?? []) { party in
                                                .li(
                                                    .text(
                                                        "\(party.name) (\(PartyRole(rawValue: party.role.rawValue)?.label ?? party.role.rawValue))"
                                                            + (party.idNumber.map {
                                                                ", số định danh *********" + $0.suffix(3)
                                                            }
                                                                ?? "")))
                                            })),
                                    .td(
                                        .ul(
                                            .forEach(row.details?.obligations ?? []) { obligation in
                                                .li(
                                                    .text(
                                                        obligation.description
                                                            + (obligation.amount.map { ": " + Format.money($0) } ?? ""))
                                                )
                                            })),
                                    .td(
                                        row.cases.isEmpty
                                            ? .a(
                                                .class("btn primary"), .href(ExchangeIntakes.newCaseLink(item)),
                                                .text("Lập hồ sơ"))
                                            : .text("Đã có hồ sơ: " + row.cases.joined(separator: ", "))))
                            }))))
        )
    }
}
