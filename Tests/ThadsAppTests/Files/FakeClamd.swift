import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A stand-in for clamd on a Unix socket, for tests only: it speaks INSTREAM, says FOUND when the stream holds
/// "EICAR-TEST", and hangs up with clamd's size-limit error once more than `limit` bytes arrived. clamd itself
/// needs its signature database, which cannot be downloaded here.
final class FakeClamd: @unchecked Sendable {
    let path: String
    let limit: Int
    private let listener: Int32
    private let thread: Thread
    private let counts: Counts

    private final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []

        func append(_ value: Int) {
            lock.lock()
            values.append(value)
            lock.unlock()
        }

        var all: [Int] {
            lock.lock()
            defer { lock.unlock() }
            return values
        }
    }

    init(connections: Int, limit: Int = 1 << 20) throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("clamd-\(UUID().uuidString.prefix(8)).sock").path
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { target in
            for (index, byte) in path.utf8.enumerated() { target[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(listener, 8) == 0 else {
            close(listener)
            throw CocoaError(.fileWriteUnknown)
        }
        let counts = Counts()
        self.path = path
        self.limit = limit
        self.listener = listener
        self.counts = counts
        thread = Thread {
            for _ in 0..<connections {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                counts.append(FakeClamd.handle(client, limit: limit))
                close(client)
            }
        }
        thread.start()
    }

    deinit {
        close(listener)
        unlink(path)
    }

    /// The bytes each scan streamed, in order.
    var streamed: [Int] { counts.all }

    private static func handle(_ client: Int32, limit: Int) -> Int {
        guard let command = read(client, count: 10), command == Data("zINSTREAM\0".utf8) else {
            reply(client, "UNKNOWN COMMAND")
            return 0
        }
        var content = Data()
        while let header = read(client, count: 4) {
            let length = header.reduce(0) { $0 << 8 | Int($1) }
            if length == 0 { break }
            guard let chunk = read(client, count: length) else { return content.count }
            content.append(chunk)
            if content.count > limit {
                reply(client, "INSTREAM size limit exceeded. ERROR")
                return content.count
            }
        }
        if content.range(of: Data("EICAR-TEST".utf8)) != nil {
            reply(client, "stream: Eicar-Test-Signature FOUND")
        } else {
            reply(client, "stream: OK")
        }
        return content.count
    }

    private static func read(_ client: Int32, count: Int) -> Data? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: min(count, 65_536))
        while data.count < count {
            let got = recv(client, &buffer, min(buffer.count, count - data.count), 0)
            if got <= 0 { return nil }
            data.append(contentsOf: buffer[0..<got])
        }
        return data
    }

    private static func reply(_ client: Int32, _ text: String) {
        let bytes = Array((text + "\0").utf8)
        _ = send(client, bytes, bytes.count, Int32(MSG_NOSIGNAL))
    }
}
