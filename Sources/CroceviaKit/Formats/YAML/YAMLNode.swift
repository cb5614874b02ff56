/// A place in a YAML file (1-based line and column), carried by every node so errors can point.
public struct YAMLMark: Sendable, Equatable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A YAML node with its place in the file. Profiles and network files are read into these and
/// then decoded with messages that name the line and column of what is wrong.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        /// A scalar's text; `plain` is false for quoted or block scalars (`"10"` stays text).
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    public var kind: Kind
    public var mark: YAMLMark

    public init(_ kind: Kind, mark: YAMLMark) {
        self.kind = kind
        self.mark = mark
    }

    /// The scalar's text, if this node is a scalar.
    public var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// True for a plain `null`, `~` or empty scalar.
    public var isNull: Bool {
        if case .scalar(let text, let plain) = kind { return plain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL") }
        return false
    }

    /// What kind of node this is, in words for messages.
    public var kindName: String {
        switch kind {
        case .scalar: return "a single value"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
