import Foundation
import HeraldTesting

/// Runs the built `herald` executable in a scratch folder with its own channels.yml, templates and database.
final class HeraldCLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

    let directory: URL
    var database: String { directory.appendingPathComponent("herald.db").path }

    /// The `audit:` section every scratch configuration ends with unless a test gives its own: the fixed test keys,
    /// from the environment.
    static let auditYAML = "audit:\n  key: ${TEST_AUDIT_KEY}\n  signing_key: ${TEST_SIGNING_KEY}\n"

    /// - Parameter channels: the `channels:` entries, indented by four spaces under their name.
    init(sinkURL: String, extraYAML: String = "", lease: String = "60s", timeout: String = "5s", auditYAML: String = HeraldCLI.auditYAML) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-cli-\(UUID().uuidString)")
        let templates = directory.appendingPathComponent("templates/notice")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "Review {{reference}}\n".write(to: templates.appendingPathComponent("subject.mustache"), atomically: true, encoding: .utf8)
        try "Dear colleague, the review {{reference}} will be published.\n"
            .write(to: templates.appendingPathComponent("text.mustache"), atomically: true, encoding: .utf8)
        let yaml = """
            worker:
              lease: \(lease)
              shutdown_grace: 2s
            defaults:
              timeout: \(timeout)
              connect_timeout: 2s
              retry: { base: 100ms, cap: 1s, max_attempts: 5 }
            channels:
              partners:
                type: webhook
                url: \(sinkURL)
                secret: ${TEST_WEBHOOK_SECRET}
                max_in_flight: 16
            \(extraYAML)
            """
        // Tests write their fakes' credentials out; appended last, so every line number stays as written above.
        try (yaml + "\nallow_literal_secrets: true\n" + auditYAML).write(to: directory.appendingPathComponent("channels.yml"), atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    static var executable: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("herald")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/herald")
    }

    /// Variables set for every run on top of the test's own environment and the scratch paths.
    var extraEnvironment: [String: String] = [:]

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        environment["HERALD_CONFIG"] = directory.appendingPathComponent("channels.yml").path
        environment["HERALD_TEMPLATES"] = directory.appendingPathComponent("templates").path
        environment["HERALD_DB"] = database
        environment["TEST_WEBHOOK_SECRET"] = Self.secret
        environment["TEST_AUDIT_KEY"] = TestKeys.auditText
        environment["TEST_SIGNING_KEY"] = TestKeys.signingText
        return environment
    }

    /// Starts `herald ARGS` without waiting; output goes to files in the scratch folder. With `shell`, runs
    /// `/bin/sh -c SCRIPT` instead, with `$HERALD` naming the executable: for arguments that are not valid strings.
    func start(_ arguments: [String], tag: String = UUID().uuidString, shell: String? = nil) throws -> (Process, URL, URL) {
        let process = Process()
        process.executableURL = shell == nil ? Self.executable : URL(fileURLWithPath: "/bin/sh")
        process.arguments = shell.map { ["-c", $0] } ?? arguments
        process.environment = environment.merging(["HERALD": Self.executable.path]) { $1 }
        process.currentDirectoryURL = directory
        let out = directory.appendingPathComponent("\(tag).out")
        let err = directory.appendingPathComponent("\(tag).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The child has its own copies. Kept open here, two descriptors leaked per command: the full suite reached
        // two thousand open descriptors, and Foundation's Process.run then crashed in memcpy now and again.
        try? outHandle.close()
        try? errHandle.close()
        return (process, out, err)
    }

    /// Runs `herald ARGS` to completion.
    func run(_ arguments: String...) async throws -> Result {
        try await run(arguments)
    }

    func run(shell script: String) async throws -> Result {
        try await run([], shell: script)
    }

    func run(_ arguments: [String], shell: String? = nil) async throws -> Result {
        let (process, out, err) = try start(arguments, shell: shell)
        await Self.waitForExit(process)
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        )
    }

    /// Waits for a child without blocking a thread of the concurrency pool, which other tests share.
    static func waitForExit(_ process: Process) async {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// How many messages `herald log` sees, in any state.
    func storedCount() async throws -> Int {
        let result = try await run("log", "--json", "--limit", "100000")
        let array = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any]
        return array?.count ?? -1
    }
}
