import Foundation

/// Files kept by content under `data/files`: written once, through a temporary file and a rename, so a reader
/// never sees half a file and two writers of the same bytes do not collide.
enum FileStore {
    static func writeOnce(_ data: Data, to path: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) { return }
        let directory = (path as NSString).deletingLastPathComponent
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.\(UUID().uuidString).tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        try? manager.setAttributes([.posixPermissions: 0o640], ofItemAtPath: temporary)
        if manager.fileExists(atPath: path) {
            try? manager.removeItem(atPath: temporary)
        } else {
            try manager.moveItem(atPath: temporary, toPath: path)
        }
    }
}
