import Foundation
import Testing

/// A build copied alone into an empty folder, run from another one with `CROCEVIA_SCHEMAS` unset,
/// answers exactly as the build does with the checkout's `Schemas/` (its schemas and reference
/// data are embedded: see `Sources/CEmbeddedSchemas`).
@Suite struct CopiedExecutableTests {
    static let root = ConvertEndToEndTests.root
    static let samples = root.appendingPathComponent("Samples").path
    static let cases = ConvertEndToEndTests.casesFolder.path

    /// Each command, with the exit code both runs must give.
    static let commands: [(arguments: [String], exit: Int32)] = [
        (["validate", "--hsds", "service", "\(samples)/locator-south-lanarkshire"], 0),
        (["validate", "--schema", "\(cases)/validate-schema-report/scheda.schema.json", "--assert-format", "--report", "report.json",
          "\(cases)/validate-schema-report/schede.jsonl"], 1),
        (["convert", "--profile", "\(samples)/portinerie-torino/profile.yaml", "\(samples)/portinerie-torino/servizi.csv", "-o", "servizi.jsonl"], 0),
        (["convert", "\(samples)/locator-south-lanarkshire", "--to", "hsds-csv", "-o", "package"], 0),
        (["import", "--registry", "sqlite:registry.sqlite", "--profile", "\(samples)/sicura-collegno/profile.yaml", "\(samples)/sicura-collegno/attivita.csv"], 0),
        (["pipeline", "\(samples)/network.yaml"], 0),
        (["dedupe", "--entity", "organization", "--clusters", "-", "servizi.jsonl"], 0),
    ]

    @Test func answersFromAnEmptyFolder() throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-copied-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let binFolder = temporary.appendingPathComponent("bin")
        let copiedWork = temporary.appendingPathComponent("copied")
        let checkoutWork = temporary.appendingPathComponent("checkout")
        for folder in [binFolder, copiedWork, checkoutWork] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let copied = binFolder.appendingPathComponent("crocevia")
        try FileManager.default.copyItem(at: CommandRunner.executable, to: copied)

        let version = try CommandRunner.run(["--version"], in: copiedWork, environment: ["CROCEVIA_SCHEMAS": ""], executable: copied)
        #expect(String(decoding: version.stdout, as: UTF8.self).hasPrefix("crocevia 0.1.0 (HSDS 3.0.0, schemas built in; libxml2 "))

        for command in Self.commands {
            let reference = try CommandRunner.run(command.arguments, in: checkoutWork,
                                                  environment: ["CROCEVIA_SCHEMAS": Self.root.appendingPathComponent("Schemas").path])
            let alone = try CommandRunner.run(command.arguments, in: copiedWork, environment: ["CROCEVIA_SCHEMAS": ""], executable: copied)
            let name = command.arguments.prefix(2).joined(separator: " ")
            #expect(reference.status == command.exit, "\(name): exit of the checkout's build")
            #expect(alone.status == command.exit, "\(name): exit of the copied build: \(String(decoding: alone.stderr, as: UTF8.self))")
            #expect(text(alone.stdout, copiedWork) == text(reference.stdout, checkoutWork), "\(name): stdout")
            #expect(text(alone.stderr, copiedWork) == text(reference.stderr, checkoutWork), "\(name): stderr")
        }
        for file in ["servizi.jsonl", "report.json", "reports/summary.json", "package/services.csv", "package/datapackage.json"] {
            let copiedFile = try String(contentsOf: copiedWork.appendingPathComponent(file), encoding: .utf8)
            let checkoutFile = try String(contentsOf: checkoutWork.appendingPathComponent(file), encoding: .utf8)
            #expect(normalized(copiedFile, copiedWork) == normalized(checkoutFile, checkoutWork), "\(file)")
        }
    }

    private func text(_ data: Data, _ folder: URL) -> String {
        normalized(String(decoding: data, as: UTF8.self), folder)
    }

    /// The work folder's name, times and durations made alike.
    private func normalized(_ text: String, _ folder: URL) -> String {
        var text = text.replacingOccurrences(of: folder.path, with: "$WORK")
        for pattern in [#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?"#, #"\d+(\.\d+)? ?(ms|s)\b"#, #""duration_seconds" ?: ?[0-9.]+"#] {
            text = text.replacingOccurrences(of: pattern, with: "…", options: .regularExpression)
        }
        return text
    }
}
