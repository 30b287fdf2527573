import Foundation

/// Runs a program (restic, pg_dump, psql, openssl, wrk) without a shell. The one place the application starts
/// another process: every feature that needs one goes through here.
enum ExternalProgram {
    struct Output: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: String
        var succeeded: Bool { status == 0 }
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    struct Failed: Error, CustomStringConvertible {
        var program: String
        var status: Int32
        /// The program's own message (restic and pg_dump print paths and object names, never table contents).
        var message: String
        var description: String { "\(program) thoát với mã \(status): \(message.prefix(500))" }
    }

    /// Waits for the program on a global queue, off the event loops.
    static func run(
        _ program: String, _ arguments: [String], environment: [String: String] = [:], inheritEnvironment: Bool = true,
        directory: String? = nil, stdoutFile: String? = nil
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(
                        returning: try runBlocking(
                            program, arguments, environment: environment, inheritEnvironment: inheritEnvironment,
                            directory: directory, stdoutFile: stdoutFile))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Blocks the calling thread: for start-up (the receipt signer reads its PKCS#12 file before the server serves)
    /// and for commands that own their thread (the bench).
    static func runBlocking(
        _ program: String, _ arguments: [String], environment: [String: String] = [:], inheritEnvironment: Bool = true,
        directory: String? = nil, stdoutFile: String? = nil
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        // Without inheritance (a password passed by environment) the child sees the search path and nothing else.
        var env = inheritEnvironment ? ProcessInfo.processInfo.environment : ["PATH": "/usr/bin:/bin:/usr/local/bin"]
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        // stderr goes to a file, so only one pipe is read and a chatty program never blocks on it.
        let errorPath = NSTemporaryDirectory() + "thads-stderr-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let errorFile = FileHandle(forWritingAtPath: errorPath)
        var outFile: FileHandle?
        if let stdoutFile {
            _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
            outFile = FileHandle(forWritingAtPath: stdoutFile)
            process.standardOutput = outFile
        } else {
            process.standardOutput = out
        }
        process.standardError = errorFile
        try process.run()
        let data = stdoutFile == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        try? outFile?.close()
        try? errorFile?.close()
        let errorData = FileManager.default.contents(atPath: errorPath) ?? Data()
        return Output(
            status: process.terminationStatus, stdout: data, stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// Runs and throws `Failed` on a non-zero exit.
    @discardableResult
    static func check(
        _ program: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
        stdoutFile: String? = nil
    ) async throws -> Output {
        let output = try await run(
            program, arguments, environment: environment, directory: directory, stdoutFile: stdoutFile)
        guard output.succeeded else {
            throw Failed(program: program, status: output.status, message: output.stderr)
        }
        return output
    }
}
