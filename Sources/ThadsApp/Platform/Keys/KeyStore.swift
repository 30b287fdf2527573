import Crypto
import Foundation
import Vapor

/// The master key lives outside the database: a 0600 file under the data directory, created on first
/// start (or the THADS_MASTER_KEY setting, base64 of 32 bytes). Purpose keys are derived with HKDF so
/// one leaked purpose key does not expose the others.
public struct KeyStore: Sendable {
    public let keyID: String
    private let master: SymmetricKey

    public init(master: SymmetricKey, keyID: String) {
        self.master = master
        self.keyID = keyID
    }

    public static func load(directory: String, environment: [String: String]) throws -> KeyStore {
        if let encoded = environment["THADS_MASTER_KEY"], !encoded.isEmpty {
            guard let data = Data(base64Encoded: encoded), data.count == 32 else {
                throw AppSettings.Invalid(variable: "THADS_MASTER_KEY", message: "phải là 32 byte mã hóa base64")
            }
            return KeyStore(master: SymmetricKey(data: data), keyID: environment["THADS_MASTER_KEY_ID"] ?? "env")
        }
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/master.key"
        if !fm.fileExists(atPath: path) {
            let key = SymmetricKey(size: .bits256)
            let data = key.withUnsafeBytes { Data($0) }
            let id = "k" + String(Int(Date().timeIntervalSince1970))
            let contents = Data((id + ":" + data.base64EncodedString() + "\n").utf8)
            guard fm.createFile(atPath: path, contents: contents, attributes: [.posixPermissions: 0o600]) else {
                throw AppSettings.Invalid(variable: "THADS_DATA_DIR", message: "không ghi được tệp khóa \(path)")
            }
        }
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let data = Data(base64Encoded: parts[1]), data.count == 32 else {
            throw AppSettings.Invalid(variable: "THADS_DATA_DIR", message: "tệp khóa \(path) bị hỏng")
        }
        return KeyStore(master: SymmetricKey(data: data), keyID: parts[0])
    }

    public func key(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data(("thads:" + purpose).utf8), outputByteCount: 32)
    }

    /// A keyed hash for exact lookups of values stored encrypted (blind index).
    public func blindIndex(_ value: String, purpose: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key(for: "index:" + purpose))
        return Data(mac).base64EncodedString()
    }

    /// AES-GCM with the key id in front, so values can be re-encrypted under a new key later.
    public func encrypt(_ plaintext: String, purpose: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key(for: "enc:" + purpose))
        guard let combined = box.combined else { throw Abort(.internalServerError) }
        return keyID + ":" + combined.base64EncodedString()
    }

    public func decrypt(_ stored: String, purpose: String) throws -> String {
        let parts = stored.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == keyID, let data = Data(base64Encoded: parts[1]) else {
            throw Abort(.internalServerError, reason: "unknown key id")
        }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: key(for: "enc:" + purpose))
        return String(decoding: plain, as: UTF8.self)
    }
}

extension Application {
    private struct KeyStoreKey: StorageKey {
        typealias Value = KeyStore
    }

    public var keys: KeyStore {
        get {
            guard let keys = storage[KeyStoreKey.self] else { fatalError("configure(_:) loads the keys first") }
            return keys
        }
        set { storage[KeyStoreKey.self] = newValue }
    }
}
