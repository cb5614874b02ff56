import Foundation
import Testing
@testable import CroceviaKit

/// Hand-made organizations from two or three partners, one hard case of DOMAIN.md per test.
@Suite struct DeduplicatorTests {
    /// An HSDS organization as a partner would send it.
    static func organization(_ id: String, _ name: String, tax: String? = nil, phone: String? = nil, email: String? = nil,
                             website: String? = nil, description: String? = nil,
                             places: [(id: String, street: String, city: String)] = []) -> String {
        var members = ["\"id\": \"\(id)\"", "\"name\": \"\(name)\""]
        if let tax { members.append("\"tax_id\": \"\(tax)\"") }
        if let email { members.append("\"email\": \"\(email)\"") }
        if let website { members.append("\"website\": \"\(website)\"") }
        if let description { members.append("\"description\": \"\(description)\"") }
        if let phone { members.append("\"phones\": [{\"number\": \"\(phone)\"}]") }
        let locations = places.map { place in
            "{\"id\": \"\(place.id)\", \"addresses\": [{\"address_1\": \"\(place.street)\", \"city\": \"\(place.city)\"}]}"
        }
        if !locations.isEmpty { members.append("\"locations\": [\(locations.joined(separator: ", "))]") }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// Runs the deduplicator over sources (name, JSON Lines) and returns the result.
    static func run(_ sources: [(String, [String])], settings: DedupeSettings = DedupeSettings()) throws -> DedupeResult {
        let deduplicator = Deduplicator(settings: settings, municipalities: try Municipalities.standard())
        for (name, lines) in sources {
            let path = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "\(name).jsonl")
            _ = try deduplicator.read(path: path, source: name, format: .jsonl, findings: FindingLog())
        }
        return deduplicator.run()
    }

    /// The organization cluster of each record id.
    static func organizations(_ result: DedupeResult) -> [String: String] {
        Dictionary(uniqueKeysWithValues: zip(result.deduplicator.records.map(\.recordID), result.organizationID))
    }

    /// The location cluster of each location id.
    static func locations(_ result: DedupeResult) -> [String: String] {
        var clusters: [String: String] = [:]
        for (index, record) in result.deduplicator.records.enumerated() {
            for (position, location) in record.locations.enumerated() { clusters[location.id] = result.locationID[index][position] }
        }
        return clusters
    }

    @Test("a partner writes the initials; the e-mail is at the other's website; a one-cell address with its postal code")
    func initialsAndOwnDomain() throws {
        let result = try Self.run([
            ("asl", [Self.organization("a", "Associazione di Solidarietà degli Anziani Piemonte Onlus", email: "amministrazione@asdap.it",
                                       places: [("a-l", "V.le dei Mughetti, n.9, 10093 Collegno (TO)", "")])]),
            ("oratori", [Self.organization("b", "ASDAP", website: "http://www.asdap.it", places: [("b-l", "Viale dei Mughetti 9", "Collegno")])]),
            // Initials that do not fit: another body at the same address.
            ("caritas", [Self.organization("c", "AMSP", places: [("c-l", "Viale dei Mughetti 9", "Collegno")])]),
        ])
        let organizations = Self.organizations(result)
        #expect(organizations["a"] == organizations["b"] && organizations["c"] != organizations["a"])
        #expect(Self.locations(result)["a-l"] == Self.locations(result)["b-l"])
        var evidence: [Evidence]? = []
        _ = result.scorer.score(0, 1, evidence: &evidence)
        #expect(evidence?.map { "\($0.field) \($0.detail)" } == [
            "name names 90% alike: \"Associazione di Solidarietà degli Anziani Piemonte Onlus\" and \"ASDAP\"",
            "email an e-mail at the other's website asdap.it", "address same address viale dei mughetti 9",
        ])
    }

    @Test("a date's Roman day meets its number: Via XX Settembre is Via 20 Settembre, Via IV Novembre not Via 6 Novembre; Emanuele II stays")
    func romanNumeralsInStreets() throws {
        let result = try Self.run([
            ("csv", [Self.organization("a", "Cooperativa Sociale Verso Casa", tax: "01084570017", places: [("a-l", "Via XX Settembre 22", "Torino")]),
                     Self.organization("c", "Associazione Andrea Bonino", places: [("c-l", "Via IV Novembre, 48", "Torino")])]),
            ("runts", [Self.organization("b", "COOPERATIVA SOCIALE VERSO CASA", tax: "01084570017", places: [("b-l", "Via 20 Settembre n. 22", "Torino")]),
                       Self.organization("d", "Associazione Andrea Bonino", places: [("d-l", "Via 6 Novembre 48", "Torino")])]),
        ])
        let locations = Self.locations(result)
        #expect(locations["a-l"] == locations["b-l"] && locations["c-l"] != locations["d-l"])
        #expect(["xx", "iv", "xxxix", "i", "vi", "xiv"].map(DedupeRecordBuilder.arabic) == ["20", "4", "39", "1", "6", "14"])
        #expect(["iiii", "vv", "xl", "via", "ix1", "mille"].map(DedupeRecordBuilder.arabic) == ["iiii", "vv", "xl", "via", "ix1", "mille"])
        #expect(DedupeRecordBuilder.datesInFigures(["xxv", "aprile"]) == ["25", "aprile"])
        #expect(DedupeRecordBuilder.datesInFigures(["xx", "settnmbre"]) == ["20", "settnmbre"] && DedupeRecordBuilder.datesInFigures(["xx", "sittember"]) == ["20", "sittember"])
        #expect(DedupeRecordBuilder.datesInFigures(["vittorio", "emanuele", "ii"]) == ["vittorio", "emanuele", "ii"])
    }

    @Test("bodies named after two people with one surname stay apart; one person's body written two ways is one")
    func namedAfterPeople() throws {
        let result = try Self.run([
            ("csv", [Self.organization("a", "Associazione Bruna Martini", phone: "011 5512872", places: [("a-l", "Corso della Repubblica 136", "Torino")]),
                     Self.organization("c", "Associazione Carlo Favro - APS", phone: "011 2732290", places: [("c-l", "Piazza Pietro Micca 17/A", "Torino")])]),
            ("portale", [Self.organization("b", "Associazione Chiara Martini", phone: "011 5512872", places: [("b-l", "Corso della Repubblica 136", "Torino")]),
                         Self.organization("d", "Carlo Favro Associazione aps", phone: "(011) 273 22 90", places: [("d-l", "P.za P. Micca 17 A", "Torino")])]),
        ])
        let organizations = Self.organizations(result)
        #expect(organizations["a"] != organizations["b"] && organizations["c"] == organizations["d"])
        let records = result.deduplicator.records.map(\.recordID)
        var evidence: [Evidence]? = []
        _ = result.scorer.score(records.firstIndex(of: "a")!, records.firstIndex(of: "b")!, evidence: &evidence)
        #expect(evidence?.contains { $0.field == "name" && $0.detail == "named after different people: bruna, chiara" && $0.points == -3 } == true)
        evidence = []
        _ = result.scorer.score(records.firstIndex(of: "c")!, records.firstIndex(of: "d")!, evidence: &evidence)
        #expect(evidence?.contains { $0.detail.hasPrefix("named after different people") } == false)
    }

    @Test func branchesAreOneOrganizationWithTwoPlaces() throws {
        let result = try Self.run([
            ("portinerie", [Self.organization("a1", "Ass.ne Il Ponte ONLUS", tax: "IT 09123450018", phone: "011 436 1234",
                                              website: "www.ilponte-coop.it", places: [("a1-l", "P.zza della Repubblica 14/A", "Torino")])]),
            ("collegno", [Self.organization("b1", "ASSOCIAZIONE IL PONTE - SEDE DI COLLEGNO", tax: "9123450018", phone: "(011) 436.12.34",
                                            places: [("b1-l", "Via Roma, 12", "Collegno")])]),
            ("brescia", [Self.organization("c1", "Associazione Il Ponte", website: "https://www.ilponte-coop.it/",
                                           places: [("c1-l", "Piazza della Repubblica n. 14/a", "TORINO")])]),
        ])
        let organizations = Self.organizations(result)
        #expect(Set(organizations.values).count == 1)
        let locations = Self.locations(result)
        #expect(locations["a1-l"] == locations["c1-l"])
        #expect(locations["a1-l"] != locations["b1-l"])
        #expect(result.summary.organizationClusters == 1)
        #expect(result.summary.locationClusters == 2)
    }

    @Test func namesakeParishesInOtherTownsStayApart() throws {
        let result = try Self.run([
            ("collegno", [Self.organization("p1", "Parrocchia San Giuseppe", phone: "011 4050505", places: [("p1-l", "Via Roma 3", "Collegno")])]),
            ("ivrea", [Self.organization("p2", "Parr. S. Giuseppe", phone: "0125 641234", places: [("p2-l", "Via Castellamonte 20", "Ivrea")])]),
            ("portinerie", [Self.organization("p3", "PARROCCHIA SAN GIUSEPPE", places: [("p3-l", "V. Roma, 3", "Collegno")])]),
        ])
        let organizations = Self.organizations(result)
        #expect(organizations["p1"] == organizations["p3"])
        #expect(organizations["p1"] != organizations["p2"])
    }

    @Test func hostedBodySharingAddressAndPhoneIsAnotherOrganization() throws {
        let result = try Self.run([
            ("portinerie", [
                Self.organization("h1", "Parrocchia San Gioachino", phone: "011 5211122", places: [("h1-l", "Via Cigna 2", "Torino")]),
                Self.organization("g1", "Associazione Vicini di Casa ODV", tax: "97123450013", phone: "011.521.11.22", places: [("g1-l", "Via Cigna, 2", "Torino")]),
            ]),
            ("solidale", [Self.organization("g2", "ASS. VICINI DI CASA", places: [("g2-l", "via Cigna n. 2", "TORINO")])]),
        ])
        let organizations = Self.organizations(result)
        #expect(organizations["g1"] == organizations["g2"])
        #expect(organizations["h1"] != organizations["g1"])
        // The same building, two bodies: two places, one per organization.
        let locations = Self.locations(result)
        #expect(locations["h1-l"] != locations["g1-l"])
        #expect(locations["g1-l"] == locations["g2-l"])
    }

    @Test func municipalOfficesShareTheMunicipality() throws {
        let result = try Self.run([
            ("collegno", [
                Self.organization("m1", "Comune di Collegno - Servizi Sociali", tax: "01239870015", places: [("m1-l", "Piazza del Municipio 1", "Collegno")]),
                Self.organization("m2", "Comune di Collegno, Informagiovani", tax: "01239870015", places: [("m2-l", "Via Alfieri 4", "Collegno")]),
            ]),
            ("portinerie", [Self.organization("m3", "COMUNE DI COLLEGNO SERVIZI SOCIALI", places: [("m3-l", "P.zza del Municipio, 1", "Collegno")])]),
            ("brescia", [Self.organization("x1", "Comune di Brescia - Servizi Sociali", tax: "00761890177", places: [("x1-l", "Piazza Loggia 1", "Brescia")])]),
        ])
        let organizations = Self.organizations(result)
        #expect(Set(["m1", "m2", "m3"].map { organizations[$0]! }).count == 1)
        #expect(organizations["x1"] != organizations["m1"])
        let locations = Self.locations(result)
        #expect(locations["m1-l"] == locations["m3-l"])
        #expect(locations["m1-l"] != locations["m2-l"])
    }

    @Test func noChainThroughARecordWithoutTaxCode() throws {
        // a and c hold different tax codes; b, without one, is like both.
        let result = try Self.run([
            ("one", [Self.organization("a", "Cooperativa Sociale Arcobaleno", tax: "09123450018", phone: "011 1111111", places: [("a-l", "Via Po 1", "Torino")])]),
            ("two", [Self.organization("b", "Cooperativa Sociale Arcobaleno", phone: "011 1111111", email: "info@arcobaleno.it", places: [("b-l", "Via Po 1", "Torino")])]),
            ("three", [Self.organization("c", "Coop. Soc. Arcobaleno", tax: "97812340012", email: "info@arcobaleno.it", places: [("c-l", "Via Po 1", "Torino")])]),
        ])
        let organizations = Self.organizations(result)
        #expect(organizations["a"] != organizations["c"])
        // b–c is the stronger link (e-mail, name, address), so b joins c; then a–b, strong on its
        // own, is refused: it would put a's and c's tax codes in one cluster.
        #expect(organizations["b"] == organizations["c"])
        let refused = result.reviewPairs().filter { $0.note == "kept apart: their clusters hold different tax codes" }
        #expect(refused.map { [$0.left.recordID, $0.right.recordID] } == [["a", "b"]])
        #expect(refused.map(\.score) == [8.625])  // name 4.125, phone 2.5, address 2
        #expect(refused.first?.evidence.map(\.field) == ["name", "phone", "address"])
    }

    @Test func clusterIDsAreStableAndANewRecordRenumbersNothingElse() throws {
        let base: [(String, [String])] = [
            ("one", [Self.organization("r1", "Associazione Il Ponte", tax: "09123450018", places: [("r1-l", "Via Po 1", "Torino")]),
                     Self.organization("r2", "Associazione Porta Aperta APS", tax: "97812340012", places: [("r2-l", "Corso Giulio Cesare 45", "Torino")])]),
            ("two", [Self.organization("s1", "ASS. IL PONTE", tax: "IT09123450018", places: [("s1-l", "via Po, 1", "Torino")])]),
        ]
        let first = Self.organizations(try Self.run(base))
        let again = Self.organizations(try Self.run(base.reversed()))
        #expect(first == again)
        // The id is UUIDv5 of the smallest member id.
        #expect(first["r1"] == UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "crocevia:organization-cluster:r1").text)
        var grown = base
        grown.append(("three", [Self.organization("q9", "Associazione Vicini di Casa", tax: "97123450013", places: [("q9-l", "Via Di Nanni 27", "Torino")]),
                                Self.organization("t1", "Associazione Porta Aperta", tax: "97812340012", places: [("t1-l", "C.so Giulio Cesare, 45", "Torino")])]))
        let after = Self.organizations(try Self.run(grown))
        for id in ["r1", "r2", "s1"] { #expect(after[id] == first[id], "\(id)") }
        #expect(after["t1"] == first["r2"])
    }

    @Test func clustersFileHasARowPerRecordAndLocation() throws {
        let result = try Self.run([
            ("one", [Self.organization("r1", "Associazione Il Ponte", tax: "09123450018",
                                       places: [("r1-a", "Via Po 1", "Torino"), ("r1-b", "Via Roma 12", "Collegno")]),
                     Self.organization("r2", "Banco Alimentare ODV")]),
        ])
        let path = try temporaryFile("", name: "clusters.csv")
        try result.writeClusters(to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let org1 = UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "crocevia:organization-cluster:r1").text
        let org2 = UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "crocevia:organization-cluster:r2").text
        let placeA = UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "crocevia:location-cluster:r1#r1-a").text
        let placeB = UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "crocevia:location-cluster:r1#r1-b").text
        #expect(lines == [
            "record_id,location_id,organization_cluster,location_cluster",
            "r1,r1-a,\(org1),\(placeA)",
            "r1,r1-b,\(org1),\(placeB)",
            "r2,,\(org2),",
        ])
    }

    @Test func mergedRecordChoosesByRuleAndSaysWhere() throws {
        var settings = DedupeSettings()
        settings.sourceTrust = ["registro", "portinerie"]
        settings.fieldRules["website"] = .complete
        let result = try Self.run([
            ("portinerie", [Self.organization("p", "ASS. IL PONTE", tax: "9123450018", phone: "011 436 1234", website: "www.ilponte.it",
                                              description: "Aiuto agli anziani del quartiere, spesa e farmaci a domicilio",
                                              places: [("p-l", "P.zza della Repubblica 14/A", "Torino")])]),
            ("registro", [Self.organization("r", "Associazione Il Ponte ONLUS", tax: "09123450018", phone: "+39 333 1234567",
                                            website: "https://www.ilponte.it/chi-siamo", description: "Associazione",
                                            places: [("r-l", "Piazza della Repubblica, 14/A", "Torino")])]),
        ], settings: settings)
        let path = try temporaryFile("", name: "merged.jsonl")
        try result.writeMerged(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let merged = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(merged["id"] as? String == UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "crocevia:organization-cluster:p").text)
        #expect(merged["name"] as? String == "Associazione Il Ponte ONLUS")  // most trusted source
        #expect(merged["description"] as? String == "Aiuto agli anziani del quartiere, spesa e farmaci a domicilio")  // most complete
        #expect(merged["website"] as? String == "https://www.ilponte.it/chi-siamo")  // configured: most complete
        #expect((merged["phones"] as? [[String: Any]])?.compactMap { $0["number"] as? String } == ["+39 333 1234567", "011 436 1234"])
        let provenance = try #require(merged["_provenance"] as? [String: [String: String]])
        #expect(provenance["name"] == ["source": "registro", "record_id": "r", "rule": "trusted"])
        #expect(provenance["description"] == ["source": "portinerie", "record_id": "p", "rule": "complete"])
        let locations = try #require(merged["locations"] as? [[String: Any]])
        #expect(locations.count == 1)
        #expect(locations[0]["organization_id"] as? String == merged["id"] as? String)
        #expect((merged["_merged_from"] as? [[String: String]])?.map { $0["record_id"]! } == ["p", "r"])
    }

    @Test func reviewQueueListsEvidenceForAndAgainst() throws {
        let result = try Self.run([
            ("one", [Self.organization("a", "Associazione Il Faro", phone: "011 1234567", places: [("a-l", "Via Po 1", "Torino")])]),
            ("two", [Self.organization("b", "ASS. IL FARO", phone: "011 7654321", places: [("b-l", "Via Garibaldi 7", "Torino")])]),
        ])
        let pairs = result.reviewPairs()
        #expect(pairs.count == 1)
        let path = try temporaryFile("", name: "review.csv")
        try result.writeReviewCSV(to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        // The same name (its words are in every record, so they weigh little) in one town, with
        // other phones: not enough to merge, too much to dismiss.
        #expect(lines[1] == "4.1,one,a,Associazione Il Faro,two,b,ASS. IL FARO,"
            + "\"name +4.1: names 100% alike: \"\"Associazione Il Faro\"\" and \"\"ASS. IL FARO\"\"; municipality +0.5: same municipality\","
            + "phone -0.5: no phone in common,")
    }

    @Test func recordsThatAreNoOrganizationAreReportedWithTheirLine() throws {
        let deduplicator = Deduplicator(settings: DedupeSettings(), municipalities: nil)
        let path = try temporaryFile("{\"id\": \"a\", \"name\": \"Il Ponte\"}\n[1, 2]\n{\"name\": \"senza id\"}\n", name: "feed.jsonl")
        let findings = FindingLog()
        #expect(try deduplicator.read(path: path, source: "feed", format: .jsonl, findings: findings) == 1)
        #expect(findings.findings.map { "\($0.line ?? 0): \($0.message)" } == [
            "2: the record is not a JSON object; it was left out of deduplication",
            "3: the record has no id; it was left out of deduplication",
        ])
    }

    @Test func taxCodeThatFailsItsCheckIsReportedAndNotUsed() throws {
        let deduplicator = Deduplicator(settings: DedupeSettings(), municipalities: nil)
        let lines = [Self.organization("a", "Il Ponte", tax: "00743110158"), Self.organization("b", "Food Bank", tax: "118843215 RR 0001"),
                     Self.organization("c", "Food Bank East", tax: "118843215RR0001")]
        let path = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "feed.jsonl")
        let findings = FindingLog()
        _ = try deduplicator.read(path: path, source: "feed", format: .jsonl, findings: findings)
        #expect(findings.findings.map { "\($0.line ?? 0): \($0.severity) \($0.message)" } == [
            "1: warning tax code \"00743110158\" fails its check digit (7 expected at the end); it is not used for matching",
        ])
        #expect(deduplicator.records.map(\.taxCode) == [nil, "118843215RR0001", "118843215RR0001"])
    }

    @Test func settingsFileErrorsNameTheLine() throws {
        let path = try temporaryFile("thresholds:\n  merge: 4\n  reviw: 1\n", name: "dedupe.yaml")
        #expect(throws: CroceviaError.configuration(file: path, line: 3, column: 3,
                                                    message: "unknown key \"reviw\" in thresholds; did you mean \"review\"? (known keys: merge, review, location)")) {
            try DedupeSettings.load(path: path)
        }
        let order = try temporaryFile("thresholds: { merge: 2, review: 3 }\nsources: [registro]\nsurvivorship: { fields: { name: recent } }\n", name: "d.yaml")
        #expect(throws: CroceviaError.configuration(file: order, line: 1, column: 13, message: "thresholds.review (3.0) must not be above thresholds.merge (2.0)")) {
            try DedupeSettings.load(path: order)
        }
    }
}

@Suite struct ReviewReportTests {
    @Test func pageShowsThePairsWithTheirEvidenceAndKeepsDataAsText() throws {
        var settings = DedupeSettings()
        settings.reviewThreshold = -5
        let result = try DeduplicatorTests.run([
            ("one", [DeduplicatorTests.organization("<script>alert(1)</script>", "Associazione Il Faro", phone: "011 1234567", places: [("a-l", "Via Po 1", "Torino")])]),
            ("two", [DeduplicatorTests.organization("b", "Associazione Il Faro", phone: "011 7654321", places: [("b-l", "Via Garibaldi 7", "Torino")])]),
        ], settings: settings)
        let page = ReviewReport.html(result, inputs: ["one.jsonl", "two.jsonl"], language: .it)
        #expect(page.contains("<h1>Coppie da verificare</h1>"))
        #expect(page.contains("<tr><td>2</td><td>2</td><td>2</td><td>1</td><td>0</td><td>1</td></tr>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<script>"))
        #expect(page.contains("<li class=\"against\">phone -0.5: no phone in common</li>"))
        #expect(page.contains("<li class=\"for\">municipality +0.5: same municipality</li>"))
        let english = ReviewReport.html(result, inputs: [], language: .en)
        #expect(english.contains("<h1>Pairs to review</h1>"))
    }
}
