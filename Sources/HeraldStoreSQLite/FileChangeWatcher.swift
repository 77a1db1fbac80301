import Foundation
import Glibc
import HeraldCore

/// Watches the database's WAL file with inotify, so a worker sleeping in one process wakes when another
/// process (a CLI enqueue, a retry) commits. Every commit in WAL mode writes to that file.
final class FileChangeWatcher: @unchecked Sendable {
    // Invariant: `descriptor` is written only in init and closed only by the watching thread after `stop()`.
    private let descriptor: Int32
    private let stopPipe: [Int32]

    init?(path: String, signal: WakeSignal) {
        let directory = (path as NSString).deletingLastPathComponent
        let fileName = (path as NSString).lastPathComponent
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let watchDirectory = directory.isEmpty ? "." : directory
        guard inotify_add_watch(fd, watchDirectory, UInt32(IN_MODIFY | IN_CREATE)) >= 0 else {
            close(fd)
            return nil
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
        stopPipe = fds
        let thread = Thread { [descriptor = fd, stopRead = fds[0]] in
            Self.watch(descriptor: descriptor, stopRead: stopRead, fileName: fileName, signal: signal)
        }
        thread.name = "herald-wal-watch"
        thread.start()
    }

    func stop() {
        var byte: UInt8 = 1
        _ = write(stopPipe[1], &byte, 1)
    }

    private static func watch(descriptor: Int32, stopRead: Int32, fileName: String, signal: WakeSignal) {
        let bufferSize = 4096
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 8)
        defer {
            buffer.deallocate()
            close(descriptor)
            close(stopRead)
        }
        var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            let count = read(descriptor, buffer, bufferSize)
            if count <= 0 { continue }
            var offset = 0
            var relevant = false
            while offset < count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameLength = Int(event.len)
                if nameLength > 0 {
                    let namePointer = buffer.advanced(by: offset + MemoryLayout<inotify_event>.size).assumingMemoryBound(to: CChar.self)
                    if String(cString: namePointer) == fileName { relevant = true }
                }
                offset += MemoryLayout<inotify_event>.size + nameLength
            }
            if relevant { signal.signal() }
        }
    }
}
