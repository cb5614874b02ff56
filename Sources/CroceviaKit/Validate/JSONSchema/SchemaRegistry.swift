import Foundation

/// Every schema a validation can reach, by URI: the documents loaded, the schema resources inside
/// them (`$id`), their anchors (`$anchor`, `$dynamicAnchor`) and the compiled nodes. A reference to
/// a URI not yet known is retrieved once through `retrieve` (the bundled draft 2020-12
/// meta-schemas, a folder of schemas named by bare file names, the test suite's remotes); nothing
/// is ever fetched from the network.
///
/// It changes only while schemas are added and compiled; once a `SchemaValidator` is made over
/// it, validations only read it, so validators are shared by threads (the one reason it is
/// `@unchecked Sendable`: nothing adds to a registry once its validator exists).
public final class SchemaRegistry: @unchecked Sendable {
    /// A document that holds schemas, and the base URI of each schema location in it.
    final class Document {
        let root: JSONValue
        let index: Int
        var bases: [String: String] = [:]
        /// `$schema` of each resource root in the document (pointer → URI).
        var dialects: [String: String] = [:]

        init(root: JSONValue, index: Int) {
            self.root = root
            self.index = index
        }
    }

    struct Location: Hashable {
        let document: Int
        let pointer: String
    }

    private(set) var documents: [Document] = []
    private var resources: [String: Location] = [:]
    private var anchors: [String: Location] = [:]
    /// Resource URI → dynamic anchor name → location.
    private(set) var dynamicAnchors: [String: [String: Location]] = [:]
    private var nodes: [Location: SchemaNode] = [:]
    /// Dynamic anchors whose schema did not compile (see `compileDynamicAnchors`).
    private var uncompilable: Set<Location> = []
    /// Base URIs by number (see `SchemaNode.baseID`).
    private(set) var baseIDs: [String: Int] = [:]
    private(set) var basesByID: [String] = []
    /// Whether any compiled schema uses `unevaluatedItems` or `unevaluatedProperties`: only then
    /// do evaluations collect which properties and items they evaluated.
    var usesUnevaluated = false
    private var vocabularyCache: [String: Vocabularies] = [:]
    private var retrieving: Set<String> = []
    /// Finds a document for a URI the registry does not know (nil: unknown).
    let retrieve: (String) throws -> JSONValue?

    public static let draft202012 = "https://json-schema.org/draft/2020-12/schema"

    /// - Parameter retrieve: documents for URIs not yet known; the bundled meta-schemas are always
    ///   found first.
    public init(retrieve: @escaping (String) throws -> JSONValue? = { _ in nil }) {
        self.retrieve = retrieve
    }

    /// The registry with the bundled meta-schemas and, when given, a folder whose `.json` files
    /// are named by their file names (`phone.json`), as the HSDS schemas refer to each other.
    /// Crocevia's own schemas (`SchemaFiles.uri`) are found by their URIs.
    public static func standard(files: SchemaFiles, folder: String? = nil) -> SchemaRegistry {
        SchemaRegistry { uri in
            let metaPrefix = "https://json-schema.org/draft/2020-12/"
            if uri.hasPrefix(metaPrefix) {
                let name = "json-schema/draft2020-12/\(uri.dropFirst(metaPrefix.count)).json"
                return files.contains(name) ? try JSONDocument.load(name, from: files) : nil
            }
            if let name = files.name(ofURI: uri) {
                return files.contains(name) ? try JSONDocument.load(name, from: files) : nil
            }
            if let folder, uri.hasPrefix("file://") {
                let path = String(uri.dropFirst("file://".count))
                guard path.hasPrefix(folder), FileManager.default.fileExists(atPath: path) else { return nil }
                return try JSONDocument.load(path: path)
            }
            return nil
        }
    }

    // MARK: Loading

    /// Adds a document retrieved from `uri`; returns the node of its root.
    @discardableResult
    public func add(_ root: JSONValue, uri: String) throws -> SchemaNode {
        let document = Document(root: root, index: documents.count)
        documents.append(document)
        let base = URIReference(uri).withoutFragment
        if resources[base] == nil { resources[base] = Location(document: document.index, pointer: "") }
        walk(root, pointer: "", base: base, dialect: nil, in: document)
        return try node(at: Location(document: document.index, pointer: ""))
    }

    /// Registers the resources and anchors of one schema location and of the schemas below it.
    private func walk(_ value: JSONValue, pointer: String, base: String, dialect: String?, in document: Document) {
        guard case .object(let object) = value else {
            document.bases[pointer] = base
            return
        }
        var base = base
        var dialect = dialect
        if case .string(let id)? = object["$id"] {
            base = URIReference(id).resolved(against: URIReference(base)).withoutFragment
            resources[base] = Location(document: document.index, pointer: pointer)
        }
        if case .string(let schema)? = object["$schema"] { dialect = schema }
        if pointer.isEmpty || object["$id"] != nil { document.dialects[pointer] = dialect }
        document.bases[pointer] = base
        let here = Location(document: document.index, pointer: pointer)
        if case .string(let anchor)? = object["$anchor"] { anchors[base + "#" + anchor] = here }
        if case .string(let anchor)? = object["$dynamicAnchor"] {
            anchors[base + "#" + anchor] = here
            dynamicAnchors[base, default: [:]][anchor] = here
        }
        for (key, child) in object.members {
            let childPointer = pointer + "/" + JSONPointer.escape(key)
            switch key {
            case "$defs", "definitions", "properties", "patternProperties", "dependentSchemas":
                if case .object(let map) = child {
                    for (name, schema) in map.members {
                        walk(schema, pointer: childPointer + "/" + JSONPointer.escape(name), base: base, dialect: dialect, in: document)
                    }
                }
            case "prefixItems", "allOf", "anyOf", "oneOf":
                if case .array(let list) = child {
                    for (n, schema) in list.enumerated() { walk(schema, pointer: childPointer + "/\(n)", base: base, dialect: dialect, in: document) }
                }
            case "items", "contains", "additionalProperties", "propertyNames", "not", "if", "then", "else",
                 "unevaluatedItems", "unevaluatedProperties", "contentSchema":
                walk(child, pointer: childPointer, base: base, dialect: dialect, in: document)
            default:
                break
            }
        }
    }

    // MARK: Resolving

    /// The node a reference names, resolved against `base`.
    func resolve(_ reference: String, base: String) throws -> SchemaNode {
        let absolute = URIReference(reference).resolved(against: URIReference(base))
        return try node(at: try location(of: absolute, reference: reference))
    }

    func location(of absolute: URIReference, reference: String) throws -> Location {
        let uri = absolute.withoutFragment
        if resources[uri] == nil && !retrieving.contains(uri) {
            retrieving.insert(uri)
            defer { retrieving.remove(uri) }
            if let document = try retrieve(uri) { try add(document, uri: uri) }
        }
        guard let resource = resources[uri] else {
            throw SchemaError.unresolvable(reference: reference, uri: absolute.text)
        }
        let fragment = absolute.fragment ?? ""
        if fragment.isEmpty { return resource }
        if let tokens = JSONPointer.tokens(fragment: fragment) {
            let pointer = resource.pointer + tokens.map { "/" + JSONPointer.escape($0) }.joined()
            guard JSONPointer.resolve(JSONPointer.tokens(pointer) ?? [], in: documents[resource.document].root) != nil else {
                throw SchemaError.unresolvable(reference: reference, uri: absolute.text)
            }
            return Location(document: resource.document, pointer: pointer)
        }
        guard let anchor = anchors[uri + "#" + fragment] else { throw SchemaError.unresolvable(reference: reference, uri: absolute.text) }
        return anchor
    }

    /// Compiles the schemas every dynamic anchor names (and those they bring in), so that a
    /// `$dynamicRef` finds its node compiled: after this, validating only reads the registry, and
    /// one validator may serve several threads. A schema there that does not compile is skipped,
    /// as a `$dynamicRef` to it always was.
    func compileDynamicAnchors() {
        var compiled = -1
        while compiled != nodes.count {
            compiled = nodes.count
            for location in dynamicAnchors.values.flatMap(\.values) where nodes[location] == nil && !uncompilable.contains(location) {
                if (try? node(at: location)) == nil { uncompilable.insert(location) }
            }
        }
    }

    /// The node at a dynamic anchor's location, compiled by `compileDynamicAnchors` (nil when it
    /// did not compile).
    func dynamicNode(at location: Location) -> SchemaNode? {
        uncompilable.contains(location) ? nil : nodes[location]
    }

    /// The compiled node at a location (compiled once).
    func node(at location: Location) throws -> SchemaNode {
        if let known = nodes[location] { return known }
        let document = documents[location.document]
        guard let value = JSONPointer.resolve(JSONPointer.tokens(location.pointer) ?? [], in: document.root) else {
            throw SchemaError.invalid(pointer: location.pointer, message: "nothing at this place")
        }
        let base = base(of: location)
        let baseID: Int
        if let known = baseIDs[base] {
            baseID = known
        } else {
            baseID = basesByID.count
            basesByID.append(base)
            baseIDs[base] = baseID
        }
        let node = SchemaNode(location: location, base: base, baseID: baseID)
        nodes[location] = node
        try node.compile(value, registry: self, vocabularies: vocabularies(at: location))
        return node
    }

    /// The base URI of a schema location: registered by `walk`, or that of the nearest schema
    /// above it (a `$ref` may point inside an unknown keyword).
    func base(of location: Location) -> String {
        let document = documents[location.document]
        var pointer = location.pointer
        while true {
            if let base = document.bases[pointer] { return base }
            guard let slash = pointer.lastIndex(of: "/") else { return document.bases[""] ?? "" }
            pointer = String(pointer[..<slash])
        }
    }

    /// The vocabularies in force at a location: those its dialect's meta-schema declares.
    private func vocabularies(at place: Location) throws -> Vocabularies {
        let document = documents[place.document]
        var pointer = place.pointer
        var dialect: String?
        while true {
            if let entry = document.dialects[pointer] { dialect = entry; break }
            guard let slash = pointer.lastIndex(of: "/") else { break }
            pointer = String(pointer[..<slash])
        }
        guard let dialect, URIReference(dialect).withoutFragment != Self.draft202012 else { return .standard }
        if let known = vocabularyCache[dialect] { return known }
        let uri = URIReference(dialect)
        var vocabularies = Vocabularies.standard
        if let meta = try? location(of: uri, reference: dialect),
           case .object(let declared)? = JSONPointer.resolve(JSONPointer.tokens(meta.pointer) ?? [], in: documents[meta.document].root)?["$vocabulary"] {
            let names = Set(declared.keys)
            vocabularies.validation = names.contains("https://json-schema.org/draft/2020-12/vocab/validation")
            vocabularies.formatAssertion = names.contains("https://json-schema.org/draft/2020-12/vocab/format-assertion")
        }
        vocabularyCache[dialect] = vocabularies
        return vocabularies
    }
}

/// The vocabularies that decide which keywords a schema's dialect honours.
struct Vocabularies: Equatable {
    var validation = true
    var formatAssertion = false
    static let standard = Vocabularies()
}

/// A schema that cannot be used: where, and why.
public enum SchemaError: Error, Equatable, CustomStringConvertible {
    case unresolvable(reference: String, uri: String)
    case invalid(pointer: String, message: String)

    public var description: String {
        switch self {
        case .unresolvable(let reference, let uri):
            return "$ref \"\(reference)\" does not resolve (\(uri) names no schema that is loaded or bundled)"
        case .invalid(let pointer, let message):
            return "the schema at \(pointer.isEmpty ? "its root" : pointer) is not valid: \(message)"
        }
    }
}
