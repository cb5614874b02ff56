import Foundation
import Testing
@testable import CroceviaKit

/// The run plan that convert, validate and import share, the compiled profile its threads share,
/// and the compiled validators every thread uses at once.
@Suite struct RunPlanTests {
    let sample = packageRoot.appendingPathComponent("Samples/portinerie-torino").path

    @Test("a profile fills in what the command line left open, and a --from that contradicts it is refused")
    func profileFillsTheReadingIn() throws {
        var request = RunPlan.Request(inputs: ["\(sample)/servizi.csv"])
        request.profile = "\(sample)/profile.yaml"
        let plan = try RunPlan(request, findings: FindingLog())
        #expect(plan.formats == [.csv])
        #expect(plan.from == .csv)
        #expect(plan.encoding == .windows1252)
        #expect(plan.reader.delimiter == UInt8(ascii: ";"))
        #expect(plan.object == .service)
        #expect(plan.sourceName(of: "\(sample)/servizi.csv") == "portinerie-torino")

        request.encoding = .utf8
        request.source = "rete"
        let given = try RunPlan(request, findings: FindingLog())
        #expect(given.encoding == .utf8)
        #expect(given.sourceName(of: "\(sample)/servizi.csv") == "rete")

        request.from = .json
        #expect(throws: CroceviaError.usage("--from json contradicts the profile, which reads csv")) {
            try RunPlan(request, findings: FindingLog())
        }
        #expect(throws: CroceviaError.usage("name at least one input file (- for standard input)")) {
            try RunPlan(RunPlan.Request(inputs: []), findings: FindingLog())
        }
    }

    @Test("JSON inputs are read as HSDS only when the command says so and neither a profile nor --from does otherwise")
    func jsonAsHSDS() throws {
        let list = try temporaryFile("[{\"id\":\"a\"}]", name: "services.json")
        let lines = try temporaryFile("{\"id\":\"a\"}\n", name: "services.jsonl")
        var request = RunPlan.Request(inputs: [list, lines])
        #expect(try RunPlan(request, findings: FindingLog()).formats == [.json, .jsonl])
        request.jsonIsHSDS = true
        request.object = Target("organization")
        let plan = try RunPlan(request, findings: FindingLog())
        #expect(plan.formats == [.hsdsJSON, .hsdsJSONL])
        #expect(plan.reader.hsdsObject == "organization")
        request.from = .json
        #expect(try RunPlan(request, findings: FindingLog()).formats == [.json, .json])
    }

    @Test("mappers of one compiled profile map alike, and what the profile drops is said once, when it is compiled")
    func mappersShareACompiledProfile() throws {
        let folder = packageRoot.appendingPathComponent("Samples/case-data/portinerie-torino").path
        let findings = FindingLog()
        let key = packageRoot.appendingPathComponent("Samples/case-data/sample-network.key").path
        let secret = try #require(try NetworkSecret.resolve(file: key))
        let loaded = try ProfileLoader.load(path: "\(folder)/profile.yaml", schemas: try HSDSSchemas.standard())
        let compiled = try CompiledProfile(profile: loaded, findings: findings, secret: secret)
        #expect(findings.findings.map(\.rule) == ["case.free-text-dropped"])
        let first = Mapper(compiled: compiled, findings: findings)
        let second = Mapper(compiled: compiled, findings: findings)
        #expect(findings.findings.count == 1)
        var request = RunPlan.Request(inputs: ["\(folder)/registro-contatti.csv"])
        request.profile = "\(folder)/profile.yaml"
        request.secretFile = key
        let plan = try RunPlan(request, findings: FindingLog())
        var raw: [Record] = []
        _ = try plan.read(0, findings: FindingLog(), progress: nil, verb: "read", mapper: nil) { raw.append($0) }
        #expect(raw.count == 34)
        // Each record twice through the first mapper and once through the second: the
        // remembered results of one never change what the other makes.
        let once = raw.map { JSONText.compact(first.map($0).value) }
        let again = raw.map { JSONText.compact(first.map($0).value) }
        let other = raw.map { JSONText.compact(second.map($0).value) }
        #expect(once == again)
        #expect(once == other)
        #expect(Set(once).count == 34)  // each row its own contact, not 34 empty objects
    }

    @Test("one compiled validator serves many threads at once with the answers it gives on one")
    func validatorsAreShared() throws {
        let validator = try SchemaLoader.hsds(.service)
        #expect(try SchemaLoader.hsds(.service) === validator)
        let records: [JSONValue] = (0..<4000).map { n in
            var members: [(String, JSONValue)] = [("id", .string(n % 7 == 0 ? "not-a-uuid-\(n)" : String(format: "00000000-0000-4000-8000-%012d", n))),
                                                  ("name", .string("Servizio \(n)")), ("status", .string(n % 5 == 0 ? "aperto" : "active"))]
            if n % 3 == 0 { members.append(("email", .string(n % 2 == 0 ? "info@example.org" : "not an address"))) }
            if n % 11 == 0 { members.removeAll { $0.0 == "name" } }
            return .object(JSONObject(members))
        }
        let alone = records.map { validator.validate($0).map(\.message) }
        let together = Parallel.map(count: records.count, workers: 4) { validator.validate(records[$0]).map(\.message) }
        #expect(together == alone)
        #expect(alone.filter { !$0.isEmpty }.count == records.indices.filter { $0 % 7 == 0 || $0 % 5 == 0 || $0 % 11 == 0 || ($0 % 3 == 0 && $0 % 2 == 1) }.count)
    }
}
