/// Which source a correction goes to, and which object of the directory shows the field:
///
/// - a field of the service itself: the source of the service's record, the same path;
/// - `organization.X`: the merged organization; the source and record its `_provenance` names for
///   `X` (the source whose value won; where it names none, the first merged record that has the
///   value shown), the path `organization.X` in that record (`X` in an organization's own);
/// - `service_at_locations[i].location.X`: the merged place the link names; the source and record
///   its `_provenance` names for `X`, and in that record the link whose place went into the same
///   merged place (`cluster_member`);
/// - where the provenance says nothing of the field, the service's own record.
enum CorrectionRouting {
    static func route(_ path: FieldPath, served: JSONValue, in db: RegistryDatabase) throws -> CorrectionRoute {
        let serviceID = served.objectValue?["id"]?.stringValue ?? ""
        guard let owner = try db.rows("SELECT source FROM source_record WHERE id = ? AND object_type = 'service' AND status = 'active' ORDER BY source LIMIT 1",
                                      [.text(serviceID)]).first?[0].text else {
            throw CroceviaError.io("\(db.location): the service \(serviceID) is published but no source's record has it; publish again")
        }
        let own = CorrectionRoute(source: owner, recordID: serviceID, recordField: path.description, targetType: "service", targetID: serviceID,
                                  targetField: path.description)
        let segments = path.path.segments
        if segments[0].name == "organization", segments.count > 1, let rest = path.dropping(1),
           let organizationID = served.objectValue?["organization_id"]?.stringValue ?? served.objectValue?["organization"]?.objectValue?["id"]?.stringValue {
            var route = own
            (route.targetType, route.targetID, route.targetField) = ("organization", organizationID, rest.description)
            guard let organization = try published(organizationID, in: db) else { return route }
            // The record whose value won, else the first merged record that has the value shown.
            var candidates = winner(of: segments[1].name, in: organization).map { [$0] } ?? []
            if candidates.isEmpty { candidates = merged(organization) }
            let shown = path.value(in: served)?.looseText
            for (index, candidate) in candidates.enumerated() {
                guard let (type, content) = try record(candidate.source, candidate.record, in: db) else { continue }
                // An organization's own record holds the field at its top.
                let field = type == "organization" ? rest : path
                guard index == 0 && candidates.count == 1 || field.value(in: .object(content))?.looseText == shown else { continue }
                (route.source, route.recordID, route.recordField) = (candidate.source, candidate.record, field.description)
                break
            }
            return route
        }
        if segments[0].name == "service_at_locations", case .fixed(let index)? = segments[0].index, segments.count > 2, segments[1].name == "location",
           let rest = path.dropping(2), let link = FieldPath("service_at_locations[\(index)]")?.value(in: served)?.objectValue,
           let placeID = link["location_id"]?.stringValue ?? link["location"]?.objectValue?["id"]?.stringValue {
            var route = own
            (route.targetType, route.targetID, route.targetField) = ("location", placeID, rest.description)
            let organizationID = served.objectValue?["organization_id"]?.stringValue ?? ""
            let place = try published(organizationID, in: db)?["locations"]?.arrayValue?.first { $0.objectValue?["id"]?.stringValue == placeID }
            if let won = place.flatMap({ winner(of: segments[2].name, in: $0) }) {
                route.source = won.source
                route.recordID = won.record
            }
            // In that record, the place that went into this merged place: a service's link's, an
            // organization's place, or a place's own record.
            if let (type, content) = try record(route.source, route.recordID, in: db) {
                switch type {
                case "location":
                    route.recordField = rest.description
                case "organization":
                    if let position = try position(in: content["locations"], source: route.source, record: route.recordID, mergedPlace: placeID, in: db) {
                        route.recordField = "locations[\(position)]." + rest.description
                    }
                default:
                    if let position = try position(in: content["service_at_locations"], source: route.source, record: route.recordID, mergedPlace: placeID, in: db) {
                        route.recordField = "service_at_locations[\(position)].location." + rest.description
                    }
                }
            }
            return route
        }
        return own
    }

    /// A published organization as the registry keeps it (with `_provenance`).
    private static func published(_ id: String, in db: RegistryDatabase) throws -> JSONValue? {
        try db.rows("SELECT content FROM directory_record WHERE object_type = 'organization' AND id = ?", [.text(id)]).first?[0].text.flatMap(JSONText.parse)
    }

    private static func winner(of field: String, in object: JSONValue) -> (source: String, record: String)? {
        guard let entry = object.objectValue?["_provenance"]?.objectValue?[field]?.objectValue,
              let source = entry["source"]?.stringValue, let record = entry["record_id"]?.stringValue else { return nil }
        return (source, record)
    }

    /// The records a merged object was made from (`_merged_from`), in order.
    private static func merged(_ object: JSONValue) -> [(source: String, record: String)] {
        (object.objectValue?["_merged_from"]?.arrayValue ?? []).compactMap { entry in
            guard let source = entry.objectValue?["source"]?.stringValue, let record = entry.objectValue?["record_id"]?.stringValue else { return nil }
            return (source, record)
        }
    }

    /// A source's record: its object type and content.
    private static func record(_ source: String, _ id: String, in db: RegistryDatabase) throws -> (type: String, content: JSONObject)? {
        guard let row = try db.rows("SELECT object_type, content FROM source_record WHERE source = ? AND id = ?", [.text(source), .text(id)]).first,
              let content = row[1].text.flatMap(JSONText.parse)?.objectValue else { return nil }
        return (row[0].text ?? "", content)
    }

    /// Which element of `list` (a record's links or places) names a place that went into
    /// `mergedPlace` (`cluster_member`).
    private static func position(in list: JSONValue?, source: String, record: String, mergedPlace: String, in db: RegistryDatabase) throws -> Int? {
        let places = Set(try db.rows("SELECT location_id FROM cluster_member WHERE source = ? AND record_id = ? AND location_cluster = ?",
                                     [.text(source), .text(record), .text(mergedPlace)]).compactMap { $0[0].text })
        guard !places.isEmpty, case .array(let elements)? = list else { return nil }
        return elements.firstIndex { element in
            guard let object = element.objectValue else { return false }
            let id = object["location_id"]?.stringValue ?? object["location"]?.objectValue?["id"]?.stringValue ?? object["id"]?.stringValue ?? ""
            return places.contains(id)
        }
    }
}
