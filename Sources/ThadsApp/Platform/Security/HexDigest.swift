import Crypto
import Foundation

extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits a byte: how hashes are stored and compared. (`String(format:)` per byte
    /// costs a formatted print each, and the session hash is computed on every request.)
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension SHA256 {
    /// The SHA-256 of `data` in lower-case hexadecimal.
    static func hex(_ data: some DataProtocol) -> String { hash(data: data).hexString }
}
