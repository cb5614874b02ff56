/// Which source a correction goes to, and which object of the directory shows the field:
///
/// - a field of the service itself: the source of the service's record, the same path;
/// - `organization.X`: the merged organization; the record its `_provenance` names for `X` (whose
///   value won), or else the first of the merged records (`_merged_from`) that has the value
///   shown, in a list at whichever element holds it (`phones` are the union of the records'); the
///   path `organization.X` in that record (`X` in an organization's own);
/// - `service_at_locations[i].location.X`: the merged place the link names; the record its
///   `_provenance` names for `X`, and in that record the link or place that went into the same
///   merged place (`cluster_member`);
/// - otherwise, and where none of that is found, the service's own record, the same path.
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
            // The record whose value won, then each merged record: the first that has the value
            // shown (in a list such as phones, at whichever element it is), else the winner.
            let won = winner(of: segments[1].name, in: organization)
            let shown = path.value(in: served)
            for candidate in (won.map { [$0] } ?? []) + merged(organization) {
                guard let shown, let (type, content) = try record(candidate.source, candidate.record, in: db) else { continue }
                // An organization's own record holds the field at its top.
                guard let field = (type == "organization" ? rest : path).locating(shown, in: .object(content)) else { continue }
                (route.source, route.recordID, route.recordField) = (candidate.source, candidate.record, field.description)
                return route
            }
            if let won, let (type, _) = try record(won.source, won.record, in: db) {
                (route.source, route.recordID, route.recordField) = (won.source, won.record, (type == "organization" ? rest : path).description)
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
            // The record whose value won, in which the place that went into this merged place is
            // found (a service's link, an organization's place, or a place's own record); else
            // the service's own record, as served.
            if let won = place.flatMap({ winner(of: segments[2].name, in: $0) }),
               let field = try placeField(rest, source: won.source, record: won.record, mergedPlace: placeID, in: db) {
                (route.source, route.recordID, route.recordField) = (won.source, won.record, field)
            }
            return route
        }
        return own
    }

    /// The path of a merged place's field `rest` in a source's record: nil when the record holds
    /// no place that went into `mergedPlace`.
    private static func placeField(_ rest: FieldPath, source: String, record id: String, mergedPlace: String, in db: RegistryDatabase) throws -> String? {
        guard let (type, content) = try record(source, id, in: db) else { return nil }
        switch type {
        case "location":
            return rest.description
        case "organization":
            return try position(in: content["locations"], source: source, record: id, mergedPlace: mergedPlace, in: db).map { "locations[\($0)]." + rest.description }
        default:
            return try position(in: content["service_at_locations"], source: source, record: id, mergedPlace: mergedPlace, in: db)
                .map { "service_at_locations[\($0)].location." + rest.description }
        }
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
            // A place without an id matches nothing.
            guard let id = object["location_id"]?.stringValue ?? object["location"]?.objectValue?["id"]?.stringValue ?? object["id"]?.stringValue,
                  !id.isEmpty else { return false }
            return places.contains(id)
        }
    }
}
