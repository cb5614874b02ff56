/// The shape of an HSDS tabular package: its resources (one CSV each, with typed fields and
/// foreign keys, from `datapackage.json`) and how the nested JSON objects map onto them (from the
/// HSDS object schemas).
///
/// A nested property is one of three links:
/// - `children`: a list whose rows point at the parent (`service.phones[]` are the phone rows
///   whose `service_id` is the service's id);
/// - `attached`: one object the parent points at (`service.organization` is the organization row
///   named by the service's `organization_id`; `service_at_location.location` by `location_id`);
/// - `tagged`: the generic links of attributes (`link_id` + `link_entity`) and metadata
///   (`resource_id` + `resource_type`).
struct TabularSchema: Sendable {
    struct Field: Sendable {
        var name: String
        /// The Table Schema type: string, number, integer, boolean, date, datetime...
        var type: String
    }

    struct Resource: Sendable {
        var name: String
        var path: String
        var fields: [Field]
        /// Field name → the resource it refers to.
        var foreignKeys: [(field: String, resource: String)]

        func field(_ name: String) -> Field? { fields.first { $0.name == name } }
    }

    enum Link: Sendable {
        case children(foreignKey: String)
        case attached(foreignKey: String)
        case tagged(idField: String, typeField: String)
    }

    struct Nested: Sendable {
        var property: String
        var resource: String
        var isList: Bool
        var link: Link
    }

    var resources: [Resource]
    /// Resource name → its nested properties, in the object schema's order.
    var nesting: [String: [Nested]]

    func resource(_ name: String) -> Resource? { resources.first { $0.name == name } }

    /// The columns by which a resource's rows hang from others: its foreign keys and, for
    /// attributes and metadata, the generic link and its type (`link_id`, `link_entity`).
    func linkFields(of resource: Resource) -> [String] {
        var fields = resource.foreignKeys.map(\.field)
        for (_, nested) in nesting.sorted(by: { $0.key < $1.key }) {
            for link in nested where link.resource == resource.name {
                if case .tagged(let idField, let typeField) = link.link { fields += [idField, typeField] }
            }
        }
        var seen: Set<String> = []
        return fields.filter { resource.field($0) != nil && seen.insert($0).inserted }
    }

    /// Where a resource is attached to others (`attribute.taxonomy_term_id`).
    func attachments(of resource: Resource) -> [String] {
        nesting.sorted(by: { $0.key < $1.key }).flatMap { parent, nested in
            nested.compactMap { link -> String? in
                guard link.resource == resource.name, case .attached(let key) = link.link else { return nil }
                return "\(parent).\(key)"
            }
        }
    }

    /// The bundled HSDS tabular package (`Schemas/hsds-tabular/datapackage.json`).
    static func bundled(schemas: HSDSSchemas) throws -> TabularSchema {
        let file = "hsds-tabular/datapackage.json"
        return try TabularSchema(datapackage: try JSONDocument.load(file, from: schemas.files), file: schemas.files.describe(file), schemas: schemas)
    }

    /// Reads a `datapackage.json`. Resources without a schema take the bundled HSDS one by name.
    init(datapackage: JSONValue, file: String, schemas: HSDSSchemas, fallback: TabularSchema? = nil) throws {
        guard case .array(let items)? = datapackage["resources"] else {
            throw CroceviaError.unreadableInput(file: file, line: 1, message: "the data package lists no \"resources\"",
                                                hint: "an HSDS tabular package has a datapackage.json with one resource per CSV")
        }
        var resources: [Resource] = []
        for item in items {
            guard let name = item["name"]?.stringValue, let path = item["path"]?.stringValue else {
                throw CroceviaError.unreadableInput(file: file, line: 1, message: "a resource has no \"name\" or \"path\"", hint: nil)
            }
            guard case .object(let schema)? = item["schema"] else {
                if var known = fallback?.resource(name) {
                    known.path = path
                    resources.append(known)
                } else {
                    resources.append(Resource(name: name, path: path, fields: [], foreignKeys: []))
                }
                continue
            }
            var fieldItems: [JSONValue] = []
            if case .array(let items)? = schema["fields"] { fieldItems = items }
            let fields = fieldItems.compactMap { field -> Field? in
                guard let name = field["name"]?.stringValue else { return nil }
                return Field(name: name, type: field["type"]?.stringValue ?? "string")
            }
            var foreignKeys: [(String, String)] = []
            if case .array(let keys)? = schema["foreignKeys"] {
                for key in keys {
                    if let field = key["fields"]?.stringValue, let target = key["reference"]?["resource"]?.stringValue {
                        foreignKeys.append((field, target))
                    }
                }
            }
            resources.append(Resource(name: name, path: path, fields: fields, foreignKeys: foreignKeys))
        }
        self.resources = resources
        nesting = [:]
        for resource in resources where Target.hsdsNames.contains(resource.name) {
            nesting[resource.name] = try Self.nested(of: resource.name, resources: resources, schemas: schemas)
        }
    }

    /// The nested properties of one object that the package can represent.
    private static func nested(of parent: String, resources: [Resource], schemas: HSDSSchemas) throws -> [Nested] {
        guard case .object(let properties)? = try schemas.schema(parent)["properties"] else { return [] }
        var result: [Nested] = []
        for (property, value) in properties.members {
            let isList = value["type"]?.stringValue == "array"
            guard let reference = (isList ? value["items"]?["$ref"] : value["$ref"])?.stringValue else { continue }
            let child = String(reference.dropLast(reference.hasSuffix(".json") ? 5 : 0))
            guard let childResource = resources.first(where: { $0.name == child }) else { continue }
            let link: Link?
            if isList {
                switch child {
                case "attribute": link = .tagged(idField: "link_id", typeField: "link_entity")
                case "metadata": link = .tagged(idField: "resource_id", typeField: "resource_type")
                default:
                    link = childResource.foreignKeys.first { $0.resource == parent }.map { .children(foreignKey: $0.field) }
                }
            } else {
                let own = resources.first { $0.name == parent }?.foreignKeys.filter { $0.resource == child } ?? []
                link = (own.first { $0.field == property + "_id" } ?? own.first).map { .attached(foreignKey: $0.field) }
            }
            if let link { result.append(Nested(property: property, resource: child, isList: isList, link: link)) }
        }
        return result
    }

    /// A CSV cell as the JSON value its field's type calls for; text that does not parse as
    /// that type stays text (the validator says what is wrong with it).
    static func value(_ cell: String, type: String?) -> JSONValue {
        switch type {
        case "number", "integer":
            return JSONText.isNumber(cell) ? .number(cell) : .string(cell)
        case "boolean":
            switch cell.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(cell)
            }
        default:
            return .string(cell)
        }
    }
}
