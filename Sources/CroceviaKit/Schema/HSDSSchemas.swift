/// The bundled HSDS 3.0 object schemas, read on demand from `Schemas/hsds/`.
public final class HSDSSchemas {
    public let directory: String
    private var cache: [String: JSONObject] = [:]

    /// The HSDS objects a profile may target (the schemas' file names without `.json`).
    public static let objectNames = [
        "accessibility", "address", "attribute", "contact", "cost_option", "funding", "language", "location",
        "meta_table_description", "metadata", "organization", "organization_identifier", "phone", "program",
        "required_document", "schedule", "service", "service_area", "service_at_location", "taxonomy", "taxonomy_term",
    ]

    public init(directory: String) {
        self.directory = directory
    }

    /// The schema of one object (`service`), as a JSON object.
    public func schema(_ object: String) throws -> JSONObject {
        if let cached = cache[object] { return cached }
        guard case .object(let schema) = try JSONDocument.load(path: "\(directory)/hsds/\(object).json") else {
            throw CroceviaError.io("\(directory)/hsds/\(object).json is not a JSON object")
        }
        cache[object] = schema
        return schema
    }

    /// Checks that a target path names fields of the HSDS object `root`; returns a message saying
    /// what is wrong, or nil. Names starting with `x_` are extensions and are not checked.
    public func problem(with path: TargetPath, root: String) throws -> String? {
        var object = root
        for (position, segment) in path.segments.enumerated() {
            if segment.name.hasPrefix("x_") { return nil }
            let isLast = position == path.segments.count - 1
            guard case .object(let properties)? = try schema(object)["properties"],
                  case .object(let property)? = properties[segment.name] else {
                let known = (try schema(object)["properties"]?.objectValue?.keys) ?? []
                return "\"\(segment.name)\" is not a field of the HSDS \(object)\(Suggestion.hint(for: segment.name, in: known))"
            }
            let isArray = property["type"]?.stringValue == "array"
            if isArray && segment.index == nil {
                return "\"\(segment.name)\" is a list in the HSDS \(object): write \(segment.name)[] (one element per value) or \(segment.name)[0]"
            }
            if !isArray && segment.index != nil {
                return "\"\(segment.name)\" is not a list in the HSDS \(object): write it without [ ]"
            }
            let reference = isArray ? property["items"]?["$ref"]?.stringValue : property["$ref"]?.stringValue
            if let reference {
                object = String(reference.dropLast(reference.hasSuffix(".json") ? 5 : 0))
                if isLast { return "\"\(segment.name)\" is an object in the HSDS; map its fields (\(segment.name)\(isArray ? "[]" : "").…)" }
            } else if !isLast {
                return "\"\(segment.name)\" holds a single value in the HSDS \(object); it has no fields"
            }
        }
        return nil
    }
}
