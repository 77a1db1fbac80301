import Foundation
import Glibc
import HeraldCore
import Synchronization

/// Watches the database's WAL file with inotify, so a worker sleeping in one process wakes when another
/// process (a CLI enqueue, a retry) commits. Every commit in WAL mode writes to that file.
///
/// The watch is armed only while a worker is about to sleep or sleeping: armed all the time, every page the busy
/// worker writes would cost a kernel notification and a wake-up of the watching thread.
final class FileChangeWatcher: @unchecked Sendable {
    // Invariant: `descriptor` is written only in init and closed only by the watching thread after `stop()`;
    // the watch itself is added and removed only under `watch`.
    private let descriptor: Int32
    private let directory: String
    private let stopPipe: [Int32]
    private let watch = Mutex<Int32?>(nil)

    init?(path: String, signal: WakeSignal) {
        let directory = (path as NSString).deletingLastPathComponent
        let fileName = (path as NSString).lastPathComponent
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
        self.directory = directory.isEmpty ? "." : directory
        stopPipe = fds
        let thread = Thread { [descriptor = fd, stopRead = fds[0]] in
            Self.watch(descriptor: descriptor, stopRead: stopRead, fileName: fileName, signal: signal)
        }
        thread.name = "herald-wal-watch"
        thread.start()
    }

    /// Starts reporting commits; idempotent. Returns false if the directory cannot be watched, in which case
    /// sleepers rely on their deadline and on rings from this process.
    @discardableResult
    func arm() -> Bool {
        watch.withLock { watch in
            if watch == nil {
                let descriptor = inotify_add_watch(self.descriptor, directory, UInt32(IN_MODIFY | IN_CREATE))
                if descriptor >= 0 { watch = descriptor }
            }
            return watch != nil
        }
    }

    /// Stops reporting commits until the next `arm()`.
    func disarm() {
        watch.withLock { watch in
            if let descriptor = watch { inotify_rm_watch(self.descriptor, descriptor) }
            watch = nil
        }
    }

    /// Ends the watching thread, which closes the rest; called once, when the store goes.
    func stop() {
        var byte: UInt8 = 1
        _ = write(stopPipe[1], &byte, 1)
        close(stopPipe[1])
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
            if fds[1].revents != 0 || fds[0].revents & Int16(POLLERR | POLLNVAL | POLLHUP) != 0 { return }
            let count = read(descriptor, buffer, bufferSize)
            if count < 0, errno != EINTR, errno != EAGAIN { return }
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
