import Foundation
import ThadsDomain
import Vapor

enum DebtorPublicViews {
    static let base = "/\(PublicPages.prefix)/\(DebtorPublicController.path)"

    static func search(
        _ pageContext: PageContext, query: DebtorPublicController.Query, provinces: [UnitCatalog.Province],
        errors: [String: String], results: [DebtorPublication]?, more: Bool
    ) -> Page {
        PublicPages.page(
            pageContext, title: "Tra cứu người phải thi hành án chưa có điều kiện thi hành",
            status: errors.isEmpty ? .ok : .badRequest,
            .p(
                .text(
                    "Thông tin được công khai theo Nghị định số 62/2015/NĐ-CP và Thông tư số 04/2023/TT-BTP; "
                        + "thông tin được gỡ khi người phải thi hành án có điều kiện thi hành, thi hành xong hoặc "
                        + "đình chỉ thi hành án. Nhập họ tên, có dấu hoặc không dấu.")),
            .form(
                .method(.get), .action(base),
                Components.field(
                    FieldSpec(name: "ten", label: "Họ tên", value: query.name, error: errors["ten"], required: true)),
                Components.select(
                    name: "tinh", label: "Tỉnh, thành phố",
                    options: [("", "— Tất cả —")] + provinces.map { ($0.code, $0.name) }, selected: [query.province],
                    error: errors["tinh"]),
                Components.field(
                    FieldSpec(
                        name: "nam-sinh", label: "Năm sinh", value: query.birthYear, type: .number,
                        error: errors["nam-sinh"])),
                Components.submit("Tra cứu")
            ),
            .unwrap(results) { results in
                .section(
                    .h2(.text(results.isEmpty ? "Không tìm thấy kết quả" : "Kết quả")),
                    .if(
                        !results.isEmpty,
                        .table(
                            .class("data"),
                            .thead(.tr(.th("Họ tên"), .th("Năm sinh"), .th("Địa chỉ"), .th("Cơ quan thi hành án"))),
                            .tbody(
                                .forEach(results) { row in
                                    .tr(
                                        .td(.a(.href("\(base)/\(row.id!.uuidString)"), .text(row.name))),
                                        .td(.text(row.birthYear.map(String.init) ?? "")), .td(.text(row.address)),
                                        .td(.text(row.unitName)))
                                }))),
                    .nav(
                        .class("pager"),
                        .if(query.page > 1, .a(.href(link(query, page: query.page - 1)), .text("‹ Trang trước"))),
                        .if(more, .a(.href(link(query, page: query.page + 1)), .text("Trang sau ›"))))
                )
            }
        )
    }

    static func link(_ query: DebtorPublicController.Query, page: Int) -> String {
        var components = URLComponents()
        components.path = base
        components.queryItems = [
            URLQueryItem(name: "ten", value: query.name), URLQueryItem(name: "tinh", value: query.province),
            URLQueryItem(name: "nam-sinh", value: query.birthYear), URLQueryItem(name: "trang", value: String(page)),
        ]
        return components.string ?? base
    }

    /// Exactly the fields the law lists (`PublishedDebtor`): nothing else of the case reaches this page.
    static func entry(_ pageContext: PageContext, _ publication: DebtorPublication) -> Page {
        let value = publication.published
        let rows: [(String, String)] = [
            ("Họ tên", value.name), ("Năm sinh", value.birthYear.map(String.init) ?? ""), ("Địa chỉ", value.address),
            ("Bản án, quyết định", value.judgment), ("Quyết định thi hành án", value.enforcementDecision),
            ("Nghĩa vụ phải thi hành", value.obligation),
            ("Số tiền còn phải thi hành", MoneyText.dong(value.outstanding)),
            ("Lý do chưa có điều kiện thi hành", value.reason),
            (
                "Quyết định về việc chưa có điều kiện thi hành án",
                "Số \(value.decisionNumber) ngày \(value.decidedOn.display)"
            ),
            ("Cơ quan thi hành án", publication.unitName),
        ]
        return PublicPages.page(
            pageContext, title: value.name,
            .dl(.class("facts"), .forEach(rows) { row in .group(.dt(.text(row.0)), .dd(.text(row.1))) }),
            .p(.a(.href(base), .text("‹ Tra cứu khác")))
        )
    }
}
