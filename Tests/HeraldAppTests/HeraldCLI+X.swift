import Foundation
import HeraldTesting

extension HeraldCLI {
    /// A scratch setup that posts `announcement` messages (`{{text}}`) to a fake X channel named `x`, for the tests of
    /// posts whose fate is unknown: X cannot be asked whether a post arrived, so they end `unconfirmed`.
    static func posting(to fake: SocialFake, channelTimeout: String? = nil, timeout: String = "5s") throws -> HeraldCLI {
        let c = fake.credentials
        let cli = try HeraldCLI(
            sinkURL: "http://127.0.0.1:9/hook",
            extraYAML: """
                  x:
                    type: x
                    url: \(fake.baseURL)
                    consumer_key: \(c["consumer_key"]!)
                    consumer_secret: \(c["consumer_secret"]!)
                    token: \(c["token"]!)
                    token_secret: \(c["token_secret"]!)
                \(channelTimeout.map { "    timeout: \($0)" } ?? "")
                """,
            timeout: timeout
        )
        let folder = cli.directory.appendingPathComponent("templates/announcement")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "{{text}}".write(to: folder.appendingPathComponent("post.mustache"), atomically: true, encoding: .utf8)
        return cli
    }
}
