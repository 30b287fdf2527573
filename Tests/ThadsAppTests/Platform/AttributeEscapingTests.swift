import Foundation
import Testing
import VaporTesting

@testable import ThadsApp

/// Values written into HTML attributes (form values, hidden fields, links) are escaped by the renderer itself.
@Suite struct AttributeEscapingTests {
    @Test func everyCharacterThatEndsOrOpensMarkupIsEscaped() {
        #expect(
            "Công ty \"Hoa Mai\" & <b>'x'</b>".attributeEscaped
                == "Công ty &quot;Hoa Mai&quot; &amp; &lt;b&gt;&#39;x&#39;&lt;/b&gt;")
        #expect("Nguyễn Thị Hoà".attributeEscaped == "Nguyễn Thị Hoà")
        #expect("".attributeEscaped == "")
    }

    /// A value with quotes comes back whole in the form the server refused, so nothing typed is lost on re-send.
    @Test func aRefusedFormShowsAQuotedValueWhole() async throws {
        try await withTestApp { app async throws in
            let scene = try await CaseScene.make(app)
            let refused = try await scene.officer.post(
                "/ho-so/moi", scene.openingForm([("qd-signer", "Trần \"Thủ\" <b>"), ("judgmentDate", "31/02/2026")]))
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.contains("value=\"Trần &quot;Thủ&quot; &lt;b&gt;\""))
            #expect(!refused.body.string.contains("\"Thủ\""))
            let notes = try await scene.officer.post(
                "/ho-so/moi",
                scene.openingForm([("qd-notes", "Ghi chú &lt;b&gt; & <i>"), ("judgmentDate", "31/02/2026")]))
            #expect(notes.body.string.contains(">Ghi chú &amp;lt;b&amp;gt; &amp; &lt;i&gt;</textarea>"))
        }
    }

    /// A crafted return address cannot add markup to the sign-in page.
    @Test func aReturnAddressCannotInjectMarkup() async throws {
        try await withTestApp { app async throws in
            let page = try await TestClient(app).get("/dang-nhap?tiep=/ho-so%3Fq%3D%22%3E%3Cb%3Echen%3C/b%3E")
            #expect(page.body.string.contains("value=\"/ho-so?q=&quot;&gt;&lt;b&gt;chen&lt;/b&gt;\""))
            #expect(!page.body.string.contains("<b>chen"))
        }
    }
}
