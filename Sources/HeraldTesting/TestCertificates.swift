import Foundation

/// A throw-away CA with a server certificate for 127.0.0.1/localhost and one for the wrong host, made with openssl
/// by `Tests/Support/make_test_certs.sh` at test time, so no key is ever committed.
public struct TestCertificates: Sendable {
    public let folder: URL
    public var caFile: String { folder.appendingPathComponent("ca.pem").path }
    public var serverCertificate: String { folder.appendingPathComponent("server.pem").path }
    public var serverKey: String { folder.appendingPathComponent("server.key").path }
    public var wrongHostCertificate: String { folder.appendingPathComponent("wrong.pem").path }
    public var wrongHostKey: String { folder.appendingPathComponent("wrong.key").path }

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [SMTPSink.supportFile("make_test_certs.sh"), folder.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SinkStartError(message: "make_test_certs.sh failed: \(String(decoding: output, as: UTF8.self))")
        }
    }
}

/// A received message as Python's strict RFC 5322 parser (`email.policy.default`) reads it: an independent check
/// of what Herald built.
public struct ParsedEmail: Decodable, Sendable {
    public var subject: String
    public var fromDisplay: String
    public var fromAddress: String
    public var to: [[String]]
    public var replyTo: [[String]]?
    public var messageId: String
    public var date: String
    public var autoSubmitted: String
    public var mimeVersion: String
    public var contentType: String
    public var text: String?
    public var html: String?
    public var defects: [String]
    public var maxLineLength: Int
    public var allLinesCrlf: Bool

    public init(file: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SMTPSink.python)
        process.arguments = [SMTPSink.supportFile("parse_email.py"), file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        self = try decoder.decode(ParsedEmail.self, from: data)
    }
}
