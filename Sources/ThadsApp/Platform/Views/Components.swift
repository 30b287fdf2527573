import Foundation

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
            .textarea(.name(name), .id(id), .attribute(named: "rows", value: "3"), .text(value)),
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
                    ] + (checked ? [.attribute(named: "checked", value: "checked")] : [])),
                .text(" " + label)),
            .unwrap(error) { .p(.class("field-error"), .id(id + "-error"), .text($0)) }
        )
    }

    /// A group of fields with its caption.
    static func fieldset(_ legend: String, _ content: Node<HTML.FormContext>...) -> Node<HTML.FormContext> {
        .element(named: "fieldset", nodes: [.element(named: "legend", text: legend)] + content)
    }

    static func csrf(_ token: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name("_csrf"), .value(token))
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

    static func formErrorSummary(_ errors: [String: String]) -> Node<HTML.FormContext> {
        .if(
            !errors.isEmpty,
            .div(
                .class("alert error"), .attribute(named: "role", value: "alert"),
                .text("Vui lòng sửa các ô được đánh dấu bên dưới.")))
    }

    static func pager(basePath: String, query: [(String, String)], page: Int, hasNext: Bool) -> Node<HTML.BodyContext> {
        func link(_ target: Int) -> String {
            var components = URLComponents()
            components.path = basePath
            components.queryItems = (query + [("trang", String(target))]).map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.string ?? basePath
        }
        return .nav(
            .class("pager"), .attribute(named: "aria-label", value: "Phân trang"),
            .if(page > 1, .a(.href(link(page - 1)), .text("‹ Trang trước"))),
            .span(.text(" Trang \(page) ")),
            .if(hasNext, .a(.href(link(page + 1)), .text("Trang sau ›")))
        )
    }
}
