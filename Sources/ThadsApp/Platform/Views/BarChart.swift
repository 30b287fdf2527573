import Foundation

/// A horizontal bar chart drawn on the server as inline SVG (no script, so the strict CSP holds): one row per item,
/// this period's bar over last year's thinner one, each row a link to the figures behind it.
struct BarChart: Sendable {
    struct Bar: Sendable {
        var label: String
        /// 0…1, nil when there is nothing to rate.
        var value: Double?
        var previous: Double?
        var href: String?
    }

    var title: String
    var bars: [Bar]
    var valueLabel: String = "Năm nay"
    var previousLabel: String = "Cùng kỳ năm trước"

    private static let labelWidth = 260.0
    private static let barWidth = 380.0
    private static let rowHeight = 34.0

    private static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f %%", $0 * 100).replacingOccurrences(of: ".", with: ",") } ?? "—"
    }

    var node: Node<HTML.BodyContext> {
        let height = Double(bars.count) * Self.rowHeight + 40
        let width = Self.labelWidth + Self.barWidth + 90
        func attribute(_ name: String, _ value: String) -> Node<HTML.BodyContext> {
            .attribute(named: name, value: value, ignoreIfValueIsEmpty: false)
        }
        func rect(x: Double, y: Double, width: Double, height: Double, cls: String) -> Node<HTML.BodyContext> {
            .element(
                named: "rect",
                nodes: [
                    attribute("x", String(format: "%.1f", x)), attribute("y", String(format: "%.1f", y)),
                    attribute("width", String(format: "%.1f", max(0, width))),
                    attribute("height", String(format: "%.1f", height)), attribute("class", cls),
                ])
        }
        func text(_ content: String, x: Double, y: Double, anchor: String = "start") -> Node<HTML.BodyContext> {
            .element(
                named: "text",
                nodes: [
                    attribute("x", String(format: "%.1f", x)), attribute("y", String(format: "%.1f", y)),
                    attribute("text-anchor", anchor), .text(content),
                ])
        }
        let rows: [Node<HTML.BodyContext>] = bars.enumerated().map { index, bar in
            let top = 30 + Double(index) * Self.rowHeight
            let row: [Node<HTML.BodyContext>] = [
                .element(
                    named: "title",
                    text:
                        "\(bar.label): \(Self.percent(bar.value)) (\(previousLabel.lowercased()) \(Self.percent(bar.previous)))"
                ),
                text(bar.label, x: Self.labelWidth - 8, y: top + 14, anchor: "end"),
                rect(x: Self.labelWidth, y: top, width: Self.barWidth * (bar.value ?? 0), height: 16, cls: "bar-now"),
                rect(
                    x: Self.labelWidth, y: top + 19, width: Self.barWidth * (bar.previous ?? 0), height: 6,
                    cls: "bar-before"),
                text(Self.percent(bar.value), x: Self.labelWidth + Self.barWidth + 6, y: top + 14),
            ]
            guard let href = bar.href else { return .element(named: "g", nodes: row) }
            return .element(named: "a", nodes: [attribute("href", href)] + row)
        }
        return .element(
            named: "figure",
            nodes: [
                .attribute(named: "class", value: "chart"),
                .element(named: "figcaption", text: title),
                .element(
                    named: "svg",
                    nodes: [
                        attribute("xmlns", "http://www.w3.org/2000/svg"),
                        attribute("viewBox", "0 0 \(Int(width)) \(Int(height))"), attribute("role", "img"),
                        attribute("aria-label", title),
                        text("■ \(valueLabel)   ▬ \(previousLabel)", x: Self.labelWidth, y: 16),
                    ] + rows),
            ])
    }
}
