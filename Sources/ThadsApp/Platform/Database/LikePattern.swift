/// LIKE patterns from typed text: `%`, `_` and the escape character itself are escaped with `\`, so they match
/// literally. Use with `ESCAPE '\'` (SQLite has no default escape character; PostgreSQL's is the same backslash).
enum LikePattern {
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// Everything that starts with `text`.
    static func prefix(_ text: String) -> String { escaped(text) + "%" }
}
