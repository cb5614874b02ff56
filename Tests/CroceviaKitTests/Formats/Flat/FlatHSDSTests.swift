import Foundation
import Testing
@testable import CroceviaKit

/// Converts `input` (read as `from`, through `profile` when given) to `to`; the output's text
/// and the findings, formatted.
private func convert(_ input: String, from: Format? = nil, to: Format, profile: String? = nil) throws -> (text: String, findings: [String]) {
    var options = ConvertOptions(inputs: [input])
    options.from = from
    options.to = to
    options.profile = profile
    options.output = try temporaryFile("", name: "out.\(to.rawValue)")
    let findings = FindingLog()
    _ = try Converter(options: options, findings: findings).run()
    return (try String(contentsOfFile: options.output, encoding: .utf8), findings.findings.map(\.formatted))
}

/// Each line's JSON with its members sorted: the same services whatever the order of members.
private func canonical(_ lines: String) throws -> [String] {
    try lines.split(separator: "\n").map { line in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

@Suite("hsds-flat: HSDS services as one sheet")
struct FlatHSDSTests {
    @Test("every sample's services to the flat sheet and back: the sheet again byte for byte, the services again for what the sheet carries", arguments: [
        ("portinerie-torino", "servizi.csv", [String]()), ("sicura-collegno", "attivita.csv", []), ("case-del-quartiere-torino", "attivita.csv", []),
        ("tolink-wecare-torino", "catalogo.xml", []),
        ("punti-comunita-brescia", "servizi.json", ["attributes[].id", "attributes[].link_entity", "attributes[].taxonomy_term.id",
                                                    "attributes[].taxonomy_term.name", "attributes[].taxonomy_term.description",
                                                    "attributes[].taxonomy_term.taxonomy"]),
        ("torino-solidale", "servizi.xml", ["schedules[]"]),
        ("living-better-ivrea", "sportelli.jsonl", ["last_modified", "service_at_locations[].location.external_identifier",
                                                    "service_at_locations[].location.external_identifier_type"]),
    ])
    func roundTrips(sample: String, file: String, uncarried: [String]) throws {
        let folder = packageRoot.appendingPathComponent("Samples/\(sample)")
        let services = try convert(folder.appendingPathComponent(file).path, to: .hsdsJSONL, profile: folder.appendingPathComponent("profile.yaml").path).text
        let servicesFile = try temporaryFile(services, name: "services.jsonl")
        let (flat, warnings) = try convert(servicesFile, from: .hsdsJSONL, to: .hsdsFlat)
        #expect(flat.hasPrefix(FlatHSDS.names.joined(separator: ",") + "\n"))
        // What the writer says it left out: each field with no column, each list beyond its slots.
        let said = warnings.compactMap { line -> String? in
            if let range = line.range(of: #"no column for [^,]+"#, options: .regularExpression) { return String(line[range].dropFirst(14)) }
            if let range = line.range(of: #"the first [0-9]+ of [a-z_]+"#, options: .regularExpression) { return String(line[range].split(separator: " ").last!) + "[]" }
            return nil
        }
        #expect(said == uncarried)
        let back = try convert(try temporaryFile(flat, name: "flat.csv"), from: .hsdsFlat, to: .hsdsJSONL).text
        if uncarried.isEmpty { #expect(try canonical(back) == canonical(services)) }
        let again = try convert(try temporaryFile(back, name: "again.jsonl"), from: .hsdsJSONL, to: .hsdsFlat).text
        #expect(again == flat)
    }

    @Test("a partner's flat workbook: a service at two places from two rows, a disagreement named by its cells, ids made, an unknown column")
    func partnerSheet() throws {
        let (text, findings) = try convert(packageRoot.appendingPathComponent("Tests/Workbooks/flat.xlsx").path, from: .hsdsFlat, to: .hsdsJSONL)
        let services = text.split(separator: "\n")
        #expect(services.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(services[0].utf8)) as? [String: Any])
        #expect(first["name"] as? String == "Sportello lavoro")
        let links = first["service_at_locations"] as? [[String: Any]] ?? []
        #expect(links.compactMap { ($0["location"] as? [String: Any])?["name"] as? String } == ["Portineria Porta Palazzo", "Casa del quartiere Aurora"])
        #expect((links.first?["location"] as? [String: Any])?["latitude"] as? Double == 45.0762)
        #expect(first["organization_id"] as? String == UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "hsds-flat/organization/Cooperativa Il Ponte").text)
        // Coordinates and ages as JSON numbers, a decimal comma read; anything else stays text.
        #expect(["45.0762", "45,0762", "nan", "0x1F", "-7", "1e3", ".5", "1,234,5"].map(FlatHSDS.number)
                == ["45.0762", "45.0762", nil, nil, "-7", "1e3", nil, nil])
        let root = packageRoot.path + "/Tests/Workbooks/"
        #expect(findings.map { $0.replacingOccurrences(of: root, with: "") } == [
            "flat.xlsx:Servizi!1:1: error: hsds-flat has no column \"Referente\"; its values are not read (its columns are in docs/formats.md, \"hsds-flat\")",
            "flat.xlsx:Servizi!C3: warning: service 3f1e8c52-7a0b-4c1d-9e2f-5a6b7c8d9e0f: rows 2 and 3 give service.name as \"Sportello lavoro\" and \"Sportello Lavoro\"; row 2's is kept (a service's own columns are the same on each of its rows)",
            "flat.xlsx:Servizi!B4: warning: the row has no service.id; the service is given d1c06070-e1b2-5afa-92e2-cd3dcc11bd73, made from its names (give each service an id, the same on each of its rows)",
        ])
    }

    @Test("the template: the header sheet and the guide, read back by the workbook reader; the guide speaks both languages")
    func template() throws {
        let path = try temporaryFile(FlatTemplate.xlsx(), name: "modello.xlsx")
        #expect(Format.sheetFormat(of: path) == .xlsx)
        let reader = try Format.xlsx.makeReader(path: path, source: "t", findings: FindingLog())
        #expect(reader is WorkbookRecordReader)
        #expect(try reader.next() == nil)
        var options = ReaderOptions()
        options.sheet = "Guida"
        let guide = try Format.xlsx.makeReader(path: path, source: "t", options: options, findings: FindingLog())
        var rows: [JSONObject] = []
        while let record = try guide.next() { rows.append(record.value.objectValue!) }
        #expect(rows.map { $0["Colonna / Column"]?.stringValue ?? "" } == FlatHSDS.names)
        let phone = try #require(rows.first { $0["Colonna / Column"]?.stringValue == "phones[1].number" })
        #expect(phone["Che cosa scrivere"]?.stringValue == "Secondo telefono: numero di telefono")
        #expect(phone["What to write"]?.stringValue == "Second phone: phone number")
        #expect(rows.allSatisfy { !($0["Che cosa scrivere"]?.stringValue ?? "").isEmpty && !($0["What to write"]?.stringValue ?? "").isEmpty })
        // The header sheet, read as the flat layout: no service, no finding.
        let findings = FindingLog()
        let flat = try Format.hsdsFlat.makeReader(path: path, source: "t", findings: findings)
        #expect(try flat.next() == nil && findings.findings.isEmpty)
        #expect(FlatTemplate.csv() == FlatHSDS.names.joined(separator: ",") + "\n")
        // Written twice, the same bytes (no time stamps).
        #expect(FlatTemplate.xlsx() == FlatTemplate.xlsx())
        #expect(XLSXWriter.escape("a < b & \"c\"\u{1}") == "a &lt; b &amp; &quot;c&quot;")
    }
}
