import Foundation

/// Files that are two formats at once, or that carry macros: each is an allowed kind on its own, but what opens it
/// decides what runs. A PDF that is also a ZIP opens as an archive in one program and a document in another; a PDF
/// that holds HTML renders as a web page where a browser is lenient; an Office file with a VBA project runs code
/// when a macro-enabled Office opens it. All are refused (issue 16).
enum ActiveContent {
    /// Extensions of macro-enabled Office formats.
    static let macroExtensions: Set<String> = ["docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm"]

    /// The name of the part that holds VBA code in a macro-enabled OOXML file (word/vbaProject.bin,
    /// xl/vbaProject.bin); compared case-insensitively as Office does.
    static func isMacroPart(_ entryName: String) -> Bool {
        entryName.lowercased().hasSuffix("vbaproject.bin")
    }

    /// PDF readers accept "%PDF-" anywhere in the first 1024 bytes, so another format that carries it there is
    /// also a PDF.
    static func hasPDFHeader(_ data: Data) -> Bool {
        index(of: Array("%PDF-".utf8), in: data.prefix(1024)) != nil
    }

    /// A ZIP reader starts from the end-of-central-directory record in the last 64 KiB and trusts it; one there
    /// whose central directory is where it says (or right before it, for an appended ZIP) makes the file a ZIP.
    static func hasZIPDirectory(_ data: Data) -> Bool {
        let bytes = [UInt8](data.suffix(65_535 + 22))
        guard bytes.count >= 22 else { return false }
        let base = data.count - bytes.count
        var offset = bytes.count - 22
        while offset >= 0 {
            if bytes[offset] == 0x50, bytes[offset + 1] == 0x4B, bytes[offset + 2] == 0x05, bytes[offset + 3] == 0x06 {
                let size =
                    Int(bytes[offset + 12]) | Int(bytes[offset + 13]) << 8 | Int(bytes[offset + 14]) << 16
                    | Int(bytes[offset + 15]) << 24
                let directory = base + offset - size
                if directory >= 0, directory + 4 <= data.count {
                    let at = data.startIndex + directory
                    if data[at..<at + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) { return true }
                }
            }
            offset -= 1
        }
        return false
    }

    /// Markup a browser would render as a page, anywhere in the file, case-insensitively.
    static func hasHTML(_ data: Data) -> Bool {
        let markers = ["<html", "<!doctype html", "<script", "<body", "<iframe", "<svg", "<object", "<embed"].map {
            Array($0.utf8)
        }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            var position = 0
            while position < bytes.count {
                guard let next = memchrIndex(UInt8(ascii: "<"), in: bytes, from: position) else { return false }
                for marker in markers where next + marker.count <= bytes.count {
                    var matched = true
                    for (offset, byte) in marker.enumerated() {
                        let candidate = bytes[next + offset]
                        let lowered = candidate >= 0x41 && candidate <= 0x5A ? candidate | 0x20 : candidate
                        if lowered != byte {
                            matched = false
                            break
                        }
                    }
                    if matched { return true }
                }
                position = next + 1
            }
            return false
        }
    }

    private static func memchrIndex(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + start, Int32(byte), bytes.count - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private static func index(of needle: [UInt8], in haystack: Data) -> Int? {
        let bytes = [UInt8](haystack)
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
