import Foundation
import HTTPTypes
import HeraldTesting
import HummingbirdTesting
import NIOCore
import Testing

/// `herald serve --worker` as one process: what is enqueued over HTTP is delivered by the worker beside the server,
/// and SIGTERM drains both with nothing lost.
@Suite struct ServeTests {
    /// The port a starting server logged, once it has.
    static func port(in log: URL, scheme: String = "http") async throws -> Int {
        for _ in 0..<500 {
            if let text = try? String(contentsOf: log, encoding: .utf8),
                let range = text.range(of: "listening on \(scheme)://"),
                let colon = text[range.upperBound...].firstIndex(of: ":"),
                let port = Int(text[text.index(after: colon)...].prefix { $0.isNumber })
            {
                return port
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HeraldCLIError("the server did not say where it listens")
    }

    struct HeraldCLIError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test func messagesEnqueuedOverHTTPAreDeliveredAndSIGTERMDrainsWithNothingLost() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 204, delay: 0.3) }
        defer { sink.stop() }
        let cli = try HeraldCLI(sinkURL: sink.url("/hook"))
        let made = try await cli.run("token", "create", "--name", "partner", "--role", "scheduler")
        #expect(made.status == 0, "\(made.stderr)")
        let token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, out, err) = try cli.start(["serve", "--worker", "--listen", "127.0.0.1:0"], tag: "serve")
        defer { if server.isRunning { server.terminate() } }
        let port = try await Self.port(in: err)

        let count = 6
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            for index in 0..<count {
                let response = try await client.post(
                    "/v1/messages", headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"channel":"partners","kind":"notice","data":{"reference":"R-\#(index)"}}"#)
                )
                #expect(response.status == .created)
            }
        }
        // Stop while the receiver still holds some requests: they finish, and are recorded, before the process ends.
        #expect(await sink.waitForRequests(count: 1, timeout: 10))
        server.terminate()
        await HeraldCLI.waitForExit(server)
        #expect(server.terminationStatus == 0, "\((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        _ = out

        let delivered = try await cli.run("log", "--state", "delivered", "--json")
        let rows = try JSONSerialization.jsonObject(with: Data(delivered.stdout.utf8)) as? [Any]
        let sent = Set(sink.requests.compactMap { $0.header("webhook-id") })
        #expect(sent.count == sink.requestCount, "a message was sent twice")
        #expect(rows?.count == sent.count, "delivered \(rows?.count ?? -1), the receiver saw \(sent.count)")
        let pending = try await cli.run("log", "--state", "sending", "--json")
        #expect((try JSONSerialization.jsonObject(with: Data(pending.stdout.utf8)) as? [Any])?.isEmpty == true, "a message was left in flight")
        #expect(try await cli.storedCount() == count)
        let verified = try await cli.run("audit", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
    }

    @Test func aNonLoopbackAddressNeedsToBeSaidInSoManyWords() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let refused = try await cli.run("serve", "--listen", "0.0.0.0:8080")
        #expect(refused.status != 0 && refused.stderr.contains("--insecure-listen"), "\(refused.stderr)")
        let garbage = try await cli.run("serve", "--listen", "localhost")
        #expect(garbage.status != 0 && garbage.stderr.contains("is not HOST:PORT"), "\(garbage.stderr)")
    }

    /// With `tls: { cert, key }` the server answers HTTPS, checked by Python's TLS client against the test CA, and may
    /// listen beyond loopback; a plain HTTP request gets no answer; an unreadable file is named by `herald check`.
    @Test func withTLSItServesHTTPSAndMayListenBeyondLoopback() async throws {
        let certificates = try TestCertificates()
        defer { try? FileManager.default.removeItem(at: certificates.folder) }
        let cli = try HeraldCLI(
            sinkURL: "http://127.0.0.1:9/hook", extraYAML: "tls: { cert: \(certificates.serverCertificate), key: \(certificates.serverKey) }"
        )
        let (server, _, err) = try cli.start(["serve", "--listen", "0.0.0.0:0"], tag: "tls")
        defer { if server.isRunning { server.terminate() } }
        let port = try await Self.port(in: err, scheme: "https")
        let fetch = """
            import ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[1])
            print(urllib.request.urlopen(f"https://127.0.0.1:{sys.argv[2]}/healthz", context=context, timeout=10).read().decode())
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[2]}/healthz", timeout=10)
                print("plain HTTP answered")
            except Exception:
                print("plain HTTP refused")
            """
        let python = try await cli.run(shell: "python3 -c '\(fetch)' \(certificates.caFile) \(port)")
        #expect(python.stdout.contains("\"status\":\"ok\""), "\(python.stdout) \(python.stderr)")
        #expect(python.stdout.contains("plain HTTP refused"), "\(python.stdout)")
        server.terminate()
        await HeraldCLI.waitForExit(server)

        try cli.replaceInConfig(certificates.serverKey, with: certificates.folder.appendingPathComponent("missing.key").path)
        let checked = try await cli.run("check")
        #expect(checked.status != 0 && checked.stderr.contains("tls.key") && checked.stderr.contains("missing.key"), "\(checked.stderr)")
    }
}
