import Foundation
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// Where clamd listens: CLAMD_SOCKET (a Unix socket path) or CLAMD_HOST and CLAMD_PORT.
public enum ClamdEndpoint: Sendable, Equatable {
    case unixSocket(String)
    case tcp(host: String, port: Int)
}

/// What a scan found. Only `clean` says the file was read by clamd from end to end and matched nothing: a file
/// over clamd's limit, a daemon that did not answer or no scanner configured is `notScanned`, never clean.
enum ScanVerdict: Sendable, Equatable {
    case clean
    case infected(signature: String)
    case notScanned(reason: String)

    /// Stored with the upload and shown to staff.
    var record: String {
        switch self {
        case .clean: "clean"
        case .infected: "infected"
        case .notScanned: "notScanned"
        }
    }

    var label: String {
        switch self {
        case .clean: "Đã quét virus: sạch"
        case .infected(let signature): "Nhiễm mã độc (\(signature))"
        case .notScanned(let reason): "Chưa quét virus (\(reason))"
        }
    }

    static let refusal = "Tệp bị phần mềm diệt virus phát hiện có mã độc nên bị từ chối."
}

/// clamd's INSTREAM command: "zINSTREAM\0", then chunks each led by its length (4 bytes, network order), then a
/// zero length; clamd answers "stream: OK", "stream: <signature> FOUND" or "… ERROR", ending in a NUL.
struct ClamdScanner: Sendable {
    let endpoint: ClamdEndpoint
    var chunkSize = 64 * 1024
    /// A daemon that stops answering must not hold an upload forever; the scan is then "not scanned".
    var socketTimeoutSeconds = 60

    func scan(_ data: Data) -> ScanVerdict {
        let descriptor: Int32
        do {
            descriptor = try connect()
        } catch {
            return .notScanned(reason: "không kết nối được máy quét")
        }
        defer { close(descriptor) }
        var sent = sendAll(descriptor, Data("zINSTREAM\0".utf8))
        var offset = 0
        while sent, offset < data.count {
            let chunk = data.subdata(
                in: data.startIndex + offset..<data.startIndex + min(data.count, offset + chunkSize))
            sent = sendAll(descriptor, Self.length(chunk.count) + chunk)
            offset += chunk.count
        }
        if sent { sent = sendAll(descriptor, Self.length(0)) }
        // clamd answers and closes when the stream passes its limit, so read even when a send failed.
        return Self.verdict(reply: readReply(descriptor), completeStream: sent)
    }

    static func verdict(reply: String?, completeStream: Bool) -> ScanVerdict {
        guard let reply else { return .notScanned(reason: "máy quét không trả lời") }
        let text = reply.trimmingCharacters(in: CharacterSet(charactersIn: "\0").union(.whitespacesAndNewlines))
        if text.hasSuffix("FOUND") {
            let body = text.hasPrefix("stream: ") ? String(text.dropFirst("stream: ".count)) : text
            return .infected(signature: String(body.dropLast("FOUND".count)).trimmingCharacters(in: .whitespaces))
        }
        if text.contains("size limit exceeded") { return .notScanned(reason: "tệp vượt giới hạn của máy quét") }
        if text.hasSuffix(": OK"), completeStream { return .clean }
        return .notScanned(reason: "máy quét báo lỗi")
    }

    private static func length(_ count: Int) -> Data {
        withUnsafeBytes(of: UInt32(count).bigEndian) { Data($0) }
    }

    private func connect() throws -> Int32 {
        switch endpoint {
        case .unixSocket(let path):
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw ScanFailure() }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                close(descriptor)
                throw ScanFailure()
            }
            withUnsafeMutableBytes(of: &address.sun_path) { target in
                for (index, byte) in bytes.enumerated() { target[index] = byte }
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard result == 0 else {
                close(descriptor)
                throw ScanFailure()
            }
            setTimeouts(descriptor)
            return descriptor
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw ScanFailure() }
            defer { freeaddrinfo(list) }
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let info = entry {
                let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
                if descriptor >= 0 {
                    if Glibc.connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                        setTimeouts(descriptor)
                        return descriptor
                    }
                    close(descriptor)
                }
                entry = info.pointee.ai_next
            }
            throw ScanFailure()
        }
    }

    private func setTimeouts(_ descriptor: Int32) {
        var timeout = timeval(tv_sec: socketTimeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    private func sendAll(_ descriptor: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                // MSG_NOSIGNAL: a daemon that hangs up must not kill the server with SIGPIPE.
                let written = send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
    }

    private func readReply(_ descriptor: Int32) -> String? {
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 1024)
        while reply.count < 4096 {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply.append(contentsOf: buffer[0..<count])
            if buffer[0..<count].contains(0) { break }
        }
        return reply.isEmpty ? nil : String(decoding: reply, as: UTF8.self)
    }

    struct ScanFailure: Error {}
}

extension Application {
    /// Scans an upload when clamd is configured, off the event loop; without it every upload is "not scanned".
    func scanUpload(_ data: Data) async -> ScanVerdict {
        guard let endpoint = settings.clamd else { return .notScanned(reason: "chưa cấu hình máy quét") }
        let scanner = ClamdScanner(endpoint: endpoint)
        return (try? await threadPool.runIfActive { scanner.scan(data) })
            ?? .notScanned(reason: "máy quét không chạy được")
    }
}
