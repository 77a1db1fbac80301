import Foundation
import HeraldCore
import HeraldStore

/// The append-only file checkpoints are kept in, one JSON line each, for `audit verify --checkpoints`.
public enum CheckpointFile {
    /// Appends a checkpoint line to `path`, creating it (mode 0600) if needed; the file only ever grows.
    public static func append(_ checkpoint: AuditCheckpoint, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw HeraldError(.invalidInput, "Cannot append to the checkpoint file \(path): \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        let line = Array((checkpoint.jsonLine + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else {
            throw HeraldError(.invalidInput, "Could not write the whole checkpoint to \(path): \(String(cString: strerror(errno))).")
        }
    }
}
