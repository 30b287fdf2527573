import ThadsDomain

/// CSV as the exports write it (the reader is beside the catalogs): RFC 4180 quoting, CRLF lines, a byte-order mark
/// so Excel reads UTF-8, and a leading apostrophe on a value a spreadsheet would run as a formula.
extension CSVText {
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The export's first line is its classification (H1); every export states one.
    static func document(_ rows: [[String]], classification: InformationClass) -> String {
        "\u{FEFF}" + ([[classification.marking]] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }
}
