import Foundation
import Testing

/// Runs `crocevia` on every folder in `Cases/` and compares what it prints and returns.
///
/// A case folder holds `args` (one argument per line; `$ROOT` is the package folder), optional
/// `stdin` and `env` (`NAME=value` lines added to the environment; an empty value unsets
/// the variable for the command), and the expectations `stdout`, `stderr` and `exit` (the exit code). Paths under the
/// package folder are printed as `$ROOT/...` in the comparison. The command runs in the case
/// folder. Set CROCEVIA_UPDATE_GOLDEN=1 to write the expectations from a run (then read them).
@Suite struct ConvertEndToEndTests {
    static let casesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases")
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let caseNames: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: casesFolder.path)) ?? []).sorted()

    @Test func casesExist() {
        #expect(Self.caseNames.count >= 20)
    }

    @Test(arguments: caseNames)
    func runCase(_ name: String) throws {
        let folder = Self.casesFolder.appendingPathComponent(name)
        let arguments = try String(contentsOf: folder.appendingPathComponent("args"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.replacingOccurrences(of: "$ROOT", with: Self.root.path) }
        let stdinFile = folder.appendingPathComponent("stdin")
        var environment: [String: String] = [:]
        if let text = try? String(contentsOf: folder.appendingPathComponent("env"), encoding: .utf8) {
            for line in text.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                environment[String(line[..<equals])] = String(line[line.index(after: equals)...]).replacingOccurrences(of: "$ROOT", with: Self.root.path)
            }
        }
        let result = try CommandRunner.run(arguments, in: folder,
                                           stdin: FileManager.default.fileExists(atPath: stdinFile.path) ? stdinFile : nil, environment: environment)
        let stdout = normalize(result.stdout)
        let stderr = normalize(result.stderr)
        if ProcessInfo.processInfo.environment["CROCEVIA_UPDATE_GOLDEN"] == "1" {
            try stdout.write(to: folder.appendingPathComponent("stdout"), atomically: true, encoding: .utf8)
            try stderr.write(to: folder.appendingPathComponent("stderr"), atomically: true, encoding: .utf8)
            try "\(result.status)\n".write(to: folder.appendingPathComponent("exit"), atomically: true, encoding: .utf8)
            return
        }
        let expectedExit = try String(contentsOf: folder.appendingPathComponent("exit"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect("\(result.status)" == expectedExit, "exit code of \(name)")
        #expect(stdout == (try String(contentsOf: folder.appendingPathComponent("stdout"), encoding: .utf8)), "stdout of \(name)")
        #expect(stderr == (try String(contentsOf: folder.appendingPathComponent("stderr"), encoding: .utf8)), "stderr of \(name)")
    }

    private func normalize(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self).replacingOccurrences(of: Self.root.path, with: "$ROOT")
    }
}

/// Runs the built `crocevia` executable.
enum CommandRunner {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    /// The `crocevia` built beside the test bundle.
    static var executable: URL {
        let buildFolder = Bundle.main.executableURL!.deletingLastPathComponent()
        let beside = buildFolder.appendingPathComponent("crocevia")
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return buildFolder.deletingLastPathComponent().appendingPathComponent("crocevia")
    }

    static func run(_ arguments: [String], in folder: URL, stdin: URL? = nil, environment: [String: String] = [:],
                    executable: URL = executable) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value.isEmpty ? nil : value }
        process.environment = env
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-out-\(UUID().uuidString)")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        let out = try FileHandle(forWritingTo: outFile)
        let err = try FileHandle(forWritingTo: errFile)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus, stdout: try Data(contentsOf: outFile), stderr: try Data(contentsOf: errFile))
    }
}
