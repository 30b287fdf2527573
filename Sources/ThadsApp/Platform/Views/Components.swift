import Foundation
import ThadsDomain

/// A form field with its label and, when the server refused the value, the message next to it.
struct FieldSpec {
    var name: String
    var label: String
    var value: String = ""
    var type: HTMLInputType = .text
    var error: String? = nil
    var required: Bool = false
    var hint: String? = nil
    var autocomplete: String? = nil
}

enum Components {
    /// The classification line of a print view or exported page (H1).
    static func classification(_ value: InformationClass) -> Node<HTML.BodyContext> {
        .p(.class("classification"), .strong(.text(value.marking)))
    }

    static func field(_ spec: FieldSpec) -> Node<HTML.FormContext> {
        let id = "f-" + spec.name
        return .div(
            .class(spec.error == nil ? "field" : "field has-error"),
            .label(.for(id), .text(spec.label), .if(spec.required, .span(.class("req"), .text(" *")))),
            .selfClosedElement(named: "input", attributes: inputAttributes(spec, id: id)),
            .unwrap(spec.hint) { .p(.class("hint"), .text($0)) },
            .unwrap(spec.error) { .p(.class("field-error"), .id(id + "-error"), .text($0)) }
        )
    }

    static func inputAttributes(_ spec: FieldSpec, id: String) -> [Attribute<HTML.InputContext>] {
        var attributes: [Attribute<HTML.InputContext>] = [
            .attribute(named: "type", value: spec.type.rawValue), .attribute(named: "name", value: spec.name),
            .attribute(named: "id", value: id),
        ]
        if spec.type != .password {
            attributes.append(Attribute(name: "value", value: spec.value, ignoreIfValueIsEmpty: false))
        }
        if spec.required { attributes.append(.attribute(named: "required", value: "required")) }
        if let autocomplete = spec.autocomplete {
            attributes.append(.attribute(named: "autocomplete", value: autocomplete))
        }
        if spec.error != nil {
            attributes.append(.attribute(named: "aria-invalid", value: "true"))
            attributes.append(.attribute(named: "aria-describedby", value: id + "-error"))
        }
        return attributes
    }

    static func select(
        name: String, label: String, options: [(value: String, label: String)], selected: [String],
        error: String? = nil, multiple: Bool = false, required: Bool = false
    ) -> Node<HTML.FormContext> {
        let id = "f-" + name
        return .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(id), .text(label), .if(required, .span(.class("req"), .text(" *")))),
            .select(
                .attribute(named: "name", value: name), .attribute(named: "id", value: id),
                .if(multiple, .attribute(named: "multiple", value: "multiple")),
                .if(error != nil, .attribute(named: "aria-invalid", value: "true")),
                .if(error != nil, .attribute(named: "aria-describedby", value: id + "-error")),
                .if(multiple, .attribute(named: "size", value: String(min(max(options.count, 3), 10)))),
                .forEach(options) { option in
                    .element(
                        named: "option",
                        nodes: [
                            .attribute(
                                Attribute(
                                    name: "value", value: option.value, ignoreIfValueIsEmpty: false)),
                            .if(selected.contains(option.value), .attribute(named: "selected", value: "selected")),
                            .text(option.label),
                        ])
                }
            ),
            .unwrap(error) { .p(.class("field-error"), .id(id + "-error"), .text($0)) }
        )
    }

    static func textArea(name: String, label: String, value: String, error: String?, required: Bool = false)
        -> Node<HTML.FormContext>
    {
        let id = "f-" + name
        return .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(id), .text(label), .if(required, .span(.class("req"), .text(" *")))),
            .textarea(
                .name(name), .id(id), .attribute(named: "rows", value: "3"),
                .if(error != nil, .attribute(named: "aria-invalid", value: "true")),
                .if(error != nil, .attribute(named: "aria-describedby", value: id + "-error")), .text(value)),
            .unwrap(error) { .p(.class("field-error"), .id(id + "-error"), .text($0)) }
        )
    }

    static func checkbox(name: String, label: String, checked: Bool, error: String? = nil) -> Node<HTML.FormContext> {
        let id = "f-" + name
        return .div(
            .class(error == nil ? "field check" : "field check has-error"),
            .label(
                .for(id),
                .selfClosedElement(
                    named: "input",
                    attributes: [
                        .attribute(named: "type", value: "checkbox"), .attribute(named: "name", value: name),
                        .attribute(named: "id", value: id), .attribute(named: "value", value: "on"),
                    ] + (checked ? [.attribute(named: "checked", value: "checked")] : [])
                        + (error != nil ? [.attribute(named: "aria-invalid", value: "true")] : [])),
                .text(" " + label)),
            .unwrap(error) { .p(.class("field-error"), .id(id + "-error"), .text($0)) }
        )
    }

    /// A group of fields with its caption.
    static func fieldset(_ legend: String, _ content: Node<HTML.FormContext>...) -> Node<HTML.FormContext> {
        .element(named: "fieldset", nodes: [.element(named: "legend", text: legend)] + content)
    }

    /// The CSRF field, and the form's one-time submission token (`FormOnce`): every form gets both.
    static func csrf(_ token: String) -> Node<HTML.FormContext> {
        .group(
            .input(.type(.hidden), .name("_csrf"), .value(token)),
            .input(.type(.hidden), .name(FormOnce.field), .value(FormOnce.token())))
    }

    static func submit(_ title: String, style: String = "primary") -> Node<HTML.FormContext> {
        .button(.type(.submit), .class("btn " + style), .text(title))
    }

    /// A one-button POST form (end a session, approve, …) with its CSRF token.
    static func postButton(
        action: String, title: String, csrf token: String, style: String = "secondary",
        hidden: [(String, String)] = []
    ) -> Node<HTML.BodyContext> {
        .form(
            .class("inline"), .method(.post), .action(action),
            csrf(token),
            .forEach(hidden) { .input(.type(.hidden), .name($0.0), .value($0.1)) },
            submit(title, style: style)
        )
    }

    /// The error summary at the top of a refused form (GOV.UK pattern): a heading and one link per refused field,
    /// to the field itself (`f-<name>`, as every field here is named), in `order` when given, else by field name.
    /// `app.js` moves the focus to it, which brings the refused form on screen wherever it is on the page; without
    /// script the links still lead to each field.
    static func formErrorSummary(_ errors: [String: String], order: [String] = []) -> Node<HTML.FormContext> {
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let sorted = errors.filter { !$0.value.isEmpty }.sorted {
            (rank[$0.key] ?? Int.max, $0.key) < (rank[$1.key] ?? Int.max, $1.key)
        }
        return .if(
            !errors.isEmpty,
            .div(
                .class("alert error error-summary"), .attribute(named: "role", value: "alert"),
                .attribute(named: "tabindex", value: "-1"), .attribute(named: "data-error-summary", value: "1"),
                .attribute(named: "aria-labelledby", value: "error-summary-title"),
                .h2(.id("error-summary-title"), .text("Chưa lưu được: có \(max(sorted.count, 1)) ô cần sửa")),
                .ul(
                    .forEach(sorted) { error in
                        .li(.a(.href("#f-" + error.key), .text(error.value)))
                    })))
    }

    /// Previous/next, and numbered pages when the number of pages is known (the first, the last and two either
    /// side of the current one); every link keeps the list's query.
    static func pager(
        basePath: String, query: [(String, String)], page: Int, hasNext: Bool, pages: Int? = nil
    ) -> Node<HTML.BodyContext> {
        func link(_ target: Int) -> String {
            var components = URLComponents()
            components.path = basePath
            components.queryItems = (query + [("trang", String(target))]).map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.string ?? basePath
        }
        var numbers: [Int?] = []
        if let pages, pages > 1 {
            let shown = Set([1, pages] + Array(max(1, page - 2)...min(pages, max(page + 2, 1))))
            var previous = 0
            for number in shown.sorted() where number >= 1 && number <= pages {
                if number > previous + 1 { numbers.append(nil) }
                numbers.append(number)
                previous = number
            }
        }
        return .nav(
            .class("pager"), .attribute(named: "aria-label", value: "Phân trang"),
            .if(page > 1, .a(.href(link(page - 1)), .attribute(named: "rel", value: "prev"), .text("‹ Trang trước"))),
            numbers.isEmpty
                ? .span(.text(" Trang \(page) "))
                : .forEach(numbers) { (number: Int?) -> Node<HTML.BodyContext> in
                    guard let number else { return .span(.text("…")) }
                    return number == page
                        ? .span(
                            .class("current"), .attribute(named: "aria-current", value: "page"), .text(String(number)))
                        : .a(.href(link(number)), .text(String(number)))
                },
            .if(hasNext, .a(.href(link(page + 1)), .attribute(named: "rel", value: "next"), .text("Trang sau ›")))
        )
    }
}
