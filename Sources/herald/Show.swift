import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldStore
import HeraldWorker

extension Herald {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one message with every attempt and every audit event.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The message id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let messageID = try Output.messageID(id)
            let context = try AppContext.open(global.paths)
            let (detail, pause) = try await context.operations.detail(messageID, now: Date())
            let view = MessageDetailView(detail)
            if json {
                print(try view.encodedJSON())
                return
            }
            let message = view.message
            print("message   \(message.id)")
            print("state     \(message.state)")
            print("channel   \(message.channel)  kind \(message.kind)")
            print("recipient \(message.recipient)")
            print("not before \(message.not_before)\(message.deadline.map { "  deadline \($0)" } ?? "")")
            print("group     \(message.group_id)")
            if let url = message.post_url { print("post      \(url)") }
            if let at = message.content_purged_at { print("content   removed \(at) (digest kept)") }
            if let at = message.recipient_purged_at { print("recipient removed \(at) (digest kept)") }
            if let explanation = Self.explanation(of: detail.message, pause: pause) { print("\n\(explanation)") }
            print("\nattempts (\(view.attempts.count))")
            for attempt in view.attempts {
                let status = attempt.status.map(String.init) ?? "-"
                print("  #\(attempt.number) \(attempt.started_at) \(attempt.duration_ms)ms \(attempt.outcome) status \(status): \(attempt.detail)")
                if let post = attempt.post_url ?? attempt.post_id { print("     post \(post)") }
            }
            print("\nevents (\(view.events.count))")
            for event in view.events {
                print("  \(event.seq) \(event.at) \(event.event) \(event.detail)")
            }
        }

        /// What an operator should do about a message waiting on them, or what it is waiting for.
        static func explanation(of message: Message, pause: ChannelPause?) -> String? {
            switch message.state {
            case .unconfirmed:
                return """
                    UNCONFIRMED: a request may have reached \(message.channel) without an answer, and sending it again could
                    publish it twice (the last event says why), so Herald did not. Look for the post on the network:
                      found it:     herald resolve \(message.id) --delivered URL
                      not there:    herald retry \(message.id)      (sends it once more)
                      not wanted:   herald cancel \(message.id)
                    """
            case .held:
                return "HELD: waiting for an approver (herald approve \(message.id) --as NAME) or for its review's hold to be cleared."
            case .scheduled, .retrying:
                guard let pause else { return nil }
                return "WAITING: channel \(message.channel) sends nothing until \(RFC3339.format(pause.until)); \(pause.reason)."
            default:
                return nil
            }
        }
    }
}
