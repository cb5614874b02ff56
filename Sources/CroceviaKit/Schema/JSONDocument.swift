import Foundation

/// Reads one whole JSON document from a file (schemas, packages): small files only.
public enum JSONDocument {
    public static func load(path: String) throws -> JSONValue {
        try load(try ByteSource(path: path), isArray: isArrayDocument(path))
    }

    /// One of Crocevia's own files (a schema, the tabular package), embedded or in CROCEVIA_SCHEMAS.
    public static func load(_ name: String, from files: SchemaFiles) throws -> JSONValue {
        let bytes = try files.data(name)
        let isArray = firstSignificantByte(bytes) == UInt8(ascii: "[")
        return try load(ByteSource(name: files.describe(name), bytes: bytes), isArray: isArray)
    }

    private static func load(_ source: ByteSource, isArray: Bool) throws -> JSONValue {
        let path = source.name
        let findings = FindingLog()
        let reader = JSONRecordReader(input: TextInput(source: source, encoding: .utf8, findings: findings), mode: .json, source: "", findings: findings)
        do {
            // A top-level array would be read element by element: take the document whole.
            var values: [JSONValue] = []
            while let record = try reader.next() { values.append(record.value) }
            if let problem = findings.findings.first(where: { $0.severity == .error }) {
                throw CroceviaError.configuration(file: path, line: problem.line, column: nil, message: problem.message)
            }
            guard !values.isEmpty else {
                throw CroceviaError.configuration(file: path, line: nil, column: nil, message: "the file holds no JSON value")
            }
            return values.count == 1 && !isArray ? values[0] : .array(values)
        } catch CroceviaError.unreadableInput(_, let line, let message, _) {
            throw CroceviaError.configuration(file: path, line: line, column: nil, message: message)
        }
    }

    /// Whether the document's first non-blank byte opens an array.
    private static func isArrayDocument(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path), let head = try? handle.read(upToCount: 4096) else { return false }
        try? handle.close()
        return firstSignificantByte(head) == UInt8(ascii: "[")
    }

    /// The first byte that is not white space or a UTF-8 byte-order mark: what a document opens with.
    static func firstSignificantByte(_ bytes: some Sequence<UInt8>) -> UInt8? {
        bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
    }
}
