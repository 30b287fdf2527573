import Fluent
import FluentSQL
import SQLKit

/// Text a user typed, matched literally inside a LIKE pattern: `%`, `_` and the escape character itself lose their
/// wildcard meaning. `ESCAPE '\'` is spelled the same on SQLite and PostgreSQL (whose standard strings keep the
/// backslash as typed), so one expression serves both.
enum LikePattern {
    /// `text` with `\`, `%` and `_` escaped by a backslash.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if character == "\\" || character == "%" || character == "_" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// The pattern for everything that starts with `text`, for a hand-written `LIKE … ESCAPE '\'`.
    static func prefix(_ text: String) -> String { escaped(text) + "%" }

    /// `column LIKE '%text%' ESCAPE '\'`, the typed text matched literally anywhere in the column.
    static func contains(_ column: String, _ text: String) -> DatabaseQuery.Filter {
        .sql(SQLLikeEscaped(column: column, pattern: "%" + escaped(text) + "%"))
    }

    /// `column LIKE 'text%' ESCAPE '\'`.
    static func hasPrefix(_ column: String, _ text: String) -> DatabaseQuery.Filter {
        .sql(SQLLikeEscaped(column: column, pattern: escaped(text) + "%"))
    }
}

private struct SQLLikeEscaped: SQLExpression {
    let column: String
    let pattern: String

    func serialize(to serializer: inout SQLSerializer) {
        SQLIdentifier(column).serialize(to: &serializer)
        serializer.write(" LIKE ")
        SQLBind(pattern).serialize(to: &serializer)
        serializer.write(" ESCAPE '\\'")
    }
}
