/// The formats `crocevia convert` reads and writes, by their command-line names.
public enum Format: String, Sendable, CaseIterable {
    case csv, json, jsonl
    /// HSDS objects as one JSON array (the output of a mapping profile).
    case hsdsJSON = "hsds-json"
    /// HSDS objects, one per line.
    case hsdsJSONL = "hsds-jsonl"

    /// Guesses a format from a file name's extension: `.csv`, `.tsv`, `.txt`, `.json`, `.jsonl`,
    /// `.ndjson`.
    public init?(fileExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv", "tsv", "txt": self = .csv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        default: return nil
        }
    }

    /// The names accepted on the command line, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Opens a reader for this format over one input.
    /// - Parameter recordsPath: JSON only: the member path to the records array in the document.
    public func makeReader(input: TextInput, source: String, csv: CSVRecordReader.Options, recordsPath: [String] = [], findings: FindingLog) -> RecordReader {
        switch self {
        case .csv: return CSVRecordReader(input: input, options: csv, source: source, findings: findings)
        case .json, .hsdsJSON: return JSONRecordReader(input: input, mode: .json, source: source, findings: findings, recordsPath: recordsPath)
        case .jsonl, .hsdsJSONL: return JSONRecordReader(input: input, mode: .jsonl, source: source, findings: findings)
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
        }
    }
}

/// Options that shape an output, whatever its format.
public struct WriterOptions: Sendable {
    /// CSV: the delimiter written.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// CSV: the columns, in order; nil takes the first record's keys.
    public var columns: [String]?
    /// JSON: indent the array's records.
    public var pretty = false
    /// JSON and JSON Lines: add each record's `_provenance`.
    public var provenance = false

    public init() {}
}
