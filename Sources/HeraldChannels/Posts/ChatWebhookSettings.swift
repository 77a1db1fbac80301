import Foundation

/// Where a chat webhook posts (Slack, Teams): the URL, which is itself the credential, and the time limits.
public struct ChatWebhookSettings: Sendable {
    public var url: String
    public var timeout: TimeInterval
    public var connectTimeout: TimeInterval

    public init(url: String, timeout: TimeInterval = 30, connectTimeout: TimeInterval = 10) {
        self.url = url
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}
