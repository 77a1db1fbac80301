import Foundation
import HeraldTesting
import HeraldTransport
import Testing

@Suite struct CurlEngineTests {
    @Test func postArrivesExactlyAndTheResponseComesBack() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 201, headers: [("X-Reply", "yes")], body: "created ✓") }
        defer { sink.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let body = Array("{\"text\":\"Grüße\"}".utf8)
        let result = await engine.send(
            HTTPRequest(url: sink.url("/in?x=1"), headers: [HTTPHeader("webhook-id", "abc"), HTTPHeader("Content-Type", "application/json")], body: body)
        )
        let response = try result.get()
        #expect(response.status == 201)
        #expect(response.header("x-reply") == "yes")
        #expect(String(decoding: response.body, as: UTF8.self) == "created ✓")
        let request = try #require(sink.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/in?x=1")
        #expect(request.body == body)
        #expect(request.header("webhook-id") == "abc")
        #expect(request.header("Expect") == nil)
    }

    @Test func manyTransfersInFlightReuseConnections() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 204) }
        defer { sink.stop() }
        let engine = CurlEngine(configuration: .init(maxHostConnections: 16))
        defer { engine.shutdown() }
        let statuses = await withTaskGroup(of: Int.self) { group in
            for index in 0..<500 {
                group.addTask {
                    let result = await engine.send(HTTPRequest(url: sink.url("/\(index)"), body: Array("\(index)".utf8)))
                    return (try? result.get().status) ?? -1
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 500)
        #expect(statuses.allSatisfy { $0 == 204 })
        #expect(sink.requestCount == 500)
        #expect(sink.connectionsAccepted <= 16, "connections: \(sink.connectionsAccepted)")
    }

    @Test func aSlowReceiverTimesOutAndTheRequestMayHaveArrived() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 204, delay: 3) }
        defer { sink.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let result = await engine.send(HTTPRequest(url: sink.url(), timeout: 0.5, connectTimeout: 0.5))
        guard case .failure(let error) = result else {
            Issue.record("expected a timeout, got \(result)")
            return
        }
        #expect(error.code == .timeout)
        #expect(error.requestMayHaveArrived)
    }

    @Test func aClosedPortFailsToConnectAndNothingArrived() async throws {
        let sink = try HTTPSink()
        let url = sink.url()
        sink.stop()
        let engine = CurlEngine()
        defer { engine.shutdown() }
        guard case .failure(let error) = await engine.send(HTTPRequest(url: url, timeout: 2, connectTimeout: 1)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .connect)
        #expect(!error.requestMayHaveArrived)
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 302, headers: [("Location", "/elsewhere")]) }
        defer { sink.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let response = try await engine.send(HTTPRequest(url: sink.url())).get()
        #expect(response.status == 302)
        #expect(sink.requestCount == 1)
    }

    @Test func largeResponseBodiesAreCut() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 200, body: String(repeating: "x", count: 200_000)) }
        defer { sink.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let response = try await engine.send(HTTPRequest(url: sink.url())).get()
        #expect(response.body.count == 64 * 1024)
    }

    @Test func httpsToAPlainServerIsATLSFailure() async throws {
        let sink = try HTTPSink()
        defer { sink.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let url = sink.url().replacingOccurrences(of: "http://", with: "https://")
        guard case .failure(let error) = await engine.send(HTTPRequest(url: url, timeout: 3, connectTimeout: 2)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .tls)
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "file:///etc/passwd", "not a url"])
    func otherSchemesAreRefused(url: String) async {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        guard case .failure(let error) = await engine.send(HTTPRequest(url: url, timeout: 2)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .invalidRequest || error.code == .other, "\(error)")
        #expect(!error.requestMayHaveArrived)
    }

    @Test func shutdownResumesEveryTransferInFlight() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 204, delay: 5) }
        defer { sink.stop() }
        let engine = CurlEngine()
        let url = sink.url()
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    let result = await engine.send(HTTPRequest(url: url, timeout: 30))
                    return (try? result.get()) == nil
                }
            }
            _ = await sink.waitForRequests(count: 10, timeout: 5)
            engine.shutdown()
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(failures == Array(repeating: true, count: 10))
    }
}
