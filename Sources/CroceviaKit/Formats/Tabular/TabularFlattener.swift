/// Flattens nested HSDS objects into the rows of the tabular package's resources, along the links
/// of `TabularSchema`: a nested list's rows get the parent's id in their foreign key
/// (`phone.service_id`), an attached object's id goes into the parent's key
/// (`service.organization_id`), attributes and metadata get `link_id`/`resource_id` and the
/// parent's type. Keys already filled are kept. An attached object (an organization shared by
/// many services, a location) is flattened once per id. Used by the tabular writer and by the
/// registry's published directory.
struct TabularFlattener {
    let schema: TabularSchema
    /// Ids of attached objects already flattened, per resource.
    private var attached: [String: Set<String>] = [:]

    init(schema: TabularSchema) { self.schema = schema }

    /// Calls `row` for each row, children before their parent; `notObjects` for a nested
    /// property holding values that are not objects (they are left out).
    mutating func flatten(_ object: JSONObject, resource name: String, notObjects: (_ parent: String, _ property: String, _ resource: String) -> Void,
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
                try flatten(child, resource: nested.resource, notObjects: notObjects, row: emit)
            }
        }
        try emit(resource, row)
    }
}
