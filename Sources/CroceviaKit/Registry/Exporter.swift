/// The registry's published directory, written back out as HSDS, so partners get the merged
/// directory: services (the default) each with its merged organization and places nested, or the
/// merged organizations with their places. Crocevia's own members (`_provenance`,
/// `_merged_from`) are left out unless `provenance`.
public struct Exporter {
    public enum Object: String, Sendable, CaseIterable {
        case service
        case organization
    }

    public var object = Object.service
    public var format = Format.hsdsJSONL
    public var pretty = false
    public var provenance = false

    public init() {}

    /// Writes the directory to `output`; returns how many records were written.
    public func run(from db: RegistryDatabase, to output: String, findings: FindingLog) throws -> Int {
        guard format.isHSDS else { throw CroceviaError.usage("the directory is HSDS: export it as hsds-json, hsds-jsonl or hsds-csv") }
        guard try RegistrySchema.tables(in: db).contains("directory_record") else {
            throw CroceviaError.io("\(db.location) is not a Crocevia registry (it has no directory); name the registry the pipeline writes")
        }
        var organizations: [String: JSONObject] = [:]
        var locations: [String: JSONObject] = [:]
        var order: [(type: String, id: String)] = []
        var services: [String: JSONObject] = [:]
        try db.query("SELECT object_type, id, content FROM directory_record ORDER BY position", []) { row in
            guard let type = row[0].text, let id = row[1].text, case .object(let object)? = row[2].text.flatMap(JSONText.parse) else { return }
            let shown = provenance ? object : Publisher.withoutCroceviaFields(object)
            if type == "organization" {
                organizations[id] = shown
                for case .object(let location) in shown["locations"]?.arrayValue ?? [] {
                    if let locationID = location["id"]?.stringValue { locations[locationID] = location }
                }
            } else {
                services[id] = shown
            }
            order.append((type, id))
        }
        guard !order.isEmpty else {
            throw CroceviaError.io("\(db.location) has no published directory yet; run crocevia pipeline NETWORK.yaml to import the feeds and publish it")
        }
        var options = WriterOptions()
        options.pretty = pretty
        options.hsdsObject = object.rawValue
        let writer = try format.makeWriter(path: output, options: options, findings: findings)
        var written = 0
        for entry in order where entry.type == object.rawValue {
            var record: JSONObject
            if object == .organization {
                record = organizations[entry.id]!
            } else {
                record = services[entry.id]!
                if let organizationID = record["organization_id"]?.stringValue, var organization = organizations[organizationID] {
                    organization["locations"] = nil
                    record["organization"] = .object(organization)
                }
                if case .array(let links)? = record["service_at_locations"] {
                    record["service_at_locations"] = .array(links.map { link in
                        guard case .object(var object) = link, let id = object["location_id"]?.stringValue, let location = locations[id] else { return link }
                        object["location"] = .object(location)
                        return .object(object)
                    })
                }
            }
            written += 1
            try writer.write(Record(value: .object(record), provenance: Provenance(source: "registry", file: db.location, line: written, record: written)))
        }
        try writer.finish()
        try writer.commit()
        return written
    }
}
