import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldStore
import HeraldWorker

extension Herald {
    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List messages, newest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Only this state (\(MessageState.allCases.map(\.rawValue).joined(separator: ", "))).") var state: String?
        @Option(help: "Only this channel.") var channel: String?
        @Option(help: "Only this kind.") var kind: String?
        @Option(help: "Only messages enqueued since TIME.") var since: String?
        @Option(help: "Only messages enqueued before TIME.") var until: String?
        @Option(help: "Only messages due before TIME (e.g. now: what is waiting).") var dueBefore: String?
        @Option(help: "Only the messages of this review.") var review: String?
        @Option(help: "Only the messages of this enqueue (its group id).") var group: String?
        @Option(help: "Only messages to this address, with or without a display name.") var recipient: String?
        @Option(help: "Only messages whose subject contains TEXT, in any case.") var subject: String?
        @Option(help: "At most N messages (default 50).") var limit = 50
        @Flag(help: "Print a JSON array.") var json = false

        func validate() throws {
            if let state, MessageState(rawValue: state) == nil {
                throw ValidationError("Unknown state '\(state)'. Use one of: \(MessageState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if limit < 1 || limit > 100_000 { throw ValidationError("--limit must be between 1 and 100000.") }
        }

        func run() async throws {
            let context = try AppContext.open(global.paths)
            let now = Date()
            var query = MessageQuery(
                state: state.flatMap(MessageState.init(rawValue:)), channel: channel, kind: kind,
                since: try since.map { try TimeExpression.parse($0, now: now) }, limit: limit
            )
            query.until = try until.map { try TimeExpression.parse($0, now: now) }
            query.dueBefore = try dueBefore.map { try TimeExpression.parse($0, now: now) }
            query.review = review
            query.group = group
            query.recipient = recipient
            query.subject = subject
            let messages = try await context.operations.messages(matching: query)
            if json {
                print(try Output.json(messages.map(MessageView.init)))
                return
            }
            if messages.isEmpty {
                print("no messages")
                return
            }
            let rows = messages.map { message in
                [message.id.rawValue, message.state.rawValue, message.channel, message.kind, String(message.attempts),
                 RFC3339.format(message.notBefore), String(message.recipient.prefix(40)), message.postURL ?? ""]
            }
            print(Output.table(header: ["ID", "STATE", "CHANNEL", "KIND", "ATTEMPTS", "NOT BEFORE", "RECIPIENT", "POST"], rows: rows))
        }
    }
}
