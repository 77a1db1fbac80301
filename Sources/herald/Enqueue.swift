import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldStore
import HeraldWorker

extension Herald {
    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render and store messages for delivery; prints the new id(s).",
            discussion: "TIME is ISO 8601 with an offset, 'now', or '+30s', '+5m', '+2h', '+3d'."
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: "The channel, as named in channels.yml.") var channel: String?
        @Option(help: "The message kind; also the template unless --template is given.") var kind: String?
        @Option(help: "A recipient (repeat for several; one message each).") var to: [String] = []
        @Option(help: "The template folder to render.") var template: String?
        @Option(help: "The template data, a JSON object.") var data: String?
        @Option(help: "A file holding the template data.") var dataFile: String?
        @Option(help: "Send no earlier than TIME (default now).") var at: String?
        @Option(help: "Give up if not delivered by TIME.") var deadline: String?
        @Option(help: "Enqueueing the same key again stores nothing and prints the first ids.") var dedupeKey: String?
        @Option(help: "A JSON Lines file: one enqueue per line, fields in snake_case; all or nothing.") var batch: String?
        @Flag(help: "Print the ids as JSON.") var json = false

        func run() async throws {
            let (requests, lines) = try gatherRequests()
            let context = try AppContext.open(global.paths)
            let label: (Int) -> String = { index in batch.map { "\($0):\(lines[index])" } ?? "" }
            let results = try await context.enqueue(requests, now: Date(), label: label)
            if json {
                let encoded = results.map { ["group_id": JSONValue.string($0.groupID), "ids": .array($0.ids.map { .string($0.rawValue) }),
                                             "deduplicated": .bool($0.deduplicated)] }
                print(try JSONValue.text(of: ["results": .array(encoded.map { .object($0) })]))
            } else {
                for result in results {
                    for id in result.ids { print(id) }
                }
            }
        }

        /// The requests, with the batch line each came from (none for a single enqueue).
        private func gatherRequests() throws -> ([EnqueueRequest], [Int]) {
            if let batch {
                let single = [channel, kind, template, data, dataFile, at, deadline, dedupeKey].contains { $0 != nil } || !to.isEmpty
                if single {
                    throw ValidationError("--batch takes every field from the file; drop the other enqueue options.")
                }
                let entries = try BatchFile.read(path: batch)
                return (entries.map(\.request), entries.map(\.line))
            }
            guard let channel, let kind else {
                throw ValidationError("Give --channel and --kind, or --batch FILE.jsonl.")
            }
            if data != nil && dataFile != nil {
                throw ValidationError("Give --data or --data-file, not both.")
            }
            var object: [String: JSONValue] = [:]
            if let data {
                object = try JSONValue.parseObject(data, source: "--data")
            } else if let dataFile {
                object = try JSONValue.parseObject(try BatchFile.readText(path: dataFile, what: "--data-file"), source: dataFile)
            }
            let request = EnqueueRequest(
                channel: channel, kind: kind, to: to, template: template, data: object, at: at, deadline: deadline, dedupeKey: dedupeKey
            )
            return ([request], [])
        }
    }
}
