/// Flattens nested HSDS objects into the rows of the tabular package's resources, along the links
/// of `TabularSchema`: a nested list's rows get the parent's id in their foreign key
/// (`phone.service_id`), an attached object's id goes into the parent's key
/// (`service.organization_id`), attributes and metadata get `link_id`/`resource_id` and the
/// parent's type. Keys already filled are kept. Used by the tabular writer and by the registry's
/// published directory.
///
/// **One row per id.** Nested JSON repeats an object wherever it belongs (a phone of the service,
/// of its location and of its contact; an organization shared by many services), and a package
/// holds it once. The first copy of an id becomes the row; a later copy is not a row again, but
/// the link keys it fills and the first did not (the same phone's `location_id`) are handed to
/// `duplicate`, and a key it fills with another value (one phone of two services: a row holds one
/// `service_id`) to `conflict`. An attached object is flattened once per id, its nested objects
/// with it.
struct TabularFlattener {
    let schema: TabularSchema
    /// Ids of attached objects already flattened, per resource.
    private var attached: [String: Set<String>] = [:]
    /// Each row made so far, per resource, by a hash of its id: a hash of each link key's value
    /// (0 where empty), in the order of `linkFields`.
    private var rows: [String: [ContentHash: [UInt64]]] = [:]
    private var linkFieldsByResource: [String: [String]] = [:]

    init(schema: TabularSchema) { self.schema = schema }

    /// What a later copy of a row's id adds to the row already made.
    struct Duplicate {
        var resource: TabularSchema.Resource
        var id: String
        /// Link keys the first copy left empty.
        var keys: [(field: String, value: JSONValue)]
        /// Link keys both fill, with this copy's other value (the row keeps the first).
        var conflicts: [(field: String, value: JSONValue)]
    }

    /// Calls `row` for each row, children before their parent; `duplicate` for a later copy of an
    /// id that adds or contradicts link keys; `notObjects` for a nested property holding values
    /// that are not objects (they are left out).
    mutating func flatten(_ object: JSONObject, resource name: String, notObjects: (_ parent: String, _ property: String, _ resource: String) -> Void,
                          duplicate: (Duplicate) throws -> Void = { _ in },
                          row emit: (TabularSchema.Resource, JSONObject) throws -> Void) rethrows {
        guard let resource = schema.resource(name) else { return }
        var row = object
        let id = object["id"]?.stringValue
        for nested in schema.nesting[name] ?? [] {
            guard let value = row[nested.property] else { continue }
            row[nested.property] = nil
            let children: [JSONObject]
            let dropped: Bool
            switch value {
            case .array(let items):
                let present = items.filter { $0 != .null }
                children = present.compactMap(\.objectValue)
                dropped = children.count < present.count
            case .object(let child):
                children = [child]
                dropped = false
            case .null:
                children = []
                dropped = false
            default:
                children = []
                dropped = true
            }
            if dropped { notObjects(name, nested.property, nested.resource) }
            for var child in children {
                switch nested.link {
                case .children(let key):
                    if child[key] == nil, let id { child[key] = .string(id) }
                case .attached(let key):
                    if row[key] == nil, let childID = child["id"] { row[key] = childID }
                    if let childID = child["id"]?.stringValue, !attached[nested.resource, default: []].insert(childID).inserted { continue }
                case .tagged(let idField, let typeField):
                    if child[idField] == nil, let id { child[idField] = .string(id) }
                    if child[typeField] == nil { child[typeField] = .string(name) }
                }
                try flatten(child, resource: nested.resource, notObjects: notObjects, duplicate: duplicate, row: emit)
            }
        }
        guard let id else { return try emit(resource, row) }
        let fields = linkFields(of: resource)
        let values = fields.map { Self.hash(row[$0]) }
        let key = Self.hash(id)
        guard var first = rows[name]?[key] else {
            rows[name, default: [:]][key] = values
            return try emit(resource, row)
        }
        var copy = Duplicate(resource: resource, id: id, keys: [], conflicts: [])
        for (index, field) in fields.enumerated() where values[index] != 0 {
            if first[index] == 0 {
                first[index] = values[index]
                copy.keys.append((field, row[field]!))
            } else if first[index] != values[index] {
                copy.conflicts.append((field, row[field]!))
            }
        }
        rows[name]![key] = first
        if !copy.keys.isEmpty || !copy.conflicts.isEmpty { try duplicate(copy) }
    }

    /// `TabularSchema.linkFields`, worked out once per resource.
    private mutating func linkFields(of resource: TabularSchema.Resource) -> [String] {
        if let known = linkFieldsByResource[resource.name] { return known }
        let fields = schema.linkFields(of: resource)
        linkFieldsByResource[resource.name] = fields
        return fields
    }

    private static func hash(_ text: String) -> ContentHash {
        var text = text
        return text.withUTF8 { ContentHash($0) }
    }

    /// 0 for no value; otherwise 64 bits of the value's text (never 0).
    private static func hash(_ value: JSONValue?) -> UInt64 {
        guard let value, value != .null else { return 0 }
        let text = value.cellText
        guard !text.isEmpty else { return 0 }
        return hash(text).low | 1
    }
}
