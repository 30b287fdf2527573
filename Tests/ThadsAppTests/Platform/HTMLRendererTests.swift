import Testing

@testable import ThadsApp

/// The page renderer: what it escapes, how it gathers an element's attributes, and the document around a page.
@Suite struct HTMLRendererTests {
    @Test func textEscapesMarkupAndEveryAmpersand() {
        let node: Node<HTML.BodyContext> = .p(.text("a < b & c > d; &lt; stays typed \"quoted\" 'single'"))
        #expect(node.render() == "<p>a &lt; b &amp; c &gt; d; &amp;lt; stays typed \"quoted\" 'single'</p>")
        #expect(Node<HTML.BodyContext>.text("Nguyễn Thị Hoà — Đồng").render() == "Nguyễn Thị Hoà — Đồng")
    }

    @Test func attributeValuesAreEscapedWhereverTheyComeFrom() {
        let node: Node<HTML.BodyContext> = .a(
            .href("/ho-so?q=\"><script>"), .attribute(named: "title", value: "Công ty 'A' & B"), .text("x"))
        #expect(
            node.render()
                == "<a href=\"/ho-so?q=&quot;&gt;&lt;script&gt;\" title=\"Công ty &#39;A&#39; &amp; B\">x</a>")
        let input = Node<HTML.FormContext>.selfClosedElement(
            named: "input", attributes: [Attribute(name: "value", value: "\"", ignoreIfValueIsEmpty: false)])
        #expect(input.render() == "<input value=\"&quot;\"/>")
    }

    @Test func attributesInGroupsBelongToTheElementAndALaterValueReplaces() {
        let node: Node<HTML.BodyContext> = .div(
            .class("a"), .text("t"), .if(true, .attribute(named: "role", value: "alert")), .class("b"),
            .if(false, .id("never")), .span(.id("inner")))
        #expect(node.render() == "<div class=\"b\" role=\"alert\">t<span id=\"inner\"></span></div>")
    }

    @Test func emptyValuesAreLeftOutUnlessAsked() {
        #expect(Node<HTML.BodyContext>.div(.class(""), .id("x")).render() == "<div id=\"x\"></div>")
        let kept = Node<HTML.FormContext>.selfClosedElement(
            named: "input", attributes: [Attribute(name: "value", value: "", ignoreIfValueIsEmpty: false)])
        #expect(kept.render() == "<input value/>")
    }

    @Test func controlFlowAndGroups() {
        let names = ["An", "Bình"]
        let list: Node<HTML.BodyContext> = .ul(.forEach(names) { .li(.text($0)) })
        #expect(list.render() == "<ul><li>An</li><li>Bình</li></ul>")
        let missing: String? = nil
        #expect(
            Node<HTML.BodyContext>.unwrap(missing, { .text($0) }, else: .text("trống")).render() == "trống")
        #expect(Node<HTML.BodyContext>.if(false, .text("có"), else: .text("không")).render() == "không")
        #expect(Node<HTML.BodyContext>.group(.text("a"), .raw("<b>b</b>"), .empty).render() == "a<b>b</b>")
        #expect(Node<HTML.BodyContext>.h2("Số tiền \(3)").render() == "<h2>Số tiền 3</h2>")
    }

    @Test func aDocumentStartsWithItsDoctypeAndClosesVoidElements() {
        let document = HTML(
            .lang(.vietnamese), .head(.meta(.charset(.utf8)), .title("Trang <1>")),
            .body(.form(.method(.post), .input(.type(.hidden), .name("_csrf"), .value("t")))))
        #expect(
            document.render()
                == "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"UTF-8\"/><title>Trang &lt;1&gt;</title></head>"
                + "<body><form method=\"post\"><input type=\"hidden\" name=\"_csrf\" value=\"t\"/></form></body></html>"
        )
    }
}
