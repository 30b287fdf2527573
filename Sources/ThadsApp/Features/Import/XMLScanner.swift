import Foundation

/// A minimal pull reader for the XML parts of an XLSX file: elements, attributes, text, the five predefined
/// entities and character references. Document type declarations are refused, so no entity can expand (the
/// "billion laughs" attack needs one), and nothing is fetched from outside. Names are given without their
/// namespace prefix ("x:row" reads as "row"): some generators write prefixed SpreadsheetML.
///
/// Hand-written rather than Foundation's `XMLParser` because a sheet of a million rows is tens of millions of
/// events, and a text node is only decoded when the reader asks for it.
struct XMLScanner {
    enum Event {
        case start(name: String, attributes: [(name: String, value: String)], selfClosing: Bool)
        case end(name: String)
        /// Raw text between tags; `text(_:)` decodes it.
        case text(Range<Int>)
    }

    struct Malformed: Error {}

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func next() throws(Malformed) -> Event? {
        // Declarations, processing instructions and comments are skipped in a loop, not by recursion: a file of
        // a million comments must not exhaust the stack.
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < bytes.count && bytes[position] != UInt8(ascii: "<") { position += 1 }
                return .text(start..<position)
            }
            guard position + 1 < bytes.count else { throw Malformed() }
            switch bytes[position + 1] {
            case UInt8(ascii: "?"):
                position = try index(after: Array("?>".utf8), from: position + 2)
            case UInt8(ascii: "!"):
                if matches("<!--", at: position) {
                    position = try index(after: Array("-->".utf8), from: position + 4)
                } else if matches("<![CDATA[", at: position) {
                    let start = position + 9
                    position = try index(after: Array("]]>".utf8), from: start)
                    return .text(start..<(position - 3))
                } else {
                    throw Malformed()  // <!DOCTYPE …> and anything else declarative
                }
            case UInt8(ascii: "/"):
                position += 2
                let name = try readName()
                skipSpaces()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else { throw Malformed() }
                position += 1
                return .end(name: name)
            default:
                position += 1
                return try startTag()
            }
        }
        return nil
    }

    private mutating func startTag() throws(Malformed) -> Event {
        let name = try readName()
        var attributes: [(name: String, value: String)] = []
        while true {
            skipSpaces()
            guard position < bytes.count else { throw Malformed() }
            if bytes[position] == UInt8(ascii: ">") {
                position += 1
                return .start(name: name, attributes: attributes, selfClosing: false)
            }
            if bytes[position] == UInt8(ascii: "/") {
                guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else { throw Malformed() }
                position += 2
                return .start(name: name, attributes: attributes, selfClosing: true)
            }
            let attribute = try readName()
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else { throw Malformed() }
            position += 1
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")
            else { throw Malformed() }
            let quote = bytes[position]
            let start = position + 1
            guard let end = bytes[start...].firstIndex(of: quote) else { throw Malformed() }
            position = end + 1
            attributes.append((attribute, try decode(start..<end)))
        }
    }

    /// The text of a `.text` event with its entities and character references replaced.
    func text(_ range: Range<Int>) throws(Malformed) -> String {
        try decode(range)
    }

    // MARK: Pieces

    private func matches(_ literal: String, at offset: Int) -> Bool {
        let pattern = Array(literal.utf8)
        guard offset + pattern.count <= bytes.count else { return false }
        return bytes[offset..<(offset + pattern.count)].elementsEqual(pattern)
    }

    /// The position just past the first `terminator` at or after `from`.
    private func index(after terminator: [UInt8], from: Int) throws(Malformed) -> Int {
        var index = from
        while index + terminator.count <= bytes.count {
            if bytes[index] == terminator[0] && bytes[index..<(index + terminator.count)].elementsEqual(terminator) {
                return index + terminator.count
            }
            index += 1
        }
        throw Malformed()
    }

    private mutating func skipSpaces() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    /// An element or attribute name, without its namespace prefix.
    private mutating func readName() throws(Malformed) -> String {
        let start = position
        var local = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
                || [0x20, 0x09, 0x0A, 0x0D].contains(byte)
            {
                break
            }
            if byte == UInt8(ascii: ":") { local = position + 1 }
            position += 1
        }
        guard position > start, local < position else { throw Malformed() }
        // A prefixed attribute (xmlns:r, r:id) keeps its prefix out of the way too: callers ask for "id".
        return String(decoding: bytes[local..<position], as: UTF8.self)
    }

    private func decode(_ range: Range<Int>) throws(Malformed) -> String {
        guard bytes[range].contains(UInt8(ascii: "&")) else { return String(decoding: bytes[range], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "&") else {
                out.append(byte)
                index += 1
                continue
            }
            guard let semicolon = bytes[index..<range.upperBound].firstIndex(of: UInt8(ascii: ";")),
                semicolon - index <= 10
            else { throw Malformed() }
            let name = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            switch name {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                let code: UInt32? =
                    name.hasPrefix("#x")
                    ? UInt32(name.dropFirst(2), radix: 16)
                    : name.hasPrefix("#") ? UInt32(name.dropFirst(), radix: 10) : nil
                guard let code, let scalar = Unicode.Scalar(code) else { throw Malformed() }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            index = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
