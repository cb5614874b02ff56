import Foundation

/// One compiled schema: a boolean schema, or its keywords in evaluation order (the in-place and
/// child applicators first, `unevaluatedItems`/`unevaluatedProperties` last, as they read what the
/// others evaluated). Nodes are compiled once by `SchemaRegistry` and shared by every validation
/// (on any thread: compiled before the first validator over them exists, then only read).
public final class SchemaNode: @unchecked Sendable {
    let location: SchemaRegistry.Location
    let base: String
    /// The base as a number (interned by the registry), for cheap dynamic-scope bookkeeping.
    let baseID: Int
    // Set once while compiling, then read by every validation: without `unchecked`, each read
    // paid a run-time exclusivity check (a validator reads them ~40 times a record).
    @exclusivity(unchecked) var boolean: Bool?
    @exclusivity(unchecked) var keywords: [Keyword] = []
    /// Whether the dialect's meta-schema makes `format` an assertion (format-assertion vocabulary).
    @exclusivity(unchecked) var assertsFormat = false

    init(location: SchemaRegistry.Location, base: String, baseID: Int) {
        self.location = location
        self.base = base
        self.baseID = baseID
    }

    enum Keyword {
        case ref(SchemaNode)
        /// The initial target, and the anchor name when that target has a matching `$dynamicAnchor`
        /// (then the outermost resource in the dynamic scope with that anchor wins).
        case dynamicRef(SchemaNode, anchor: String?)
        case type([JSONType])
        case enumeration([JSONValue])
        case constant(JSONValue)
        case multipleOf(Decimal)
        case maximum(Double), exclusiveMaximum(Double), minimum(Double), exclusiveMinimum(Double)
        case maxLength(Int), minLength(Int)
        case pattern(NSRegularExpression, String)
        case maxItems(Int), minItems(Int), uniqueItems
        case maxProperties(Int), minProperties(Int)
        case required([String])
        case dependentRequired([(String, [String])])
        /// The format's name, and its check when Crocevia knows one.
        case format(String, FormatCheck?)
        case allOf([SchemaNode]), anyOf([SchemaNode]), oneOf([SchemaNode]), not(SchemaNode)
        case conditional(if: SchemaNode, then: SchemaNode?, else: SchemaNode?)
        case dependentSchemas([(String, SchemaNode)])
        case prefixItems([SchemaNode])
        case items(SchemaNode, after: Int)
        case contains(SchemaNode, min: Int, max: Int?)
        case properties([String: SchemaNode])
        case patternProperties([(NSRegularExpression, SchemaNode)])
        case additionalProperties(SchemaNode, known: Set<String>, patterns: [NSRegularExpression])
        case propertyNames(SchemaNode)
        case unevaluatedItems(SchemaNode)
        case unevaluatedProperties(SchemaNode)
    }

    enum JSONType: String {
        case null, boolean, object, array, number, string, integer
    }

    // MARK: Compiling

    func compile(_ value: JSONValue, registry: SchemaRegistry, vocabularies: Vocabularies) throws {
        switch value {
        case .bool(let b):
            boolean = b
            return
        case .object(let object):
            try compile(object, registry: registry, vocabularies: vocabularies)
        default:
            throw SchemaError.invalid(pointer: location.pointer, message: "a schema is an object or a boolean")
        }
    }

    private func compile(_ object: JSONObject, registry: SchemaRegistry, vocabularies: Vocabularies) throws {
        let pointer = location.pointer
        func fail(_ keyword: String, _ message: String) -> SchemaError {
            .invalid(pointer: pointer + "/" + JSONPointer.escape(keyword), message: message)
        }
        func child(_ path: String) throws -> SchemaNode {
            try registry.node(at: SchemaRegistry.Location(document: location.document, pointer: pointer + path))
        }
        func count(_ keyword: String, _ value: JSONValue) throws -> Int {
            guard case .number(let text) = value, let number = Double(text), number >= 0, number == number.rounded(), number < 1e15 else {
                throw fail(keyword, "\(keyword) must be a non-negative whole number")
            }
            return Int(number)
        }
        func number(_ keyword: String, _ value: JSONValue) throws -> Double {
            guard case .number(let text) = value, let number = Double(text) else { throw fail(keyword, "\(keyword) must be a number") }
            return number
        }
        func schemaList(_ keyword: String, _ value: JSONValue) throws -> [SchemaNode] {
            guard case .array(let items) = value, !items.isEmpty else { throw fail(keyword, "\(keyword) must be a non-empty array of schemas") }
            return try items.indices.map { try child("/\(keyword)/\($0)") }
        }
        func regex(_ keyword: String, _ source: String) throws -> NSRegularExpression {
            do {
                return try NSRegularExpression(pattern: ECMAScriptRegex.translate(source))
            } catch {
                throw fail(keyword, "\"\(source)\" is not a regular expression")
            }
        }

        assertsFormat = vocabularies.formatAssertion
        var late: [Keyword] = []
        for (key, value) in object.members {
            let escaped = "/" + JSONPointer.escape(key)
            switch key {
            case "$ref":
                guard case .string(let reference) = value else { throw fail(key, "$ref must be a string") }
                keywords.append(.ref(try registry.resolve(reference, base: base)))
            case "$dynamicRef":
                guard case .string(let reference) = value else { throw fail(key, "$dynamicRef must be a string") }
                let target = try registry.resolve(reference, base: base)
                let absolute = URIReference(reference).resolved(against: URIReference(base))
                var anchor: String?
                if let fragment = absolute.fragment, !fragment.isEmpty, !fragment.hasPrefix("/"),
                   registry.dynamicAnchors[absolute.withoutFragment]?[fragment] == target.location {
                    anchor = fragment
                }
                keywords.append(.dynamicRef(target, anchor: anchor))
            case "allOf": keywords.append(.allOf(try schemaList(key, value)))
            case "anyOf": keywords.append(.anyOf(try schemaList(key, value)))
            case "oneOf": keywords.append(.oneOf(try schemaList(key, value)))
            case "not": keywords.append(.not(try child(escaped)))
            case "if":
                keywords.append(.conditional(if: try child(escaped),
                                             then: object["then"] == nil ? nil : try child("/then"),
                                             else: object["else"] == nil ? nil : try child("/else")))
            case "dependentSchemas":
                guard case .object(let map) = value else { throw fail(key, "dependentSchemas must be an object") }
                keywords.append(.dependentSchemas(try map.members.map { ($0.key, try child(escaped + "/" + JSONPointer.escape($0.key))) }))
            case "prefixItems":
                keywords.append(.prefixItems(try schemaList(key, value)))
            case "items":
                var after = 0
                if case .array(let prefix)? = object["prefixItems"] { after = prefix.count }
                keywords.append(.items(try child(escaped), after: after))
            case "contains":
                let minimum = try object["minContains"].map { try count("minContains", $0) } ?? 1
                let maximum = try object["maxContains"].map { try count("maxContains", $0) }
                keywords.append(.contains(try child(escaped), min: vocabularies.validation ? minimum : 1, max: vocabularies.validation ? maximum : nil))
            case "properties":
                guard case .object(let map) = value else { throw fail(key, "properties must be an object") }
                var nodes: [String: SchemaNode] = [:]
                for (name, _) in map.members { nodes[name] = try child(escaped + "/" + JSONPointer.escape(name)) }
                keywords.append(.properties(nodes))
            case "patternProperties":
                guard case .object(let map) = value else { throw fail(key, "patternProperties must be an object") }
                keywords.append(.patternProperties(try map.members.map { (try regex(key, $0.key), try child(escaped + "/" + JSONPointer.escape($0.key))) }))
            case "additionalProperties":
                let known = Set(object["properties"]?.objectValue?.keys ?? [])
                let patterns = try (object["patternProperties"]?.objectValue?.keys ?? []).map { try regex("patternProperties", $0) }
                keywords.append(.additionalProperties(try child(escaped), known: known, patterns: patterns))
            case "propertyNames": keywords.append(.propertyNames(try child(escaped)))
            case "unevaluatedItems":
                registry.usesUnevaluated = true
                late.append(.unevaluatedItems(try child(escaped)))
            case "unevaluatedProperties":
                registry.usesUnevaluated = true
                late.append(.unevaluatedProperties(try child(escaped)))
            case "format":
                guard case .string(let name) = value else { throw fail(key, "format must be a string") }
                keywords.append(.format(name, FormatCheck(rawValue: name)))
            default:
                guard vocabularies.validation, let keyword = try validationKeyword(key, value, fail: fail, count: count, number: number, regex: regex) else { continue }
                keywords.append(keyword)
            }
        }
        keywords += late
    }

    private func validationKeyword(_ key: String, _ value: JSONValue, fail: (String, String) -> SchemaError, count: (String, JSONValue) throws -> Int,
                                   number: (String, JSONValue) throws -> Double, regex: (String, String) throws -> NSRegularExpression) throws -> Keyword? {
        switch key {
        case "type":
            let names: [String]
            switch value {
            case .string(let name): names = [name]
            case .array(let items): names = items.compactMap(\.stringValue)
            default: throw fail(key, "type must be a type name or a list of them")
            }
            return .type(try names.map { name in
                guard let type = JSONType(rawValue: name) else { throw fail(key, "\"\(name)\" is not a JSON Schema type") }
                return type
            })
        case "enum":
            guard case .array(let items) = value else { throw fail(key, "enum must be an array") }
            return .enumeration(items)
        case "const": return .constant(value)
        case "multipleOf":
            guard case .number(let text) = value, let divisor = Decimal(string: text), divisor > 0 else { throw fail(key, "multipleOf must be a number above 0") }
            return .multipleOf(divisor)
        case "maximum": return .maximum(try number(key, value))
        case "exclusiveMaximum": return .exclusiveMaximum(try number(key, value))
        case "minimum": return .minimum(try number(key, value))
        case "exclusiveMinimum": return .exclusiveMinimum(try number(key, value))
        case "maxLength": return .maxLength(try count(key, value))
        case "minLength": return .minLength(try count(key, value))
        case "pattern":
            guard case .string(let source) = value else { throw fail(key, "pattern must be a string") }
            return .pattern(try regex(key, source), source)
        case "maxItems": return .maxItems(try count(key, value))
        case "minItems": return .minItems(try count(key, value))
        case "uniqueItems": return value == .bool(true) ? .uniqueItems : nil
        case "maxProperties": return .maxProperties(try count(key, value))
        case "minProperties": return .minProperties(try count(key, value))
        case "required":
            guard case .array(let items) = value else { throw fail(key, "required must be an array of names") }
            return .required(items.compactMap(\.stringValue))
        case "dependentRequired":
            guard case .object(let map) = value else { throw fail(key, "dependentRequired must be an object") }
            return .dependentRequired(map.members.map { ($0.key, ($0.value.arrayValue ?? []).compactMap(\.stringValue)) })
        default:
            return nil
        }
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
