import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `crocevia serve` as the systemd unit runs it: the built executable on the sample network,
/// asked over HTTP, then stopped with SIGTERM.
@Suite("crocevia serve, the command")
struct ServeCommandTests {
    @Test("it says where it listens, answers, and stops at once and cleanly on SIGTERM")
    func servesAndStops() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let registry = "sqlite:" + folder.appendingPathComponent("registry.sqlite").path
        let network = ConvertEndToEndTests.root.appendingPathComponent("Samples/network.yaml").path
        let published = try CommandRunner.run(["pipeline", network, "--registry", registry, "--reports", folder.appendingPathComponent("reports").path], in: folder)
        #expect(published.status == 0, "\(String(decoding: published.stderr, as: UTF8.self))")

        let log = folder.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = ["serve", "--registry", registry, "--port", "0"]
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.interrupt() } }
        // The address it says once it listens: `address=http://127.0.0.1:PORT`.
        var port: String?
        for _ in 0..<200 where port == nil {
            Thread.sleep(forTimeInterval: 0.05)
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"address=http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                port = String(text[range].split(separator: ":").last!)
            }
        }
        let address = try #require(port.map { "http://127.0.0.1:\($0)" })
        let root = try String(decoding: Data(contentsOf: URL(string: address + "/")!), as: UTF8.self)
        #expect(root == #"{"version":"3.0","profile":"https://docs.openreferral.org/en/v3.0/","openapi_url":"\#(address)/openapi.json","publish_run":17,"services":48}"#)

        let asked = Date()
        process.terminate()
        while process.isRunning && Date().timeIntervalSince(asked) < 10 { Thread.sleep(forTimeInterval: 0.02) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
        #expect(Date().timeIntervalSince(asked) < 3, "SIGTERM took \(Date().timeIntervalSince(asked)) s")
    }
}
