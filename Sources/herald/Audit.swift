import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldStore

extension Herald {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the audit trail, sign checkpoints of it, and make the keys it needs (see docs/audit.md).",
            subcommands: [Verify.self, Checkpoint.self, InitKey.self]
        )

        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Recompute every link and digest, check each message's state, and compare with checkpoints; fails naming the first fault."
            )

            @OptionGroup var global: GlobalOptions
            @Option(help: "A file of checkpoints (as `herald audit checkpoint` writes them): the trail must still hold and extend each.")
            var checkpoints: String?
            @Option(help: "The signing key's public half (base64), when the signing key itself is not configured here.")
            var publicKey: String?

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let result = try await context.audit.verify(checkpointFile: checkpoints, publicKey: publicKey)
                if result.isIntact {
                    var line = "audit trail intact: \(result.eventsChecked) events and \(result.messagesChecked) messages verified"
                    if result.checkpointsChecked > 0 { line += ", \(result.checkpointsChecked) checkpoint(s) held" }
                    if result.messagesPurged > 0 { line += "; \(result.messagesPurged) message(s) purged (digests kept)" }
                    if result.legacyEvents > 0 { line += "; \(result.legacyEvents) event(s) from before the chain was keyed" }
                    print(line)
                    if result.eventsChecked == 0, result.checkpointsChecked == 0 {
                        print("note: the trail is empty; only checkpoints kept elsewhere can show it was not emptied (--checkpoints FILE)")
                    }
                    return
                }
                for fault in result.faults.prefix(20) {
                    FileHandle.standardError.write(Data("audit: \(fault)\n".utf8))
                }
                throw HeraldError(
                    .audit,
                    "The audit trail is broken: \(result.faults.count) fault(s) in \(result.eventsChecked) events, the first: \(result.faults[0])."
                )
            }
        }

        struct Checkpoint: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print a signed checkpoint of the trail's head (one JSON line); keep it outside the database."
            )

            @OptionGroup var global: GlobalOptions
            @Option(help: "Also append it to this file (created 0600 if missing).") var append: String?

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let checkpoint = try await context.audit.checkpoint(now: Date())
                if let append { try CheckpointFile.append(checkpoint, to: append) }
                print(checkpoint.jsonLine)
            }
        }

        struct InitKey: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "init-key",
                abstract: "Write a new audit key (or, with --signing, a checkpoint signing key) to a new file readable only by you."
            )

            @Option(help: "The file to create; an existing file is never overwritten.") var out: String
            @Flag(help: "Make an Ed25519 checkpoint signing key instead of the chain's HMAC key.") var signing = false

            func run() throws {
                let text = signing ? AuditSigningKey.generateText() : AuditKey.generateText()
                let descriptor = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                guard descriptor >= 0 else {
                    let reason = errno == EEXIST ? "it already exists, and a key is never overwritten (move it away first)" : String(cString: strerror(errno))
                    throw HeraldError(.invalidInput, "Cannot create \(out): \(reason).")
                }
                defer { close(descriptor) }
                let bytes = Array((text + "\n").utf8)
                guard bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count, fsync(descriptor) == 0 else {
                    throw HeraldError(.invalidInput, "Could not write the key to \(out): \(String(cString: strerror(errno))).")
                }
                let setting = signing ? "signing_key" : "key"
                print("wrote a new \(signing ? "checkpoint signing" : "audit") key to \(out) (mode 0600)")
                print("add to channels.yml:  audit: { \(setting): file:\(out) }")
                if signing, let key = try? AuditSigningKey(base64: text) {
                    print("its public half, for auditors who verify checkpoints: \(key.publicKeyText)")
                }
            }
        }
    }
}
