import Crypto
import Foundation
import NIOConcurrencyHelpers
import ThadsDomain
import Vapor

/// Master keys live outside the database: `data/keys/master.key`, mode 0600, one `id:base64` line
/// per key, the last line being the current one (or the THADS_MASTER_KEY setting for a single key).
/// Purpose keys are derived with HKDF so one leaked purpose key does not expose the others.
///
/// Encryption always uses the current key and stores its id in front of the value; decryption picks
/// the key by that id, so after `thads keys rotate` old and new values both read. Keyed hashes
/// (blind indexes, recovery-code hashes) come from the first key and do not rotate: changing them
/// would break every lookup and every stored recovery code.
public struct KeyStore: Sendable {
    public struct Key: Sendable {
        public let id: String
        let material: SymmetricKey
    }

    public let keys: [Key]
    /// Purpose keys already derived, by key id and purpose: an import encrypts and indexes hundreds of thousands of
    /// ID numbers, and HKDF for each was a tenth of its work.
    private let derived = NIOLockedValueBox<[String: SymmetricKey]>([:])
    public var keyID: String { keys.last!.id }

    public init(keys: [Key]) {
        precondition(!keys.isEmpty, "a key store needs at least one key")
        self.keys = keys
    }

    public init(master: SymmetricKey, keyID: String) {
        self.init(keys: [Key(id: keyID, material: master)])
    }

    static func fileURL(directory: String) -> String { directory + "/master.key" }

    public static func load(directory: String, environment: [String: String]) throws -> KeyStore {
        if let encoded = environment["THADS_MASTER_KEY"], !encoded.isEmpty {
            guard let data = Data(base64Encoded: encoded), data.count == 32 else {
                throw AppSettings.Invalid(variable: "THADS_MASTER_KEY", message: "phải là 32 byte mã hóa base64")
            }
            return KeyStore(master: SymmetricKey(data: data), keyID: environment["THADS_MASTER_KEY_ID"] ?? "env")
        }
        let path = fileURL(directory: directory)
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try write(line: newKeyLine(), to: path, append: false)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var keys: [Key] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let data = Data(base64Encoded: parts[1]), data.count == 32 else {
                throw AppSettings.Invalid(variable: "THADS_DATA_DIR", message: "tệp khóa \(path) bị hỏng")
            }
            keys.append(Key(id: parts[0], material: SymmetricKey(data: data)))
        }
        guard !keys.isEmpty else {
            throw AppSettings.Invalid(variable: "THADS_DATA_DIR", message: "tệp khóa \(path) không có khóa nào")
        }
        return KeyStore(keys: keys)
    }

    /// Adds a new current key to the key file and returns the store with it.
    public static func addKey(directory: String) throws -> KeyStore {
        try write(line: newKeyLine(), to: fileURL(directory: directory), append: true)
        return try load(directory: directory, environment: [:])
    }

    private static func newKeyLine() -> String {
        let data = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let id =
            "k" + String(Int(AppClock.system.now.timeIntervalSince1970)) + "-"
            + String(UUID().uuidString.prefix(4)).lowercased()
        return id + ":" + data.base64EncodedString() + "\n"
    }

    private static func write(line: String, to path: String, append: Bool) throws {
        let fm = FileManager.default
        if !append || !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw AppSettings.Invalid(variable: "THADS_DATA_DIR", message: "không ghi được tệp khóa \(path)")
            }
            return
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
    }

    public func key(for purpose: String) -> SymmetricKey {
        derive(keys.last!, purpose: purpose)
    }

    private func derive(_ master: Key, purpose: String) -> SymmetricKey {
        let cacheKey = master.id + "|" + purpose
        if let known = derived.withLockedValue({ $0[cacheKey] }) { return known }
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master.material, info: Data(("thads:" + purpose).utf8), outputByteCount: 32)
        derived.withLockedValue { $0[cacheKey] = key }
        return key
    }

    /// A keyed hash for exact lookups of values stored encrypted (blind index).
    public func blindIndex(_ value: String, purpose: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(value.utf8), using: derive(keys.first!, purpose: "index:" + purpose))
        return Data(mac).base64EncodedString()
    }

    /// The key that seals the audit chain (an HMAC on every event and checkpoint). From the first key, like the blind
    /// indexes: a rotation must never make the chain unverifiable.
    public var auditChainKey: SymmetricKey { derive(keys.first!, purpose: "audit-chain") }

    /// A keyed hash of a fixed text under the first key, which never rotates: the same for every key file of one
    /// installation, different for any other. Stored in the database at its first start (`KeyCheck`).
    public var fingerprint: String { blindIndex("thads-installation-key", purpose: "fingerprint") }

    /// AES-GCM under the current key, with the key id in front.
    public func encrypt(_ plaintext: String, purpose: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: derive(keys.last!, purpose: "enc:" + purpose))
        guard let combined = box.combined else { throw Abort(.internalServerError) }
        return keyID + ":" + combined.base64EncodedString()
    }

    public func decrypt(_ stored: String, purpose: String) throws -> String {
        let parts = stored.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let key = keys.first(where: { $0.id == parts[0] }),
            let data = Data(base64Encoded: parts[1])
        else { throw Abort(.internalServerError, reason: "unknown key id") }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: derive(key, purpose: "enc:" + purpose))
        return String(decoding: plain, as: UTF8.self)
    }

    /// AES-GCM of bytes (a kept upload) under the current key: the key id, a colon, then nonce, ciphertext and tag.
    public func seal(_ plaintext: Data, purpose: String) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: derive(keys.last!, purpose: "enc:" + purpose))
        guard let combined = box.combined else { throw Abort(.internalServerError) }
        return Data((keyID + ":").utf8) + combined
    }

    public func open(_ sealed: Data, purpose: String) throws -> Data {
        guard let colon = sealed.firstIndex(of: UInt8(ascii: ":")),
            let key = keys.first(where: { Data($0.id.utf8) == sealed[sealed.startIndex..<colon] })
        else { throw Abort(.internalServerError, reason: "unknown key id") }
        let box = try AES.GCM.SealedBox(combined: sealed[sealed.index(after: colon)...])
        return try AES.GCM.open(box, using: derive(key, purpose: "enc:" + purpose))
    }

    /// Whether a stored value was encrypted under the current key.
    public func isCurrent(_ stored: String) -> Bool { stored.hasPrefix(keyID + ":") }
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
