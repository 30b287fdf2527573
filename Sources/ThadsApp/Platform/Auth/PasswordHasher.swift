import Crypto
import Foundation
import NIOConcurrencyHelpers
import ThadsDomain
import Vapor
import _CryptoExtras

/// PBKDF2-HMAC-SHA256 at 600,000 rounds (OWASP 2023), over the NFC form of the password.
/// Chosen over bcrypt because bcrypt ignores everything after byte 72 and a Vietnamese passphrase
/// reaches 72 bytes quickly (each marked letter is 2–3 bytes); PBKDF2 hashes the whole input and
/// ships in swift-crypto, so no extra dependency is needed. The stored form names its parameters,
/// so the round count can rise later and old hashes still verify.
public struct PasswordHasher: Sendable {
    public static let productionRounds = 600_000
    public let rounds: Int
    /// Counts every derivation (hash or verify), so a test can show that a throttled login hashed nothing.
    let counter: HashCounter?

    public init(rounds: Int) { self.init(rounds: rounds, counter: nil) }

    init(rounds: Int, counter: HashCounter?) {
        self.rounds = rounds
        self.counter = counter
    }

    public func hash(_ password: String) throws -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let derived = try derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(derived.base64EncodedString())"
    }

    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds >= 1,
            let salt = Data(base64Encoded: parts[2]), let expected = Data(base64Encoded: parts[3]),
            let derived = try? derive(password, salt: Array(salt), rounds: rounds)
        else { return false }
        return ConstantTime.equal(Array(derived), Array(expected))
    }

    private func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> Data {
        counter?.add()
        let input = Data(PasswordPolicy.normalize(password).utf8)
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: input, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Data($0) }
    }
}

enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func equal(_ a: String, _ b: String) -> Bool { equal(Array(a.utf8), Array(b.utf8)) }
}

/// The number of password derivations an application has run.
final class HashCounter: Sendable {
    private let box = NIOLockedValueBox(0)
    func add() { box.withLockedValue { $0 += 1 } }
    var count: Int { box.withLockedValue { $0 } }
}

extension Application {
    private struct HashCounterKey: StorageKey {
        typealias Value = HashCounter
    }

    /// Created with the application (see `configure`), so reading it never races.
    var hashCounter: HashCounter {
        get { storage[HashCounterKey.self] ?? HashCounter() }
        set { storage[HashCounterKey.self] = newValue }
    }

    public var passwordHasher: PasswordHasher {
        PasswordHasher(rounds: settings.passwordHashRounds, counter: hashCounter)
    }

    /// PBKDF2 takes a noticeable time on purpose: keep it off the event loop.
    public func hashPassword(_ password: String) async throws -> String {
        let hasher = passwordHasher
        return try await threadPool.runIfActive { try hasher.hash(password) }
    }

    public func verifyPassword(_ password: String, against stored: String) async throws -> Bool {
        let hasher = passwordHasher
        return try await threadPool.runIfActive { hasher.verify(password, against: stored) }
    }
}
