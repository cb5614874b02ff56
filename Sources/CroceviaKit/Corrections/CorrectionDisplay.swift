extension Corrections {
    /// What the publisher shows of the corrections (in its transaction, on the merged directory):
    /// an accepted one's offered value set in the object that holds the field, an overlay until
    /// the owner's feed carries it; for each accepted or applied one an HSDS `metadata` entry on
    /// that object (field, previous and replacement value, `last_action_type`, who updated it);
    /// an applied one refreshes its service's `assured_date` (an applied one whose source has
    /// since sent another value shows nothing). A place published withheld shows no correction
    /// (its street would be in the entry). Returns how many were shown.
    static func show(in directory: inout [(type: String, object: JSONObject)], withheld: Set<String>, in db: RegistryDatabase) throws -> Int {
        guard try RegistrySchema.tables(in: db).contains("correction") else { return 0 }
        let shown = try db.rows("SELECT \(columns) FROM correction WHERE state IN ('accepted', 'applied') ORDER BY created_at, id").map(correction)
        guard !shown.isEmpty else { return 0 }
        var position: [String: Int] = [:], place: [String: (organization: Int, index: Int)] = [:]
        for (index, entry) in directory.enumerated() {
            guard let id = entry.object["id"]?.stringValue else { continue }
            position[entry.type + "/" + id] = index
            if entry.type == "organization", case .array(let places)? = entry.object["locations"] {
                for (offset, location) in places.enumerated() {
                    if let placeID = location.objectValue?["id"]?.stringValue { place[placeID] = (index, offset) }
                }
            }
        }
        var count = 0
        for correction in shown {
            let route = correction.route
            guard let field = FieldPath(route.targetField), !(route.targetType == "location" && withheld.contains(route.targetID)) else { continue }
            let applied = correction.state == .applied
            let entry: JSONValue = .object(JSONObject([
                ("id", .string(correction.id)), ("resource_id", .string(route.targetID)), ("resource_type", .string(route.targetType)),
                ("last_action_date", .string(String((correction.decidedAt ?? correction.createdAt).prefix(10)))),
                ("last_action_type", .string(applied ? "correction applied by the source" : "correction accepted by the network (shown until the source's feed carries it)")),
                ("field_name", .string(route.targetField)), ("previous_value", .string(correction.previous?.plainText ?? "")),
                ("replacement_value", .string(correction.offered.plainText)),
                ("updated_by", .string(applied ? route.source : correction.decidedBy ?? "coordinator")),
            ]))
            /// The object with the correction shown; nil when an applied one's source has since
            /// sent another value (the source's word stands: nothing is shown).
            func amend(_ object: JSONObject) -> JSONObject? {
                var value = JSONValue.object(object)
                if applied, field.value(in: value)?.says(correction.offered) != true { return nil }
                if !applied, field.parentExists(in: value) { value = field.setting(correction.offered, in: value) }
                var amended = value.objectValue ?? object
                amended["metadata"] = .array((amended["metadata"]?.arrayValue ?? []) + [entry])
                return amended
            }
            switch route.targetType {
            case "location":
                guard let (organization, index) = place[route.targetID], case .array(var places)? = directory[organization].object["locations"],
                      let location = places[index].objectValue.flatMap(amend) else { continue }
                places[index] = .object(location)
                directory[organization].object["locations"] = .array(places)
            default:
                guard let index = position[route.targetType + "/" + route.targetID], let amended = amend(directory[index].object) else { continue }
                directory[index].object = amended
            }
            if applied, let index = position["service/" + correction.serviceID] {
                let day = String((correction.decidedAt ?? "").prefix(10))
                if day.count == 10, (directory[index].object["assured_date"]?.stringValue ?? "") < day {
                    directory[index].object["assured_date"] = .string(day)
                }
            }
            count += 1
        }
        return count
    }
}
