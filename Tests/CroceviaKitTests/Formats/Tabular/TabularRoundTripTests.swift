import Foundation
import Testing
@testable import CroceviaKit

/// HSDS tabular round trips keep every object once: the official example package (Open Referral's
/// `examples/csv`, vendored in `Tests/HSDSExamples`), the samples' packages, and generated services
/// whose phones, languages and contacts appear in several places.
@Suite struct TabularRoundTripTests {
    static let examples = packageRoot.appendingPathComponent("Tests/HSDSExamples/csv").path

    /// Rows per table of a package folder (data rows, header left out).
    static func rowCounts(_ folder: String) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".csv") {
            let findings = FindingLog()
            let reader = CSVRecordReader(input: TextInput(source: try ByteSource(path: folder + "/" + file), findings: findings),
                                         options: .init(warnsWhenEmpty: false), source: "t", findings: findings)
            var rows = 0
            while try reader.next() != nil { rows += 1 }
            counts[file] = rows
        }
        return counts
    }

    @Test func theOfficialPackageKeepsOneRowPerObjectBothWays() throws {
        let findings = FindingLog()
        let first = try read(Self.examples, findings: findings)
        // The example's ids come from each field's own example, so some links name nothing:
        // each such row is said at its line, none is dropped without a word.
        #expect(findings.findings.filter { $0.rule == "tabular.row-in-no-record" }.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line ?? 0)" }
                == ["attributes.csv:2", "taxonomy_terms.csv:2", "metadata.csv:2", "meta_table_descriptions.csv:2"])
        let package = try write(first)
        let second = try read(package)
        #expect(second == first)
        let again = try write(second)
        var expected = try Self.rowCounts(Self.examples)
        // The rows said to be in no record, and the file the example lacks.
        for file in ["attributes.csv", "taxonomy_terms.csv", "metadata.csv", "meta_table_descriptions.csv"] { expected[file] = 0 }
        expected["taxonomies.csv"] = 0
        #expect(try Self.rowCounts(package) == expected)
        #expect(try Self.rowCounts(again) == expected)
        #expect(try Self.rowCounts(package)["phones.csv"] == 1)
        #expect(try Self.rowCounts(package)["languages.csv"] == 1)
        #expect(try Self.rowCounts(package)["schedules.csv"] == 1)
    }

    @Test func everySamplePackageBothWays() throws {
        let folder = packageRoot.appendingPathComponent("Samples/locator-south-lanarkshire").path
        let findings = FindingLog()
        let first = try read(folder, findings: findings)
        #expect(findings.findings.filter { $0.severity != .info }.isEmpty)
        let package = try write(first)
        #expect(try read(package) == first)
        let original = try Self.rowCounts(folder)
        let written = try Self.rowCounts(package)
        for (file, rows) in original { #expect(written[file] == rows, "\(file)") }
    }

    /// Every sample feed's HSDS (the profile cases' expected output): JSON → package → JSON keeps
    /// the records, and a second round gives the same objects and the same rows per table.
    @Test(arguments: [("airs-profile", "service"), ("brescia-profile", "service"), ("case-del-quartiere-profile", "service"),
                      ("coalition-profile", "organization"), ("living-better-profile", "service"), ("portale-saperi-profile", "organization"),
                      ("portinerie-profile", "service"), ("sicura-profile", "service"), ("tolink-profile", "service"),
                      ("torino-solidale-profile", "service")])
    func everySampleFeedBothWays(_ name: String, _ object: String) throws {
        let output = packageRoot.appendingPathComponent("Tests/CroceviaEndToEndTests/Cases/\(name)/stdout").path
        let format: Format = name == "brescia-profile" ? .hsdsJSON : .hsdsJSONL
        let reader = try format.makeReader(path: output, source: "t", findings: FindingLog())
        var records: [JSONValue] = []
        while let record = try reader.next() { records.append(record.value) }
        #expect(records.count > 3)
        let findings = FindingLog()
        let first = try writePackage(records, root: object, findings: findings)
        #expect(findings.findings.filter { $0.severity != .info }.map(\.message) == [])
        let back = try readPackage(first, root: object)
        #expect(back.count == records.count)
        let second = try writePackage(back, root: object)
        #expect(try Self.rowCounts(second) == (try Self.rowCounts(first)))
        #expect(try readPackage(second, root: object) == back)
    }

    /// A phone under the service, its location and its contact is one row with all three keys;
    /// attributes and metadata linked by id, and the taxonomy term they use, are kept.
    @Test func sharedObjectsAreOneRowWithEveryLinkKey() throws {
        let phone = #"{"id": "ph-1", "number": "011 4361234", "languages": [{"id": "la-1", "name": "Italiano", "code": "it"}]}"#
        let service = """
            {"id": "s-1", "name": "Sportello", "status": "active", "phones": [\(phone)],
             "contacts": [{"id": "c-1", "name": "Anna", "phones": [\(phone)]}],
             "service_at_locations": [{"id": "sal-1", "location_id": "l-1", "location": {"id": "l-1", "location_type": "physical", "name": "Sede", "phones": [\(phone)]}}],
             "attributes": [{"id": "at-1", "link_type": "target", "value": "anziani", "taxonomy_term_id": "tt-1",
                             "taxonomy_term": {"id": "tt-1", "code": "BD-1800", "name": "Food", "description": "Food", "taxonomy_id": "tx-1",
                                               "taxonomy_detail": {"id": "tx-1", "name": "AIRS", "description": "211 LA"}}}],
             "metadata": [{"id": "m-1", "last_action_date": "2026-11-01", "last_action_type": "update", "field_name": "name",
                           "previous_value": "Sportelo", "replacement_value": "Sportello", "updated_by": "desk"}]}
            """
        let findings = FindingLog()
        let package = try write([try JSONDocument.load(path: try temporaryFile(service, name: "s.json"))], findings: findings)
        #expect(findings.findings.isEmpty)
        #expect(try String(contentsOfFile: package + "/phones.csv", encoding: .utf8) == """
            id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,extension,type,description
            ph-1,l-1,s-1,,c-1,,011 4361234,,,

            """)
        #expect(try String(contentsOfFile: package + "/languages.csv", encoding: .utf8) == """
            id,service_id,location_id,phone_id,name,code,note
            la-1,,,ph-1,Italiano,it,

            """)
        let counts = try Self.rowCounts(package)
        #expect(counts["attributes.csv"] == 1 && counts["taxonomy_terms.csv"] == 1 && counts["taxonomies.csv"] == 1 && counts["metadata.csv"] == 1)
        let back = try read(package)
        #expect(back.count == 1)
        func first(_ value: JSONValue?, _ key: String) -> JSONValue? { value?[key]?.arrayValue?.first }
        #expect(first(back[0], "attributes")?["taxonomy_term"]?["taxonomy_detail"]?["name"] == .string("AIRS"))
        #expect(first(back[0], "metadata")?["resource_type"] == .string("service"))
        #expect(first(first(back[0], "contacts"), "phones")?["id"] == .string("ph-1"))
        #expect(first(first(back[0], "service_at_locations")?["location"], "phones")?["number"] == .string("011 4361234"))
        let again = try write(back)
        #expect(try Self.rowCounts(again) == counts)
    }

    /// A phone of two services cannot be one row with both: a warning, the row stays with the first.
    @Test func anObjectOfTwoParentsOfOneKindIsAWarning() throws {
        let phone = #"{"id": "ph-1", "number": "011 4361234"}"#
        let findings = FindingLog()
        let package = try write([
            try JSONDocument.load(path: try temporaryFile(#"{"id": "s-1", "name": "A", "status": "active", "phones": [\#(phone)]}"#, name: "a.json")),
            try JSONDocument.load(path: try temporaryFile(#"{"id": "s-2", "name": "B", "status": "active", "phones": [\#(phone)]}"#, name: "b.json")),
        ], findings: findings)
        #expect(findings.findings.map(\.message) == ["phone ph-1 also belongs to service_id s-2; a row of phones.csv holds one service_id, so it stays with the first"])
        #expect(try Self.rowCounts(package)["phones.csv"] == 1)
    }

    @Test func aRepeatedIDInAPackageIsAnError() throws {
        let package = try write(TabularPackageTests.services())
        let phones = package + "/phones.csv"
        let text = try String(contentsOfFile: phones, encoding: .utf8)
        try (text + "p-1,,s-2,,,,011 000,,,\n").write(toFile: phones, atomically: true, encoding: .utf8)
        let findings = FindingLog()
        _ = try read(package, findings: findings)
        let repeated = findings.findings.filter { $0.rule == "tabular.repeated-id" }
        #expect(repeated.map(\.formatted) == ["\(phones):7: error: id \"p-1\" is also the id of the row on line 2; each row of phones.csv is one object, named by its own id (give each row its own id)"])
    }

    /// Generated services (seeded, so a failure repeats): JSON → package → JSON gives the same
    /// objects, and the package the same rows again.
    @Test(arguments: [1, 2, 3, 4, 5])
    func generatedServicesRoundTrip(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let services = (0..<12).map { Self.generatedService($0, random: &random) }
        let package = try write(services)
        let back = try read(package)
        #expect(back.count == services.count)
        let again = try write(back)
        #expect(try Self.rowCounts(again) == (try Self.rowCounts(package)))
        #expect(try read(again) == back)
        // Every phone id is one row, however many places hold it.
        var phoneIDs: Set<String> = []
        func collect(_ value: JSONValue, key: String?) {
            switch value {
            case .object(let object):
                if key == "phones", let id = object["id"]?.stringValue { phoneIDs.insert(id) }
                for member in object.members { collect(member.value, key: member.key) }
            case .array(let items): for item in items { collect(item, key: key) }
            default: break
            }
        }
        for service in services { collect(service, key: nil) }
        #expect(try Self.rowCounts(package)["phones.csv"] == phoneIDs.count)
    }

    static func generatedService(_ n: Int, random: inout SeededRandom) -> JSONValue {
        func object(_ members: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(members)) }
        let serviceID = "s-\(n)"
        let locationID = "l-\(random.next(4))"
        let sharedPhone = object([("id", .string("ph-\(n)")), ("number", .string("011 \(1000 + n)")),
                                  ("languages", .array((0..<random.next(3)).map { object([("id", .string("la-\(n)-\($0)")), ("name", .string("Lingua \($0)"))]) }))])
        var members: [(String, JSONValue)] = [("id", .string(serviceID)), ("name", .string("Servizio \(n)")), ("status", .string("active"))]
        members.append(("phones", .array([sharedPhone] + (0..<random.next(2)).map { object([("id", .string("ph-\(n)-\($0)")), ("number", .string("333 \(n)\($0)"))]) })))
        if random.next(2) == 1 {
            members.append(("contacts", .array([object([("id", .string("c-\(n)")), ("name", .string("Referente \(n)")), ("phones", .array([sharedPhone]))])])))
        }
        if random.next(3) > 0 {
            // Locations are shared by several services; each service's phone sits there too.
            members.append(("service_at_locations", .array([object([
                ("id", .string("sal-\(n)")), ("location_id", .string(locationID)),
                ("location", object([("id", .string(locationID)), ("location_type", .string("physical")), ("name", .string("Sede \(locationID)"))])),
            ])])))
        }
        members.append(("schedules", .array((0..<random.next(3)).map { object([("id", .string("h-\(n)-\($0)")), ("opens_at", .string("09:00")), ("byday", .string("MO"))]) })))
        return object(members)
    }

    private func write(_ records: [JSONValue], findings: FindingLog = FindingLog()) throws -> String {
        try writePackage(records, findings: findings)
    }

    private func read(_ folder: String, findings: FindingLog = FindingLog()) throws -> [JSONValue] {
        try readPackage(folder, findings: findings)
    }
}

/// SplitMix64: the same numbers for the same seed, on every machine.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
