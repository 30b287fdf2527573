import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Files kept by content under `data/files`: written once, through a temporary file and a rename, so a reader
/// never sees half a file and two writers of the same bytes do not collide.
enum FileStore {
    static func writeOnce(_ data: Data, to path: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) { return }
        let directory = (path as NSString).deletingLastPathComponent
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.\(UUID().uuidString).tmp"
        try writePrivate(data, to: temporary)
        if manager.fileExists(atPath: path) {
            try? manager.removeItem(atPath: temporary)
        } else {
            try manager.moveItem(atPath: temporary, toPath: path)
        }
    }

    /// Creates (or replaces) a file readable and writable by its owner only: the mode is set when the file is
    /// created, so no other account can open it between the write and a later chmod.
    static func writePrivate(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        // An existing file keeps its mode through O_TRUNC.
        fchmod(descriptor, 0o600)
        try handle.write(contentsOf: data)
        try handle.close()
    }

    /// Gives an existing file (the database, its journal) owner-only access.
    static func restrict(_ path: String) {
        if FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
    }
}
