@testable import CroceviaKit

/// A profile from YAML text, checked against the bundled HSDS schemas.
func profile(_ yaml: String) throws -> Profile {
    let node = try YAMLLoader.load(text: yaml, name: "profile.yaml")!
    return try ProfileLoader.decode(node, file: "profile.yaml", schemas: HSDSSchemas(directory: packageRoot.appendingPathComponent("Schemas").path))
}

/// The profile error for YAML text, as `file:line:column: message`.
func profileError(_ yaml: String) -> String? {
    do {
        _ = try profile(yaml)
        return nil
    } catch let error as CroceviaError {
        return error.description
    } catch {
        return "\(error)"
    }
}

/// Maps CSV rows (a header row and data rows) through a profile's fields.
func mapRows(_ fields: String, csv: String, target: String = "service", findings: FindingLog = FindingLog()) throws -> [JSONValue] {
    let loaded = try profile("""
        crocevia_profile: 1
        source: { name: prova, format: csv, key: Codice }
        target: \(target)
        fields:
        \(fields)
        """)
    let mapper = try Mapper(profile: loaded, findings: findings)
    return try readRecords(csv, format: .csv, findings: findings).map { mapper.map($0).value }
}

/// Maps XML records (every child of the root, or `recordElement`) through a profile's fields.
func mapXML(_ fields: String, xml: String, target: String = "service", recordElement: String? = nil,
            findings: FindingLog = FindingLog()) throws -> [JSONValue] {
    let loaded = try profile("""
        crocevia_profile: 1
        source: { name: prova, format: xml\(recordElement.map { ", record_element: \($0)" } ?? "") }
        target: \(target)
        fields:
        \(fields)
        """)
    let mapper = try Mapper(profile: loaded, findings: findings)
    let path = try temporaryFile(xml, name: "export.xml")
    var options = ReaderOptions()
    var from: Format?
    var encoding: TextEncoding?
    try loaded.source.apply(to: &options, from: &from, encoding: &encoding)
    let reader = try Format.xml.makeReader(path: path, source: "prova", options: options, findings: findings)
    var objects: [JSONValue] = []
    while let record = try reader.next() { objects.append(mapper.map(record).value) }
    return objects
}
