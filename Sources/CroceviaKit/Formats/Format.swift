/// The formats `crocevia convert` reads and writes, by their command-line names.
public enum Format: String, Sendable, CaseIterable {
    case csv, json, jsonl, xml
    /// HSDS objects as one JSON array (the output of a mapping profile).
    case hsdsJSON = "hsds-json"
    /// HSDS objects, one per line.
    case hsdsJSONL = "hsds-jsonl"

    /// Guesses a format from a file name's extension: `.csv`, `.tsv`, `.txt`, `.json`, `.jsonl`,
    /// `.ndjson`, `.xml`.
    public init?(fileExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv", "tsv", "txt": self = .csv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "xml": self = .xml
        default: return nil
        }
    }

    /// The names accepted on the command line, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Opens a reader for this format over one input.
    public func makeReader(input: TextInput, source: String, options: ReaderOptions = ReaderOptions(), findings: FindingLog) -> RecordReader {
        switch self {
        case .csv:
            return CSVRecordReader(input: input, options: .init(delimiter: options.delimiter, maxFieldBytes: options.maxFieldBytes),
                                   source: source, findings: findings)
        case .json:
            return JSONRecordReader(input: input, mode: .json, source: source, findings: findings, recordsPath: options.recordsPath)
        case .jsonl:
            return JSONRecordReader(input: input, mode: .jsonl, source: source, findings: findings)
        case .hsdsJSON:
            return HSDSPageReader(JSONRecordReader(input: input, mode: .json, source: source, findings: findings, recordsPath: options.recordsPath))
        case .hsdsJSONL:
            return HSDSPageReader(JSONRecordReader(input: input, mode: .jsonl, source: source, findings: findings))
        case .xml:
            return XMLRecordReader(input: input, source: source, recordElement: options.recordElement, findings: findings,
                                   maxTextBytes: options.maxFieldBytes)
        }
    }

    /// Opens a writer for this format over a sink.
    public func makeWriter(sink: OutputSink, options: WriterOptions, findings: FindingLog) -> RecordWriter {
        switch self {
        case .csv:
            return CSVRecordWriter(sink: sink, delimiter: options.delimiter, columns: options.columns, findings: findings)
        case .json, .hsdsJSON:
            return JSONRecordWriter(sink: sink, mode: .json, pretty: options.pretty, includeProvenance: options.provenance)
        case .jsonl, .hsdsJSONL:
            return JSONRecordWriter(sink: sink, mode: .jsonl, includeProvenance: options.provenance)
        case .xml:
            return XMLRecordWriter(sink: sink, recordElement: options.recordElement ?? "record", pretty: options.pretty,
                                   includeProvenance: options.provenance, findings: findings)
        }
    }
}

/// Options that shape how an input is read, whatever its format.
public struct ReaderOptions: Sendable {
    /// CSV: the field delimiter, or nil to detect it.
    public var delimiter: UInt8?
    /// CSV and XML: the longest field or text accepted.
    public var maxFieldBytes = 64 << 20
    /// JSON: the member path to the records array in the document.
    public var recordsPath: [String] = []
    /// XML: the local name of the record element; nil takes the root element's children.
    public var recordElement: String?

    public init(delimiter: UInt8? = nil, maxFieldBytes: Int = 64 << 20, recordsPath: [String] = [], recordElement: String? = nil) {
        self.delimiter = delimiter
        self.maxFieldBytes = maxFieldBytes
        self.recordsPath = recordsPath
        self.recordElement = recordElement
    }
}

/// Options that shape an output, whatever its format.
public struct WriterOptions: Sendable {
    /// CSV: the delimiter written.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// CSV: the columns, in order; nil takes the first record's keys.
    public var columns: [String]?
    /// JSON and XML: indent the records for people to read.
    public var pretty = false
    /// XML: the element each record becomes (default `record`).
    public var recordElement: String?
    /// JSON and JSON Lines: add each record's `_provenance`.
    public var provenance = false

    public init() {}
}
