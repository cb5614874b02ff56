/// Reads a YAML mapping key by key and reports, with line and column, keys that are unknown,
/// repeated or of the wrong kind. Profiles and network files are decoded through it.
public struct YAMLMapping {
    public let node: YAMLNode
    public let file: String
    private let pairs: [(key: YAMLNode, value: YAMLNode)]
    private var taken: Set<String> = []

    /// - Parameter what: how messages name this mapping ("the profile", "field \"name\"").
    public init(_ node: YAMLNode, file: String, what: String) throws {
        guard case .mapping(let pairs) = node.kind else {
            throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column,
                                              message: "\(what) must be a mapping of keys to values, not \(node.kindName)")
        }
        self.node = node
        self.file = file
        self.pairs = pairs
        var seen: Set<String> = []
        for pair in pairs {
            guard let key = pair.key.scalar else {
                throw CroceviaError.configuration(file: file, line: pair.key.mark.line, column: pair.key.mark.column, message: "a key must be a single value")
            }
            guard seen.insert(key).inserted else {
                throw CroceviaError.configuration(file: file, line: pair.key.mark.line, column: pair.key.mark.column, message: "\"\(key)\" is given twice in \(what)")
            }
        }
    }

    /// The keys in file order, with their nodes.
    public var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
        pairs.map { ($0.key.scalar ?? "", $0.key, $0.value) }
    }

    /// The value of `key`, marking it as understood.
    public mutating func take(_ key: String) -> YAMLNode? {
        taken.insert(key)
        return pairs.first { $0.key.scalar == key }?.value
    }

    /// The value of a key that must be present.
    public mutating func require(_ key: String, what: String) throws -> YAMLNode {
        guard let value = take(key) else {
            throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column, message: "\(what) needs \"\(key)\"")
        }
        return value
    }

    /// Fails on the first key that is not in `allowed`, suggesting the nearest one.
    public func rejectKeys(notIn allowed: [String], what: String) throws {
        for pair in pairs where !allowed.contains(pair.key.scalar ?? "") {
            let key = pair.key.scalar ?? ""
            throw CroceviaError.configuration(
                file: file, line: pair.key.mark.line, column: pair.key.mark.column,
                message: "unknown key \"\(key)\" in \(what)\(Suggestion.hint(for: key, in: allowed)) (known keys: \(allowed.joined(separator: ", ")))")
        }
    }

    /// Fails on the first key that was not taken, suggesting the nearest known one.
    public func rejectUnknownKeys(known: [String], what: String) throws {
        for pair in pairs {
            let key = pair.key.scalar ?? ""
            guard !taken.contains(key) else { continue }
            throw CroceviaError.configuration(
                file: file, line: pair.key.mark.line, column: pair.key.mark.column,
                message: "unknown key \"\(key)\" in \(what)\(Suggestion.hint(for: key, in: known)) (known keys: \(known.joined(separator: ", ")))")
        }
    }
}

extension YAMLNode {
    /// The scalar's text, or an error naming what was expected.
    public func text(file: String, what: String) throws -> String {
        guard let text = scalar, !isNull else {
            throw CroceviaError.configuration(file: file, line: mark.line, column: mark.column, message: "\(what) must be a single value, not \(isNull ? "empty" : kindName)")
        }
        return text
    }

    /// A single value or a list of single values, each with its place.
    public func textList(file: String, what: String) throws -> [(text: String, mark: YAMLMark)] {
        if case .sequence(let items) = kind {
            return try items.map { (try $0.text(file: file, what: what), $0.mark) }
        }
        return [(try text(file: file, what: what), mark)]
    }

    /// A plain `true`/`false` (also `yes`/`no`).
    public func flag(file: String, what: String) throws -> Bool {
        switch try text(file: file, what: what).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw CroceviaError.configuration(file: file, line: mark.line, column: mark.column, message: "\(what) must be true or false")
        }
    }

    /// The node as a JSON value: plain scalars that read as numbers, booleans or null become those.
    public var jsonValue: JSONValue {
        switch kind {
        case .scalar(let text, let plain):
            guard plain else { return .string(text) }
            if isNull { return .null }
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            // A plain scalar in JSON number syntax is a number, kept as written ("0123", a CAP,
            // stays text: JSON numbers have no leading zeros).
            if JSONText.isNumber(text) { return .number(text) }
            return .string(text)
        case .sequence(let items):
            return .array(items.map(\.jsonValue))
        case .mapping(let pairs):
            return .object(JSONObject(pairs.map { ($0.key.scalar ?? "", $0.value.jsonValue) }))
        }
    }
}
