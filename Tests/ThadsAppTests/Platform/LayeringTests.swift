import Foundation
import Testing

/// Reads the source tree: Platform must not use anything a feature declares, and features must not use each other
/// in a circle (a feature may build on another one way only, as Import builds on Cases).
@Suite struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/ThadsApp")

    /// "Platform", "Features/<Name>", or nil for the application's root files (configure, routes, jobs, commands),
    /// which wire everything together.
    static func area(of path: String) -> String? {
        let relative = path.replacingOccurrences(of: sources.path + "/", with: "")
        let parts = relative.split(separator: "/")
        if parts.first == "Platform" { return "Platform" }
        if parts.first == "Features", parts.count > 2 { return "Features/" + parts[1] }
        return nil
    }

    struct SourceFile {
        let path: String
        let area: String?
        let code: String
    }

    static func files() throws -> [SourceFile] {
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var files: [SourceFile] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            files.append(SourceFile(path: url.path, area: area(of: url.path), code: stripped(text)))
        }
        return files
    }

    /// The code without comments and string literals, where names of other areas may appear harmlessly.
    static func stripped(_ text: String) -> String {
        var code = text
        for pattern in [#"//[^\n]*"#, #"/\*[\s\S]*?\*/"#, #""""[\s\S]*?""""#, #""(?:\\.|[^"\\\n])*""#] {
            code = code.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return code
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// Top-level types and the members an area adds to the shared Vapor types, by area.
    static func declarations(_ files: [SourceFile]) -> [String: String] {
        var owner: [String: String] = [:]
        for file in files {
            guard let area = file.area else { continue }
            let types = matches(
                #"^(?:(?:public|internal|final|indirect)\s+)*(?:struct|enum|class|protocol|actor|typealias)\s+([A-Z]\w*)"#,
                in: file.code)
            for name in types { owner[name] = area }
            for block in matches(
                #"^extension (?:Application|Request|Database|RoutesBuilder) \{([\s\S]*?)^\}"#, in: file.code)
            {
                for member in matches(#"^    (?:(?:public|internal|static)\s+)*(?:var|func) (\w+)"#, in: block) {
                    owner["." + member] = area
                }
            }
        }
        return owner
    }

    /// Which areas each area uses.
    static func uses(_ files: [SourceFile], owner: [String: String]) -> [String: [String: Set<String>]] {
        var uses: [String: [String: Set<String>]] = [:]
        for file in files {
            guard let area = file.area else { continue }
            let names = Set(matches(#"\b([A-Z]\w*)\b"#, in: file.code)).union(
                Set(matches(#"\.([a-z]\w*)\b"#, in: file.code).map { "." + $0 }))
            for name in names {
                guard let other = owner[name], other != area else { continue }
                uses[area, default: [:]][other, default: []].insert(name)
            }
        }
        return uses
    }

    @Test func platformUsesNoFeature() throws {
        let files = try Self.files()
        #expect(files.count > 100, "found the sources at \(Self.sources.path)")
        let uses = Self.uses(files, owner: Self.declarations(files))
        for (feature, names) in uses["Platform", default: [:]] {
            Issue.record("Platform uses \(feature): \(names.sorted().joined(separator: ", "))")
        }
    }

    @Test func featuresDoNotUseEachOtherInACircle() throws {
        let files = try Self.files()
        let uses = Self.uses(files, owner: Self.declarations(files))
        var graph: [String: Set<String>] = [:]
        for (area, others) in uses where area != "Platform" {
            graph[area] = Set(others.keys.filter { $0 != "Platform" })
        }
        // Depth-first search for a path back to the start.
        func path(from start: String, to goal: String, seen: inout Set<String>) -> [String]? {
            for next in graph[start, default: []].sorted() {
                if next == goal { return [start, next] }
                if seen.insert(next).inserted, let rest = path(from: next, to: goal, seen: &seen) {
                    return [start] + rest
                }
            }
            return nil
        }
        for area in graph.keys.sorted() {
            var seen: Set<String> = []
            if let cycle = path(from: area, to: area, seen: &seen) {
                let detail = zip(cycle, cycle.dropFirst()).map { a, b in
                    "\(a) → \(b) (\(uses[a]?[b]?.sorted().prefix(5).joined(separator: ", ") ?? ""))"
                }
                Issue.record("features in a circle: \(detail.joined(separator: "; "))")
            }
        }
    }

    /// The checks themselves catch what they are for.
    @Test func theChecksFindAPlantedReference() {
        let owner = ["CaseRecord": "Features/Cases", "Account": "Platform", ".catalogCache": "Features/Catalogs"]
        let planted = [
            SourceFile(path: "p", area: "Platform", code: "let x = CaseRecord.load(); app.catalogCache"),
            SourceFile(path: "c", area: "Features/Cases", code: "let a: Account // CaseRecord"),
        ]
        let uses = Self.uses(planted, owner: owner)
        #expect(uses["Platform"]?["Features/Cases"] == ["CaseRecord"])
        #expect(uses["Platform"]?["Features/Catalogs"] == [".catalogCache"])
        // The Cases file uses Platform's Account; its CaseRecord stands in a comment and does not count.
        #expect(uses["Features/Cases"] == ["Platform": ["Account"]])
        #expect(Self.stripped("a // CaseRecord\n\"CaseRecord\"").contains("CaseRecord") == false)
    }
}
