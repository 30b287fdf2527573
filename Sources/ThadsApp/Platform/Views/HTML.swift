/// The HTML of every page, written by one small renderer of our own.
///
/// The views are a tree of `Node` values built with the same vocabulary as the Plot library they were first written
/// with (`.div(.class("x"), .text(…))`), but rendering is one pass into one string, and escaping is done here for
/// every value: text escapes `&`, `<` and `>`; attribute values also escape quotes. With Plot, rendering was over a
/// quarter of a case page's CPU (its character-by-character text escaping alone 9 %), and attribute values were
/// written unescaped, so each view had to remember to escape typed values itself.
///
/// `Node<HTML.FormContext>` and the other contexts are one type: the label says where a piece belongs, it does not
/// restrict which elements may be nested.
struct Node<Context>: Sendable {
    fileprivate let part: HTMLPart

    fileprivate init(_ part: HTMLPart) { self.part = part }
}

/// An attribute given apart from a node list (`selfClosedElement(named:attributes:)`).
struct Attribute<Context>: Sendable {
    let name: String
    let value: String?
    /// An empty value leaves the attribute out (true) or writes its name alone (false).
    let ignoreIfValueIsEmpty: Bool

    init(name: String, value: String?, ignoreIfValueIsEmpty: Bool = true) {
        self.name = name
        self.value = value
        self.ignoreIfValueIsEmpty = ignoreIfValueIsEmpty
    }

    static func attribute(named name: String, value: String?, ignoreIfValueIsEmpty: Bool = true) -> Attribute {
        Attribute(name: name, value: value, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty)
    }

    static var empty: Attribute { Attribute(name: "", value: nil) }
}

private indirect enum HTMLPart: Sendable {
    case empty
    case text(String)
    case raw(String)
    case attribute(name: String, value: String?, ignoreIfValueIsEmpty: Bool)
    case element(name: String, selfClosing: Bool, children: [HTMLPart])
    case group([HTMLPart])
}

/// The document and the context labels.
struct HTML: Sendable {
    /// The one context every node has: the labels below name where a piece belongs, for the reader only.
    enum AnyContext {}
    typealias DocumentContext = AnyContext
    typealias HeadContext = AnyContext
    typealias BodyContext = AnyContext
    typealias FormContext = AnyContext
    typealias InputContext = AnyContext
    typealias TableRowContext = AnyContext

    private let nodes: [Node<DocumentContext>]

    init(_ nodes: Node<DocumentContext>...) { self.nodes = nodes }

    func render() -> String {
        var writer = HTMLWriter()
        writer.output.append("<!DOCTYPE html>")
        writer.write(.element(name: "html", selfClosing: false, children: nodes.map(\.part)))
        return writer.output
    }
}

extension Node {
    /// The node alone as HTML.
    func render() -> String {
        var writer = HTMLWriter()
        writer.write(part)
        return writer.output
    }
}

// MARK: - Building blocks

/// A string literal, with or without interpolation, is a text node: `.h2("Số tiền")`.
extension Node: ExpressibleByStringInterpolation {
    init(stringLiteral value: String) { self.init(.text(value)) }
}

extension Node {
    static var empty: Node { Node(.empty) }
    /// Text, escaped.
    static func text(_ text: String) -> Node { Node(.text(text)) }
    /// Markup written as given: only for HTML this code built itself.
    static func raw(_ html: String) -> Node { Node(.raw(html)) }

    static func group(_ members: [Node]) -> Node { Node(.group(members.map(\.part))) }
    static func group(_ members: Node...) -> Node { group(members) }

    static func element(named name: String, nodes: [Node]) -> Node {
        Node(.element(name: name, selfClosing: false, children: nodes.map(\.part)))
    }

    static func element(named name: String, text: String) -> Node {
        Node(.element(name: name, selfClosing: false, children: [.text(text)]))
    }

    static func selfClosedElement(named name: String, attributes: [Attribute<Context>]) -> Node {
        Node(.element(name: name, selfClosing: true, children: attributes.map(\.part)))
    }

    static func attribute(_ attribute: Attribute<Context>) -> Node { Node(attribute.part) }

    static func attribute(named name: String, value: String?, ignoreIfValueIsEmpty: Bool = true) -> Node {
        Node(.attribute(name: name, value: value, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty))
    }

    // MARK: Control flow

    static func `if`(_ condition: Bool, _ node: Node, else otherwise: Node = .empty) -> Node {
        condition ? node : otherwise
    }

    static func unwrap<T>(_ optional: T?, _ transform: (T) throws -> Node, else otherwise: Node = .empty) rethrows
        -> Node
    {
        try optional.map(transform) ?? otherwise
    }

    static func forEach<S: Sequence>(_ sequence: S, _ transform: (S.Element) throws -> Node) rethrows -> Node {
        Node(.group(try sequence.map { try transform($0).part }))
    }

    fileprivate static func element(_ name: String, _ children: [HTMLPart]) -> Node {
        Node(.element(name: name, selfClosing: false, children: children))
    }

    fileprivate static func void(_ name: String, _ children: [HTMLPart]) -> Node {
        Node(.element(name: name, selfClosing: true, children: children))
    }
}

extension Attribute {
    fileprivate var part: HTMLPart {
        name.isEmpty ? .empty : .attribute(name: name, value: value, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty)
    }
}

// MARK: - Elements

extension Node {
    static func head(_ nodes: Node<HTML.HeadContext>...) -> Node { element("head", nodes.map(\.part)) }
    static func body(_ nodes: Node<HTML.BodyContext>...) -> Node { element("body", nodes.map(\.part)) }
    static func meta(_ nodes: Node...) -> Node { void("meta", nodes.map(\.part)) }
    static func link(_ nodes: Node...) -> Node { void("link", nodes.map(\.part)) }
    static func title(_ text: String) -> Node { element("title", [.text(text)]) }

    static func a(_ nodes: Node...) -> Node { element("a", nodes.map(\.part)) }
    static func br() -> Node { void("br", []) }
    static func caption(_ nodes: Node...) -> Node { element("caption", nodes.map(\.part)) }
    static func code(_ nodes: Node...) -> Node { element("code", nodes.map(\.part)) }
    static func dd(_ nodes: Node...) -> Node { element("dd", nodes.map(\.part)) }
    static func details(_ nodes: Node...) -> Node { element("details", nodes.map(\.part)) }
    static func div(_ nodes: Node...) -> Node { element("div", nodes.map(\.part)) }
    static func dl(_ nodes: Node...) -> Node { element("dl", nodes.map(\.part)) }
    static func dt(_ nodes: Node...) -> Node { element("dt", nodes.map(\.part)) }
    static func em(_ nodes: Node...) -> Node { element("em", nodes.map(\.part)) }
    static func footer(_ nodes: Node...) -> Node { element("footer", nodes.map(\.part)) }
    static func h1(_ nodes: Node...) -> Node { element("h1", nodes.map(\.part)) }
    static func h2(_ nodes: Node...) -> Node { element("h2", nodes.map(\.part)) }
    static func h3(_ nodes: Node...) -> Node { element("h3", nodes.map(\.part)) }
    static func header(_ nodes: Node...) -> Node { element("header", nodes.map(\.part)) }
    static func label(_ nodes: Node...) -> Node { element("label", nodes.map(\.part)) }
    static func li(_ nodes: Node...) -> Node { element("li", nodes.map(\.part)) }
    static func main(_ nodes: Node...) -> Node { element("main", nodes.map(\.part)) }
    static func nav(_ nodes: Node...) -> Node { element("nav", nodes.map(\.part)) }
    static func ol(_ nodes: Node...) -> Node { element("ol", nodes.map(\.part)) }
    static func p(_ nodes: Node...) -> Node { element("p", nodes.map(\.part)) }
    static func pre(_ nodes: Node...) -> Node { element("pre", nodes.map(\.part)) }
    static func section(_ nodes: Node...) -> Node { element("section", nodes.map(\.part)) }
    static func small(_ nodes: Node...) -> Node { element("small", nodes.map(\.part)) }
    static func span(_ nodes: Node...) -> Node { element("span", nodes.map(\.part)) }
    static func strong(_ nodes: Node...) -> Node { element("strong", nodes.map(\.part)) }
    static func summary(_ nodes: Node...) -> Node { element("summary", nodes.map(\.part)) }
    static func table(_ nodes: Node...) -> Node { element("table", nodes.map(\.part)) }
    static func tbody(_ nodes: Node...) -> Node { element("tbody", nodes.map(\.part)) }
    static func td(_ nodes: Node...) -> Node { element("td", nodes.map(\.part)) }
    static func th(_ nodes: Node...) -> Node { element("th", nodes.map(\.part)) }
    static func thead(_ nodes: Node...) -> Node { element("thead", nodes.map(\.part)) }
    static func tfoot(_ nodes: Node...) -> Node { element("tfoot", nodes.map(\.part)) }
    static func tr(_ nodes: Node<HTML.TableRowContext>...) -> Node { element("tr", nodes.map(\.part)) }
    static func ul(_ nodes: Node...) -> Node { element("ul", nodes.map(\.part)) }

    static func form(_ nodes: Node<HTML.FormContext>...) -> Node { element("form", nodes.map(\.part)) }
    static func button(_ nodes: Node...) -> Node { element("button", nodes.map(\.part)) }
    static func input(_ nodes: Node<HTML.InputContext>...) -> Node { void("input", nodes.map(\.part)) }
    static func select(_ nodes: Node...) -> Node { element("select", nodes.map(\.part)) }
    static func textarea(_ nodes: Node...) -> Node { element("textarea", nodes.map(\.part)) }
}

// MARK: - Attributes

enum HTMLInputType: String, Sendable {
    case text, password, email, hidden, submit, button, reset, date, file, number, search, tel, url, checkbox, radio
}

enum HTMLFormMethod: String, Sendable {
    case get, post
}

enum HTMLFormContentType: String, Sendable {
    case urlEncoded = "application/x-www-form-urlencoded"
    case multipartData = "multipart/form-data"
}

enum Language: String, Sendable {
    case vietnamese = "vi"
}

enum DocumentEncoding: String, Sendable {
    case utf8 = "UTF-8"
}

enum HTMLLinkRelationship: String, Sendable {
    case stylesheet
}

extension Node {
    static func `class`(_ names: String) -> Node { .attribute(named: "class", value: names) }
    static func id(_ id: String) -> Node { .attribute(named: "id", value: id) }
    static func href(_ url: String) -> Node { .attribute(named: "href", value: url) }
    static func action(_ url: String) -> Node { .attribute(named: "action", value: url) }
    static func method(_ method: HTMLFormMethod) -> Node { .attribute(named: "method", value: method.rawValue) }
    static func enctype(_ type: HTMLFormContentType) -> Node { .attribute(named: "enctype", value: type.rawValue) }
    static func type(_ type: HTMLInputType) -> Node { .attribute(named: "type", value: type.rawValue) }
    static func name(_ name: String) -> Node { .attribute(named: "name", value: name) }
    static func value(_ value: String) -> Node { .attribute(named: "value", value: value) }
    static func `for`(_ id: String) -> Node { .attribute(named: "for", value: id) }
    static func content(_ content: String) -> Node { .attribute(named: "content", value: content) }
    static func lang(_ language: Language) -> Node { .attribute(named: "lang", value: language.rawValue) }
    static func charset(_ encoding: DocumentEncoding) -> Node { .attribute(named: "charset", value: encoding.rawValue) }
    static func rel(_ relationship: HTMLLinkRelationship) -> Node {
        .attribute(named: "rel", value: relationship.rawValue)
    }
}

// MARK: - Rendering

extension String {
    /// The text safe inside an HTML double-quoted attribute value: `&`, `"`, `'`, `<` and `>` as entities.
    var attributeEscaped: String {
        var writer = HTMLWriter()
        writer.appendEscaped(self, inAttribute: true)
        return writer.output
    }
}

private struct HTMLWriter {
    var output = ""

    init() { output.reserveCapacity(16_384) }

    mutating func write(_ part: HTMLPart) {
        switch part {
        case .empty, .attribute: return
        case .text(let text): appendEscaped(text, inAttribute: false)
        case .raw(let html): output.append(html)
        case .group(let members): for member in members { write(member) }
        case .element(let name, let selfClosing, let children):
            output.append("<")
            output.append(name)
            writeAttributes(of: children)
            if selfClosing {
                output.append("/>")
                return
            }
            output.append(">")
            for child in children { write(child) }
            output.append("</")
            output.append(name)
            output.append(">")
        }
    }

    /// An element's attributes, from its own list and from groups in it (`.if(…, .attribute(…))`), in the order
    /// first named; a later value of the same name replaces the earlier one.
    private mutating func writeAttributes(of children: [HTMLPart]) {
        var attributes: [(name: String, value: String?, ignoreIfValueIsEmpty: Bool)] = []
        func collect(_ parts: [HTMLPart]) {
            for part in parts {
                switch part {
                case .attribute(let name, let value, let ignore):
                    if let index = attributes.firstIndex(where: { $0.name == name }) {
                        attributes[index] = (name, value, ignore)
                    } else {
                        attributes.append((name, value, ignore))
                    }
                case .group(let members): collect(members)
                default: continue
                }
            }
        }
        collect(children)
        for attribute in attributes {
            guard let value = attribute.value, !value.isEmpty else {
                if !attribute.ignoreIfValueIsEmpty {
                    output.append(" ")
                    output.append(attribute.name)
                }
                continue
            }
            output.append(" ")
            output.append(attribute.name)
            output.append("=\"")
            appendEscaped(value, inAttribute: true)
            output.append("\"")
        }
    }

    /// Most text has nothing to escape and is appended whole.
    mutating func appendEscaped(_ text: String, inAttribute: Bool) {
        let needsEscaping = text.utf8.contains {
            $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                || (inAttribute && ($0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")))
        }
        guard needsEscaping else {
            output.append(text)
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output.append("&amp;")
            case "<": output.append("&lt;")
            case ">": output.append("&gt;")
            case "\"" where inAttribute: output.append("&quot;")
            case "'" where inAttribute: output.append("&#39;")
            default: output.unicodeScalars.append(scalar)
            }
        }
    }
}
