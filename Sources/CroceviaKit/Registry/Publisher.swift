/// What a publish made of the registry's active records.
public struct PublishSummary: Sendable, Equatable {
    public var runID: Int64 = 0
    public var records = 0
    public var organizations = 0
    public var locations = 0
    public var services = 0
    public var rows = 0
    public var reviewPairs = 0
    /// Foreign keys that named no published object and were emptied.
    public var danglingKeys = 0
    /// Places published without their street and position (`Withholding`).
    public var withheldLocations = 0
    /// Corrections shown: accepted ones as overlays, accepted and applied ones as `metadata`.
    public var corrections = 0

    public init() {}
}

/// Publishes the network's directory: deduplicates every source's active records together and
/// replaces, in one transaction, the published directory with the result:
///
/// - `directory_record`: one merged organization per cluster (its locations merged too, with
///   `_provenance` and `_merged_from`), and every service re-pointed at its merged organization
///   (`organization_id`) and merged places (`service_at_locations[].location_id`);
/// - `cluster_member`: which record and location went into which cluster;
/// - the HSDS tables: the same objects flattened, row by row. A foreign key that names no
///   published object (a service of a record the deduplicator could not read) is emptied, with
///   a warning, so the tables' keys always hold.
public final class Publisher {
    let settings: DedupeSettings
    let findings: FindingLog

    public init(settings: DedupeSettings, findings: FindingLog) {
        self.settings = settings
        self.findings = findings
    }

    public func run(on db: RegistryDatabase, wait: Double) throws -> PublishSummary {
        let schemas = try HSDSSchemas.standard()
        let tabular = try TabularSchema.bundled(schemas: schemas)
        let municipalities = try Municipalities.standard()
        let started = Importer.timestamp()
        do {
            return try db.exclusive(wait: wait) {
                try RegistrySchema.prepare(db, schema: tabular)
                var summary = PublishSummary()
                summary.runID = try RunLog.nextID(db)
                let stored = try activeRecords(db)
                summary.records = stored.count

                let deduplicator = Deduplicator(settings: settings, municipalities: municipalities)
                deduplicator.keepsRecords = true
                var start = 0
                while start < stored.count {
                    let source = stored[start].source
                    var end = start
                    while end < stored.count && stored[end].source == source { end += 1 }
                    let reader = StoredRecords(Array(stored[start..<end]), source: source)
                    _ = try deduplicator.read(from: reader, path: reader.name, source: source, findings: findings)
                    start = end
                }
                let result = deduplicator.run()
                summary.reviewPairs = result.summary.reviewPairs

                var directory: [(type: String, object: JSONObject)] = []
                var clusterRows: [[SQLValue]] = []
                var organizationOf: [String: String] = [:]
                var locationOf: [String: String] = [:]
                // locationKeys is computed: taken once, not per record (100,000 records took minutes).
                let locationKeys = result.locationKeys, organizationIDs = result.organizationID, locationIDs = result.locationID
                for (index, key) in result.recordKeys.enumerated() {
                    let recordKey = key.source + "\u{1F}" + key.id
                    organizationOf[recordKey] = organizationIDs[index]
                    let locations = locationKeys[index]
                    if locations.isEmpty {
                        clusterRows.append([.text(key.source), .text(key.id), .null, .text(organizationIDs[index]), .null])
                    }
                    for (position, location) in locations.enumerated() {
                        locationOf[recordKey + "\u{1F}" + location] = locationIDs[index][position]
                        clusterRows.append([.text(key.source), .text(key.id), .text(location), .text(organizationIDs[index]),
                                            .text(locationIDs[index][position])])
                    }
                }
                result.mergedOrganizations { organization in
                    summary.organizations += 1
                    summary.locations += organization["locations"]?.arrayValue?.count ?? 0
                    directory.append(("organization", organization))
                }
                for record in stored where record.type == "service" {
                    guard case .object(let service) = record.value else { continue }
                    let recordKey = record.source + "\u{1F}" + record.id
                    directory.append(("service", Self.repointed(service, organization: organizationOf[recordKey]) { locationOf[recordKey + "\u{1F}" + $0] }))
                    summary.services += 1
                }

                // A withheld place stays withheld once merged: its street and position are not published.
                var withheld: Set<String> = []
                for record in stored {
                    let recordKey = record.source + "\u{1F}" + record.id
                    for id in Withholding.withheldLocations(in: record.value) { withheld.insert(locationOf[recordKey + "\u{1F}" + id] ?? id) }
                }
                directory = directory.map { entry in (entry.type, Withholding.applied(.object(entry.object), ids: withheld).objectValue ?? entry.object) }
                summary.withheldLocations = withheld.count
                summary.corrections = try Corrections.show(in: &directory, withheld: withheld, in: db)

                let rows = publishedRows(directory, schema: tabular, summary: &summary)
                for resource in RegistrySchema.ordered(tabular).reversed() { try db.execute("DELETE FROM \(quoted(resource.name))") }
                try db.execute("DELETE FROM cluster_member")
                try db.execute("DELETE FROM directory_record")
                for resource in RegistrySchema.ordered(tabular) {
                    guard let resourceRows = rows[resource.name], !resourceRows.isEmpty else { continue }
                    try db.insert(into: resource.name, columns: resource.fields.map(\.name), rows: resourceRows, suffix: "")
                    summary.rows += resourceRows.count
                }
                try db.insert(into: "cluster_member", columns: ["source", "record_id", "location_id", "organization_cluster", "location_cluster"],
                              rows: clusterRows, suffix: "")
                try db.insert(into: "directory_record", columns: ["object_type", "id", "position", "content"],
                              rows: directory.enumerated().map { position, entry in
                                  [.text(entry.type), SQLValue(entry.object["id"]?.stringValue), .integer(Int64(position)), .text(JSONText.compact(.object(entry.object)))]
                              }, suffix: "")
                var logged = ImportSummary()
                logged.records = summary.records
                try RunLog.insert(db, id: summary.runID, kind: "publish", source: nil, mode: nil, inputs: [], started: started, summary: logged,
                                  status: "succeeded",
                                  message: "\(plural(summary.organizations, "organization")), \(plural(summary.locations, "location")), \(plural(summary.services, "service"))")
                return summary
            }
        } catch {
            RunLog.recordFailure(db, kind: "publish", source: nil, mode: nil, inputs: [], started: started, error: error, wait: wait)
            throw error
        }
    }

    struct Stored {
        var source: String
        var id: String
        var type: String
        var value: JSONValue
        var file: String
        var line: Int
    }

    private func activeRecords(_ db: RegistryDatabase) throws -> [Stored] {
        var stored: [Stored] = []
        try db.query("SELECT source, id, object_type, content, file, line FROM source_record WHERE status = 'active' AND object_type NOT LIKE 'case/%' ORDER BY source, file, line, id", []) { row in
            let source = row[0].text ?? "", id = row[1].text ?? ""
            guard let value = row[3].text.flatMap(JSONText.parse) else {
                findings.add(Finding(.error, rule: "registry.unreadable-record", message: "the stored record \(id) of \(source) is not JSON; it was left out of the directory",
                                     file: db.location))
                return
            }
            stored.append(Stored(source: source, id: id, type: row[2].text ?? "", value: value, file: row[4].text ?? "", line: Int(row[5].integer ?? 0)))
        }
        return stored
    }

    /// A service pointing at the published organization and places instead of carrying its own.
    static func repointed(_ service: JSONObject, organization: String?, location: (String) -> String?) -> JSONObject {
        var service = service
        if let organization {
            service["organization_id"] = .string(organization)
            service["organization"] = nil
        }
        if case .array(let links)? = service["service_at_locations"] {
            service["service_at_locations"] = .array(links.map { link in
                guard case .object(var object) = link, let id = object["location"]?["id"]?.stringValue, let merged = location(id) else { return link }
                object["location_id"] = .string(merged)
                object["location"] = nil
                return .object(object)
            })
        }
        return service
    }

    /// The directory's objects as rows per HSDS table, each row's values typed as its column.
    private func publishedRows(_ directory: [(type: String, object: JSONObject)], schema: TabularSchema,
                               summary: inout PublishSummary) -> [String: [[SQLValue]]] {
        var flattener = TabularFlattener(schema: schema)
        var objects: [String: [JSONObject]] = [:]
        // Each id's row, by resource: the ids published, and where a later copy adds link keys.
        var positions: [String: [String: Int]] = [:]
        for entry in directory {
            flattener.flatten(Self.withoutCroceviaFields(entry.object), resource: entry.type, notObjects: { _, _, _ in }, duplicate: { copy in
                guard let position = positions[copy.resource.name]?[copy.id] else { return }
                for (field, value) in copy.keys { objects[copy.resource.name]![position][field] = value }
                for (field, value) in copy.conflicts {
                    findings.add(Finding(.warning, rule: "registry.shared-row",
                                         message: "\(copy.resource.name) \(copy.id) belongs to more than one \(field) (also \(value.cellText)); its row holds one and keeps the first",
                                         file: "directory", field: field, value: value.cellText))
                }
            }) { resource, row in
                if let id = row["id"]?.stringValue { positions[resource.name, default: [:]][id] = objects[resource.name, default: []].count }
                objects[resource.name, default: []].append(row)
            }
        }
        var rows: [String: [[SQLValue]]] = [:]
        for resource in schema.resources {
            for var object in objects[resource.name] ?? [] {
                for key in resource.foreignKeys {
                    guard let target = object[key.field]?.stringValue, positions[key.resource]?[target] == nil else { continue }
                    object[key.field] = nil
                    summary.danglingKeys += 1
                    findings.add(Finding(.warning, rule: "registry.dangling-key",
                                         message: "\(resource.name) \(object["id"]?.stringValue ?? "?"): \(key.field) names \(target), which is not in the directory; it was left empty",
                                         file: "directory", field: key.field, value: target))
                }
                rows[resource.name, default: []].append(resource.fields.map { Self.cell(object[$0.name], type: $0.type) })
            }
        }
        return rows
    }

    /// Members Crocevia adds (`_provenance`, `_merged_from`) stay in `directory_record` only.
    static func withoutCroceviaFields(_ object: JSONObject) -> JSONObject {
        var object = object
        object.members.removeAll { $0.key.hasPrefix("_") }
        for (index, member) in object.members.enumerated() {
            switch member.value {
            case .object(let child): object.members[index].value = .object(withoutCroceviaFields(child))
            case .array(let items):
                object.members[index].value = .array(items.map { item in
                    if case .object(let child) = item { return .object(withoutCroceviaFields(child)) }
                    return item
                })
            default: break
            }
        }
        return object
    }

    static func cell(_ value: JSONValue?, type: String) -> SQLValue {
        guard let value, value != .null else { return .null }
        switch (type, value) {
        case ("integer", .number(let text)): return Int64(text).map(SQLValue.integer) ?? Double(text).map(SQLValue.real) ?? .text(text)
        case ("number", .number(let text)): return Double(text).map(SQLValue.real) ?? .text(text)
        case ("boolean", .bool(let flag)): return .boolean(flag)
        case (_, .string(let text)): return type == "string" || type == "date" || type == "datetime" || type == "time" ? .text(text) : .null
        case (_, .object), (_, .array): return .text(JSONText.compact(value))
        default: return .text(value.cellText)
        }
    }
}

/// Records already in memory, read like a file (for the deduplicator).
final class StoredRecords: RecordReader {
    private let records: [Publisher.Stored]
    private var position = 0
    let name: String

    init(_ records: [Publisher.Stored], source: String) {
        self.records = records
        name = "registry:" + source
    }

    func next() throws -> Record? {
        guard position < records.count else { return nil }
        defer { position += 1 }
        let stored = records[position]
        return Record(value: stored.value, provenance: Provenance(source: stored.source, file: stored.file, line: stored.line, record: position + 1))
    }

    var progress: (done: Int, total: Int?) { (position, records.count) }
}
