import Foundation
import ThadsDomain
import Vapor

/// The template file offered for download: the column keys and one example row (see `docs/import.md`).
enum ImportTemplate {
    static let example: [LegacyImportColumn: String] = [
        .unitCode: "01", .legacyCode: "HN-2025-000123", .startMode: "theo-don", .requestReceivedOn: "25/09/2025",
        .courtCode: "TAND-01", .judgmentNumber: "125/2025/DS-ST", .judgmentDate: "15/08/2025",
        .effectiveDate: "20/09/2025", .judgmentKind: "DS", .decisionNumber: "456/QĐ-THADS",
        .decisionDate: "01/10/2025", .decisionGround: "D36-2", .decisionSigner: "Trần Văn Thủ",
        .status: "co-dieu-kien", .debtorKind: "ca-nhan", .debtorName: "Nguyễn Văn Nợ", .debtorBirthYear: "1980",
        .debtorIDNumber: "001080012345", .debtorAddress: "12 Hàng Bạc, Hà Nội", .creditorKind: "ca-nhan",
        .creditorName: "Lê Thị Được", .creditorAddress: "5 Tràng Tiền, Hà Nội", .obligationKind: "TRA-NO",
        .obligationMode: "tra-tien", .obligationAmount: "150.000.000", .obligationBeneficiary: "nguoi-duoc-thi-hanh",
        .collected: "50.000.000", .paidOut: "30.000.000", .moneyAsOf: "30/06/2026",
    ]

    static var csv: String {
        func field(_ text: String) -> String {
            text.contains(where: { ",\"\n".contains($0) })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let columns = LegacyImportColumn.allCases
        return columns.map(\.rawValue).joined(separator: ",") + "\r\n"
            + columns.map { field(example[$0] ?? "") }.joined(separator: ",") + "\r\n"
    }
}

enum ImportViews {
    static func form(_ pageContext: PageContext, maxUploadBytes: Int, error: String?, status: HTTPResponseStatus)
        -> Page
    {
        Layout.page(
            pageContext, title: "Nhập hồ sơ từ dữ liệu cũ", status: status,
            .p(
                .text(
                    "Mỗi dòng là một hồ sơ: bản án, quyết định thi hành án, người phải thi hành án, người được thi hành "
                        + "án (nếu có), một nghĩa vụ và số liệu thu, chi (nếu có). Tệp được kiểm tra toàn bộ trước; "
                        + "chỉ khi không còn lỗi mới được xác nhận nhập, và tệp được nhập trọn vẹn hoặc không nhập gì.")
            ),
            .p(
                .a(.href("/nhap-du-lieu/mau.csv"), .text("Tải tệp mẫu (CSV)")),
                .text(" · Ý nghĩa từng cột và quy tắc: tài liệu “Nhập hồ sơ từ dữ liệu cũ” (docs/import.md).")),
            .form(
                .method(.post), .action(CSRF.uploadAction("/nhap-du-lieu", token: pageContext.csrfToken)),
                .enctype(.multipartData),
                Components.csrf(pageContext.csrfToken),
                .div(
                    .class(error == nil ? "field" : "field has-error"),
                    .label(.for("f-file"), .text("Tệp CSV (UTF-8) hoặc XLSX"), .span(.class("req"), .text(" *"))),
                    .input(
                        .type(.file), .name("file"), .id("f-file"), .attribute(named: "accept", value: ".csv,.xlsx")),
                    .p(
                        .class("hint"),
                        .text(
                            "Tối đa \(maxUploadBytes / 1_048_576) MB; tệp lớn hơn nhập bằng lệnh thads import cases."
                        )),
                    .unwrap(error) { .p(.class("field-error"), .id("f-file-error"), .text($0)) }),
                Components.submit("Kiểm tra tệp"))
        )
    }

    static func report(
        _ pageContext: PageContext, _ report: ImportReport, fileName: String?, notice: String?,
        status: HTTPResponseStatus
    ) -> Page {
        let shown = 500
        let canCommit = report.canCommit(acceptingDuplicates: true)
        return Layout.page(
            pageContext, title: "Kết quả kiểm tra tệp nhập", status: status,
            .unwrap(notice) { .div(.class("alert error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .p(
                .text(
                    (fileName.map { "Tệp “\($0)”: " } ?? "")
                        + "\(MoneyText.grouped(Int64(report.rowCount))) dòng dữ liệu; "
                        + "\(report.problems.count) lỗi; \(report.duplicates.count) dòng có thể trùng; "
                        + "kiểm tra trong \(String(format: "%.2f", report.seconds)) giây "
                        + "(\(MoneyText.grouped(Int64(report.rowsPerSecond))) dòng/giây).")),
            .p(.class("hint"), .text("SHA-256: " + report.sha256)),
            .if(
                report.hasErrors,
                .div(
                    .class("alert error"), .attribute(named: "role", value: "alert"),
                    .text("Tệp có lỗi nên chưa thể nhập. Sửa các dòng dưới đây rồi tải lên lại."))),
            problems("Lỗi", report.problems, shown: shown),
            problems("Có thể trùng", report.duplicates, shown: shown),
            .if(
                canCommit,
                .form(
                    .method(.post), .action("/nhap-du-lieu/\(report.sha256)/xac-nhan"),
                    Components.csrf(pageContext.csrfToken),
                    .if(
                        !report.duplicates.isEmpty,
                        Components.checkbox(
                            name: "acceptDuplicates",
                            label: "Tôi đã kiểm tra các dòng có thể trùng: đó là các hồ sơ khác, vẫn nhập.",
                            checked: false)),
                    Components.submit("Nhập \(MoneyText.grouped(Int64(report.rows.count))) hồ sơ"))),
            .p(.a(.href("/nhap-du-lieu"), .text("‹ Tải lên tệp khác")))
        )
    }

    static func done(_ pageContext: PageContext, _ outcome: ImportOutcome, scanned: Bool) -> Page {
        Layout.page(
            pageContext, title: "Đã nhập hồ sơ",
            notice: "Đã tạo \(MoneyText.grouped(Int64(outcome.created))) hồ sơ từ dữ liệu cũ.",
            .table(
                .class("data"),
                .thead(.tr(.th("Đơn vị"), .th("Mã hồ sơ đầu tiên"), .th("Mã hồ sơ cuối cùng"))),
                .tbody(
                    .forEach(outcome.codes.sorted { $0.key < $1.key }) { unit, codes in
                        .tr(.td(.text(unit)), .td(.text(codes.first)), .td(.text(codes.last)))
                    })),
            .p(
                .text(
                    scanned
                        ? "Đã kiểm tra chất lượng dữ liệu các hồ sơ vừa nhập; cảnh báo xem tại trang Chất lượng dữ liệu."
                        : "Số hồ sơ lớn: chạy lệnh thads quality-scan để kiểm tra chất lượng dữ liệu các hồ sơ vừa nhập."
                )),
            .p(.a(.href("/ho-so"), .text("Xem danh sách hồ sơ")))
        )
    }

    private static func problems(_ title: String, _ problems: [ImportProblem], shown: Int) -> Node<HTML.BodyContext> {
        .if(
            !problems.isEmpty,
            .section(
                .h2(.text("\(title) (\(problems.count))")),
                .table(
                    .class("data"),
                    .thead(.tr(.th("Dòng"), .th("Cột"), .th("Nội dung"))),
                    .tbody(
                        .forEach(problems.prefix(shown)) { problem in
                            .tr(
                                .td(.text(problem.row == 0 ? "Cả tệp" : String(problem.row))),
                                .td(.text(problem.column.map { "\($0.label) (\($0.rawValue))" } ?? "")),
                                .td(.text(problem.message)))
                        })),
                .if(
                    problems.count > shown,
                    .p(
                        .class("hint"),
                        .text("… và \(problems.count - shown) dòng khác (xem đủ bằng lệnh thads import cases).")))
            ))
    }
}
