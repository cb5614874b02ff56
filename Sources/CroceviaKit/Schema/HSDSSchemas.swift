import Synchronization

/// The bundled object schemas, read on demand: HSDS 3.0 from `Schemas/hsds/` (`service`), and the
/// network's case data from `Schemas/case/` (named with their folder: `case/contact`). A run uses
/// one (`standard()`), shared by its threads: each schema is parsed once.
public final class HSDSSchemas: Sendable {
    /// Where the schema files come from (embedded, or `CROCEVIA_SCHEMAS`).
    public let files: SchemaFiles
    private let cache = Mutex<[String: JSONObject]>([:])

    /// The HSDS version of the bundled schemas (`version` of `Schemas/hsds-tabular/datapackage.json`).
    public static let version = "3.0.0"

    /// `case/contact` → ("case", "contact"); `service` → ("hsds", "service"): where an object's
    /// schema is, for targets and the objects their schemas refer to alike.
    static func folderAndName(_ object: String) -> (folder: String, name: String) {
        guard let slash = object.firstIndex(of: "/") else { return ("hsds", object) }
        return (String(object[..<slash]), String(object[object.index(after: slash)...]))
    }

    /// How messages name an object: "the HSDS service", "the case contact".
    static func describe(_ object: String) -> String {
        let (folder, name) = folderAndName(object)
        return folder == "hsds" ? "the HSDS \(name)" : "the \(folder) \(name)"
    }

    public init(files: SchemaFiles) {
        self.files = files
    }

    /// The files of a folder laid out like `Schemas/` (tests).
    public convenience init(directory: String) {
        self.init(files: SchemaFiles(folder: directory))
    }

    /// The schemas a run uses: `CROCEVIA_SCHEMAS`, else the embedded ones; the same instance for
    /// every caller that reads the same files.
    public static func standard() throws -> HSDSSchemas {
        let files = try SchemaFiles.standard()
        return shared.withLock { byFolder in
            if let known = byFolder[files.folder ?? ""] { return known }
            let schemas = HSDSSchemas(files: files)
            byFolder[files.folder ?? ""] = schemas
            return schemas
        }
    }

    /// The instances `standard()` gave, by folder ("" for the embedded files).
    private static let shared = Mutex<[String: HSDSSchemas]>([:])

    /// The schema of one target, as a JSON object.
    public func schema(_ target: Target) throws -> JSONObject {
        try schema(target.name)
    }

    /// The schema of one object (`service`, `case/moment`), as a JSON object.
    func schema(_ object: String) throws -> JSONObject {
        if let cached = cache.withLock({ $0[object] }) { return cached }
        let (folder, name) = Self.folderAndName(object)
        let file = "\(folder)/\(name).json"
        guard case .object(let schema) = try JSONDocument.load(file, from: files) else {
            throw CroceviaError.io("\(files.describe(file)) is not a JSON object")
        }
        cache.withLock { $0[object] = schema }
        return schema
    }

    /// Checks that a target path names fields of the object `root`; returns a message saying
    /// what is wrong, or nil. Names starting with `x_` are extensions and are not checked.
    public func problem(with path: TargetPath, root: Target) throws -> String? {
        var object = root.name
        for (position, segment) in path.segments.enumerated() {
            if segment.name.hasPrefix("x_") { return nil }
            let isLast = position == path.segments.count - 1
            guard case .object(let properties)? = try schema(object)["properties"],
                  case .object(let property)? = properties[segment.name] else {
                let known = (try schema(object)["properties"]?.objectValue?.keys) ?? []
                return "\"\(segment.name)\" is not a field of \(Self.describe(object))\(Suggestion.hint(for: segment.name, in: known))"
            }
            let isArray = property["type"]?.stringValue == "array"
            if isArray && segment.index == nil {
                return "\"\(segment.name)\" is a list in \(Self.describe(object)): write \(segment.name)[] (one element per value) or \(segment.name)[0]"
            }
            if !isArray && segment.index != nil {
                return "\"\(segment.name)\" is not a list in \(Self.describe(object)): write it without [ ]"
            }
            let reference = isArray ? property["items"]?["$ref"]?.stringValue : property["$ref"]?.stringValue
            let folder = Self.folderAndName(object).folder
            let child = reference.map { reference in
                let name = String(reference.dropLast(reference.hasSuffix(".json") ? 5 : 0))
                return folder == "hsds" ? name : "\(folder)/\(name)"
            }
            // A reference to a schema that is not an object (case `moment.json`) is a single value.
            if let child, try schema(child)["type"]?.stringValue == "object" {
                object = child
                if isLast { return "\"\(segment.name)\" is an object in \(folder == "hsds" ? "the HSDS" : "the schema"); map its fields (\(segment.name)\(isArray ? "[]" : "").…)" }
            } else if !isLast {
                return "\"\(segment.name)\" holds a single value in \(Self.describe(object)); it has no fields"
            }
        }
        return nil
    }

    /// Whether the field at `path` of `root` is free text (`"x-free-text": true` in the case
    /// schemas): notes that may name people, dropped on the way in unless a profile keeps them.
    public func isFreeText(_ path: TargetPath, root: Target) throws -> Bool {
        var object = root.name
        for segment in path.segments {
            guard case .object(let property)? = try schema(object)["properties"]?[segment.name] else { return false }
            if property["x-free-text"] == .bool(true) { return true }
            let isArray = property["type"]?.stringValue == "array"
            guard let reference = (isArray ? property["items"]?["$ref"] : property["$ref"])?.stringValue else { return false }
            let folder = Self.folderAndName(object).folder
            let name = String(reference.dropLast(reference.hasSuffix(".json") ? 5 : 0))
            object = folder == "hsds" ? name : "\(folder)/\(name)"
        }
        return false
    }
}
