import Foundation
import Testing
@testable import CroceviaKit

extension RegistryTests {
/// A shelter's address never leaves: a profile marks the place withheld, and nothing published
/// from the registry carries its street or position.
@Suite("Withheld addresses")
struct WithheldTests {
    /// A partner's sheet with a shelter (withheld, with its reason) and an open desk.
    static func feed(in folder: String) throws -> (csv: String, profile: String) {
        let csv = folder + "/servizi.csv"
        try """
            codice;servizio;ente;sede;indirizzo;cap;comune;lat;lon;riservato
            CR-1;Accoglienza in casa rifugio;Associazione Demetra ODV;Casa Demetra;Via Segreta 7;10152;Torino;45.0801;7.6802;casa rifugio per donne
            SP-1;Sportello antiviolenza;Associazione Demetra ODV;Sportello Demetra;Via Aperta 1;10152;Torino;45.0702;7.6861;

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let profile = folder + "/profile.yaml"
        try """
            crocevia_profile: 1
            source: { name: demetra, format: csv, delimiter: ";", key: codice }
            target: service
            fields:
              id: { uuid: codice }
              organization_id: { copy: organization.id }
              name: servizio
              status: { const: active }
              organization.id: { uuid: ente }
              organization.name: ente
              organization.description: { template: "{ente}: centro antiviolenza" }
              service_at_locations[0].id: { uuid: [codice, sede] }
              service_at_locations[0].location_id: { copy: "service_at_locations[0].location.id" }
              service_at_locations[0].location.id: { uuid: sede }
              service_at_locations[0].location.name: sede
              service_at_locations[0].location.location_type: { const: physical }
              service_at_locations[0].location.latitude: { column: lat, transforms: [number] }
              service_at_locations[0].location.longitude: { column: lon, transforms: [number] }
              service_at_locations[0].location.x_withheld: { column: riservato, optional: true }
              service_at_locations[0].location.addresses[0].id: { uuid: sede }
              service_at_locations[0].location.addresses[0].address_1: indirizzo
              service_at_locations[0].location.addresses[0].postal_code: cap
              service_at_locations[0].location.addresses[0].city: comune
              service_at_locations[0].location.addresses[0].state_province: { const: TO }
              service_at_locations[0].location.addresses[0].country: { const: IT }
              service_at_locations[0].location.addresses[0].address_type: { const: physical }

            """.write(toFile: profile, atomically: true, encoding: .utf8)
        return (csv, profile)
    }

    @Test("the shelter's street, position and reason are in no export, tabular package, table or answer; its municipality is", arguments: Backend.allCases)
    func withheldPlace(backend: Backend) async throws {
        let (db, url) = try backend.fresh()
        defer { db.close() }
        let folder = try temporaryFolder()
        let (csv, profile) = try Self.feed(in: folder)
        var options = ImportOptions(inputs: [csv])
        options.profile = profile
        let findings = FindingLog()
        let imported = try Importer(options: options, findings: findings).run(into: db)
        #expect(imported.added == 2, "\(findings.findings.map(\.message))")
        let published = try Publisher(settings: DedupeSettings(), findings: FindingLog()).run(on: db, wait: 0)
        #expect(published.withheldLocations == 1)
        // The registry keeps what the partner sent; only that.
        #expect(try db.scalar("SELECT COUNT(*) FROM source_record WHERE content LIKE '%Via Segreta%'").integer == 1)
        for table in ["directory_record", "address", "location"] {
            let sql = table == "directory_record" ? "SELECT content FROM directory_record" : "SELECT * FROM \"\(table)\""
            for row in try db.rows(sql) {
                let text = row.compactMap(\.text).joined(separator: " ")
                #expect(!text.contains("Segreta") && !text.contains("45.0801") && !text.contains("rifugio per donne"), "\(table): \(text)")
            }
        }
        #expect(try db.scalar("SELECT COUNT(*) FROM address WHERE address_1 = 'Indirizzo riservato' AND city = 'Torino' AND postal_code = '10152'").integer == 1)
        #expect(try db.scalar("SELECT COUNT(*) FROM address WHERE address_1 = 'Via Aperta 1'").integer == 1)

        let exported = folder + "/export.jsonl", package = folder + "/package"
        #expect(try Exporter().run(from: db, to: exported, findings: FindingLog()) == 2)
        var tabular = Exporter()
        tabular.format = .hsdsCSV
        _ = try tabular.run(from: db, to: package, findings: FindingLog())
        var provenance = Exporter()
        provenance.provenance = true
        _ = try provenance.run(from: db, to: folder + "/provenance.jsonl", findings: FindingLog())
        let exportText = try String(contentsOfFile: exported, encoding: .utf8)
        #expect(exportText.contains(#""address_1":"Indirizzo riservato""#) && exportText.contains("Via Aperta 1"))

        // The check finds nothing in what was published, and finds the street where it is.
        let check = try WithheldCheck(registry: db)
        #expect(check.count == 1)
        let checked = FindingLog()
        var outputs = [exported, folder + "/provenance.jsonl"]
        outputs += try FileManager.default.contentsOfDirectory(atPath: package).map { package + "/" + $0 }
        for output in outputs { #expect(try check.check(output, findings: checked) == 0, "\(output)") }
        #expect(checked.findings.isEmpty)
        let leaked = folder + "/leaked.csv"
        try "nome;indirizzo\nSportello;Via Aperta 1\nCasa;VIA SEGRETA, 7\n".write(toFile: leaked, atomically: true, encoding: .utf8)
        #expect(try check.check(leaked, findings: checked) == 1)
        #expect(checked.findings.map { "\($0.line ?? 0) \($0.rule): \($0.message)" }
                == ["3 withheld.address-published: the withheld address \"via segreta 7\" is in this output; a withheld place's street must not leave the registry"])

        // The server answers from the same published directory.
        try await ServeTests.serving(url, backend: backend) { base in
            for path in ["/services?format=ndjson&full=true", "/service_at_locations?format=ndjson&full=true", "/organizations?format=ndjson&full=true",
                         "/directory?search=rifugio"] {
                let answer = try await ServeTests.get(base + path)
                #expect(answer.status == 200)
                #expect(!answer.body.contains("Segreta") && !answer.body.contains("45.0801") && !answer.body.contains("rifugio per donne"), "\(path)")
            }
            let near = try await ServeTests.get(base + "/service_at_locations?lat=45.08&lng=7.68&radius=5000&sort=distance")
            #expect(try ServeTests.json(near.body)["total_items"] == .number("1"), "the shelter has no position to be found by")
            let inTurin = try await ServeTests.get(base + "/services?municipality=Torino&minimal=true")
            #expect(try ServeTests.json(inTurin.body)["total_items"] == .number("2"))
        }
    }
}
}
