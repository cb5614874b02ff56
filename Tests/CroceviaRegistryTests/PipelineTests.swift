import Foundation
import Testing
@testable import CroceviaKit

extension RegistryTests {
@Suite("Pipeline on the sample network")
struct PipelineTests {
    @Test("a feed's report that cannot be written is said in the log; the feed is imported all the same")
    func reportThatCannotBeWritten() throws {
        let (db, url) = try Backend.sqlite.fresh()
        db.close()
        let reports = try temporaryFolder()
        // A folder where the feed's JSON report would go: the file cannot be written.
        try FileManager.default.createDirectory(atPath: reports + "/portinerie-torino.json", withIntermediateDirectories: true)
        var events: [(String, String)] = []
        let outcome = PipelineRun(config: try sampleNetworkConfig(reports: reports, registry: url), open: { _ in try Backend.sqlite.reopen(url) }) {
            events.append(($0.event + " " + ($0.feed ?? ""), $0.message))
        }.run()
        #expect(outcome.exitCode == 0)
        #expect(outcome.feeds.first?.summary?.added == 9)
        let failed = events.filter { $0.0.hasPrefix("report-failed") }
        #expect(failed.map(\.0) == ["report-failed portinerie-torino"])
        #expect(failed.first?.1.hasPrefix("the feed's report could not be written (") == true && failed.first?.1.hasSuffix("); the feed was imported") == true)
        // The other form of the report is still written.
        #expect(FileManager.default.fileExists(atPath: reports + "/portinerie-torino.html"))
    }

    @Test("the sixteen sample feeds load, publish one deduplicated directory, and load again without a change", arguments: Backend.allCases)
    func sampleNetwork(backend: Backend) throws {
        let (db, url) = try backend.fresh()
        db.close()
        let reports = try temporaryFolder()
        var events: [String] = []
        // Each run opens the registry and closes it at the end, as the command does.
        let run = PipelineRun(config: try sampleNetworkConfig(reports: reports, registry: url), open: { _ in try backend.reopen(url) }) { events.append($0.event + " " + ($0.feed ?? "")) }
        let first = run.run()
        #expect(first.exitCode == 0)
        #expect(first.feeds.map { $0.summary?.added ?? -1 } == [9, 7, 6, 6, 4, 6, 6, 6, 5, 4, 34, 26, 14, 22, 18, 30])
        #expect(first.publish.map { [$0.records, $0.organizations, $0.locations, $0.services, $0.danglingKeys] } == [59, 27, 38, 48, 0])
        #expect(events.first == "started " && events.last == "finished ")
        let files = try FileManager.default.contentsOfDirectory(atPath: reports).sorted()
        #expect(files.count == 34 && files.contains("summary.html") && files.contains("portinerie-torino.json"))
        let summary = try JSONDocument.load(path: reports + "/summary.json")
        #expect(summary["status"] == .string("succeeded"))
        #expect(summary["directory"]?["organizations"] == .number("27"))

        let again = try backend.reopen(url)
        defer { again.close() }
        for (table, count) in [("organization", 27), ("location", 38), ("service", 48), ("cluster_member", 59)] {
            #expect(try again.scalar("SELECT COUNT(*) FROM \"\(table)\"").integer == Int64(count), "\(table)")
        }
        // Every service points at a published organization.
        #expect(try again.scalar("SELECT COUNT(*) FROM service WHERE organization_id NOT IN (SELECT id FROM organization)").integer == 0)
        let second = PipelineRun(config: try sampleNetworkConfig(reports: reports, registry: url), open: { _ in try backend.reopen(url) }) { _ in }.run()
        #expect(second.feeds.map { [$0.summary?.added ?? -1, $0.summary?.changed ?? -1, $0.summary?.removed ?? -1] }.allSatisfy { $0 == [0, 0, 0] })
        #expect(second.publish?.organizations == 27)

        let output = reports + "/export.jsonl"
        #expect(try Exporter().run(from: again, to: output, findings: FindingLog()) == 48)
        let exported = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(exported.count == 48)
        #expect(exported.allSatisfy { $0.contains(#""organization":{"#) && !$0.contains("_provenance") })
    }

    @Test("a feed whose file is missing is a data problem; the others load")
    func missingFeed() throws {
        let (db, url) = try Backend.sqlite.fresh()
        db.close()
        var config = try sampleNetworkConfig(reports: try temporaryFolder(), registry: url)
        config.feeds = [config.feeds[0], NetworkConfig.Feed(name: "assente", profile: nil, hsdsObject: "service", from: nil,
                                                            input: "/nonexistent/servizi-*.jsonl", mode: .full, allowInvalid: false)]
        let outcome = PipelineRun(config: config, open: { _ in try Backend.sqlite.reopen(url) }) { _ in }.run()
        #expect(outcome.exitCode == 1)
        #expect(outcome.feeds.map(\.status) == [.succeeded, .dataProblems])
        #expect(outcome.feeds[1].message == "no file matches /nonexistent/servizi-*.jsonl; the source's records in the registry were left as they are")
        #expect(outcome.publish?.services == 9)
    }

    @Test("a network file with an unknown key names its line and column")
    func badNetworkFile() throws {
        let path = try temporaryFolder() + "/network.yaml"
        try "registry: sqlite:r.sqlite\nfeeds:\n  - name: a\n    input: a.csv\n    modo: full\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CroceviaError.configuration(file: path, line: 5, column: 5, message: """
            unknown key "modo" in a feed; did you mean "mode"? (known keys: name, profile, hsds, from, input, mode, allow_invalid)
            """)) {
            try NetworkConfig.load(path: path)
        }
    }
}
}
