import Foundation

/// The restic repository the settings name: encryption, deduplication and verification are restic's, not ours.
struct Restic: Sendable {
    let repository: String
    let passwordFile: String
    let cacheDirectory: String

    init(repository: String, settings: AppSettings) {
        self.repository = repository
        self.passwordFile = settings.backupPasswordFile
        self.cacheDirectory = settings.dataDirectory + "/backups/cache"
    }

    var environment: [String: String] {
        ["RESTIC_REPOSITORY": repository, "RESTIC_PASSWORD_FILE": passwordFile, "RESTIC_CACHE_DIR": cacheDirectory]
    }

    struct Summary: Decodable, Sendable {
        let snapshotId: String
        let dataAdded: Int64
        let totalFilesProcessed: Int
    }

    struct Snapshot: Decodable, Sendable {
        let id: String
        let shortId: String
        let time: String
        let tags: [String]?

        var kind: String {
            (tags ?? []).first { $0.hasPrefix("kind:") }.map { String($0.dropFirst(5)) } ?? ""
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// Makes the password file (random, owner-only) on first use, and the repository when it does not exist yet.
    func prepare() async throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: passwordFile) {
            let directory = (passwordFile as NSString).deletingLastPathComponent
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var bytes = [UInt8](repeating: 0, count: 32)
            for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
            try FileStore.writePrivate(Data(Data(bytes).base64EncodedString().utf8), to: passwordFile)
        }
        try manager.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        let probe = try await ExternalProgram.run("restic", ["cat", "config", "-q"], environment: environment)
        if !probe.succeeded {
            if !repository.contains(":") {
                try manager.createDirectory(atPath: repository, withIntermediateDirectories: true)
                if (try? manager.contentsOfDirectory(atPath: repository))?.isEmpty == false {
                    throw ExternalProgram.Failed(program: "restic", status: probe.status, message: probe.stderr)
                }
            }
            try await ExternalProgram.check("restic", ["init", "-q"], environment: environment)
        }
    }

    /// Backs up the staging directory's contents (paths relative to it) and returns restic's summary.
    func backup(directory: String, kind: String) async throws -> Summary {
        let output = try await ExternalProgram.check(
            "restic", ["backup", "--json", "-q", "--host", "thads", "--tag", "thads", "--tag", "kind:" + kind, "."],
            environment: environment, directory: directory)
        let lines = String(decoding: output.stdout, as: UTF8.self).split(separator: "\n")
        for line in lines.reversed() where line.contains("\"summary\"") {
            return try Self.decoder.decode(Summary.self, from: Data(line.utf8))
        }
        throw ExternalProgram.Failed(program: "restic", status: 0, message: "no summary in restic's output")
    }

    func snapshots() async throws -> [Snapshot] {
        let output = try await ExternalProgram.check(
            "restic", ["snapshots", "--json", "--tag", "thads"], environment: environment)
        return try Self.decoder.decode([Snapshot].self, from: output.stdout)
    }

    /// `check`, with `--read-data` reading every pack back and comparing it with its hash.
    func check(readData: Bool) async throws {
        try await ExternalProgram.check(
            "restic", ["check", "-q"] + (readData ? ["--read-data"] : []), environment: environment)
    }

    func restore(_ snapshot: String, to directory: String) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await ExternalProgram.check(
            "restic", ["restore", snapshot, "--target", directory, "-q"], environment: environment)
    }

    func forget(_ retention: [String]) async throws {
        try await ExternalProgram.check(
            "restic", ["forget", "-q", "--prune", "--tag", "thads"] + retention, environment: environment)
    }

    /// Copies one snapshot into `target` (the second place of Art. 14), making the target on first use with this
    /// repository's chunker parameters so deduplication carries over.
    func copy(_ snapshot: String, to target: Restic) async throws {
        let from = [
            "RESTIC_FROM_REPOSITORY": repository, "RESTIC_FROM_PASSWORD_FILE": passwordFile,
        ]
        let environment = target.environment.merging(from) { $1 }
        let probe = try await ExternalProgram.run("restic", ["cat", "config", "-q"], environment: target.environment)
        if !probe.succeeded {
            try await ExternalProgram.check(
                "restic", ["init", "-q", "--copy-chunker-params"], environment: environment)
        }
        try await ExternalProgram.check("restic", ["copy", "-q", snapshot], environment: environment)
    }
}
