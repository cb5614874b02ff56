/// A JSON-shaped value: the canonical form of every record in Crocevia.
///
/// Records are described by schemas (HSDS 3.0, the case schema), not by Swift types, so a new field
/// is a schema change, not a code change. Numbers keep their literal text, so a value read from JSON
/// is written back exactly (no rounding, no lost digits of a long identifier).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, in JSON number syntax (`-12`, `3.5`, `1e9`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, if this value is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The object, if this value is one.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The value as text for a flat cell (CSV, templates): strings as they are, numbers and
    /// booleans as written, `null` as empty, arrays and objects as compact JSON.
    public var cellText: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return s
        case .array, .object:
            var buffer = ByteBuffer()
            JSONText.write(self, to: &buffer, pretty: false)
            return buffer.string
        }
    }

    /// Looks up `key` when this value is an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

/// A JSON object that keeps its members in the order they were read or built.
///
/// Equality ignores member order, as JSON does. Lookups are linear: records have tens of keys,
/// where a scan beats hashing.
public struct JSONObject: Sendable, Equatable {
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for member in lhs.members {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }
}
