/// Where a record came from: kept from the reader to the registry so every finding and every
/// merged field can point back at the partner's own file, line and key.
public struct Provenance: Sendable, Equatable {
    /// The partner (source) name, as the profile or `--source` gives it.
    public var source: String
    /// The file as named on the command line (`-` for standard input).
    public var file: String
    /// The physical line where the record starts (1-based; in a CSV file the header is line 1).
    public var line: Int
    /// The record's 1-based position in its file.
    public var record: Int
    /// The partner's own key for the record, when the profile names key columns.
    public var key: String?

    public init(source: String, file: String, line: Int, record: Int, key: String? = nil) {
        self.source = source
        self.file = file
        self.line = line
        self.record = record
        self.key = key
    }

    /// The provenance as a JSON object, for outputs that carry it (`--provenance`).
    public var jsonValue: JSONValue {
        var object = JSONObject([
            ("source", .string(source)), ("file", .string(file)),
            ("line", .number(String(line))), ("record", .number(String(record))),
        ])
        if let key { object["key"] = .string(key) }
        return .object(object)
    }
}

/// One record flowing through the stages: a JSON-shaped value and where it came from.
public struct Record: Sendable, Equatable {
    public var value: JSONValue
    public var provenance: Provenance

    public init(value: JSONValue, provenance: Provenance) {
        self.value = value
        self.provenance = provenance
    }
}
