import Foundation
import Testing
@testable import CroceviaKit

@Suite struct ValidationTests {
    @Test func throughAProfileFindingsNameThePartnersColumnsAndLines() throws {
        let folder = URL(fileURLWithPath: try temporaryFile("Codice;Nome;Posta\nS1;Sportello;ok@example.org\nS2;;non-una-mail\n", name: "servizi.csv"))
            .deletingLastPathComponent()
        let profile = folder.appendingPathComponent("profilo.yaml").path
        try """
            crocevia_profile: 1
            source: { name: prova, format: csv, key: Codice }
            target: service
            fields:
              id: { uuid: Codice }
              name: Nome
              email: Posta
              status: { const: active }
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let findings = FindingLog()
        let summary = try Validation(options: ValidateOptions(inputs: [folder.appendingPathComponent("servizi.csv").path], target: .profile(path: profile)),
                                     findings: findings).run()
        #expect(summary == ValidationSummary(records: 2, invalidRecords: 1, inputs: 1, unreadableInputs: 0))
        #expect(findings.findings.map(\.rule) == ["schema.format", "schema.required"])
        #expect(findings.findings.map(\.field) == ["Posta", "Nome"])
        #expect(findings.findings.map(\.line) == [3, 3])
        #expect(findings.findings.map(\.path) == ["/email", "/name"])
        #expect(findings.findings.map(\.value) == ["non-una-mail", nil])
    }

    @Test func aMillionFindingsKeepTheReportBounded() throws {
        let lines = String(repeating: "\"x\"\n", count: 20_000)
        let input = try temporaryFile(lines, name: "molti.jsonl")
        let schema = try temporaryFile("{\"type\": \"integer\"}", name: "intero.schema.json")
        let findings = FindingLog(keepPerRule: 100)
        let summary = try Validation(options: ValidateOptions(inputs: [input], target: .schema(path: schema)), findings: findings).run()
        #expect(summary.invalidRecords == 20_000)
        let report = ValidationReport.json(summary: summary, findings: findings, inputs: [input], schema: schema)
        #expect(report["summary"]?["findings"] == .number("20000"))
        #expect(report["summary"]?["findings_listed"] == .number("100"))
        #expect(report["summary"]?["findings_capped"] == .bool(true))
        #expect(report["summary"]?["by_rule"] == .object(JSONObject([("schema.type", .number("20000"))])))
        #expect(report["findings"]?.arrayValue?.count == 100)
    }

    /// Records are checked on other threads in batches of 512; the reader's findings are held
    /// until the records before them are through, so every finding comes in line order.
    @Test func findingsComeInLineOrderAcrossBatches() throws {
        var lines: [String] = []
        var expected: [(line: Int, rule: String)] = []
        for number in 1...1500 {
            if number % 97 == 0 {
                lines.append(#"{"a": 1,]"#)
                expected.append((number, "json.syntax"))
            } else if number % 7 == 0 {
                lines.append(#"{"a": "s"}"#)
                expected.append((number, "schema.type"))
            } else {
                lines.append(#"{"a": \#(number)}"#)
            }
        }
        let input = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "ordine.jsonl")
        let schema = try temporaryFile(#"{"properties": {"a": {"type": "integer"}}}"#, name: "ordine.schema.json")
        let findings = FindingLog()
        let summary = try Validation(options: ValidateOptions(inputs: [input], target: .schema(path: schema)), findings: findings).run()
        #expect(findings.findings.map(\.line) == expected.map(\.line))
        #expect(findings.findings.map(\.rule) == expected.map(\.rule))
        #expect(summary == ValidationSummary(records: 1485, invalidRecords: 212, inputs: 1, unreadableInputs: 0))
    }

    /// JSON Lines are parsed and checked on the workers until a line the fast way leaves to the
    /// ordinary reader (here an API page), which goes on from that line with the ids seen so far.
    @Test func aJSONLinesFileIsFinishedByTheOrdinaryReaderFromTheLineItLeaves() throws {
        let first = "6b85ea6e-fe14-50c8-ba59-176d99398178", second = "214d872b-2228-5fd6-8f7e-f82bdd6f8a70"
        let lines = [
            #"{"id": "\#(first)", "name": "A", "status": "active"}"#,
            "",
            #"{"id": "\#(second)", "name": "B", "status": "chiuso"}"#,
            #"{"total_items": 1, "contents": [{"id": "\#(first)", "name": "C", "status": "active"}]}"#,
            #"{"id": "\#(second)", "name": "D", "status": "active"}"#,
        ]
        let input = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "misto.jsonl")
        let findings = FindingLog()
        let summary = try Validation(options: ValidateOptions(inputs: [input], target: .hsds(object: "service")), findings: findings).run()
        #expect(findings.findings.map(\.formatted) == [
            "\(input):3: error: status: must be one of active, inactive, defunct, temporarily closed (use one of the allowed values)",
            "\(input):4: error: id: service id \"\(first)\" is also the id of record 1 (line 1) (give each service its own id)",
            "\(input):5: error: id: service id \"\(second)\" is also the id of record 2 (line 3) (give each service its own id)",
        ])
        #expect(summary == ValidationSummary(records: 4, invalidRecords: 3, inputs: 1, unreadableInputs: 0))
    }

    /// Case data the fast way: each record against its entity's schema and case data's rules,
    /// with no value quoted (a case record may name someone).
    @Test func caseDataJSONLinesGetTheirOwnChecks() throws {
        let key = "57588972384e220c72bf74cc85a86671b09d6a296bcc6c2510c11d2f1374976d"
        let contact = { (id: String, date: String, channel: String) in
            #"{"id":"\#(id)","person_key":"\#(key)","desk_id":"portineria-porta-palazzo","datetime":"\#(date)","channel":"\#(channel)","#
                + #""phase":"accoglienza","duration_min":15,"operator_role":"staff","#
                + #""person":{"person_key":"\#(key)","age_band":"75+","sex":"M","residence_istat":"001272"}}"#
        }
        let lines = [contact("PP-1", "2026-09-01", "in_person"), contact("PP-2", "2099-01-01", "in_person"), contact("PP-3", "2026-09-02", "piccione")]
        let input = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "contatti.jsonl")
        let findings = FindingLog()
        let summary = try Validation(options: ValidateOptions(inputs: [input], target: .hsds(object: "case/contact")), findings: findings).run()
        #expect(findings.findings.map(\.formatted) == [
            "\(input):2: error: datetime is 2099-01-01, in the future: a record tells what happened, so its dates are past (a mistyped year?)",
            "\(input):3: error: channel: must be one of in_person, phone, outreach, online (use one of the allowed values)",
        ])
        #expect(findings.findings.map(\.value) == [nil, nil])
        #expect(summary == ValidationSummary(records: 3, invalidRecords: 2, inputs: 1, unreadableInputs: 0))
    }

    @Test func hsdsSchemasResolveTheirBareFileNameReferences() throws {
        let validator = try SchemaLoader.hsds(.service)
        let service = JSONValue.object(JSONObject([
            ("id", .string("74c214cb-e509-5231-b354-647952c0da27")), ("name", .string("A")), ("status", .string("active")),
            ("phones", .array([.object(JSONObject([("id", .string("non-un-uuid")), ("number", .string("011"))]))])),
        ]))
        let failures = validator.validate(service)
        #expect(failures.map(\.instancePath) == ["/phones/0/id"])
        #expect(failures.map(\.keyword) == ["format"])
    }

    @Test func hsdsChecksAcrossRecords() throws {
        let org = "0f0e2c5e-1111-4a6b-9c1d-000000000001"
        let lines = [
            // A service naming an organization that comes later in the input: resolved.
            #"{"id": "6b85ea6e-fe14-50c8-ba59-176d99398178", "name": "A", "status": "active", "organization_id": "\#(org)"}"#,
            // Its own id repeats the first service's: an error.
            #"{"id": "6b85ea6e-fe14-50c8-ba59-176d99398178", "name": "B", "status": "active", "x_quartiere": "Aurora"}"#,
            // An organization that is nowhere in the input: an error.
            #"{"id": "214d872b-2228-5fd6-8f7e-f82bdd6f8a70", "name": "C", "status": "active", "organization_id": "7c1d1a3e-5b0e-4f5a-9a52-4c0c2b6f7a10", "#
                + #""organization": {"id": "\#(org)", "name": "Coop", "description": "x"}}"#,
        ]
        let input = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "servizi.jsonl")
        var options = ValidateOptions(inputs: [input], target: .hsds(object: "service"))
        options.strict = true
        options.complete = true
        let findings = FindingLog()
        let summary = try Validation(options: options, findings: findings).run()
        #expect(findings.findings.map(\.rule) == ["hsds.unique", "hsds.unknown-field", "hsds.foreign-key"])
        #expect(findings.findings.map(\.line) == [2, 2, 3])
        #expect(findings.findings.map(\.path) == ["/id", "/x_quartiere", "/organization_id"])
        #expect(findings.findings.last?.message == "organization_id: names organization \"7c1d1a3e-5b0e-4f5a-9a52-4c0c2b6f7a10\", which is not in the input")
        #expect(summary.invalidRecords == 2)
    }

    /// Ids are kept compactly (a lowercase UUID as 16 bytes) but compared as their texts: the
    /// same UUID in capitals is another id, and ids that are not UUIDs repeat as text.
    @Test func idsAreComparedAsTheirTexts() throws {
        let lower = "6b85ea6e-fe14-50c8-ba59-176d99398178"
        let lines = [
            #"{"id": "\#(lower)", "name": "A", "status": "active"}"#,
            #"{"id": "\#(lower.uppercased())", "name": "B", "status": "active"}"#,
            #"{"id": "S-1", "name": "C", "status": "active"}"#,
            #"{"id": "S-1", "name": "D", "status": "active"}"#,
            #"{"id": "\#(lower)", "name": "E", "status": "active"}"#,
        ]
        let input = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "servizi.jsonl")
        let findings = FindingLog()
        let summary = try Validation(options: ValidateOptions(inputs: [input], target: .hsds(object: "service")), findings: findings).run()
        let unique = findings.findings.filter { $0.rule == "hsds.unique" }
        #expect(unique.map(\.message) == [
            "id: service id \"S-1\" is also the id of record 3 (line 3)",
            "id: service id \"\(lower)\" is also the id of record 1 (line 1)",
        ])
        #expect(unique.map(\.line) == [4, 5])
        #expect(summary.records == 5)
    }

    @Test func pointersAreReadAsRFC6901Says() {
        #expect(JSONPointer.tokens("") == [])
        #expect(JSONPointer.tokens("a/b") == nil)
        #expect(JSONPointer.tokens("/a~1b/~01/50%25//") == ["a/b", "~1", "50%25", "", ""])
        #expect(JSONPointer.tokens("/città/0") == ["città", "0"])
        #expect(JSONPointer.tokens(fragment: "/definitions/a%20b~1c") == ["definitions", "a b/c"])
        #expect(JSONPointer.escape("a/b~c") == "a~1b~0c")
        #expect(JSONPointer.escape("città") == "città")
    }

    /// Without --complete, keys naming objects outside the input are counted, one warning per
    /// kind, and leave their records valid.
    @Test func referencesOutsideTheInputAreCounted() throws {
        let service = { (id: String, organization: String, location: String) in
            #"{"id": "\#(id)", "name": "S", "status": "active", "organization_id": "\#(organization)", "#
                + #""service_at_locations": [{"id": "\#(id.dropLast(2))aa", "service_id": "\#(id)", "location_id": "\#(location)"}]}"#
        }
        let lines = [
            service("6b85ea6e-fe14-50c8-ba59-176d99398178", "7c1d1a3e-5b0e-4f5a-9a52-4c0c2b6f7a10", "11111111-5b0e-4f5a-9a52-4c0c2b6f7a10"),
            service("214d872b-2228-5fd6-8f7e-f82bdd6f8a70", "7c1d1a3e-5b0e-4f5a-9a52-4c0c2b6f7a10", "11111111-5b0e-4f5a-9a52-4c0c2b6f7a10"),
            service("314d872b-2228-5fd6-8f7e-f82bdd6f8a70", "8c1d1a3e-5b0e-4f5a-9a52-4c0c2b6f7a10", "11111111-5b0e-4f5a-9a52-4c0c2b6f7a10"),
        ]
        let input = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "servizi.jsonl")
        let findings = FindingLog()
        let summary = try Validation(options: ValidateOptions(inputs: [input], target: .hsds(object: "service")), findings: findings).run()
        #expect(findings.findings.map(\.formatted) == [
            "\(input):1: warning: 3 services name organizations not in this input (organization_id): not checked (check them with the file that holds the organizations (--package), or say the input is complete (--complete) to make each an error)",
            "\(input):1: warning: 3 services name locations not in this input (service_at_locations.location_id): not checked (check them with the file that holds the locations (--package), or say the input is complete (--complete) to make each an error)",
        ])
        #expect(summary.records == 3)
        #expect(summary.invalidRecords == 0)
    }

    @Test func tabularRequiredAndDatapackageTypes() throws {
        let folder = URL(fileURLWithPath: try temporaryFile("", name: "unused")).deletingLastPathComponent().appendingPathComponent("pacchetto").path
        let writer = try Format.hsdsCSV.makeWriter(path: folder, options: WriterOptions(), findings: FindingLog())
        let service = JSONValue.object(JSONObject([
            ("id", .string("6b85ea6e-fe14-50c8-ba59-176d99398178")), ("name", .string("A")), ("status", .string("active")),
            ("assured_date", .string("03/11/2026")),
            ("schedules", .array([.object(JSONObject([("id", .string("214d872b-2228-5fd6-8f7e-f82bdd6f8a70")), ("opens_at", .string("9.30")),
                                                      ("closes_at", .string("12:00"))]))])),
        ]))
        try writer.write(Record(value: service, provenance: Provenance(source: "t", file: "in.jsonl", line: 1, record: 1)))
        try writer.finish()
        try writer.commit()
        let findings = FindingLog()
        _ = try Validation(options: ValidateOptions(inputs: [folder], target: .hsds(object: "service")), findings: findings).run()
        #expect(findings.findings.map(\.rule) == ["hsds.tabular-required", "hsds.datapackage-type", "hsds.datapackage-type"])
        #expect(findings.findings.map(\.path) == ["/organization_id", "/assured_date", "/schedules/0/opens_at"])
        #expect(findings.findings.map(\.line) == [2, 2, 2])
    }

    @Test func foreignKeysMayNameTheObjectsOfAGivenPackage() throws {
        let org = "0f0e2c5e-1111-4a6b-9c1d-000000000001"
        let folder = URL(fileURLWithPath: try temporaryFile("", name: "unused")).deletingLastPathComponent().appendingPathComponent("rete").path
        var options = WriterOptions()
        options.hsdsObject = "organization"
        let writer = try Format.hsdsCSV.makeWriter(path: folder, options: options, findings: FindingLog())
        try writer.write(Record(value: .object(JSONObject([("id", .string(org)), ("name", .string("Coop")), ("description", .string("x"))])),
                                provenance: Provenance(source: "t", file: "in", line: 1, record: 1)))
        try writer.finish()
        try writer.commit()
        let lines = [
            #"{"id": "6b85ea6e-fe14-50c8-ba59-176d99398178", "name": "A", "status": "active", "organization_id": "\#(org)"}"#,
            #"{"id": "214d872b-2228-5fd6-8f7e-f82bdd6f8a70", "name": "B", "status": "active", "organization_id": "7c1d1a3e-5b0e-4f5a-9a52-4c0c2b6f7a10"}"#,
        ]
        let input = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "servizi.jsonl")
        var validate = ValidateOptions(inputs: [input], target: .hsds(object: "service"))
        validate.package = folder
        let findings = FindingLog()
        _ = try Validation(options: validate, findings: findings).run()
        #expect(findings.findings.map(\.message) == ["organization_id: names organization \"7c1d1a3e-5b0e-4f5a-9a52-4c0c2b6f7a10\", which is not in the input or the package"])
        #expect(findings.findings.map(\.line) == [2])
    }

    /// A finding names the column that fed the element it is about: Monday's opening time is
    /// Monday's column, not the first schedule's.
    @Test func aFindingNamesTheColumnOfItsElement() throws {
        let profilePath = try temporaryFile("""
            crocevia_profile: 1
            source: { name: prova, format: xml, record_element: S }
            target: service
            fields:
              id: { uuid: Key }
              name: Name
              status: { const: active }
              schedules[0].id: { uuid: Key }
              schedules[0].opens_at: TimeOpen/Sunday/From
              schedules[1].id: { uuid: Key }
              schedules[1].opens_at: TimeOpen/Monday/From
            """, name: "profile.yaml")
        let input = try temporaryFile("<E><S><Key>1</Key><Name>A</Name><TimeOpen><Sunday><From>10:00:00</From></Sunday><Monday><From>nine</From></Monday></TimeOpen></S></E>",
                                      name: "e.xml")
        let findings = FindingLog()
        _ = try Validation(options: ValidateOptions(inputs: [input], target: .profile(path: profilePath)), findings: findings).run()
        #expect(findings.findings.map(\.field) == ["TimeOpen/Monday/From"])
        #expect(findings.findings.map(\.path) == ["/schedules/1/opens_at"])
    }

    /// In pretty-printed JSON and in XML a finding carries the line of its member; in a tabular
    /// package, the CSV file and line of the row it is about.
    @Test func findingsNameTheLineAndFileOfTheirMember() throws {
        let json = try temporaryFile("""
            [
              {
                "id": "6b85ea6e-fe14-50c8-ba59-176d99398178",
                "name": "Sportello",
                "status": "active",
                "phones": [
                  { "id": "214d872b-2228-5fd6-8f7e-f82bdd6f8a70", "number": "011 4361234" },
                  {
                    "id": "314d872b-2228-5fd6-8f7e-f82bdd6f8a70",
                    "number": 114361234
                  }
                ]
              }
            ]

            """, name: "servizi.json")
        let findings = FindingLog()
        _ = try Validation(options: ValidateOptions(inputs: [json], target: .hsds(object: "service")), findings: findings).run()
        #expect(findings.findings.map(\.line) == [10])
        #expect(findings.findings.map(\.path) == ["/phones/1/number"])

        let xml = try temporaryFile("""
            <r>
              <s>
                <id>6b85ea6e-fe14-50c8-ba59-176d99398178</id>
                <name>A</name>
                <status>active</status>
                <email>not an e-mail</email>
              </s>
            </r>
            """, name: "s.xml")
        let xmlFindings = FindingLog()
        _ = try Validation(options: ValidateOptions(inputs: [xml], target: .schema(path: packageRoot.appendingPathComponent("Schemas/hsds/service.json").path)),
                           findings: xmlFindings).run()
        #expect(xmlFindings.findings.map(\.line) == [])  // formats are annotations for a plain --schema
        var asserted = ValidateOptions(inputs: [xml], target: .schema(path: packageRoot.appendingPathComponent("Schemas/hsds/service.json").path))
        asserted.assertFormats = true
        _ = try Validation(options: asserted, findings: xmlFindings).run()
        #expect(xmlFindings.findings.map(\.line) == [6])

        let package = try writePackage(TabularPackageTests.services())
        let addresses = package + "/addresses.csv"
        let text = try String(contentsOfFile: addresses, encoding: .utf8)
        try text.replacingOccurrences(of: ",physical", with: ",fisico").write(toFile: addresses, atomically: true, encoding: .utf8)
        let packageFindings = FindingLog()
        _ = try Validation(options: ValidateOptions(inputs: [package], target: .hsds(object: "service")), findings: packageFindings).run()
        let places = packageFindings.findings.filter { $0.rule == "schema.enum" }.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line ?? 0)" }
        #expect(places == ["addresses.csv:2", "addresses.csv:3"])
    }
}
