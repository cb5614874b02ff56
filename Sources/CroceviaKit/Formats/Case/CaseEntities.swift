/// Case data's entities as rows: the canonical tabular form (one CSV per entity, headers the
/// schema's field names) and the registry's case tables are both made of them.
///
/// A record's entity is its `type` member (`contact`, `referral`…), else the one its feed
/// names. A contact's nested person, needs, referrals and outcomes become rows of their own
/// entities, carrying the contact's id (`contact_id`) and person key.
public enum CaseEntities {
    /// The entities, parents first.
    public static let names = ["contact", "person", "need", "referral", "outcome", "volunteer_activity", "posting"]
    /// The entities a record may be on its own (`type`).
    public static let recordTypes = ["contact", "referral", "outcome", "volunteer_activity", "posting"]
    /// Nested in a contact: member → entity.
    static let nested = [("needs", "need"), ("referrals", "referral"), ("outcomes", "outcome")]

    /// A record's entity: its `type` when that names one, else `fallback` (`case/contact` or `contact`).
    public static func entity(of value: JSONValue, fallback: String) -> String {
        if let type = value["type"]?.stringValue, recordTypes.contains(type) { return type }
        return HSDSSchemas.folderAndName(fallback).name
    }

    /// What a record is: the feed's object, or for case data the entity its `type` names
    /// (`case/referral`).
    public static func objectType(of value: JSONValue, feed object: Target) -> Target {
        guard object.isCase else { return object }
        return Target("case/" + entity(of: value, fallback: object.name)) ?? object
    }

    /// One record's rows, in order: the record's own scalar fields, then (for a contact) its
    /// person, needs, referrals and outcomes with `contact_id` (and, for referrals and outcomes,
    /// `person_key`) filled in when they lack them.
    public static func rows(of object: JSONObject, entity: String) -> [(entity: String, values: JSONObject)] {
        var own = JSONObject()
        for member in object.members where member.key != "type" {
            switch member.value {
            case .object, .array: continue
            default: own.members.append(member)
            }
        }
        guard entity == "contact" else { return [(entity, own)] }
        if own["person_key"] == nil, let key = object["person"]?["person_key"] { own["person_key"] = key }
        var result = [(entity, own)]
        if case .object(var person)? = object["person"] {
            if person["person_key"] == nil, let key = own["person_key"] { person["person_key"] = key }
            if person["person_key"] != nil { result.append(("person", person)) }
        }
        for (member, child) in nested {
            guard case .array(let items)? = object[member] else { continue }
            for case .object(var values) in items {
                if values["contact_id"] == nil, let id = own["id"] { values["contact_id"] = id }
                if child != "need", values["person_key"] == nil, let key = own["person_key"] { values["person_key"] = key }
                result.append((child, values))
            }
        }
        return result
    }

    /// The CSV columns of an entity: its schema's single-valued fields, in the schema's order
    /// (`type` and nested objects left out).
    public static func columns(of entity: String, schemas: HSDSSchemas) throws -> [(name: String, type: String)] {
        guard case .object(let properties)? = try schemas.schema("case/" + entity)["properties"] else { return [] }
        return try properties.members.compactMap { member -> (String, String)? in
            guard member.key != "type" else { return nil }
            if let type = member.value["type"]?.stringValue {
                return type == "array" || type == "object" ? nil : (member.key, type)
            }
            // A reference: a single value when the schema it names is not an object (moment.json).
            guard let reference = member.value["$ref"]?.stringValue else { return (member.key, "string") }
            let name = String(reference.dropLast(reference.hasSuffix(".json") ? 5 : 0))
            return try schemas.schema("case/" + name)["type"]?.stringValue == "object" ? nil : (member.key, "string")
        }
    }
}
