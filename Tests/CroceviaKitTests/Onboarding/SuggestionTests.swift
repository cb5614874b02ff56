import Foundation
import Testing
@testable import CroceviaKit

private let schemas = HSDSSchemas(directory: packageRoot.appendingPathComponent("Schemas").path)

/// The suggestion for a sample feed, read as its hand-written profile reads it (records' path,
/// record element), and that profile.
private func suggestion(_ sample: String, _ file: String) throws -> (ProfileSuggestion, Profile) {
    let profile = try ProfileLoader.load(path: packageRoot.appendingPathComponent("Samples/\(sample)/profile.yaml").path, schemas: schemas)
    var options = ReaderOptions(), from: Format?, encoding: TextEncoding?
    try profile.source.apply(to: &options, from: &from, encoding: &encoding)
    let suggested = try ProfileSuggestion.suggest(file: packageRoot.appendingPathComponent("Samples/\(sample)/\(file)").path, from: from,
                                                  encoding: encoding, options: options, sample: 200, source: sample)
    return (suggested, profile)
}

@Suite("Profiles suggested from a sample")
struct SuggestionTests {
    /// Written knowing these samples (the words and rules were tuned on them): a measure of
    /// where the suggester stands, not of how it does on a partner it has not seen.
    @Test("the hand-written profiles' column fields the suggestion gets right, sample by sample", arguments: [
        ("portinerie-torino", "servizi.csv", 14, 14), ("sicura-collegno", "attivita.csv", 10, 10),
        ("case-del-quartiere-torino", "attivita.csv", 13, 13), ("community-networking-coalition", "members.csv", 6, 8),
        ("punti-comunita-brescia", "servizi.json", 14, 14), ("portale-dei-saperi", "enti.json", 7, 7),
        ("living-better-ivrea", "sportelli.jsonl", 11, 11), ("tolink-wecare-torino", "catalogo.xml", 12, 12),
        ("torino-solidale", "servizi.xml", 12, 12), ("lakeshore-211-airs", "export.xml", 7, 28),
    ])
    func agreement(sample: String, file: String, right: Int, fields: Int) throws {
        let (suggested, profile) = try suggestion(sample, file)
        let found = suggested.agreement(with: profile)
        #expect(found.right == right && found.fields == fields, "missed: \(found.missed)")
        // What it writes loads as a profile.
        let path = try temporaryFile(suggested.yaml, name: "suggested.yaml")
        #expect(throws: Never.self) { try ProfileLoader.load(path: path, schemas: schemas) }
    }

    @Test("a suggested profile turns the partner's file into valid HSDS services")
    func suggestedProfileConverts() throws {
        let (suggested, _) = try suggestion("portinerie-torino", "servizi.csv")
        let folder = URL(fileURLWithPath: try temporaryFile(suggested.yaml, name: "p.yaml")).deletingLastPathComponent()
        var options = ConvertOptions(inputs: [packageRoot.appendingPathComponent("Samples/portinerie-torino/servizi.csv").path])
        options.profile = folder.appendingPathComponent("p.yaml").path
        options.output = folder.appendingPathComponent("out.jsonl").path
        let summary = try Converter(options: options, findings: FindingLog()).run()
        #expect(summary.records == 9)
        let findings = FindingLog()
        let report = try Validation(options: ValidateOptions(inputs: [options.output], target: .hsds(object: "service")), findings: findings).run()
        #expect(report.records == 9 && report.invalidRecords == 0 && findings.errorCount == 0)
        #expect(suggested.yaml.contains(#"  phones[].number: { column: "Telefono", transforms: [phone] }  # confidence 0.98: its header "Telefono", and its values look like phone numbers"#))
        #expect(suggested.yaml.contains(#"  organization.tax_id: { column: "C.F. ente", transforms: [tax_code] }"#))
        #expect(suggested.yaml.contains(#"  service_at_locations[0].location.addresses[0].state_province: { const: TO }  # HSDS requires it: the province of most values of "Comune""#))
    }

    @Test("what HSDS needs is made or said: a yes/no status mapped, a tax code with no organization left out, a place's id from its name and address")
    func requiredParts() throws {
        let rows = [("Sportello", "S", "09123450018", "Casa Aurora", "Via Cecchi 17"), ("Mensa", "N", "97812340012", "", "Via Roma 1")]
        let records = rows.enumerated().map { index, row in
            Record(value: .object(JSONObject([("Servizio", .string(row.0)), ("Stato", .string(row.1)), ("Partita IVA", .string(row.2)),
                                              ("Sede", .string(row.3)), ("Indirizzo", .string(row.4))])),
                   provenance: Provenance(source: "t", file: "t.csv", line: index + 2, record: index + 1))
        }
        let yaml = ProfileSuggestion(records: records, format: .csv, source: "t").yaml
        #expect(yaml.contains(#"  status: { column: "Stato", transforms: [{ map: { values: { "s": active, "n": inactive }, default: active } }] }"#))
        #expect(!yaml.contains("organization.tax_id:"))
        #expect(yaml.contains(#"#   "Partita IVA": looks like organization.tax_id, but no column names the organization: map organization.name first"#))
        #expect(yaml.contains(#"  service_at_locations[0].location.id: { uuid: ["Sede", "Indirizzo"] }"#))
        let path = try temporaryFile(yaml, name: "suggested.yaml")
        #expect(throws: Never.self) { try ProfileLoader.load(path: path, schemas: schemas) }
    }

    @Test("a column's guess: its header's words, its values, both; values overrule a header that says otherwise")
    func guesses() {
        func role(_ header: String, _ values: [String], context: String? = nil) -> ColumnGuess.Role? {
            ColumnGuess.guess(header: header, context: context, values: values).role
        }
        #expect(role("Cellulare", ["333 1234567", "+39 347 765 4321"]) == .phone)
        #expect(role("Ragione sociale", ["Il Ponte Soc. Coop.", "Cortile Comune ETS"]) == .organizationName)
        #expect(role("Partita IVA/C.F.", ["IT09123450018", "97812340012"]) == .taxID)
        #expect(role("Colonna1", ["info@ilponte.it", "sos@portaaperta.org"]) == .email)
        #expect(role("Telefono", ["info@ilponte.it", "sos@portaaperta.org"]) == .email)
        #expect(role("Nome", ["Casa del quartiere"], context: "sede") == .locationName)
        #expect(role("denominazione", ["Cooperativa Il Ponte"], context: "ente") == .organizationName)
        #expect(role("RagioneSociale", ["COOP. SOC. IL PONTE"]) == .organizationName)
        #expect(role("Dalle", ["10:00", "15:30"]) == .opensAt)
        #expect(role("Note", ["si entra dal cortile", "citofono 3"]) == nil)
    }
}
