import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

@Suite struct HTTPOutcomeClassifierTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let webhook = HTTPOutcomeClassifier()

    func outcome(_ status: Int, headers: [HTTPHeader] = [], body: String = "") -> DeliveryOutcome {
        webhook.outcome(of: .success(.http(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))), now: now)
    }

    @Test(arguments: [200, 201, 202, 204, 299])
    func twoHundredsDeliver(status: Int) {
        #expect(outcome(status).label == "delivered")
    }

    @Test(arguments: [408, 425, 429, 500, 502, 503, 504, 599])
    func transientStatusesRetry(status: Int) {
        #expect(outcome(status).label == "retry")
    }

    @Test(arguments: [301, 302, 307, 308, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 426])
    func otherStatusesArePermanent(status: Int) {
        #expect(outcome(status).label == "permanent")
    }

    @Test func redirectNamesTheLocationWithoutItsQuery() {
        guard case .permanent(let reason) = outcome(302, headers: [HTTPHeader("Location", "https://elsewhere.test/x?token=secret")]) else {
            Issue.record("expected permanent")
            return
        }
        #expect(reason.contains("https://elsewhere.test/x"))
        #expect(!reason.contains("secret"))
    }

    @Test func retryAfterSecondsPausesTheChannelOn429() {
        #expect(outcome(429, headers: [HTTPHeader("Retry-After", "2")]) == .retry(reason: "HTTP 429", after: now.addingTimeInterval(2), pauseChannel: true))
    }

    @Test func retryAfterHTTPDateIsReckonedAgainstTheResponseDate() {
        let headers = [
            HTTPHeader("Date", "Wed, 21 Oct 2015 07:28:00 GMT"), HTTPHeader("Retry-After", "Wed, 21 Oct 2015 07:28:30 GMT"),
        ]
        #expect(outcome(503, headers: headers) == .retry(reason: "HTTP 503", after: now.addingTimeInterval(30), pauseChannel: true))
    }

    @Test func a500WithoutRetryAfterDoesNotPause() {
        #expect(outcome(500) == .retry(reason: "HTTP 500", after: nil, pauseChannel: false))
    }

    @Test func unreadableRetryAfterFallsBackToBackoff() {
        #expect(outcome(429, headers: [HTTPHeader("Retry-After", "soon")]) == .retry(reason: "HTTP 429", after: nil, pauseChannel: false))
    }

    /// Whether an unanswered request is sent again is the channel's decision (`RepeatRecognition`), not the reading's.
    @Test func aTimeoutIsAmbiguousAndARefusedConnectionIsARetry() {
        let timeout = TransportError(code: .timeout, message: "Operation timed out", requestMayHaveArrived: true)
        #expect(webhook.outcome(of: .failure(timeout), now: now).label == "ambiguous")
        let refused = TransportError(code: .connect, message: "Connection refused", requestMayHaveArrived: false)
        #expect(webhook.outcome(of: .failure(refused), now: now).label == "retry")
    }

    @Test func tlsFailureIsPermanentAndSaysSo() {
        let error = TransportError(code: .tls, message: "SSL certificate problem", requestMayHaveArrived: false)
        guard case .permanent(let reason) = webhook.outcome(of: .failure(error), now: now) else {
            Issue.record("expected permanent")
            return
        }
        #expect(reason.contains("TLS"))
    }

    @Test func bodyExcerptIsShortAndSingleLine() {
        guard case .delivered(let proof, _, _) = outcome(200, body: "ok\r\nX-Injected: 1" + String(repeating: "a", count: 500)) else {
            Issue.record("expected delivered")
            return
        }
        #expect(!proof.contains("\r") && !proof.contains("\n"))
        #expect(proof.count < 200)
    }
}
