import Foundation
import Vapor

/// Uploads that passed the dry run, kept until the user confirms them. They hold national ID numbers, so they are
/// kept encrypted (AES-GCM under a key derived from the master key), removed once committed, and removed after a
/// day when never committed.
enum ImportUploads {
    static let keptFor: TimeInterval = 24 * 3600
    private static let purpose = "import-upload"

    static let purgeJob = ScheduledJob(
        name: "imports.purge-uncommitted", schedule: .every(seconds: 3600), workingDaysOnly: false,
        run: { ctx in try purgeStale(app: ctx.app, now: ctx.now) })

    static func directory(_ settings: AppSettings) -> String { "\(settings.filesDirectory)/imports" }

    static func path(sha256: String, settings: AppSettings) -> String { directory(settings) + "/" + sha256 }

    /// The first line holds when it was kept (seconds since 1970), read by the purge; the rest is the sealed file.
    static func store(_ data: Data, sha256: String, at now: Date, app: Application) throws {
        let folder = directory(app.settings)
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let header = Data("\(Int(now.timeIntervalSince1970))\n".utf8)
        let temporary = folder + "/.\(UUID().uuidString).tmp"
        try FileStore.writePrivate(header + app.keys.seal(data, purpose: purpose), to: temporary)
        _ = rename(temporary, path(sha256: sha256, settings: app.settings))
    }

    static func load(sha256: String, app: Application) -> Data? {
        guard let stored = FileManager.default.contents(atPath: path(sha256: sha256, settings: app.settings)),
            let newline = stored.firstIndex(of: UInt8(ascii: "\n"))
        else { return nil }
        return try? app.keys.open(stored[stored.index(after: newline)...], purpose: purpose)
    }

    static func remove(sha256: String, settings: AppSettings) {
        try? FileManager.default.removeItem(atPath: path(sha256: sha256, settings: settings))
    }

    /// Removes what was kept more than a day ago, and anything without a readable header (a file kept in clear
    /// before encryption, a temporary file left by a crash). Returns how many files it removed.
    static func purgeStale(app: Application, now: Date) throws -> Int {
        let folder = directory(app.settings)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names {
            let file = folder + "/" + name
            if let keptAt = keptAt(file), now.timeIntervalSince(keptAt) < keptFor { continue }
            if (try? FileManager.default.removeItem(atPath: file)) != nil { removed += 1 }
        }
        return removed
    }

    private static func keptAt(_ file: String) -> Date? {
        guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 24), let newline = head.firstIndex(of: UInt8(ascii: "\n")),
            let seconds = Int(String(decoding: head[head.startIndex..<newline], as: UTF8.self))
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
