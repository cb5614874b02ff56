import Foundation
import Testing
@testable import CroceviaKit

@Suite struct ConverterTests {
    @Test func outputAppearsOnlyWhenTheRunFinishes() throws {
        let input = try temporaryFile("Codice;Nome\nS1;A\n")
        let folder = URL(fileURLWithPath: input).deletingLastPathComponent()
        let profilePath = folder.appendingPathComponent("p.yaml").path
        try "crocevia_profile: 1\nsource: { name: p, format: csv }\ntarget: service\nfields: { name: Nmoe }\n"
            .write(toFile: profilePath, atomically: true, encoding: .utf8)
        var options = ConvertOptions(inputs: [input])
        options.output = folder.appendingPathComponent("out.jsonl").path
        options.profile = profilePath
        #expect(throws: CroceviaError.configuration(file: profilePath, line: 4, column: 17,
                                                    message: "column \"Nmoe\" is not in the header of \(input); did you mean \"Nome\"? (its columns: Codice, Nome)")) {
            try Converter(options: options, findings: FindingLog()).run()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["input.csv", "p.yaml"])

        try "crocevia_profile: 1\nsource: { name: p, format: csv }\ntarget: service\nfields: { name: Nome }\n"
            .write(toFile: profilePath, atomically: true, encoding: .utf8)
        let summary = try Converter(options: options, findings: FindingLog()).run()
        #expect(summary == ConvertSummary(records: 1, inputs: 1, unreadableInputs: 0))
        #expect(try String(contentsOfFile: options.output, encoding: .utf8) == "{\"name\":\"A\"}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["input.csv", "out.jsonl", "p.yaml"])
    }

    @Test func unreadableInputIsAFindingAndTheNextInputStillRuns() throws {
        let bad = try temporaryFile("a,b\n1,\"open\n")
        let good = try temporaryFile("a,b\n2,3\n")
        var options = ConvertOptions(inputs: [bad, good])
        options.to = .jsonl
        options.output = try temporaryFile("", name: "out.jsonl")
        let findings = FindingLog()
        let summary = try Converter(options: options, findings: findings).run()
        #expect(summary == ConvertSummary(records: 1, inputs: 2, unreadableInputs: 1))
        #expect(findings.findings.map(\.rule) == ["input.unreadable"])
        #expect(try String(contentsOfFile: options.output, encoding: .utf8) == "{\"a\":\"2\",\"b\":\"3\"}\n")
    }

    @Test func inputCannotBeTheOutput() throws {
        let input = try temporaryFile("a\n1\n")
        var options = ConvertOptions(inputs: [input])
        options.to = .jsonl
        options.output = input
        #expect(throws: CroceviaError.usage("the output \(input) is also an input")) { try Converter(options: options, findings: FindingLog()).run() }
    }

    @Test func manyRecordsCrossTheWriterThreadInOrder() throws {
        let rows = (1...5000).map { "\($0),\"nome \($0)\"" }.joined(separator: "\n")
        let input = try temporaryFile("n,nome\n" + rows + "\n")
        var options = ConvertOptions(inputs: [input])
        options.to = .csv
        options.output = try temporaryFile("", name: "out.csv")
        _ = try Converter(options: options, findings: FindingLog()).run()
        let expected = "n,nome\n" + (1...5000).map { "\($0),nome \($0)" }.joined(separator: "\n") + "\n"
        #expect(try String(contentsOfFile: options.output, encoding: .utf8) == expected)
    }

    /// Past one batch the two threads share the mapping: the output keeps the input's order, and
    /// a member seen only in the writer thread's batches is not reported as missing.
    @Test func sharedMappingKeepsOrder() throws {
        let records = (1...1500).map { n in
            n > 512 && n <= 1024 ? "{\"n\": \"\(n)\", \"extra\": \"x\(n)\"}" : "{\"n\": \"\(n)\"}"
        }
        let input = try temporaryFile(records.joined(separator: "\n") + "\n", name: "in.jsonl")
        let folder = URL(fileURLWithPath: input).deletingLastPathComponent()
        let profilePath = folder.appendingPathComponent("p.yaml").path
        try "crocevia_profile: 1\nsource: { name: p, format: jsonl }\ntarget: service\nfields: { name: n, description: extra, id: { uuid: n } }\n"
            .write(toFile: profilePath, atomically: true, encoding: .utf8)
        var options = ConvertOptions(inputs: [input])
        options.profile = profilePath
        options.output = folder.appendingPathComponent("out.jsonl").path
        let findings = FindingLog()
        _ = try Converter(options: options, findings: findings).run()
        let lines = try String(contentsOfFile: options.output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1500)
        let names = try lines.map { line -> String in
            let record = try readRecords(String(line), format: .jsonl)[0].value
            return record["name"]?.stringValue ?? ""
        }
        #expect(names == (1...1500).map(String.init))
        #expect(lines[600].contains("\"description\":\"x601\""))
        #expect(findings.findings.isEmpty)
    }

    @Test("one rule names the source in every command: --source, else the profile's, else the file's name")
    func sourceNames() throws {
        let loaded = try profile("""
            crocevia_profile: 1
            source: { name: portinerie-torino, format: csv }
            target: service
            fields: { name: Nome }
            """)
        #expect(SourceName.of("in/servizi.csv", given: "rete", profile: loaded) == "rete")
        #expect(SourceName.of("in/servizi.csv", given: nil, profile: loaded) == "portinerie-torino")
        #expect(SourceName.of("in/servizi.2026.csv", given: nil, profile: nil) == "servizi.2026")
        #expect(SourceName.of("-", given: nil, profile: nil) == "stdin")
    }
}
