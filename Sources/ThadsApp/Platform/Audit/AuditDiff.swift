import Foundation

/// The fields that differ between an event's before and after snapshots, for reading the log
/// without comparing two JSON blobs by eye.
enum AuditDiff {
    struct Change: Equatable {
        let field: String
        let before: String
        let after: String
    }

    static func changes(before: String?, after: String?, limit: Int = 120) -> [Change] {
        let old = object(before)
        let new = object(after)
        let keys = Set(old.keys).union(new.keys).sorted()
        return keys.compactMap { key in
            let was = render(old[key])
            let now = render(new[key])
            guard was != now else { return nil }
            // Lists (a year's days off, granted units) read better as what was added and removed.
            if let oldList = old[key] as? [Any], let newList = new[key] as? [Any] {
                let before = Set(oldList.map(render))
                let after = Set(newList.map(render))
                let added = after.subtracting(before).sorted()
                let removed = before.subtracting(after).sorted()
                return Change(
                    field: key, before: shorten(removed.map { "− " + $0 }.joined(separator: "; "), limit),
                    after: shorten(added.map { "+ " + $0 }.joined(separator: "; "), limit))
            }
            return Change(field: key, before: shorten(was, limit), after: shorten(now, limit))
        }
    }

    private static func object(_ json: String?) -> [String: Any] {
        guard let json, let data = json.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return value
    }

    private static func render(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: return ""
        case let text as String: return text
        case let number as NSNumber:
            // JSON booleans arrive as NSNumber with Objective-C type "c".
            if String(cString: number.objCType) == "c" { return number.boolValue ? "có" : "không" }
            return number.stringValue
        case let other:
            guard let data = try? JSONSerialization.data(withJSONObject: other, options: [.sortedKeys]) else {
                return ""
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    private static func shorten(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
